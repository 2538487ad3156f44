#!/usr/bin/env node
/**
 * Screenshots of some of the site's diagrams, for people to look at (the
 * tests measure; these show): each diagram as a reader sees it on the
 * built site (build/, from `npm run site:build`), in the light and the dark
 * theme, in a 1400 px wide window and a 390 px one (a phone: the diagram
 * keeps its size and scrolls sideways). Written to docs/screenshots/ as
 * NAME-THEME-WIDTH.png; needs /usr/bin/chromium (or $CHROMIUM).
 *
 *   npm run screenshots
 */

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDirectory } from './site/static-server.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUILD = join(ROOT, 'build');
const OUT = join(ROOT, 'docs/screenshots');

/** Which diagrams: a page of the built site, and the test whose heading the diagram follows. */
const SHOTS = [
  { name: 'swiotlb-three-cpu-bug', path: '/docs/swiotlb/three-cpu-bug', test: 'v1-three-cpus' },
  { name: 'swiotlb-the-fix', path: '/docs/swiotlb/the-fix', test: 'v3-three-cpus-mb' },
  { name: 'iriw-mb-mb', path: '/docs/barriers/mb', test: 'IRIW+mb+mb' },
  { name: 'rcu-grace-period', path: '/docs/barriers/rcu-gp', test: 'RCU+rscs+sync' },
  { name: 'spinlock-mp', path: '/docs/barriers/spinlock', test: 'MP+locks+locks' },
];
const WIDTHS = [1400, 390];
const THEMES = ['light', 'dark'];

if (!existsSync(join(BUILD, 'index.html'))) {
  console.error('screenshots: no build/: run `npm run site:build` first');
  process.exit(1);
}

mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.endsWith('.png')) rmSync(join(OUT, f));
const server = await serveDirectory(BUILD);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const problems = [];
try {
  for (const shot of SHOTS) {
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      page.on('pageerror', (e) => problems.push(`${shot.path}: ${e.message}`));
      await page.goto(server.base + shot.path, { waitUntil: 'networkidle' });
      // The first diagram after the heading that names the test.
      const found = await page.evaluate((test) => {
        const heading = [...document.querySelectorAll('article h2, article h3, article h4')].find((h) => h.textContent.replace(/\u200b/g, '').trim().split(/\s+/)[0] === test);
        if (!heading) return false;
        const figure = [...document.querySelectorAll('figure.diagram')].find((f) => heading.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (!figure) return false;
        figure.setAttribute('data-screenshot', '');
        return true;
      }, shot.test);
      if (!found) {
        problems.push(`${shot.path}: no diagram after a heading for ${shot.test}`);
        await page.close();
        continue;
      }
      // The sticky navigation bar would cover part of a diagram taller than the window.
      await page.addStyleTag({ content: '.navbar { position: static !important; } .theme-back-to-top-button { display: none !important; }' });
      for (const theme of THEMES) {
        await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
        const file = join(OUT, `${shot.name}-${theme}-${width}.png`);
        await page.locator('[data-screenshot] .diagram-scroll').screenshot({ path: file });
        console.log(`screenshots: ${file.slice(ROOT.length)}`);
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
if (problems.length) {
  console.error(`screenshots: ${problems.join('\n  ')}`);
  process.exit(1);
}
