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
import { accessRows, barrierRows, check, diagramId, explainOutcome, litmusSourceBlock, lkmm, parseLitmus, type DiagramTheme } from '../src/index.js';

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

  it('link every litmus test to the playground, carrying its exact text', async () => {
    const { testOfFragment } = await import('../site/src/playground/share.js');
    const wmb = readFileSync(join(out, 'docs/barriers/wmb.mdx'), 'utf8');
    const links = [...wmb.matchAll(/^\[Open in the playground\]\(\/playground(#[^)\s]+)\)$/gm)].map((m) => testOfFragment(m[1]!));
    const tests = [...wmb.matchAll(/\{\/\* verdict: (\S+) /g)].map((m) => m[1]!);
    expect(links).toEqual(tests.map((path) => readFileSync(join(ROOT, path), 'utf8')));
    // Every page: one link per litmus code block.
    for (const file of [...files(join(out, 'docs'), '.mdx'), ...files(join(out, 'docs'), '.md')]) {
      const text = readFileSync(file, 'utf8');
      const blocks = (text.match(/^```+c title="[^"]+\.litmus"/gm) ?? []).length;
      const playground = (text.match(/^\[Open in the playground\]\(\/playground#litmus=/gm) ?? []).length;
      expect(`${relative(out, file)}: ${playground}`).toBe(`${relative(out, file)}: ${blocks}`);
    }
  });

  it('show the walkthrough as litmus tests and their results, without the notebooks\' TypeScript', () => {
    const dir = join(out, 'docs/swiotlb');
    const walkthrough = readdirSync(dir).filter((f) => /^\d\d-.*\.md$/.test(f));
    expect(walkthrough.length).toBe(8);
    for (const f of walkthrough) {
      const page = readFileSync(join(dir, f), 'utf8');
      expect(page, f).not.toMatch(/```ts|import \* as tslab|await show\(|expectVerdict\(|variant\(|notebooks:setup/);
      // Sidebar titles are plain text (a title's backticks would show as such).
      expect(page.match(/^title: (.*)$/m)?.[1], f).not.toContain('`');
    }
    const bug = readFileSync(join(dir, '05-three-cpu-bug.md'), 'utf8');
    expect(bug).toMatch(/^### v1-three-cpus\n\n```c title="v1-three-cpus\.litmus" showLineNumbers\nC v1-three-cpus\n/m);
    expect(bug).toContain('title: "05 · The three-CPU bug"');
    const index = readFileSync(join(dir, 'index.md'), 'utf8');
    expect(index).toContain('- [04 · Locks and `schedule_work()`](./04-locks-and-schedule-work.md)');
    expect(index).not.toContain('.ipynb');
  });

  it('define each relation and axiom from the model\'s source, every part linked to a page or an entry that exists', () => {
    const model = join(out, 'docs/model');
    const definitions = readFileSync(join(model, 'definitions.mdx'), 'utf8');
    const anchors = new Set([...definitions.matchAll(/ \{#([A-Za-z0-9-]+)\}$/gm)].map((m) => m[1]!));
    // Every definition with a meaning is listed, in the model's order.
    const listed = [...definitions.matchAll(/^### `([^`]+)` \{#/gm)].map((m) => m[1]!);
    expect(listed).toEqual(lkmm.definitions.filter((d) => d.doc).map((d) => d.name));
    const pages = ['po', 'rf', 'co', 'fr', 'ppo', 'cumul-fence', 'prop', 'hb', 'pb', 'rcu-order', 'rb', 'coherence', 'atomic', 'happens-before', 'propagation', 'rcu', 'plain-coherence', 'data-races'];
    for (const name of pages) {
      const page = readFileSync(join(model, `${name}.mdx`), 'utf8');
      expect(page, name).toMatch(/## Definition\n\n\*\*`[^`]+`\*\*: .+\n\n```ts title="src\/models\/(lkmm|base)\.ts, line \d+"\n/);
      for (const m of page.matchAll(/\]\(\/docs\/model\/([a-z-]+)(?:#([A-Za-z0-9-]+))?\)/g)) {
        if (m[1] === 'definitions') expect(anchors.has(m[2]!), `${name}: #${m[2]}`).toBe(true);
        else expect(pages.includes(m[1]!) || m[1] === 'index', `${name}: ${m[1]}`).toBe(true);
      }
    }
    // Axiom pages split their forbidden cycle into the axiom's own steps.
    const pb = readFileSync(join(model, 'propagation.mdx'), 'utf8');
    expect(pb).toContain('*The propagation axiom (`acyclic pb`) fails on a cycle of 2 pb steps; each step is made of these orderings:*');
    expect(pb).toMatch(/^\| pb 1 \| P\d's read of [xy]=0 \(line \d+\) \| P\d's read of [xy]=0 \(line \d+\) \| `fre` ; `rfe` ; `smp_mb` \| prop \(fre ; rfe\) ; strong fence \(smp_mb\) \|$/m);
    expect(readFileSync(join(model, 'rcu.mdx'), 'utf8')).toContain('`fre` ; `po` ; **grace period** ; `po` ; `rfe` |');
  });

  it('publish the cheat sheet generated from the primitive table', () => {
    const sheet = readFileSync(join(out, 'docs/cheat-sheet.mdx'), 'utf8');
    const rows = sheet.split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.length).toBe(barrierRows().length + accessRows().length);
    expect(rows).toContain('| `smp_wmb();` | stores before stores | — | — | — | ✓ | none |');
    expect(rows.find((r) => r.startsWith('| `smp_load_acquire()`'))).toBe('| `smp_load_acquire()`, `atomic_read_acquire()` | an acquire load | — | — | ✓ | ✓ | n/a |');
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

  it('for the site: leaves out the set-up and the TypeScript, opens the litmus test show() recorded', async () => {
    const { notebookToMarkdown } = await import('../scripts/site/notebooks.mjs');
    const test = 'C MP\n\n{}\n\nP0(int *x) { WRITE_ONCE(*x, 1); }\n\nexists (x=1)\n';
    const site = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# 01 · `smp_wmb()` alone'] },
        { cell_type: 'markdown', metadata: { tags: ['notebook-only'] }, source: ['Setup: imports.'] },
        { cell_type: 'code', metadata: { tags: ['notebook-only'] }, source: ["import * as tslab from 'tslab';"], outputs: [] },
        { cell_type: 'code', metadata: {}, source: ['await show(mp);'], outputs: [{ output_type: 'display_data', data: { 'text/markdown': `### MP\n\n${litmusSourceBlock(test)}\n\n**Verdict:** Always.` } }] },
      ],
      metadata: { kernelspec: { language: 'typescript' } },
    };
    const md: string = await notebookToMarkdown(site, { forSite: true, litmus: (text: string) => `<litmus>${text}</litmus>` });
    expect(md).toMatch(/^---\ntitle: "01 · smp_wmb\(\) alone"\n/);
    expect(md).toContain(`# 01 · \`smp_wmb()\` alone\n\n### MP\n\n<litmus>${test}</litmus>\n\n**Verdict:** Always.`);
    expect(md).not.toMatch(/Setup|tslab|await show|<details>/);
    // The notebook itself (not forSite) keeps all of it.
    const nbMd: string = await notebookToMarkdown(site, {});
    expect(nbMd).toContain('```ts\nawait show(mp);\n```');
    expect(nbMd).toContain('<summary>The litmus test</summary>');
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
