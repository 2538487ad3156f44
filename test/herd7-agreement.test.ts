/**
 * Classes of disagreement with herd7 found outside the conformance corpus
 * (by hand, or by `npm run differential`), each fixed at its cause. Every
 * expected value here is what herd7 7.58 with the kernel's model prints for
 * the same test.
 */
import { describe, expect, it } from 'vitest';
import { herdText, LitmusError } from '../src/index.js';
import { checkText, observation } from './helpers.js';

/** The state lines of a result, in herd7's order. */
function states(text: string): string[] {
  const lines = herdText(checkText(text)).split('\n');
  const at = lines.findIndex((l) => l.startsWith('States '));
  return lines.slice(at + 1, at + 1 + Number(lines[at]!.slice(7)));
}

function refusal(text: string): string {
  try {
    checkText(text);
  } catch (e) {
    if (e instanceof LitmusError) return e.message.split('\n')[0]!;
    throw e;
  }
  throw new Error('the test was accepted');
}

describe('the filter comes first', () => {
  it('raises no data race from an execution the filter drops', () => {
    const text = `C filter-race
{}
P0(int *x, int *y) { *x = 1; smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = *x; }
filter (1:r0=1)
exists (1:r1=0)
`;
    const r = checkText(text);
    expect(`${r.observation} ${r.positive} ${r.negative}`).toBe('Never 0 1');
    expect(r.flags).toEqual([]);
  });

  it('raises no unmatched-SRCU flag from an execution the filter drops', () => {
    // srcu_down_read() on P0 hands its index to P1's srcu_up_read() through x; reading x's initial 5 would leave both unmatched.
    const text = `C filter-srcu
{ x=5; }
P0(struct srcu_struct *s, int *x) { int r0; r0 = srcu_down_read(s); WRITE_ONCE(*x, r0); }
P1(struct srcu_struct *s, int *x) { int r1; r1 = READ_ONCE(*x); srcu_up_read(s, r1); }
filter (1:r1=0)
exists (1:r1=0)
`;
    const r = checkText(text);
    expect(`${r.observation} ${r.positive} ${r.negative}`).toBe('Always 1 0');
    expect(r.flags).toEqual([]);
  });
});

describe('registers', () => {
  it('reads a register in its own declaration as 0', () => {
    const text = `C self-declaration
{}
P0(int *x) { int r1 = READ_ONCE(*x); int r4 = (r1 != r4); if (r4) { WRITE_ONCE(*x, 2); } }
P1(int *x) { WRITE_ONCE(*x, 1); }
exists (0:r1=1 /\\ 0:r4=1)
`;
    expect(observation(text)).toBe('Sometimes 1 1');
    expect(states(text)).toEqual(['0:r1=0; 0:r4=0;', '0:r1=1; 0:r4=1;']);
  });
});

describe('values out of thin air', () => {
  const cycle = (stored: string): string => `C oota
{}
P0(int *x, int *y) { int r0 = *x; WRITE_ONCE(*y, ${stored}); }
P1(int *x, int *y) { int r0 = *y; WRITE_ONCE(*x, r0); }
locations [x; y]
exists (0:r0=0)
`;

  it('keeps a cycle of plain copies, its value a symbol printed first', () => {
    expect(observation(cycle('r0 + 0'))).toBe('Sometimes 3 1');
    expect(states(cycle('r0 + 0')).map((s) => s.replace(/S\d+/g, 'S'))).toEqual(['0:r0=S; [x]=S; [y]=S;', '0:r0=0; [x]=0; [y]=0;']);
  });

  it('drops a cycle through a computation herd7 cannot solve', () => {
    expect(observation(cycle('r0 & 1'))).toBe('Always 3 0');
    expect(observation(cycle('r0 - r0'))).toBe('Always 3 0');
    expect(observation(cycle('r0 | 0'))).toBe('Sometimes 3 1');
  });

  it('solves a cycle through a successful cmpxchg(), which tells what its read returned', () => {
    const text = `C oota-cmpxchg
{}
P0(int *x, int *y) { int r0; r0 = *x; WRITE_ONCE(*y, r0); }
P1(int *x, int *y) { int r1; r1 = cmpxchg_relaxed(y, 5, 6); *x = r1; }
locations [x; y]
exists (0:r0=5)
`;
    expect(observation(text)).toBe('Sometimes 1 3');
    expect(states(text)).toEqual(['0:r0=0; [x]=0; [y]=0;', '0:r0=5; [x]=5; [y]=6;']);
  });

  it('counts the two-CPU cycle through plain reads and a computed store as herd7 does', () => {
    const cpu = (mine: string, other: string, seen: string, told: string): string => `P${mine}(int *x, int *y, int *a, int *b)
{
	int r1; int r2; int r3;
	r1 = READ_ONCE(*${seen});
	smp_rmb();
	r2 = *${other};
	r3 = r1 == 0;
	WRITE_ONCE(*${mine === '0' ? 'a' : 'b'}, (r3 + 1) & r2);
	smp_wmb();
	WRITE_ONCE(*${told}, 1);
}`;
    const text = `C oota-plain
{}
${cpu('0', 'b', 'x', 'y')}
${cpu('1', 'a', 'y', 'x')}
exists (0:r1=1 /\\ 1:r1=1)
`;
    const r = checkText(text);
    expect(`${r.observation} ${r.positive} ${r.negative}`).toBe('Never 0 5');
    expect(states(text)).toEqual(['0:r1=0; 1:r1=0;', '0:r1=0; 1:r1=1;', '0:r1=1; 1:r1=0;']);
    expect(r.flags).toEqual(['data-race']);
  });
});

describe('addresses', () => {
  it('drops an execution that reads through an address past its location', () => {
    const text = `C offset-read
{ y=8; }
P0(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*(x + (r0 & 8))); }
P1(int *y) { WRITE_ONCE(*y, 1); }
exists (0:r0=8)
`;
    expect(observation(text)).toBe('Never 0 1');
  });
});

describe('dereferencing an integer', () => {
  const reader = (guard: string): string => `C deref-integer
{ p=x; }
P0(int *x, int **p) { int *r0; int r1; r0 = smp_load_acquire(p); r1 = READ_ONCE(*x); if (r1 == ${guard}) { r1 = READ_ONCE(*r0); } }
P1(int **p, int *x) { WRITE_ONCE(*x, 5); smp_wmb(); WRITE_ONCE(*p, 1); }
exists (0:r1=0)
`;

  it('refuses a test in which an allowed execution reads through a pointer holding 1', () => {
    expect(refusal(reader('5'))).toBe('inline.litmus:3:116: P0 dereferences 1, which is not the address of a location, in an execution the model allows');
  });

  it('counts the test when only forbidden executions would do it', () => {
    // Reading p=1 but x=0 breaks message passing (smp_wmb() and the acquire): that execution is forbidden.
    expect(observation(reader('0'))).toBe('Sometimes 1 3');
  });

  it('refuses a pointer register used before it holds an address', () => {
    expect(refusal(`C t
{}
P0(int *x) { int *r0; int r1; r1 = READ_ONCE(*r0); }
exists (0:r1=0)
`)).toBe(
      'inline.litmus:3:46: P0 dereferences 0, which is not the address of a location',
    );
  });
});

describe('tests herd7 refuses', () => {
  const body = `P0(int *x) { int r0; r0 = READ_ONCE(*x); }
P1(int *x) { WRITE_ONCE(*x, 1); }`;

  it('refuses a location initialised twice', () => {
    expect(refusal(`C t\n{ x=1; x=2; }\n${body}\nexists (0:r0=1)\n`)).toBe('inline.litmus:2:8: x appears twice in the initial state');
  });

  it('refuses a condition naming a location the test does not otherwise have', () => {
    expect(refusal(`C t\n{}\n${body}\nexists ([z]=0)\n`)).toBe(
      "inline.litmus:5:9: the condition names 'z', which no thread takes as a parameter and the initial state does not mention",
    );
  });

  it('refuses a filter that asks one register for two values', () => {
    expect(refusal(`C t\n{}\n${body}\nfilter (0:r0=0 /\\ ([x]=1 /\\ 0:r0=1))\nexists (0:r0=0)\n`)).toBe(
      'inline.litmus:5:29: the filter asks 0:r0 to be both 0 and 1: no execution can pass it',
    );
  });

  it('accepts the same atoms under a disjunction', () => {
    expect(observation(`C t\n{}\n${body}\nfilter ((0:r0=0 \\/ [x]=1) /\\ 0:r0=1)\nexists (0:r0=0)\n`)).toBe('Never 0 1');
  });
});

describe('dependencies inside read-modify-writes', () => {
  // An SRCU index reaches srcu_read_unlock() through data dependencies and rf: whether the RMW's write depends on
  // something decides whether herd7 matches the lock with the unlock (and flags the different index) or not.
  const handOff = (rmw: string): string[] =>
    checkText(`C rmw-data
{}
P0(struct srcu_struct *s, int *z) { int r0; int r2; r0 = srcu_read_lock(s); WRITE_ONCE(*z, r0); ${rmw}; }
P1(struct srcu_struct *s, int *z) { int r1; r1 = READ_ONCE(*z); srcu_read_unlock(s, r1); }
filter (1:r1=5 \\/ 1:r1=1)
exists (1:r1=5)
`).flags.slice();

  it('gives atomic_*() and atomic_add_unless() a data dependency from the value read to the value written', () => {
    expect(handOff('atomic_inc(z)')).toEqual(['srcu-bad-value-match']);
    expect(handOff('r2 = atomic_add_unless(z, 5, 7)')).toEqual(['srcu-bad-value-match']);
  });

  it('gives the new value an RMW returns the dependencies of its operand too', () => {
    // P0's index reaches x's new value through the operand, then z through xchg(): P1's srcu_up_read() ends P0's section.
    const text = `C rmw-return
{}
P0(int *x, int *z, struct srcu_struct *ss) { int r0; int r1; int r2; r0 = srcu_read_lock(ss); r1 = atomic_sub_and_test(r0, x); r2 = xchg(z, r1); }
P1(int *z, struct srcu_struct *ss) { int r0; r0 = READ_ONCE(*z); srcu_up_read(ss, r0); }
exists (0:r0=0)
`;
    expect(checkText(text).flags).toEqual(['srcu-bad-value-match', 'unmatched-srcu-lock', 'unmatched-srcu-unlock']);
  });

  it('gives xchg() and cmpxchg() none: the new value is not computed from the old', () => {
    expect(handOff('r2 = xchg(z, 5)')).toEqual(['unmatched-srcu-lock', 'unmatched-srcu-unlock']);
    expect(handOff('r2 = cmpxchg(z, r0, 5)')).toEqual(['unmatched-srcu-lock', 'unmatched-srcu-unlock']);
  });
});

describe('the model', () => {
  it('bounds a plain read with nonrw-fence as the model defines it, without rcu-fence', () => {
    // P0's plain read of w sits in a read-side critical section; the grace period on P1 does not make it a race-free,
    // coherence-bound access: linux-kernel.cat adds rcu-fence to fence and strong-fence, not to nonrw-fence.
    const text = `C rcu-plain-bound
{}
P0(int *w, int *x) { int r0; atomic_set(x, 1); rcu_read_lock(); r0 = *w; rcu_read_unlock(); }
P1(int *w, int *x) { int r0; int r2; r0 = READ_ONCE(*w); synchronize_rcu(); r2 = atomic_read_acquire(x); }
P2(int *w) { rcu_assign_pointer(*w, 1); }
exists (0:r0=0 /\\ 1:r0=1 /\\ 1:r2=0)
`;
    const r = checkText(text);
    expect(`${r.observation} ${r.positive} ${r.negative}`).toBe('Sometimes 1 7');
    expect(r.flags).toEqual(['data-race']);
  });
});

describe('smp_mb__after_atomic() and smp_mb__before_atomic()', () => {
  it('make a failed cmpxchg() fully ordered: the model\'s RMW counts every RMW primitive\'s events', () => {
    const text = `C failed-cmpxchg-after-atomic
{}
P0(int *w, int *x) { int r0; r0 = xchg(w, 1); WRITE_ONCE(*x, 1); }
P1(int *w, int *x) { int r0; int r4; r0 = atomic_cmpxchg(x, 0, 1); smp_mb__after_atomic(); r4 = atomic_inc_return_acquire(w); }
exists (0:r0=1 /\\ 1:r0=1)
`;
    expect(observation(text)).toBe('Never 0 3');
  });

  it('do nothing for spin_lock(), which is no RMW primitive', () => {
    const text = `C lock-after-atomic
{}
P0(int *x, int *y, spinlock_t *s) { int r0; WRITE_ONCE(*x, 1); spin_lock(s); smp_mb__after_atomic(); r0 = READ_ONCE(*y); spin_unlock(s); }
P1(int *x, int *y) { int r1; WRITE_ONCE(*y, 1); smp_mb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r1=0)
`;
    expect(observation(text)).toBe('Sometimes 1 3');
  });
});

describe('spinlocks', () => {
  it('lets spin_is_locked() read its own last unlock or another CPU\'s', () => {
    // lock.cat: an RU event reads the last unlock before it on its CPU, or an unlock (or the initial value) from outside.
    const text = `C is-locked
{}
P0(spinlock_t *s) { int r0; spin_lock(s); spin_unlock(s); r0 = spin_is_locked(s); }
P1(spinlock_t *s) { spin_lock(s); spin_unlock(s); }
exists (0:r0=0)
`;
    expect(observation(text)).toBe('Sometimes 3 1');
  });
});

describe("herd7's order of output lines", () => {
  it('prints flags in alphabetical order', () => {
    const text = `C flags
{}
P0(int *x) { *x = 1; WRITE_ONCE(*x, 2); }
P1(int *x) { int r0; r0 = *x; }
exists (1:r0=0)
`;
    expect(checkText(text).flags).toEqual(['data-race', 'mixed-accesses']);
  });
});
