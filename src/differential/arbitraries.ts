/**
 * fast-check arbitraries for generated litmus tests (see `plan.ts`).
 *
 * They cover, in combination: every memory primitive of the primitive table
 * (marked and plain loads and stores, release/acquire, every fence, every
 * RMW family with failing `cmpxchg()` included, spinlocks with
 * `spin_trylock()` and `spin_is_locked()`, RCU, SRCU with
 * `srcu_down_read()`/`srcu_up_read()` across CPUs, the `smp_mb__*()`
 * fences), address, data and control dependencies, pointer-valued
 * locations and registers, `if`/`else`, `filter`, `locations`, and
 * `exists` / `~exists` / `forall` over `/\`, `\/` and `~`, on 2 to 5 CPUs.
 * Shrinking makes a failing test smaller: fewer CPUs and statements, then
 * smaller numbers (so earlier registers, the first locations, constants).
 */

import fc from 'fast-check';
import { PRIMITIVES } from '../litmus/primitives.js';
import type { FencePrimitive, LoadPrimitive, PropPlan, StatementPlan, StorePrimitive, TestPlan, ValuePlan } from './plan.js';

/** Every RMW primitive of the table: the xchg and cmpxchg families, the atomic_*() operations, atomic_add_unless(). */
export const RMW_PRIMITIVES: readonly string[] = [...PRIMITIVES.values()]
  .filter((p) => p.shape.kind === 'xchg' || p.shape.kind === 'cmpxchg' || p.shape.kind === 'atomic' || p.shape.kind === 'addUnless')
  .map((p) => p.name);

const LOADS: readonly LoadPrimitive[] = ['READ_ONCE', 'smp_load_acquire', 'plain', 'atomic_read', 'atomic_read_acquire', 'rcu_dereference'];
const STORES: readonly StorePrimitive[] = ['WRITE_ONCE', 'smp_store_release', 'plain', 'atomic_set', 'atomic_set_release', 'smp_store_mb', 'rcu_assign_pointer'];
const FENCES: readonly FencePrimitive[] = [
  'smp_mb', 'smp_rmb', 'smp_wmb', 'barrier',
  'smp_mb__before_atomic', 'smp_mb__after_atomic', 'smp_mb__after_spinlock', 'smp_mb__after_unlock_lock',
];

const small = (max: number): fc.Arbitrary<number> => fc.integer({ min: 0, max });
const location = small(3);
const register = small(7);
const constantValue = fc.integer({ min: 1, max: 3 });
/** A register for a dependency, one time in five. */
const maybeRegister: fc.Arbitrary<number | null> = fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: register, weight: 1 });

/** Mostly the first, rarer the later ones: marked accesses are the common case. */
function weighted<T>(items: readonly T[], weights: readonly number[]): fc.Arbitrary<T> {
  return fc.oneof(...items.map((item, k) => ({ arbitrary: fc.constant(item), weight: weights[k] ?? 1 })));
}

const valuePlan: fc.Arbitrary<ValuePlan> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('const' as const), value: constantValue }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant('reg' as const), reg: register, shape: fc.constantFrom('copy' as const, 'plus' as const, 'mask' as const, 'equals' as const), value: constantValue }),
    weight: 1,
  },
);

/** Statements that contain no others. */
const simpleStatement: fc.Arbitrary<StatementPlan> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('load' as const), primitive: weighted(LOADS, [8, 3, 3, 1, 1, 1]), loc: location, addrDep: maybeRegister }),
    weight: 10,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('store' as const), primitive: weighted(STORES, [8, 3, 3, 1, 1, 1, 1]), loc: location, value: valuePlan, addrDep: maybeRegister }),
    weight: 10,
  },
  { arbitrary: fc.record({ kind: fc.constant('fence' as const), primitive: weighted(FENCES, [4, 3, 3, 1, 1, 1, 1, 1]) }), weight: 5 },
  {
    arbitrary: fc.record({ kind: fc.constant('rmw' as const), primitive: fc.constantFrom(...RMW_PRIMITIVES), loc: location, operand: valuePlan, expected: small(2) }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant('isLocked' as const), lock: small(1) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      primitive: weighted(['synchronize_rcu', 'synchronize_srcu', 'synchronize_rcu_expedited', 'synchronize_srcu_expedited'] as const, [4, 2, 1, 1]),
      domain: small(1),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('srcuHandOff' as const), domain: small(1), loc: location }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('srcuTakeOver' as const), domain: small(1), loc: location }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('publish' as const), primitive: fc.constantFrom('rcu_assign_pointer' as const, 'WRITE_ONCE' as const, 'smp_store_release' as const), pointer: small(1), target: location }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('deref' as const),
      primitive: weighted(['rcu_dereference', 'READ_ONCE', 'smp_load_acquire'] as const, [3, 1, 1]),
      pointer: small(1),
      then: weighted(['read', 'write', 'release', 'publish', 'none'] as const, [3, 2, 1, 1, 1]),
      value: constantValue,
      cast: weighted([false, true], [2, 1]),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('unpaired' as const), primitive: fc.constantFrom('spin_lock' as const, 'spin_unlock' as const, 'rcu_read_lock' as const, 'rcu_read_unlock' as const), lock: small(1) }), weight: 1 },
);

const body = fc.array(simpleStatement, { minLength: 1, maxLength: 2 });

/** Any statement: a simple one, or a branch or critical section around simple ones. */
export const statementPlan: fc.Arbitrary<StatementPlan> = fc.oneof(
  { arbitrary: simpleStatement, weight: 12 },
  {
    arbitrary: fc.record({
      kind: fc.constant('if' as const),
      reg: register,
      test: fc.constantFrom('truthy' as const, 'not' as const, 'equals' as const, 'differs' as const),
      value: small(2),
      then: body,
      otherwise: fc.oneof({ arbitrary: fc.constant(null), weight: 1 }, { arbitrary: body, weight: 1 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('critical' as const), lock: small(1), how: weighted(['lock', 'trylock'] as const, [3, 1]), afterLock: fc.boolean(), body }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('rcuReader' as const), body }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('srcuReader' as const), domain: small(1), down: fc.boolean(), afterUnlock: fc.boolean(), body }), weight: 1 },
);

const observable = small(15);

function propPlan(depth: number): fc.Arbitrary<PropPlan> {
  const atom = fc.record({ kind: fc.constant('atom' as const), observable, value: small(3), negated: fc.boolean(), bare: weighted([false, true], [3, 1]) });
  if (depth === 0) return atom;
  const sub = propPlan(depth - 1);
  return fc.oneof(
    { arbitrary: atom, weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('and' as const), left: sub, right: sub }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('or' as const), left: sub, right: sub }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('not' as const), operand: sub }), weight: 1 },
    { arbitrary: fc.record({ kind: fc.constant('implies' as const), left: sub, right: sub }), weight: 1 },
  );
}

/**
 * n CPUs, up to three statements each (fewer the more CPUs there are), so
 * that herd7 checks most tests in well under a second.
 */
function threads(n: number): fc.Arbitrary<StatementPlan[][]> {
  const most = n <= 2 ? 4 : n === 3 ? 3 : 2;
  return fc.array(fc.array(statementPlan, { minLength: 1, maxLength: most }), { minLength: n, maxLength: n });
}

export const testPlan: fc.Arbitrary<TestPlan> = fc.record({
  threads: fc.oneof(
    { arbitrary: threads(2), weight: 4 },
    { arbitrary: threads(3), weight: 3 },
    { arbitrary: threads(4), weight: 2 },
    { arbitrary: threads(5), weight: 1 },
  ),
  init: fc.array(fc.tuple(location, constantValue), { maxLength: 2 }),
  registerInit: fc.oneof({ arbitrary: fc.constant([] as Array<[number, number, number]>), weight: 6 }, { arbitrary: fc.array(fc.tuple(small(4), small(2), constantValue), { minLength: 1, maxLength: 2 }), weight: 1 }),
  pointerInit: fc.array(fc.record({ target: location, style: fc.constantFrom('bare' as const, 'typed' as const) }), { maxLength: 2 }),
  quantifier: weighted(['exists', '~exists', 'forall'] as const, [6, 2, 2]),
  condition: propPlan(2),
  filter: fc.oneof({ arbitrary: fc.constant(null), weight: 6 }, { arbitrary: propPlan(1), weight: 1 }),
  observe: fc.oneof({ arbitrary: fc.constant([] as number[]), weight: 5 }, { arbitrary: fc.array(observable, { minLength: 1, maxLength: 2 }), weight: 1 }),
});
