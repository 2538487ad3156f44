/**
 * The site's diagrams, drawn at build time: every Mermaid source a page
 * shows becomes two inline SVGs (light and dark; CSS on Docusaurus's
 * `data-theme` shows one), in a box that scrolls sideways when the diagram
 * is wider than the column, with a link to the diagram on its own (a
 * standalone SVG file under /diagrams/) and its Mermaid source in a
 * collapsed block. Nothing about diagrams runs in the reader's browser.
 *
 * The SVGs come from a renderer with `render(source, theme)` and
 * `renderThemes(source)` (the build uses
 * src/cli/mermaid-svg.ts through dist/; tests may pass a stand-in).
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the standalone SVG files are served from. */
export const DIAGRAM_URL = '/diagrams/';

/** Text safe inside HTML elements and attribute values. */
export function escapeHtml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The figure's HTML. `svgs` and `hrefs` are per theme; `source` is the
 * Mermaid text. `pathnameLinks` prefixes the links with `pathname://`, which
 * Docusaurus needs in .md pages (there a raw `<a>` becomes its Link, which
 * would otherwise take /diagrams/... for a page of the site).
 */
export function figureHtml({ key, svgs, hrefs, source, pathnameLinks = false }) {
  const link = (theme) => `<a class="diagram-open diagram-${theme}" href="${pathnameLinks ? 'pathname://' : ''}${escapeHtml(hrefs[theme])}" target="_blank" rel="noopener">Open the diagram full size</a>`;
  return [
    `<figure class="diagram" data-diagram="${escapeHtml(key)}">`,
    `<div class="diagram-scroll" role="region" tabindex="0" aria-label="Diagram; scrolls sideways when wider than the page">`,
    `<div class="diagram-light">${svgs.light}</div>`,
    `<div class="diagram-dark">${svgs.dark}</div>`,
    `</div>`,
    `<figcaption class="diagram-actions">${link('light')}${link('dark')}</figcaption>`,
    `<details class="diagram-source"><summary>Mermaid source</summary><pre><code class="language-mermaid">${escapeHtml(source.replace(/\n+$/, ''))}</code></pre></details>`,
    `</figure>`,
  ].join('');
}

/** The hash part of a diagram id (`mmd-HASH-light`). */
function keyOf(id) {
  return id.replace(/^mmd-/, '').replace(/-(light|dark)$/, '');
}

export class SiteDiagrams {
  /**
   * `renderer.renderThemes(source)` resolves to `{ light, dark }`, each with
   * `id` and `svg` (and `render(source, theme)` to one of them);
   * `staticDir` receives diagrams/ID.svg for the links.
   */
  constructor({ renderer, staticDir }) {
    this.renderer = renderer;
    this.dir = join(staticDir, 'diagrams');
    mkdirSync(this.dir, { recursive: true });
    this.drawn = new Map(); // source -> Promise<{ light, dark }>
    this.perPage = new Map(); // page -> Set of keys already on it
  }

  /**
   * Both themes of a source, drawn once per build however many pages show
   * it. A notebook's recorded SVG (`recordedLight`) is what the notebook
   * showed: it is kept for the light theme, and only the dark one is drawn.
   */
  themes(source, recordedLight) {
    const cacheKey = recordedLight ? `${source}\u0000${recordedLight}` : source;
    let p = this.drawn.get(cacheKey);
    if (!p) {
      const drawing = recordedLight
        ? this.renderer.render(source, 'dark').then((dark) => ({ light: { id: /^<svg[^>]*\sid="([^"]+)"/.exec(recordedLight)?.[1] ?? dark.id.replace(/-dark$/, '-light'), svg: recordedLight, recoloured: [] }, dark }))
        : this.renderer.renderThemes(source);
      p = drawing.then((both) => {
        for (const r of [both.light, both.dark]) writeFileSync(join(this.dir, `${r.id}.svg`), `${r.svg}\n`);
        return both;
      });
      this.drawn.set(cacheKey, p);
    }
    return p;
  }

  /**
   * The figure for one source on one page, as MDX (`format: 'mdx'`, an
   * element with the HTML inside) or as raw HTML for a CommonMark page
   * (`'md'`, on one line, so that Markdown leaves it alone). A source shown
   * twice on a page gets its ids suffixed the second time, so ids stay unique.
   */
  async figure(source, { page, format = 'mdx', recordedLight } = {}) {
    const { light, dark } = await this.themes(source, recordedLight);
    const key = keyOf(light.id);
    const seen = this.perPage.get(page) ?? new Set();
    this.perPage.set(page, seen);
    let n = 1;
    while (seen.has(n === 1 ? key : `${key}-${n}`)) n++;
    const suffix = n === 1 ? '' : `-${n}`;
    seen.add(`${key}${suffix}`);
    const rename = (r) => (suffix ? r.svg.split(r.id).join(`${r.id}${suffix}`) : r.svg);
    const html = figureHtml({
      key: `${key}${suffix}`,
      svgs: { light: rename(light), dark: rename(dark) },
      hrefs: { light: `${DIAGRAM_URL}${light.id}.svg`, dark: `${DIAGRAM_URL}${dark.id}.svg` },
      source,
      pathnameLinks: format === 'md',
    });
    if (format === 'md') return html.replace(/\r?\n/g, '&#10;');
    return `<div className="diagram-host" dangerouslySetInnerHTML={{ __html: ${JSON.stringify(html)} }} />`;
  }
}
