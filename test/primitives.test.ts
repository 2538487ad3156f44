import { describe, expect, it } from 'vitest';
import { buildProgram, check, parseLitmus, PRIMITIVES, type Primitive } from '../src/index.js';

/** A call of the primitive on location x (an atomic_t, spinlock or srcu_struct as it needs). */
function callOf(p: Primitive): string {
  const s = p.shape;
  switch (s.kind) {
    case 'load': return s.argument === 'lvalue' ? `${p.name}(*x)` : `${p.name}(x)`;
    case 'store': return s.srcu ? `${p.name}(x, 0)` : s.argument === 'lvalue' ? `${p.name}(*x, 1)` : `${p.name}(x, 1)`;
    case 'fence': return `${p.name}()`;
    case 'xchg': return `${p.name}(x, 1)`;
    case 'cmpxchg': return `${p.name}(x, 0, 1)`;
    case 'atomic': return s.constant === null ? `${p.name}(1, x)` : `${p.name}(x)`;
    case 'addUnless': return `${p.name}(x, 1, 5)`;
    default: return `${p.name}(x)`;
  }
}

/** The events one call makes, as kinds with their annotations. */
function eventsOf(p: Primitive): string[] {
  const text = `C one-${p.name}\n{}\nP0(int *x) { int r0; r0 = 0; ${callOf(p)}; }\nexists (0:r0=0)\n`;
  const runs = buildProgram(parseLitmus(text, 'inline.litmus')).runs[0]!;
  return runs[0]!.events.map((e) => [e.kind, ...[...e.tags].sort()].join(':'));
}

describe('the primitive table', () => {
  it.each([...PRIMITIVES.values()].map((p) => [p.name, p] as const))('%s parses and makes events', (_name, p) => {
    const events = eventsOf(p);
    expect(events.length).toBeGreaterThan(0);
  });

  it('gives each primitive the events of the kernel definition', () => {
    const table = Object.fromEntries(['READ_ONCE', 'smp_store_release', 'smp_store_mb', 'xchg_acquire', 'cmpxchg_release', 'atomic_inc', 'atomic_fetch_add_relaxed', 'atomic_add_unless', 'spin_lock', 'spin_trylock', 'spin_is_locked', 'srcu_read_lock', 'srcu_up_read', 'synchronize_srcu', 'smp_mb__after_unlock_lock'].map((n) => [n, eventsOf(PRIMITIVES.get(n)!)]));
    expect(table).toEqual({
      READ_ONCE: ['R:once'],
      smp_store_release: ['W:release'],
      smp_store_mb: ['W:once', 'F:mb'],
      xchg_acquire: ['R:acquire:rmw', 'W:acquire:rmw'],
      cmpxchg_release: ['R:release:rmw', 'W:release:rmw'],
      atomic_inc: ['R:noreturn:rmw', 'W:noreturn:rmw'],
      atomic_fetch_add_relaxed: ['R:once:rmw', 'W:once:rmw'],
      atomic_add_unless: ['R:mb:rmw', 'W:mb:rmw'],
      spin_lock: ['LKR', 'LKW'],
      spin_trylock: ['LKR', 'LKW'],
      spin_is_locked: ['RL'],
      srcu_read_lock: ['R:srcu-lock'],
      srcu_up_read: ['W:srcu-unlock'],
      synchronize_srcu: ['SRCU:sync-srcu'],
      smp_mb__after_unlock_lock: ['F:after-unlock-lock'],
    });
  });

  it('lets atomic_add_unless add unless the value is the given one', () => {
    const text = `C add-unless
{ x=5; }
P0(atomic_t *x) { int r0 = atomic_add_unless(x, 1, 5); int r1 = atomic_add_unless(x, 1, 7); }
exists (0:r0=0 /\\ 0:r1=1 /\\ x=6)
`;
    const r = check(parseLitmus(text, 'inline.litmus'));
    expect(r.observation).toBe('Always');
  });

  it('returns the new value from atomic_*_return and tests it in atomic_dec_and_test', () => {
    const text = `C returns
{ x=2; }
P0(atomic_t *x) { int r0 = atomic_add_return(3, x); int r1 = atomic_dec_and_test(x); int r2 = atomic_fetch_sub(4, x); }
exists (0:r0=5 /\\ 0:r1=0 /\\ 0:r2=4 /\\ x=0)
`;
    expect(check(parseLitmus(text, 'inline.litmus')).observation).toBe('Always');
  });
});
