import { describe, expect, it } from 'vitest';
import { check, executionsByState, parseLitmus, showValue } from '../src/index.js';

const MP = parseLitmus(`C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
`, 'MP.litmus');

describe('executionsByState', () => {
  it('lists every allowed execution under the final state it ends in, in herd7 order', () => {
    const groups = executionsByState(check(MP, { keepExecutions: true }));
    const shown = groups.map((g) => `${g.state.values.map(([l, v]) => `${l}=${showValue(v)}`).join(' ')}: ${g.executions.length}${g.state.satisfies ? ' *' : ''}`);
    expect(shown).toEqual(['1:r0=0 1:r1=0: 1', '1:r0=0 1:r1=1: 1', '1:r0=1 1:r1=0: 1 *', '1:r0=1 1:r1=1: 1']);
    // Each execution ends where it is listed: P1's registers read back from the execution itself.
    for (const g of groups) {
      for (const x of g.executions) expect([...x.registers[1]!.entries()].map(([r, v]) => `1:${r}=${showValue(v)}`).sort()).toEqual(g.state.values.map(([l, v]) => `${l}=${showValue(v)}`).sort());
    }
  });

  it('counts executions, not states, where several end alike', () => {
    const test = parseLitmus(`C two-writers
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x) { WRITE_ONCE(*x, 1); }
exists (x=1)
`, 'two-writers.litmus');
    const groups = executionsByState(check(test, { keepExecutions: true }));
    expect(groups.map((g) => g.executions.length)).toEqual([2]);
  });

  it('refuses a result checked without its executions', () => {
    expect(() => executionsByState(check(MP))).toThrow(/keepExecutions: true/);
  });
});
