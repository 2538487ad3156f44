import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mermaidSourceBlock, notebook, parseLitmus, reviewReport, VerdictMismatch } from '../src/index.js';
import { validateMermaid } from './mermaid-validate.js';

const v1 = parseLitmus(readFileSync(new URL('../litmus/swiotlb/v1-three-cpus.litmus', import.meta.url), 'utf8'), 'v1-three-cpus.litmus');

describe('review reports', () => {
  it('writes Markdown with a Mermaid diagram that Mermaid parses', async () => {
    const md = reviewReport(v1, { format: 'md' });
    expect(md.split('\n')[0]).toBe('# v1-three-cpus');
    expect(md).toContain('**Linux-kernel memory model:** the outcome `2:r1=1 /\\ (2:r2=0 \\/ 2:r3=oldpool)` **can happen**: Sometimes (1 of 8 allowed executions).');
    expect(md).toContain('| P1 | 51 | `smp_wmb` | Sometimes | smp_mb: Never | without it the verdict holds (Sometimes) but the counts move: 3 of 10 allowed executions have the outcome instead of 1 of 8; must be strengthened to smp_mb to forbid the outcome |');
    const diagram = md.split('```mermaid\n')[1]!.split('\n```')[0]!;
    expect(await validateMermaid(diagram)).toBe('block');
  });

  it('writes plain text within 72 columns for mailing lists', () => {
    const text = reviewReport(v1, { format: 'text' });
    const long = text.split('\n').filter((l) => l.length > 72);
    expect(long).toEqual([]);
    expect(text).toContain('smp_wmb() has no later write on P0: it orders nothing');
  });
});

describe('notebook helpers', () => {
  const shown: string[] = [];
  const nb = notebook({ markdown: (s) => shown.push(s), text: (s) => shown.push(s) });
  const mp = nb.litmus`
    C MP
    {}
    P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
    P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
    exists (1:r0=1 /\ 1:r1=0)`;

  it('draws the cycle through the primitive a cell names with through:', async () => {
    const out: string[] = [];
    const quiet = notebook({ markdown: (s) => out.push(s), text: (s) => out.push(s) }, { svg: 'none' });
    const v3 = parseLitmus(readFileSync(new URL('../litmus/swiotlb/v3-three-cpus-mb.litmus', import.meta.url), 'utf8'), 'v3-three-cpus-mb.litmus');
    await quiet.show(v3, { expect: 'Never', sections: ['why'], through: { cpu: 1, primitive: 'smp_mb', insteadOf: 'smp_wmb' } });
    const first = out.join('\n').split('#1 breaks')[1]!.split('#2')[0]!.replace(/\s+/g, ' ');
    expect(first).toContain('P1 line 39: smp_mb() orders the read of pools (line 35) before the write of buf (line 40) [smp_mb]');
    expect(() => quiet.show(v3, { through: { cpu: 0, primitive: 'smp_mb' } })).toThrow('P0 has no call of smp_mb()');
  });

  it('takes the text raw, as in a .litmus file: /\\ and \\/ need no escaping', () => {
    const t = nb.litmus`
      C MP-or
      {}
      P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
      P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
      exists (1:r0=1 /\ 1:r1=0 \/ 1:r0=2)`;
    expect(nb.expectVerdict(t, 'Never').positive).toBe(0);
  });

  it('shows the verdict, explanation and diagram, and checks the stated verdict', async () => {
    await expect(nb.show(mp, { expect: 'Never' })).resolves.toBeUndefined(); // nothing for a kernel to print after the outputs
    expect(nb.expectVerdict(mp, 'Never').observation).toBe('Never');
    // A display without svg(): the diagram stays Mermaid source in the Markdown.
    expect(shown.at(-1)!.split('\n')[0]).toBe('### MP');
    expect(shown.at(-1)).toContain('```mermaid');
  });

  it('with a renderer, shows each diagram as an SVG output followed by its collapsed Mermaid source', async () => {
    const outputs: Array<[string, string]> = [];
    const drawn: string[] = [];
    const display = { markdown: (s: string) => outputs.push(['markdown', s]), text: (s: string) => outputs.push(['text', s]), svg: (s: string) => outputs.push(['svg', s]) };
    const withSvg = notebook(display, { svg: async (source) => (drawn.push(source), `<svg id="x"><text>${drawn.length}</text></svg>`) });
    await withSvg.show(mp, { expect: 'Never', sections: ['verdict', 'diagram', 'herd'] });
    expect(outputs.map(([kind]) => kind)).toEqual(['markdown', 'svg', 'markdown', 'markdown']);
    expect(outputs[0]![1].split('\n')[0]).toBe('### MP');
    expect(outputs[0]![1]).not.toContain('```mermaid');
    expect(outputs[1]![1]).toBe('<svg id="x"><text>1</text></svg>');
    expect(outputs[2]![1]).toBe(mermaidSourceBlock(drawn[0]!));
    expect(outputs[2]![1]).toMatch(/^<details>\n<summary>Mermaid source<\/summary>\n\n```mermaid\n[\s\S]+\n```\n\n<\/details>$/);
    expect(outputs[3]![1]).toContain('herd7-compatible output');
    // 'none' keeps the Markdown as it was.
    const plain: string[] = [];
    await notebook({ markdown: (s) => plain.push(s), text: () => undefined, svg: () => undefined }, { svg: 'none' }).show(mp, { expect: 'Never' });
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain('```mermaid');
  });

  it('names the flags under the verdict, and checks the stated ones', () => {
    const racy = nb.litmus`
      C MP-plain
      {}
      P0(int *x, int *y) { *x = 1; smp_wmb(); WRITE_ONCE(*y, 1); }
      P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
      exists (1:r0=1 /\ 1:r1=0)`;
    void nb.show(racy, { expect: 'Never', flags: ['data-race'] });
    expect(shown.at(-1)).toContain('Flagged: `data-race`');
    expect(() => nb.show(racy, { expect: 'Never', flags: [] })).toThrow(VerdictMismatch);
  });

  it('fails the cell when the stated verdict is wrong', () => {
    expect(() => nb.show(mp, { expect: 'Sometimes' })).toThrow(VerdictMismatch);
    expect(() => nb.show(mp, { expect: 'Sometimes' })).toThrow('MP: expected Sometimes, the Linux-kernel memory model says Never (0 of 3)');
  });
});
