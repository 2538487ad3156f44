import { describe, expect, it } from 'vitest';
import { buildProgram, candidates, checkModel, lkmm, parseLitmus } from '../src/index.js';
import { evaluateCondition } from './conditions.js';
import { observation } from './helpers.js';

/** The axioms that forbid the candidate executions satisfying the condition. */
function forbiddenBy(text: string): string[] {
  const test = parseLitmus(text, 'inline.litmus');
  const names = new Set<string>();
  for (const x of candidates(buildProgram(test))) {
    if (!evaluateCondition(test, x)) continue;
    const v = checkModel(lkmm, x, false);
    names.add(v.allowed ? 'allowed' : v.violated!.name);
  }
  return [...names].sort();
}

const MP = (writer: string, reader: string) => `C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); ${writer} }
P1(int *x, int *y) { int r0; int r1; ${reader} }
exists (1:r0=1 /\\ 1:r1=0)
`;

describe('the LKMM', () => {
  it('allows MP without barriers', () => {
    expect(observation(MP('WRITE_ONCE(*y, 1);', 'r0 = READ_ONCE(*y); r1 = READ_ONCE(*x);'))).toBe('Sometimes 1 3');
  });

  it('forbids MP with smp_wmb() and smp_rmb(), by happens-before', () => {
    const text = MP('smp_wmb(); WRITE_ONCE(*y, 1);', 'r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x);');
    expect(observation(text)).toBe('Never 0 3');
    expect(forbiddenBy(text)).toEqual(['happens-before']);
  });

  it('forbids MP with release and acquire', () => {
    expect(observation(MP('smp_store_release(y, 1);', 'r0 = smp_load_acquire(y); r1 = READ_ONCE(*x);'))).toBe('Never 0 3');
  });

  it('forbids SB with smp_mb() on both sides, by propagation', () => {
    const text = `C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`;
    expect(observation(text)).toBe('Never 0 3');
    expect(forbiddenBy(text)).toEqual(['propagation']);
  });

  it('forbids reading values out of order from one location, by coherence', () => {
    const text = `C CoRR
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x) { int r0 = READ_ONCE(*x); int r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
`;
    expect(observation(text)).toBe('Never 0 3');
    expect(forbiddenBy(text)).toEqual(['coherence']);
  });

  it('keeps atomic increments atomic', () => {
    const text = `C inc
{}
P0(atomic_t *v) { atomic_inc(v); }
P1(atomic_t *v) { atomic_inc(v); }
exists (v=1)
`;
    expect(observation(text)).toBe('Never 0 2');
    expect(forbiddenBy(text)).toEqual(['atomic']);
  });

  it('makes a grace period wait for a read-side critical section, by the rcu axiom', () => {
    const text = `C RCU
{}
P0(int *x, int *y) { int r0; int r1; rcu_read_lock(); r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); rcu_read_unlock(); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); synchronize_rcu(); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\\ 0:r1=0)
`;
    expect(observation(text)).toBe('Never 0 3');
    expect(forbiddenBy(text)).toEqual(['rcu']);
  });

  it('lets spinlocks order critical sections', () => {
    const text = `C locks
{}
P0(int *x, int *y, spinlock_t *l) { spin_lock(l); WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); spin_unlock(l); }
P1(int *x, int *y, spinlock_t *l) { int r0; int r1; spin_lock(l); r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); spin_unlock(l); }
exists (1:r0=1 /\\ 1:r1=0)
`;
    expect(observation(text)).toBe('Never 0 2');
  });

  it('makes an unlock+lock pair a full barrier after smp_mb__after_unlock_lock()', () => {
    const sb = (fence: string) => `C SB+unlock-lock
{}
P0(int *x, int *y, spinlock_t *s) { int r0; spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); spin_lock(s); ${fence} r0 = READ_ONCE(*y); spin_unlock(s); }
P1(int *x, int *y) { int r1; WRITE_ONCE(*y, 1); smp_mb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r1=0)
`;
    expect(observation(sb(''))).toBe('Sometimes 1 3');
    expect(observation(sb('smp_mb__after_unlock_lock();'))).toBe('Never 0 3');
  });

  it('flags a data race between plain accesses', () => {
    const text = `C race
{}
P0(int *x) { *x = 1; }
P1(int *x) { int r0 = *x; }
exists (1:r0=1)
`;
    const result = checkTextFlags(text);
    expect(result).toEqual(['data-race']);
  });
});

import { checkText } from './helpers.js';
function checkTextFlags(text: string): readonly string[] {
  return checkText(text).flags;
}
