/**
 * What the enumeration leaves out before any model is asked: combinations
 * of runs whose assumed read values no write could give (support.ts), runs
 * whose own constraints on one read contradict each other (feasible.ts),
 * and executions a filter's register requirements rule out (check.ts).
 * Each must change how much is examined, never what is counted: the counts
 * here are herd7's.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, check, parseLitmus } from '../src/index.js';
import { runCombinations } from '../src/executions/enumerate.js';
import { requiredRegisters } from '../src/verdict/check.js';
import { FAMILIES } from '../src/bench/families.js';

const familyTest = (name: string, n: number) => parseLitmus(FAMILIES.find((f) => f.name === name)!.generate(n).text, `${name}-${n}.litmus`);

describe('combinations of runs some write supports', () => {
  it('passes a pointer along six CPUs in 6 combinations of addresses, not 32', () => {
    const program = buildProgram(familyTest('pointer-chain', 6));
    expect(program.runs.map((r) => r.length)).toEqual([1, 2, 2, 2, 2, 2]);
    expect([...runCombinations(program)].length).toBe(6);
    const r = check(program.test);
    // herd7 7.58: Never 0 6.
    expect([r.observation, r.positive, r.negative]).toEqual(['Never', 0, 6]);
  });

  it("leaves out a run assuming a read sees the initial value its own thread's write hides", () => {
    const text = `C own-write
{}
P0(int *x, int *y)
{
\tint r1;
\tWRITE_ONCE(*x, 2);
\tr1 = READ_ONCE(*x);
\tif (r1 == 0)
\t\tWRITE_ONCE(*y, 1);
}

P1(int *x)
{
\tWRITE_ONCE(*x, 3);
}
exists (y=1 \\/ 0:r1=3)
`;
    const program = buildProgram(parseLitmus(text, 'own-write.litmus'));
    expect(program.runs.map((r) => r.length)).toEqual([2, 1]);
    expect([...runCombinations(program)].length).toBe(1);
    const r = check(program.test);
    // herd7 7.58: Sometimes 1 2.
    expect([r.observation, r.positive, r.negative]).toEqual(['Sometimes', 1, 2]);
  });

  it('keeps a combination whose assumed value a computed write may store', () => {
    // P1 stores r0 + 1, a value unknown until P0's read is chosen: P2's branch on 2 stays possible.
    const text = `C computed
{}
P0(int *x, int *y)
{
\tint r0;
\tr0 = READ_ONCE(*x);
\tWRITE_ONCE(*y, r0 + 1);
}

P1(int *x)
{
\tWRITE_ONCE(*x, 1);
}

P2(int *y)
{
\tint r1;
\tr1 = READ_ONCE(*y);
\tif (r1 == 2)
\t\tr1 = 5;
}
exists (2:r1=5)
`;
    const r = check(parseLitmus(text, 'computed.litmus'));
    // herd7 7.58: Sometimes 1 3.
    expect([r.observation, r.positive, r.negative]).toEqual(['Sometimes', 1, 3]);
  });
});

describe('runs whose constraints on one read cannot all hold', () => {
  it('leaves two runs per thread of a cmpxchg_acquire() lock: succeeded and entered, failed and stayed out', () => {
    expect(buildProgram(familyTest('ring-cmpxchg_acquire', 4)).runs.map((r) => r.length)).toEqual([2, 2, 2, 2]);
  });
});

describe("a filter's register requirements", () => {
  const text = (filter: string): string => `C f
{}
P0(int *x)
{
\tint r1;
\tint r2;
\tr1 = READ_ONCE(*x);
\tr2 = READ_ONCE(*x);
}

P1(int *x)
{
\tWRITE_ONCE(*x, 1);
}
filter ${filter}
exists (0:r1=1)
`;
  const required = (filter: string) => {
    const test = parseLitmus(text(filter), 'f.litmus');
    return requiredRegisters(test.filter!, buildProgram(test), []);
  };

  it('are the top-level conjuncts that give a register a value, or deny it one', () => {
    expect(required('(0:r1=1 /\\ ~(0:r2=0) /\\ (x=1 \\/ 0:r2=2))')).toEqual([
      { thread: 0, register: 'r1', value: 1, equal: true },
      { thread: 0, register: 'r2', value: 0, equal: false },
    ]);
    expect(required('(0:r1=1 \\/ 0:r2=1)')).toEqual([]);
    expect(required('(x=1)')).toEqual([]);
  });

  it('are dropped on interchangeable threads that do not all share them', () => {
    const test = parseLitmus(text('(0:r1=1)'), 'f.litmus');
    expect(requiredRegisters(test.filter!, buildProgram(test), [[0, 2]])).toEqual([]);
    expect(requiredRegisters(test.filter!, buildProgram(test), [[1, 2]])).toEqual([{ thread: 0, register: 'r1', value: 1, equal: true }]);
  });

  it('spare the executions where an acquisition failed: 48 examined for 24 allowed in a ring of four', () => {
    for (const name of ['ring-xchg_acquire', 'ring-cmpxchg_acquire']) {
      const r = check(familyTest(name, 4), { symmetry: false });
      // herd7 7.58: Never 0 24.
      expect([r.observation, r.positive, r.negative, r.candidates]).toEqual(['Never', 0, 24, 48]);
    }
  });

  it('count what the filter keeps, as herd7 does', () => {
    // herd7 7.58: Always 1 0 (the one execution reading 1 twice; reading 1 then 0 breaks coherence anyway).
    const r = check(parseLitmus(text('(0:r1=1 /\\ ~(0:r2=0))'), 'f.litmus'));
    expect([r.observation, r.positive, r.negative]).toEqual(['Always', 1, 0]);
  });
});
