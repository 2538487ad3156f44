/**
 * The committed notebooks as nbconvert's HTML shows them (`jupyter nbconvert
 * --to html`, without running them): every diagram is an SVG output, in the
 * HTML before any script runs, and in Chromium it is drawn at its natural
 * size with text of at least 12 px and labels at 4.5:1, under nbconvert's
 * light and dark themes, with no console errors. nbconvert's stock templates
 * put SVG outputs through an HTML cleaner that keeps only <svg> and <style>
 * (jupyter/nbconvert#1849, #1894), so the conversion uses the project's
 * template, scripts/nbconvert/inline-svg.html.j2, which writes them as they
 * are. Needs Debian's jupyter-nbconvert.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { diagramProblems, probeDiagrams } from '../support/diagrams.js';

const NOTEBOOKS = fileURLToPath(new URL('../../notebooks/', import.meta.url));
const JUPYTER = process.env.JUPYTER ?? (existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter');
const names = readdirSync(NOTEBOOKS).filter((f) => /^\d.*\.ipynb$/.test(f)).sort();
const THEMES = ['light', 'dark'] as const;
const TEMPLATE = fileURLToPath(new URL('../../scripts/nbconvert/inline-svg.html.j2', import.meta.url));

let out: string;
let browser: Browser;

/** The image/svg+xml outputs a notebook recorded. */
function svgOutputs(name: string): number {
  const nb = JSON.parse(readFileSync(join(NOTEBOOKS, name), 'utf8')) as { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown> }> }> };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/svg+xml'] !== undefined).length;
}

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'barrier-lab-nbhtml-'));
  for (const theme of THEMES) {
    // MathJax and RequireJS are left out: this machine has neither, and the diagrams need neither.
    execFileSync(JUPYTER, ['nbconvert', '--to', 'html', '--template-file', TEMPLATE, `--HTMLExporter.theme=${theme}`, '--HTMLExporter.mathjax_url=data:text/javascript,', '--HTMLExporter.require_js_url=data:text/javascript,', `--output-dir=${join(out, theme)}`, ...names.map((n) => join(NOTEBOOKS, n))], {
      stdio: 'pipe',
      env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    });
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe("the notebooks in nbconvert's HTML", () => {
  it('record their diagrams as SVG outputs', () => {
    expect(names.length).toBeGreaterThanOrEqual(7);
    expect(names.reduce((n, name) => n + svgOutputs(name), 0)).toBeGreaterThanOrEqual(15);
  });

  for (const name of names) {
    it.each(THEMES)(`${name} (%s theme): every diagram in the static HTML, natural size, 12 px text, 4.5:1 labels, no console errors`, async (theme) => {
      const file = join(out, theme, name.replace(/\.ipynb$/, '.html'));
      const html = readFileSync(file, 'utf8');
      const expected = svgOutputs(name);
      expect((html.match(/<svg id="mmd-[a-z0-9]+-light"/g) ?? []).length).toBe(expected);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(file).href);
      const records = await probeDiagrams(page, 'svg[id^="mmd-"]');
      expect(records.length).toBe(expected);
      expect(diagramProblems(records, `${name} (${theme})`)).toEqual([]);
      if (name.startsWith('05')) await page.screenshot({ path: `/tmp/notebook-05-${theme}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
