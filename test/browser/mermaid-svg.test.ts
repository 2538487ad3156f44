/**
 * The build-time renderer (src/cli/mermaid-svg.ts): Mermaid in headless
 * Chromium turns sources into standalone SVG, in both themes. Checked here:
 * the SVG's form (ids, natural size), that the same source always gives the
 * same SVG, and, with the SVGs shown on a page, what a reader gets (text at
 * least 12 px, labels at 4.5:1, CPU header blocks left to right). The probe
 * is also shown to catch a low-contrast label and CPUs out of order.
 * Screenshots: /tmp/mermaid-svg-light.png and /tmp/mermaid-svg-dark.png.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchMermaidRenderer, MermaidRenderError, type MermaidRenderer, type RenderedSvg } from '../../src/cli/mermaid-svg.js';
import { executionFlowchart, witnessSequence } from '../../src/diagram/index.js';
import { diagramId, THEME_BACKGROUND, type DiagramTheme } from '../../src/mermaid/config.js';
import { launchChromium } from '../support/chromium.js';
import { diagramProblems, probeDiagrams } from '../support/diagrams.js';
import { allowedWith, forbiddenMp, SB } from '../diagram-fixtures.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../fixtures/diagrams/${name}`, import.meta.url)), 'utf8');

const forbidden = forbiddenMp();
const SOURCES: ReadonlyArray<{ name: string; text: string; kind: string }> = [
  { name: 'execution block diagram', text: fixture('execution-block.mmd'), kind: 'block' },
  { name: 'ELK flowchart', text: fixture('flowchart-elk.mmd'), kind: 'flowchart-v2' },
  { name: 'sequence diagram', text: fixture('sequence.mmd'), kind: 'sequence' },
  { name: "the library's execution diagram", text: executionFlowchart(forbidden.x, { title: 'MP+wmb+rmb', highlight: forbidden.cycle }), kind: '' },
  { name: "the library's sequence diagram", text: witnessSequence(allowedWith(SB, { '0:r0': 0, '1:r1': 0 }), { title: 'SB' }), kind: 'sequence' },
];

let renderer: MermaidRenderer;
let browser: Browser;
const drawn = new Map<string, RenderedSvg>();

beforeAll(async () => {
  renderer = await launchMermaidRenderer();
  browser = await launchChromium();
  for (const s of SOURCES) for (const theme of ['light', 'dark'] as const) drawn.set(`${s.name}/${theme}`, await renderer.render(s.text, theme));
}, 180_000);

afterAll(async () => {
  await renderer?.close();
  await browser?.close();
});

/** A page showing `svgs` on the theme's background, as the site and notebook viewers do. */
function pageHtml(svgs: readonly string[], theme: DiagramTheme): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><style>body { margin: 16px; background: ${THEME_BACKGROUND[theme]}; } .box { overflow-x: auto; max-width: 760px; margin-bottom: 16px; }</style></head><body>${svgs.map((s) => `<div class="box">${s}</div>`).join('')}</body></html>`;
}

describe('the Mermaid renderer', () => {
  it('gives standalone SVG with the natural size, ids from the source, every id inside under the svg id', () => {
    for (const s of SOURCES) {
      for (const theme of ['light', 'dark'] as const) {
        const r = drawn.get(`${s.name}/${theme}`)!;
        const at = `${s.name} (${theme})`;
        expect(r.id, at).toBe(diagramId(s.text, theme));
        if (s.kind) expect(r.kind, at).toBe(s.kind);
        expect(r.svg, at).toMatch(new RegExp(`^<svg id="${r.id}"[^>]* xmlns="http://www.w3.org/2000/svg"`));
        const root = /^<svg[^>]*>/.exec(r.svg)![0];
        expect(root, at).toContain(` width="${r.width}"`);
        expect(root, at).toContain(` height="${r.height}"`);
        expect(root, at).not.toContain('100%');
        expect(root, at).toMatch(/style="[^"]*max-width: none/);
        expect(r.width, at).toBeGreaterThan(100);
        expect(r.minFontPx, at).toBeGreaterThanOrEqual(12);
        const ids = [...r.svg.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
        expect(ids.filter((id) => !id.startsWith(r.id)), at).toEqual([]);
        expect(new Set(ids).size, at).toBe(ids.length);
        expect(r.svg, at).not.toContain('data-points');
        expect(r.svg, at).not.toContain('<foreignObject');
      }
    }
    // The execution diagram's CPU headers keep their names, after the svg id.
    const block = drawn.get('execution block diagram/light')!;
    for (const cpu of ['cpu_P0', 'cpu_P1', 'cpu_P2']) expect(block.svg).toContain(` id="${block.id}-${cpu}"`);
  });

  it('repairs a label too faint to read, in both themes, and says so', () => {
    for (const theme of ['light', 'dark'] as const) {
      const r = drawn.get(`execution block diagram/${theme}`)!;
      const legend = r.recoloured.find((c) => c.text.startsWith('rfe (green)'));
      expect(legend, theme).toBeDefined();
      expect(legend!.before).toBeLessThan(4.5);
      expect(legend!.after).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws the same source to the same SVG, whatever was drawn before and in whichever renderer', async () => {
    const again = await launchMermaidRenderer({ concurrency: 1 });
    try {
      for (const s of [...SOURCES].reverse()) {
        for (const theme of ['dark', 'light'] as const) expect((await again.render(s.text, theme)).svg, `${s.name} (${theme})`).toBe(drawn.get(`${s.name}/${theme}`)!.svg);
      }
      expect((await renderer.render(SOURCES[2]!.text, 'light')).svg).toBe(drawn.get(`${SOURCES[2]!.name}/light`)!.svg);
    } finally {
      await again.close();
    }
  });

  it('rejects a source Mermaid cannot parse, naming it, and goes on drawing', async () => {
    await expect(renderer.render('flowchart TB\n  a -->\n', 'light')).rejects.toThrow(MermaidRenderError);
    await expect(renderer.render('flowchart TB\n  a -->\n', 'light')).rejects.toThrow(/flowchart TB/);
    expect((await renderer.render('flowchart TB\n  a --> b\n', 'light')).kind).toBe('flowchart-v2');
  });

  it.each(['light', 'dark'] as const)('shows every diagram readable on a %s page: 12 px text, 4.5:1 labels, CPUs left to right, no console errors', async (theme) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent(pageHtml(SOURCES.map((s) => drawn.get(`${s.name}/${theme}`)!.svg), theme));
    const records = await probeDiagrams(page, 'svg[id^="mmd-"]');
    expect(records.length).toBe(SOURCES.length);
    expect(diagramProblems(records, theme)).toEqual([]);
    expect(records[0]!.cpuOrder).toEqual({ cpus: [0, 1, 2], leftToRight: true });
    await page.screenshot({ path: `/tmp/mermaid-svg-${theme}.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the probe catches a label below 4.5:1 and CPU headers out of order', async () => {
    const swapped = fixture('execution-block.mmd').replace('cpu_P0["P0"]:4 space:1 cpu_P1["P1"]:4', 'cpu_P1["P1"]:4 space:1 cpu_P0["P0"]:4');
    const out = await renderer.render(swapped, 'light');
    const faint = '<svg id="mmd-faint" xmlns="http://www.w3.org/2000/svg" width="200" height="40" viewBox="0 0 200 40" style="max-width: none; background-color: #ffffff"><text x="10" y="25" style="fill:#b0b0b0;font-size:16px">too faint</text></svg>';
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(pageHtml([out.svg, faint], 'light'));
    const records = await probeDiagrams(page, 'svg[id^="mmd-"]');
    const problems = diagramProblems(records, 'light').join('\n');
    expect(problems).toContain('CPU headers 0, 1, 2 are not left to right');
    expect(problems).toMatch(/"too faint" #b0b0b0 on #ffffff is 2\.\d+:1/);
    await page.close();
  });
});
