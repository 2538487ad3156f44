/**
 * Renders diagrams with Mermaid's browser bundle in headless Chromium
 * (Debian's /usr/bin/chromium, driven by playwright-core), from a page
 * served on 127.0.0.1. Run with `npm run test:browser`; writes a
 * screenshot of the page to /tmp/diagram.png (or $DIAGRAM_SCREENSHOT).
 */

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionFlowchart, witnessSequence } from '../../src/diagram/index.js';
import { allowedWith, forbiddenMp, MP_RELEASE_ADDR, SB } from '../diagram-fixtures.js';

const MERMAID_BUNDLE = fileURLToPath(new URL('../../node_modules/mermaid/dist/mermaid.min.js', import.meta.url));
const SCREENSHOT = process.env.DIAGRAM_SCREENSHOT ?? '/tmp/diagram.png';

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>barrier-lab diagrams</title>
<style>body { font-family: sans-serif; margin: 16px; background: #fff } section { margin-bottom: 24px } h2 { font-size: 15px; margin: 4px 0 }</style>
<script src="/mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });</script>
</head><body><main id="diagrams"></main></body></html>`;

interface Rendered {
  readonly name: string;
  readonly svg: string;
  readonly role: string | null;
}

const forbidden = forbiddenMp();
const diagrams: ReadonlyArray<{ name: string; text: string; role: string }> = [
  {
    name: 'MP+wmb+rmb: the forbidden execution, with the happens-before cycle',
    text: executionFlowchart(forbidden.x, { title: 'MP+wmb+rmb', highlight: forbidden.cycle }),
    role: 'block',
  },
  {
    name: 'SB: the witness of r0=0, r1=0',
    text: witnessSequence(allowedWith(SB, { '0:r0': 0, '1:r1': 0 }), { title: 'SB' }),
    role: 'sequence',
  },
  {
    name: 'MP+release+addr: an allowed execution with its ordering edges',
    text: executionFlowchart(allowedWith(MP_RELEASE_ADDR, { '1:r0': 'b', '1:r1': 1 }), { title: 'MP+release+addr' }),
    role: 'block',
  },
];

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  const bundle = readFileSync(MERMAID_BUNDLE);
  server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    else if (req.url === '/mermaid.min.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    else if (req.url === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('diagrams in a browser', () => {
  it('render with Mermaid to SVG, without console errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    const rendered: Rendered[] = await page.evaluate(async (list) => {
      const m = (window as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      const main = document.getElementById('diagrams')!;
      const out: Rendered[] = [];
      for (const [i, d] of list.entries()) {
        const { svg } = await m.render(`diagram${i}`, d.text);
        const section = document.createElement('section');
        section.innerHTML = `<h2></h2>${svg}`;
        section.querySelector('h2')!.textContent = d.name;
        main.appendChild(section);
        out.push({ name: d.name, svg, role: section.querySelector('svg')?.getAttribute('aria-roledescription') ?? null });
      }
      return out;
    }, diagrams);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(errors).toEqual([]);
    expect(rendered.map((r) => r.role)).toEqual(diagrams.map((d) => d.role));
    for (const r of rendered) expect(r.svg).toMatch(/^<svg/);
    // The highlighted cycle of the first diagram: four thick edges, with their labels, and a column per CPU.
    const links = rendered[0]!.svg.match(/<path[^>]*edge-thickness-thick[^>]*>/g) ?? [];
    expect(links.length).toBe(4);
    for (const label of ['rfe', 'fre', 'smp_wmb()', 'smp_rmb()', 'W x=1']) expect(rendered[0]!.svg).toContain(`>${label}<`);
    for (const cpu of ['cpu_P0', 'cpu_P1']) expect(rendered[0]!.svg).toContain(`id="diagram0-${cpu}"`);
    expect(rendered[1]!.svg).toContain('R x=0 (line 18, ahead of line 17) from init');
    expect(rendered[2]!.svg).toContain('>addr<');
    await page.close();
  });
});
