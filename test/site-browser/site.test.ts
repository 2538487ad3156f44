/**
 * The built documentation site (build/, from `npm run site:build`) in
 * headless Chromium, served from 127.0.0.1 by a tiny static server: every
 * barrier page draws its diagrams as SVG, the playground agrees with
 * `check`, and no page logs a console error. Screenshots go to /tmp/site-*.png.
 */

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, parseLitmus } from '../../src/index.js';
import { FAMILIES } from '../../src/bench/families.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD = join(ROOT, 'build');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.txt': 'text/plain' };

let server: Server;
let base: string;
let browser: Browser;

function resolveFile(url: string): string | null {
  const path = normalize(decodeURIComponent(url.split(/[?#]/)[0]!)).replace(/^(\.\.[/\\])+/, '');
  for (const candidate of [path, `${path}.html`, join(path, 'index.html')]) {
    const file = join(BUILD, candidate);
    if (file.startsWith(BUILD) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

beforeAll(async () => {
  if (!existsSync(join(BUILD, 'index.html'))) throw new Error('no build/: run `npm run site:build` first');
  server = createServer((req, res) => {
    const file = resolveFile(req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/html' }).end(readFileSync(join(BUILD, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${path}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${path}: ${e.message}`));
  await page.goto(base + path, { waitUntil: 'load' });
  return { page, errors };
}

/** Waits until every Mermaid container of the page holds an SVG; returns their roles. */
async function diagramRoles(page: Page, expected: number): Promise<(string | null)[]> {
  await page.waitForFunction((n) => document.querySelectorAll('.docusaurus-mermaid-container svg').length >= n, expected, { timeout: 60_000 });
  return page.$$eval('.docusaurus-mermaid-container', (els) => els.map((el) => el.querySelector('svg')?.getAttribute('aria-roledescription') ?? null));
}

const barrierPages = readdirSync(join(BUILD, 'docs/barriers')).filter((f) => f.endsWith('.html')).map((f) => `/docs/barriers/${f.replace(/\.html$/, '')}`);

describe('the documentation site', () => {
  it('has a page per barrier', () => {
    expect(barrierPages.length).toBeGreaterThanOrEqual(17);
  });

  it('draws every diagram of every barrier page as SVG, without console errors', async () => {
    const errors: string[] = [];
    for (const path of barrierPages) {
      const { page, errors: pageErrors } = await open(path);
      const html = readFileSync(resolveFile(path)!, 'utf8');
      // Every ```mermaid fence of the generated page must become an SVG in the browser.
      const mdx = readFileSync(join(ROOT, 'site/docs/generated/barriers', `${path.split('/').pop()}.mdx`), 'utf8');
      const fences = mdx.match(/^```mermaid$/gm)?.length ?? 0;
      expect(fences, path).toBeGreaterThanOrEqual(2);
      const roles = await diagramRoles(page, fences);
      expect(roles.every((r) => r === 'flowchart-v2' || r === 'sequence'), `${path}: ${roles.join(', ')}`).toBe(true);
      expect(html).toContain('verdict-');
      if (path.endsWith('/wmb') || path.endsWith('/mb')) await page.screenshot({ path: `/tmp/site-${path.split('/').pop()}.png`, fullPage: true });
      errors.push(...pageErrors);
      await page.close();
    }
    expect(errors).toEqual([]);
  });

  it('renders a relations page and a walkthrough page', async () => {
    for (const path of ['/docs/model/hb', '/docs/swiotlb']) {
      const { page, errors } = await open(path);
      if (path === '/docs/model/hb') expect((await diagramRoles(page, 1)).length).toBe(1);
      await page.screenshot({ path: `/tmp/site-${path.split('/').pop()}.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('searches offline', async () => {
    const { page, errors } = await open('/search?q=smp_wmb');
    await page.waitForSelector('a[href*="/docs/barriers/wmb"]', { timeout: 30_000 });
    await page.screenshot({ path: '/tmp/site-search.png' });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the playground starts with swiotlb v1 and agrees with check', async () => {
    const { page, errors } = await open('/playground');
    const v1 = readFileSync(join(ROOT, 'litmus/swiotlb/v1-three-cpus.litmus'), 'utf8');
    await page.waitForSelector('[data-testid="verdict"]', { timeout: 60_000 });
    expect(await page.inputValue('#litmus-input')).toBe(v1);
    expect(await page.textContent('[data-testid="verdict"]')).toBe(check(parseLitmus(v1, 'v1.litmus')).observation);
    await diagramRoles(page, 2);
    await page.screenshot({ path: '/tmp/site-playground.png', fullPage: true });

    const tests = ['litmus/patterns/MP+wmb+rmb.litmus', 'litmus/patterns/SB+once+once.litmus', 'litmus/patterns/atomic_inc+atomic_inc.litmus', 'litmus/swiotlb/v3-three-cpus-mb.litmus', 'site/litmus/axioms/MP+plain-wmb-rmb.litmus'];
    for (const path of tests) {
      const text = readFileSync(join(ROOT, path), 'utf8');
      const expected = check(parseLitmus(text, path));
      await page.fill('#litmus-input', text);
      await page.click('#check-button');
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('checked'));
      expect(await page.textContent('[data-testid="verdict"]'), path).toBe(expected.observation);
      expect(await page.textContent('[data-testid="verdict-words"]'), path).toContain(`${expected.positive} of ${expected.positive + expected.negative}`);
      expect(await page.textContent('[data-testid="herd"]'), path).toContain(`Observation ${expected.name} ${expected.observation} ${expected.positive} ${expected.negative}`);
      await diagramRoles(page, 1);
    }
    await page.screenshot({ path: '/tmp/site-playground-last.png', fullPage: true });

    // A long check runs off the main thread: the page stays responsive, and Stop ends it.
    const long = FAMILIES.find((f) => f.name === 'cs-cmpxchg_acquire')!.generate(8).text;
    await page.fill('#litmus-input', long);
    await page.click('#check-button');
    await page.waitForSelector('#stop-button', { timeout: 10_000 });
    expect(await page.textContent('[data-testid="status"]')).toBe('checking…');
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.click('#stop-button');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === 'stopped');
    const mp = readFileSync(join(ROOT, 'litmus/patterns/MP+wmb+rmb.litmus'), 'utf8');
    await page.fill('#litmus-input', mp);
    await page.click('#check-button');
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent?.startsWith('checked'));
    expect(await page.textContent('[data-testid="verdict"]')).toBe(check(parseLitmus(mp, 'mp.litmus')).observation);

    // A malformed test: one located message, no crash.
    await page.fill('#litmus-input', 'C bad\n{}\nP0(int *x) { smp_mbb(); }\nexists (x=1)\n');
    await page.click('#check-button');
    await page.waitForSelector('[data-testid="error"]');
    expect(await page.textContent('[data-testid="error"]')).toContain('smp_mbb');
    expect(errors).toEqual([]);
    await page.close();
  });
});
