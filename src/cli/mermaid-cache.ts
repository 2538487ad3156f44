/**
 * A disk cache in front of the Chromium renderer (src/cli/mermaid-svg.ts),
 * for builds that draw the same diagrams again: a diagram drawn before, by
 * the same Mermaid, the same finishing code and the same Chromium, is read
 * back instead of drawn, and Chromium starts only at the first diagram not
 * in the cache. Rendering is deterministic, so a cached SVG is the SVG a
 * fresh render would give. Node only.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagramId, normaliseSource, type DiagramTheme } from '../mermaid/config.js';
import { launchMermaidRenderer, renderBothThemes, type MermaidRenderer, type RenderedSvg, type RendererOptions, type RenderOptions } from './mermaid-svg.js';

export interface CachedRendererOptions extends RendererOptions {
  /** Where cached diagrams are kept (created when missing). */
  readonly cacheDir: string;
}

export interface CacheStats {
  readonly renders: number;
  readonly ms: number;
  readonly launchMs: number;
  /** Diagrams asked for (one per theme), and how many of them the cache answered. */
  readonly requested: number;
  readonly cached: number;
  /** Labels recoloured for contrast, over every diagram asked for. */
  readonly recoloured: number;
}

export interface CachedMermaidRenderer extends MermaidRenderer {
  readonly stats: CacheStats;
}

/** Everything that changes the SVG besides the source: versions and the code that draws and finishes. */
function fingerprint(executablePath: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  const h = createHash('sha256');
  for (const pkg of ['mermaid', '@mermaid-js/layout-elk']) {
    const file = join(root, 'node_modules', pkg, 'package.json');
    h.update(existsSync(file) ? String((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version) : 'missing');
  }
  const lib = [join(here, '..', 'mermaid'), join(root, 'dist', 'mermaid')].find((d) => existsSync(join(d, 'finish.js')));
  const files = [fileURLToPath(import.meta.url), join(here, `mermaid-svg${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`)];
  if (lib) for (const f of readdirSync(lib).filter((n) => n.endsWith('.js')).sort()) files.push(join(lib, f));
  for (const f of files) if (existsSync(f)) h.update(readFileSync(f));
  if (existsSync(executablePath)) {
    const st = statSync(executablePath);
    h.update(`${executablePath}:${st.size}:${st.mtimeMs}`);
  }
  return h.digest('hex');
}

/**
 * A renderer that answers from `cacheDir` when it can and starts Chromium
 * (once) when it cannot; new drawings are added to the cache.
 */
export function cachedMermaidRenderer(options: CachedRendererOptions): CachedMermaidRenderer {
  const executablePath = options.executablePath ?? process.env.CHROMIUM ?? '/usr/bin/chromium';
  const print = fingerprint(executablePath);
  mkdirSync(options.cacheDir, { recursive: true });
  let inner: Promise<MermaidRenderer> | null = null;
  let started: MermaidRenderer | null = null;
  const counts = { requested: 0, cached: 0, recoloured: 0 };
  let closed = false;

  const live = (): Promise<MermaidRenderer> => {
    inner ??= launchMermaidRenderer({ ...options, executablePath }).then((r) => (started = r));
    return inner;
  };

  const render = async (source: string, theme: DiagramTheme, opts: RenderOptions = {}): Promise<RenderedSvg> => {
    if (closed) throw new Error('the renderer is closed');
    counts.requested++;
    const text = normaliseSource(source);
    const id = opts.id ?? diagramId(text, theme);
    const file = join(options.cacheDir, `${createHash('sha256').update(`${print}\0${theme}\0${id}\0${text}`).digest('hex').slice(0, 40)}.json`);
    if (existsSync(file)) {
      try {
        const hit = JSON.parse(readFileSync(file, 'utf8')) as RenderedSvg;
        counts.cached++;
        counts.recoloured += hit.recoloured.length;
        return hit;
      } catch {
        // A damaged entry: draw again.
      }
    }
    const drawn = await (await live()).render(text, theme, { id });
    counts.recoloured += drawn.recoloured.length;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(drawn));
    renameSync(tmp, file);
    return drawn;
  };

  return {
    render,
    renderThemes: (source, opts = {}) => renderBothThemes(render, source, opts),
    get stats(): CacheStats {
      return { renders: 0, ms: 0, launchMs: 0, ...(started?.stats ?? {}), ...counts };
    },
    async close() {
      closed = true;
      if (inner) await (await inner).close();
    },
  };
}
