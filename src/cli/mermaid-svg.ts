/**
 * Mermaid diagrams to SVG at build time, drawn by Mermaid itself in
 * headless Chromium (Node only).
 *
 *   const renderer = await launchMermaidRenderer();
 *   const { svg } = await renderer.render(source, 'dark');
 *   await renderer.close();
 *
 * One browser serves every diagram, with a few pages drawing in parallel: the page loads the
 * project's own Mermaid ESM bundle (node_modules/mermaid) with the ELK
 * layout registered, and the finishing steps of src/mermaid/finish.ts
 * (compiled, from dist/mermaid/), all from a small HTTP server on
 * 127.0.0.1, so nothing is fetched from the network. Each render sets the
 * theme's configuration (src/mermaid/config.ts), draws, finishes the SVG
 * in the page (natural size, background, stable ids, label contrast) and
 * returns it as text. The same source and theme always give the same SVG.
 *
 * Chromium is Debian's /usr/bin/chromium unless `executablePath` or the
 * CHROMIUM environment variable names another.
 */

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { diagramId, mermaidConfig, normaliseSource, THEME_BACKGROUND, themeSource, type DiagramTheme } from '../mermaid/config.js';
import type { FinishedSvg, Recoloured } from '../mermaid/finish.js';

export type { DiagramTheme } from '../mermaid/config.js';
export type { Recoloured } from '../mermaid/finish.js';

/** One diagram in one theme. */
export interface RenderedSvg {
  /** The `<svg>`'s id: `mmd-HASH-THEME` unless the caller chose one. */
  readonly id: string;
  readonly theme: DiagramTheme;
  /** Standalone SVG text (XML), with explicit width and height. */
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** Labels whose colour the renderer changed so that they reach 4.5:1. */
  readonly recoloured: readonly Recoloured[];
  /** The smallest text in the diagram, in CSS pixels. */
  readonly minFontPx: number;
  /** Mermaid's name for the kind of diagram (`flowchart-v2`, `sequence`, `block`, ...). */
  readonly kind: string;
}

export interface RenderOptions {
  /** The `<svg>`'s id, prefix of every id inside (default: from a hash of the source and the theme). */
  readonly id?: string;
}

export interface MermaidRenderer {
  /** Draws one source in one theme; rejects with Mermaid's message when the source is wrong. */
  render(source: string, theme: DiagramTheme, options?: RenderOptions): Promise<RenderedSvg>;
  /** Draws one source in both themes. */
  renderThemes(source: string, options?: { readonly id?: (theme: DiagramTheme) => string }): Promise<Record<DiagramTheme, RenderedSvg>>;
  /** Diagrams drawn so far and the milliseconds spent drawing them (launch excluded). */
  readonly stats: { readonly renders: number; readonly ms: number; readonly launchMs: number };
  close(): Promise<void>;
}

export interface RendererOptions {
  /** The Chromium binary (default $CHROMIUM, else /usr/bin/chromium). */
  readonly executablePath?: string;
  /** Give up on one diagram after this many milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** Pages drawing at the same time (default 2). */
  readonly concurrency?: number;
}

/** Thrown when Mermaid cannot draw a source, or the page logs an error while it does. */
/** A renderer's `renderThemes`, from its `render`: both themes drawn side by side. */
export async function renderBothThemes(render: MermaidRenderer['render'], source: string, options: { readonly id?: (theme: DiagramTheme) => string } = {}): Promise<Record<DiagramTheme, RenderedSvg>> {
  const [light, dark] = await Promise.all([
    render(source, 'light', options.id ? { id: options.id('light') } : {}),
    render(source, 'dark', options.id ? { id: options.id('dark') } : {}),
  ]);
  return { light, dark };
}

export class MermaidRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MermaidRenderError';
  }
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>barrier-lab diagrams</title><link rel="icon" href="data:,">
<style>html, body { margin: 0; padding: 0; } #stage { position: absolute; left: 0; top: 0; }</style>
</head><body><div id="stage"></div>
<script type="module">
import mermaid from '/mermaid/mermaid.esm.min.mjs';
import elk from '/elk/mermaid-layout-elk.esm.min.mjs';
import { finishSvg } from '/lib/finish.js';
mermaid.registerLayoutLoaders(elk);
const stage = document.getElementById('stage');
window.__renderDiagram = async (source, config, id, background) => {
  mermaid.initialize(config);
  const { svg } = await mermaid.render(id, source);
  stage.innerHTML = svg;
  const el = stage.querySelector('svg');
  const kind = el.getAttribute('aria-roledescription') || '';
  try {
    return { ...finishSvg(el, { background }), kind };
  } finally {
    stage.textContent = '';
  }
};
window.__ready = true;
</script></body></html>`;

const TYPES: Readonly<Record<string, string>> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.map': 'application/json' };

/** Where the files the page loads live: Mermaid, its ELK layout, and the compiled finishing code. */
function assetRoots(): Record<string, string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  const nodeModules = join(root, 'node_modules');
  // Compiled: dist/cli/ beside dist/mermaid/. From the sources (tests): the build's dist/mermaid/.
  const lib = [join(here, '..', 'mermaid'), join(root, 'dist', 'mermaid')].find((d) => existsSync(join(d, 'finish.js')));
  if (!lib) throw new MermaidRenderError('dist/mermaid/finish.js is missing: run `npm run build` first');
  const mermaid = join(nodeModules, 'mermaid', 'dist');
  const elk = join(nodeModules, '@mermaid-js', 'layout-elk', 'dist');
  for (const [dir, file] of [[mermaid, 'mermaid.esm.min.mjs'], [elk, 'mermaid-layout-elk.esm.min.mjs']] as const) {
    if (!existsSync(join(dir, file))) throw new MermaidRenderError(`${join(dir, file)} is missing: run \`npm ci\``);
  }
  return { '/mermaid/': mermaid, '/elk/': elk, '/lib/': lib };
}

function serve(roots: Record<string, string>): Promise<Server> {
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      return;
    }
    for (const [prefix, dir] of Object.entries(roots)) {
      if (!url.startsWith(prefix)) continue;
      const file = normalize(join(dir, url.slice(prefix.length)));
      if ((file.startsWith(dir + sep) || file === dir) && existsSync(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

interface PageResult extends FinishedSvg {
  readonly kind: string;
}

/** A page ready to draw, with the errors it logged since its last diagram began. */
interface Worker {
  readonly page: Page;
  readonly errors: string[];
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars'];

async function openWorker(browser: Browser, base: string, timeout: number): Promise<Worker> {
  // Its own context, so that Chromium gives each page its own process and they draw in parallel.
  const context = await browser.newContext({ viewport: { width: 2400, height: 1600 }, deviceScaleFactor: 1 });
  // A large viewport: labels are sampled for contrast where they are drawn (bigger diagrams scroll).
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true, null, { timeout });
  if (errors.length > 0) throw new MermaidRenderError(`the diagram page failed to start: ${errors.join('; ')}`);
  return { page, errors };
}

/**
 * Starts Chromium and its pages (`concurrency`, default 2: diagrams are
 * drawn in parallel, one per page; each page draws one at a time, since
 * Mermaid's configuration is global to a page).
 */
export async function launchMermaidRenderer(options: RendererOptions = {}): Promise<MermaidRenderer> {
  const started = Date.now();
  const timeout = options.timeoutMs ?? 60_000;
  const server = await serve(assetRoots());
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: options.executablePath ?? process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const count = Math.max(1, Math.min(8, options.concurrency ?? 2));
    const workers: Worker[] = [];
    for (let i = 0; i < count; i++) workers.push(await openWorker(browser, base, timeout));
    return makeRenderer(browser, workers, server, timeout, Date.now() - started);
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    throw e;
  }
}

function makeRenderer(browser: Browser, workers: readonly Worker[], server: Server, timeout: number, launchMs: number): MermaidRenderer {
  const idle: Worker[] = [...workers];
  const waiting: Array<(w: Worker) => void> = [];
  const busy = new Set<Promise<unknown>>();
  let closed = false;
  const stats = { renders: 0, ms: 0, launchMs };

  const acquire = (): Promise<Worker> => {
    const w = idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (w: Worker): void => {
    const next = waiting.shift();
    if (next) next(w);
    else idle.push(w);
  };

  const drawOn = async (w: Worker, source: string, theme: DiagramTheme, options: RenderOptions): Promise<RenderedSvg> => {
    const text = normaliseSource(source);
    const id = options.id ?? diagramId(text, theme);
    w.errors.length = 0;
    const t0 = Date.now();
    let result: PageResult;
    try {
      result = await withTimeout(
        w.page.evaluate(
          ([src, config, svgId, background]) =>
            (window as unknown as { __renderDiagram(s: string, c: unknown, i: string, b: string): Promise<PageResult> }).__renderDiagram(src, config, svgId, background),
          [themeSource(text, theme), mermaidConfig(theme), id, THEME_BACKGROUND[theme]] as const,
        ),
        timeout,
        `drawing ${id} took over ${timeout} ms`,
      );
    } catch (e) {
      const message = e instanceof Error ? e.message.replace(/^page\.evaluate: /, '').split('\n')[0]! : String(e);
      throw new MermaidRenderError(`Mermaid could not draw the diagram (${firstLine(text)}): ${message}`);
    }
    if (w.errors.length > 0) throw new MermaidRenderError(`Mermaid logged errors while drawing ${id}: ${w.errors.join('; ')}`);
    stats.renders++;
    stats.ms += Date.now() - t0;
    return { id, theme, svg: result.svg, width: result.width, height: result.height, recoloured: result.recoloured, minFontPx: result.minFontPx, kind: result.kind };
  };

  const render = async (source: string, theme: DiagramTheme, options: RenderOptions = {}): Promise<RenderedSvg> => {
    if (closed) throw new MermaidRenderError('the renderer is closed');
    const w = await acquire();
    const job = drawOn(w, source, theme, options);
    busy.add(job);
    try {
      return await job;
    } finally {
      busy.delete(job);
      release(w);
    }
  };

  return {
    render,
    renderThemes: (source, options = {}) => renderBothThemes(render, source, options),
    get stats() {
      return { ...stats };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...busy]);
      await browser.close().catch(() => undefined);
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function firstLine(source: string): string {
  const line = source.split('\n').find((l) => l.trim() !== '' && l.trim() !== '---' && !/^\s*(config|title):/.test(l)) ?? '';
  return line.trim().slice(0, 60);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MermaidRenderError(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- one renderer for a whole process (notebooks) ---------------------------

let shared: Promise<MermaidRenderer> | null = null;
let idleTimer: NodeJS.Timeout | undefined;
const IDLE_MS = 15_000;

/**
 * A renderer shared by every caller in this process, started on first use
 * and closed after 15 s without a diagram (so a script that used it can
 * exit, and a notebook kernel does not keep a browser forever).
 */
export function sharedMermaidRenderer(): Promise<MermaidRenderer> {
  if (!shared) {
    shared = launchMermaidRenderer();
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/** Closes the shared renderer now, if one is running. */
export async function closeSharedMermaidRenderer(): Promise<void> {
  clearTimeout(idleTimer);
  const current = shared;
  shared = null;
  if (current) await (await current).close();
}

/** One diagram as SVG text in one theme, with the shared renderer. */
export async function renderMermaidSvg(source: string, theme: DiagramTheme = 'light'): Promise<string> {
  const renderer = await sharedMermaidRenderer();
  clearTimeout(idleTimer);
  try {
    return (await renderer.render(source, theme)).svg;
  } finally {
    idleTimer = setTimeout(() => void closeSharedMermaidRenderer(), IDLE_MS);
    idleTimer.unref();
  }
}
