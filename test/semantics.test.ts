import { describe, expect, it } from 'vitest';
import { buildProgram, parseLitmus } from '../src/index.js';
import type { Term } from '../src/events/terms.js';

const program = (text: string) => buildProgram(parseLitmus(text, 'inline.litmus'));

const showTerm = (t: Term): string => {
  switch (t.kind) {
    case 'const': return typeof t.value === 'number' ? String(t.value) : 'address' in t.value ? `&${t.value.address}` : `S${t.value.symbol}`;
    case 'read': return `v${t.index}`;
    case 'binary': return `(${showTerm(t.left)} ${t.op} ${showTerm(t.right)})`;
    default: return `${t.kind}(${showTerm(t.operand)})`;
  }
};

type RunLike = {
  events: readonly { kind: string; location: string | null; value: Term | null }[];
  constraints: readonly { term: Term; holds: boolean }[];
};

const describeRun = (run: RunLike): string =>
  run.events.map((e) => `${e.kind} ${e.location ?? ''}${e.value === null ? '' : `=${showTerm(e.value)}`}`.trim()).join(', ') +
  (run.constraints.length > 0 ? ` | ${run.constraints.map((c) => `${c.holds ? '' : '!'}${showTerm(c.term)}`).join(', ')}` : '');

describe('thread semantics', () => {
  const test = `C deps
{}
P0(int *x, int *y, int *z)
{
  int r0 = READ_ONCE(*x);
  if (r0 == 1)
    WRITE_ONCE(*y, r0);
  WRITE_ONCE(*z, 1);
}
P1(int *x) { WRITE_ONCE(*x, 1); }
exists (0:r0=1)
`;

  it('makes one run per control path, each assuming its branch condition', () => {
    expect(program(test).runs[0]!.map(describeRun)).toEqual([
      'R x=v0, W y=v0, W z=1 | (v0 == 1)',
      'R x=v0, W z=1 | !(v0 == 1)',
    ]);
  });

  it('records data and control dependencies, the latter only inside the branch', () => {
    const run = program(test).runs[0]![0]!;
    expect(run.data).toEqual([[0, 1]]);
    expect(run.ctrl).toEqual([[0, 1]]);
    expect(run.addr).toEqual([]);
  });

  it('splits an access through a pointer read from memory by the location it may name', () => {
    const p = program(`C addr
{ p=a; }
P0(int *p, int *a, int *b) { int *r1 = READ_ONCE(*p); int r2 = READ_ONCE(*r1); }
P1(int *p, int *b) { WRITE_ONCE(*p, b); }
exists (0:r2=0)
`);
    // p only ever holds &a or &b: the runs through p, or through an integer, are impossible and left out.
    expect(p.runs[0]!.map(describeRun)).toEqual([
      'R p=v0, R a=v1 | (v0 == &a)',
      'R p=v0, R b=v1 | (v0 == &b)',
    ]);
    expect(p.runs[0]![1]!.addr).toEqual([[0, 1]]);
  });

  it('keeps a run that stops at an access through a pointer that may hold an integer', () => {
    const p = program(`C addr-integer
{ p=a; }
P0(int *p, int *a) { int *r1 = READ_ONCE(*p); int r2 = READ_ONCE(*r1); }
P1(int *p) { WRITE_ONCE(*p, 1); }
exists (0:r2=0)
`);
    expect(p.runs[0]!.map(describeRun)).toEqual(['R p=v0, R a=v1 | (v0 == &a)', 'R p=v0 | integer(v0)']);
    expect(p.runs[0]![1]!.fault?.pos).toEqual({ line: 3, col: 66, offset: 89 });
  });

  it('splits a cmpxchg into a read and, when it succeeds, a write', () => {
    const p = program(`C cas
{}
P0(int *x) { int r0 = cmpxchg(x, 0, 1); }
P1(int *x) { WRITE_ONCE(*x, 2); }
exists (0:r0=0)
`);
    expect(p.runs[0]!.map(describeRun)).toEqual(['R x=v0, W x=1 | (v0 == 0)', 'R x=v0 | !(v0 == 0)']);
    expect(p.runs[0]![0]!.rmw).toEqual([[0, 1]]);
    expect([...p.runs[0]![1]!.events[0]!.tags].sort()).toEqual(['mb', 'rmw']);
  });

  it('computes atomic arithmetic on the value read', () => {
    const p = program(`C inc
{}
P0(atomic_t *v) { int r0 = atomic_fetch_add_release(2, v); }
exists (v=2)
`);
    expect(p.runs[0]!.map(describeRun)).toEqual(['R v=v0, W v=(v0 + 2)']);
    expect([...p.runs[0]![0]!.events[1]!.tags].sort()).toEqual(['release', 'rmw']);
  });

  it('turns spin_lock and spin_unlock into lock events', () => {
    const p = program(`C lock
{}
P0(spinlock_t *l, int *x) { spin_lock(l); WRITE_ONCE(*x, 1); spin_unlock(l); }
exists (x=1)
`);
    expect(p.runs[0]!.map(describeRun)).toEqual(['LKR l=0, LKW l=1, W x=1, UL l=0']);
  });
});
