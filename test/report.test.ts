import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notebook, parseLitmus, reviewReport, VerdictMismatch } from '../src/index.js';
import { validateMermaid } from './mermaid-validate.js';

const v1 = parseLitmus(readFileSync(new URL('../litmus/swiotlb/v1-three-cpus.litmus', import.meta.url), 'utf8'), 'v1-three-cpus.litmus');

describe('review reports', () => {
  it('writes Markdown with a Mermaid diagram that Mermaid parses', async () => {
    const md = reviewReport(v1, { format: 'md' });
    expect(md.split('\n')[0]).toBe('# v1-three-cpus');
    expect(md).toContain('**Linux-kernel memory model:** the outcome `2:r1=1 /\\ (2:r2=0 \\/ 2:r3=oldpool)` **can happen**: Sometimes (1 of 8 allowed executions).');
    expect(md).toContain('| P1 | 51 | `smp_wmb` | Sometimes | smp_mb: Never | removing it changes nothing: the outcome is Sometimes with or without it; must be strengthened to smp_mb to forbid the outcome |');
    const diagram = md.split('```mermaid\n')[1]!.split('\n```')[0]!;
    expect(await validateMermaid(diagram)).toBe('flowchart-v2');
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

  it('takes the text raw, as in a .litmus file: /\\ and \\/ need no escaping', () => {
    const t = nb.litmus`
      C MP-or
      {}
      P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
      P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
      exists (1:r0=1 /\ 1:r1=0 \/ 1:r0=2)`;
    expect(nb.expectVerdict(t, 'Never').positive).toBe(0);
  });

  it('shows the verdict, explanation and diagram, and checks the stated verdict', () => {
    expect(nb.show(mp, { expect: 'Never' })).toBeUndefined(); // nothing for a kernel to print after the Markdown
    expect(nb.expectVerdict(mp, 'Never').observation).toBe('Never');
    expect(shown.at(-1)!.split('\n')[0]).toBe('### MP');
    expect(shown.at(-1)).toContain('```mermaid');
  });

  it('names the flags under the verdict, and checks the stated ones', () => {
    const racy = nb.litmus`
      C MP-plain
      {}
      P0(int *x, int *y) { *x = 1; smp_wmb(); WRITE_ONCE(*y, 1); }
      P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
      exists (1:r0=1 /\ 1:r1=0)`;
    nb.show(racy, { expect: 'Never', flags: ['data-race'] });
    expect(shown.at(-1)).toContain('Flagged: `data-race`');
    expect(() => nb.show(racy, { expect: 'Never', flags: [] })).toThrow(VerdictMismatch);
  });

  it('fails the cell when the stated verdict is wrong', () => {
    expect(() => nb.show(mp, { expect: 'Sometimes' })).toThrow(VerdictMismatch);
    expect(() => nb.show(mp, { expect: 'Sometimes' })).toThrow('MP: expected Sometimes, the Linux-kernel memory model says Never (0 of 3)');
  });
});
