/**
 * The documentation site states verdicts only through the checker: every
 * litmus test under site/litmus/ states its verdict in its header (as in
 * litmus/README.md), every page the generator writes records what it
 * rendered in a marker `{/* verdict: PATH OBSERVATION P N *\/}`, and every
 * `expect=`/`axiom=` a template claims must hold. Any disagreement with
 * `check` fails here. Also: the notebook converter on a fixture.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, diagramId, explainOutcome, parseLitmus, type DiagramTheme } from '../src/index.js';

/** A stand-in for the Chromium renderer: a tiny SVG with the right id, so the generator's plumbing runs without a browser. */
const fakeRenderer = {
  drawn: [] as string[],
  async render(source: string, theme: DiagramTheme) {
    this.drawn.push(`${theme}:${source.split('\n')[0]}`);
    const id = diagramId(source, theme);
    return { id, theme, svg: `<svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>${theme}</text></svg>`, width: 10, height: 10, recoloured: [], minFontPx: 16, kind: 'test' };
  },
  async renderThemes(source: string) {
    return { light: await this.render(source, 'light'), dark: await this.render(source, 'dark') };
  },
};

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, ext));
    else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

function header(text: string): { result?: string; counts?: string; flags?: string } {
  const start = text.indexOf('(*');
  const body = text.slice(start + 2, text.indexOf('*)', start));
  const field = (name: string) => body.match(new RegExp(`^\\s*\\*?\\s*${name}:\\s*(.+)$`, 'm'))?.[1]?.trim();
  return { result: field('Result'), counts: field('Counts'), flags: field('Flags') };
}

const checked = new Map<string, ReturnType<typeof check>>();
function checkFile(path: string) {
  let r = checked.get(path);
  if (!r) {
    r = check(parseLitmus(readFileSync(join(ROOT, path), 'utf8'), path));
    checked.set(path, r);
  }
  return r;
}

describe('site litmus tests', () => {
  const litmus = files(join(ROOT, 'site/litmus'), '.litmus').map((f) => relative(ROOT, f));
  it('exist', () => expect(litmus.length).toBeGreaterThan(20));
  for (const path of litmus) {
    it(`${path} agrees with its header`, () => {
      const h = header(readFileSync(join(ROOT, path), 'utf8'));
      const r = checkFile(path);
      expect(h.result, 'Result: line').toBe(r.observation);
      expect(h.counts, 'Counts: line').toBe(`Positive ${r.positive} Negative ${r.negative}`);
      expect(h.flags ?? '', 'Flags: line').toBe([...r.flags].join(', '));
    });
  }
});

describe('generated pages', () => {
  let out: string;
  let pages: Array<{ template: string; page: string; records: Array<{ path: string; observation: string; positive: number; negative: number }> }>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'site-pages-'));
    const gen = await import('../scripts/site/generate.mjs');
    pages = await gen.generate({ outDir: join(out, 'docs'), dataDir: join(out, 'data'), staticDir: join(out, 'static'), renderer: fakeRenderer });
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('have a page per barrier, each with a test with and without it', () => {
    const barriers = pages.filter((p) => p.template.startsWith('site/content/barriers/') && !p.template.endsWith('index.md'));
    expect(barriers.length).toBeGreaterThanOrEqual(17);
    for (const p of barriers) expect(p.records.length, p.template).toBeGreaterThanOrEqual(2);
  });

  it('show every diagram as inline SVG in both themes, with a full-size file and the Mermaid source', () => {
    const wmb = readFileSync(join(out, 'docs/barriers/wmb.mdx'), 'utf8');
    expect(wmb).not.toMatch(/^```mermaid$/m);
    const figures = [...wmb.matchAll(/<div className="diagram-host" dangerouslySetInnerHTML=\{\{ __html: ("(?:[^"\\]|\\.)*") \}\} \/>/g)].map((m) => JSON.parse(m[1]!) as string);
    expect(figures.length).toBeGreaterThanOrEqual(2);
    for (const html of figures) {
      const id = /<svg id="(mmd-[a-z0-9]+)-light"/.exec(html)?.[1];
      expect(id, html.slice(0, 200)).toBeDefined();
      expect(html).toContain(`<div class="diagram-light"><svg id="${id}-light"`);
      expect(html).toContain(`<div class="diagram-dark"><svg id="${id}-dark"`);
      expect(html).toContain(`href="/diagrams/${id}-light.svg"`);
      expect(readFileSync(join(out, 'static/diagrams', `${id}-dark.svg`), 'utf8')).toContain(`<svg id="${id}-dark"`);
      expect(html).toMatch(/<details class="diagram-source"><summary>Mermaid source<\/summary><pre><code class="language-mermaid">(flowchart|block-beta|sequenceDiagram|---)/);
    }
    // Notebook pages (CommonMark) carry the figure as raw HTML on one line.
    const nbPage = readFileSync(join(out, 'docs/swiotlb/05-three-cpu-bug.md'), 'utf8');
    expect(nbPage).toMatch(/^<figure class="diagram" data-diagram="[a-z0-9]+">.*<\/figure>$/m);
    expect(nbPage).toContain('href="pathname:///diagrams/');
  });

  it('state only the verdicts the checker gives', () => {
    let markers = 0;
    for (const file of files(join(out, 'docs'), '.mdx')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\{\/\* verdict: (\S+) (Never|Sometimes|Always) (\d+) (\d+) \*\/\}/g)) {
        const r = checkFile(m[1]!);
        expect(`${m[1]} ${m[2]} ${m[3]} ${m[4]}`).toBe(`${m[1]} ${r.observation} ${r.positive} ${r.negative}`);
        markers++;
      }
    }
    expect(markers).toBeGreaterThan(50);
  });

  it("hold the templates' expect= and axiom= claims", () => {
    for (const file of files(join(ROOT, 'site/content'), '.md')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\{\{litmus (\S+)(.*)\}\}$/gm)) {
        const expectWord = m[2]!.match(/expect=(\w+)/)?.[1];
        const axiom = m[2]!.match(/axiom=([\w-]+)/)?.[1];
        if (expectWord) expect(`${m[1]}: ${checkFile(m[1]!).observation}`).toBe(`${m[1]}: ${expectWord}`);
        if (axiom) {
          const ex = explainOutcome(parseLitmus(readFileSync(join(ROOT, m[1]!), 'utf8'), m[1]!));
          expect(ex.forbidden.map((f) => f.violation.axiom.name)).toContain(axiom);
        }
      }
    }
  });
});

describe('notebook converter', () => {
  const nb = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/notebooks/mini.ipynb'), 'utf8'));
  const rewriteLink = (u: string) => (u.endsWith('.ipynb') ? `./${u.replace('.ipynb', '.md')}` : null);

  it('turns a diagram (SVG output, then its Mermaid source) into one figure', async () => {
    const { notebookToMarkdown } = await import('../scripts/site/notebooks.mjs');
    const calls: Array<[string, string | undefined]> = [];
    const figure = async (source: string, recorded?: string) => {
      calls.push([source, recorded]);
      return `<figure>${source.split('\n')[0]}</figure>`;
    };
    const md: string = await notebookToMarkdown(nb, { sidebarPosition: 3, source: 'notebooks/mini.ipynb', rewriteLink, figure });
    // The recorded SVG goes with its source; an old-style ```mermaid fence is drawn from its source alone.
    expect(calls).toEqual([
      ['flowchart TB\n  a --> b\n', undefined],
      ['flowchart TB\n  c --> d\n', '<svg id="mmd-fixture-light" xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">\n<text x="2" y="14">SB</text></svg>'],
    ]);
    expect(md).toContain('### MP\n\n<figure>flowchart TB</figure>');
    expect(md).toContain('An allowed execution with the outcome.\n\n<figure>flowchart TB</figure>');
    expect(md).not.toContain('Mermaid source');
  });

  it('turns cells and outputs into Markdown, Mermaid fences kept without a figure maker', async () => {
    const { notebookToMarkdown } = await import('../scripts/site/notebooks.mjs');
    const md: string = await notebookToMarkdown(nb, { sidebarPosition: 3, source: 'notebooks/mini.ipynb', rewriteLink });
    expect(md).toMatch(/^---\ntitle: "A tiny walkthrough"\nsidebar_position: 3\n/);
    expect(md).toContain('# A tiny walkthrough');
    expect(md).toContain('[the next one](./02-next.md)');
    expect(md).toContain('and the README.');
    expect(md).toContain('```ts\nconst x = 1 + 1;\nx\n```');
    expect(md).toContain('```text\n2\n```');
    expect(md).toContain('### MP\n\n```mermaid\nflowchart TB\n  a --> b\n```');
    expect(md).not.toContain('<markdown>');
    expect(md).toContain('```text\nhello\n```');
    expect(md).toContain('VerdictMismatch: expected Never');
    expect(md).not.toContain('\u001b');
    expect(md).not.toContain('ignored');
  });
});
