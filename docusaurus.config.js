// The documentation site (issue D). Content lives under site/: templates in
// site/content/, generated pages in site/docs/generated/ (scripts/site/generate.mjs),
// the playground in site/src/pages/. Build: `npm run site:build`; serve: `npm run site`.
import { fileURLToPath } from 'node:url';
import { themes as prismThemes } from 'prism-react-renderer';

const GENERATED = fileURLToPath(new URL('./.docusaurus/', import.meta.url));
const DIST = fileURLToPath(new URL('./dist/', import.meta.url));

/**
 * package.json says "type": "module", so webpack would parse Docusaurus's own
 * generated .docusaurus/*.js as strict ESM, where its `require.resolveWeak`
 * calls fail ("require.resolveWeak is not a function"). Parse them as before.
 */
function generatedFilesAsAuto() {
  return {
    name: 'barrier-lab-generated-files',
    configureWebpack(config) {
      // The library in dist/ is already ES2022: keep Babel's loose mode (Docusaurus's
      // default for the client) away from it, as it turns `[...set]` into `[].concat(set)`.
      // In site/src/ itself, write Array.from(set) (a test checks the playground's sentence).
      for (const rule of config.module?.rules ?? []) {
        if (!rule || typeof rule !== 'object' || !(rule.test instanceof RegExp) || !rule.test.test('x.js') || !rule.use) continue;
        const exclude = rule.exclude;
        rule.exclude = (path) => path.startsWith(DIST) || (typeof exclude === 'function' ? exclude(path) : exclude instanceof RegExp ? exclude.test(path) : false);
      }
      return { module: { rules: [{ test: /\.js$/, include: [GENERATED], type: 'javascript/auto' }] } };
    },
  };
}

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'barrier-lab',
  tagline: 'Linux-kernel memory barriers, one at a time, checked by the LKMM',
  url: 'http://127.0.0.1',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'ignore',
  favicon: 'favicon.svg',
  trailingSlash: false,
  i18n: { defaultLocale: 'en', locales: ['en'] },
  // site/generated-static/ holds the standalone diagram files (/diagrams/ID.svg) the generator writes.
  staticDirectories: ['site/static', 'site/generated-static'],
  markdown: {
    // .md pages (the notebooks) are CommonMark; .mdx pages (the generated ones) are MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw' },
  },
  plugins: [generatedFilesAsAuto],
  // Diagrams are SVG drawn at build time (scripts/site/diagrams.mjs): no Mermaid in the docs pages.
  // Only the playground draws in the browser, loading Mermaid when it first needs it.
  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      /** @type {import('@easyops-cn/docusaurus-search-local').PluginOptions} */
      ({ hashed: true, indexBlog: false, indexPages: true, docsRouteBasePath: '/docs', docsDir: 'site/docs/generated', language: ['en'], highlightSearchTermsOnTargetPage: true }),
    ],
  ],
  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          path: 'site/docs/generated',
          routeBasePath: 'docs',
          sidebarPath: './site/sidebars.js',
          editUrl: undefined,
        },
        blog: false,
        pages: { path: 'site/src/pages' },
        theme: { customCss: './site/src/css/custom.css' },
      }),
    ],
  ],
  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      colorMode: { respectPrefersColorScheme: false },
      navbar: {
        title: 'barrier-lab',
        items: [
          { type: 'docSidebar', sidebarId: 'docs', position: 'left', label: 'Docs' },
          { to: '/docs/barriers', label: 'Barriers', position: 'left' },
          { to: '/docs/model', label: 'Relations and axioms', position: 'left' },
          { to: '/playground', label: 'Playground', position: 'left' },
          { to: '/docs/reference', label: 'Reference', position: 'left' },
        ],
      },
      footer: {
        style: 'light',
        copyright: 'barrier-lab: every verdict and diagram on this site is computed from the litmus tests in the repository at build time.',
      },
      prism: { theme: prismThemes.github, darkTheme: prismThemes.dracula, additionalLanguages: [] },
      tableOfContents: { minHeadingLevel: 2, maxHeadingLevel: 3 },
    }),
};

export default config;
