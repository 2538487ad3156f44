/**
 * A generated litmus test, as a plan: plain data that fast-check can build
 * and shrink (`arbitraries.ts`), and that `render.ts` prints as a C litmus
 * test in herd7's format.
 *
 * A plan never names registers or locations directly. It refers to them by
 * number, and the printer resolves each number against what exists at that
 * point (the k-th register defined so far, modulo how many there are; a
 * constant when there is none). So every plan prints as a well-formed test,
 * and a plan with fewer statements or smaller numbers (what shrinking
 * produces) is still one.
 */

/** An integer value: a constant, or one computed from an earlier register (a data dependency). */
export type ValuePlan =
  | { readonly kind: 'const'; readonly value: number }
  /**
   * From the `reg`-th integer register defined so far: `r` (copy), `r + 1`,
   * `(r & 0) + c` (a dependency whose value is always c), `r == c`.
   */
  | { readonly kind: 'reg'; readonly reg: number; readonly shape: 'copy' | 'plus' | 'mask' | 'equals'; readonly value: number };

/** How a statement chooses its shared location: the `loc`-th of the test's integer locations. */
export type LocationRef = number;

export type StatementPlan =
  /** `rN = LOAD(x)`; with `addrDep`, the address depends on that register (`x + (r & 0)`). */
  | { readonly kind: 'load'; readonly primitive: LoadPrimitive; readonly loc: LocationRef; readonly addrDep: number | null }
  | { readonly kind: 'store'; readonly primitive: StorePrimitive; readonly loc: LocationRef; readonly value: ValuePlan; readonly addrDep: number | null }
  | { readonly kind: 'fence'; readonly primitive: FencePrimitive }
  /** An RMW primitive of the table (xchg, cmpxchg, atomic_*), its result kept in a register when it returns one. */
  | { readonly kind: 'rmw'; readonly primitive: string; readonly loc: LocationRef; readonly operand: ValuePlan; readonly expected: number }
  | { readonly kind: 'if'; readonly reg: number; readonly test: 'truthy' | 'not' | 'equals' | 'differs'; readonly value: number; readonly then: readonly StatementPlan[]; readonly otherwise: readonly StatementPlan[] | null }
  /** A critical section of spinlock `lock`: `spin_lock()`, or `if (spin_trylock())`. */
  | { readonly kind: 'critical'; readonly lock: number; readonly how: 'lock' | 'trylock'; readonly afterLock: boolean; readonly body: readonly StatementPlan[] }
  | { readonly kind: 'isLocked'; readonly lock: number }
  | { readonly kind: 'rcuReader'; readonly body: readonly StatementPlan[] }
  | { readonly kind: 'srcuReader'; readonly domain: number; readonly down: boolean; readonly afterUnlock: boolean; readonly body: readonly StatementPlan[] }
  | { readonly kind: 'sync'; readonly primitive: 'synchronize_rcu' | 'synchronize_rcu_expedited' | 'synchronize_srcu' | 'synchronize_srcu_expedited'; readonly domain: number }
  /** `r = srcu_down_read(s)`, then the index stored to a location for another CPU to end the section. */
  | { readonly kind: 'srcuHandOff'; readonly domain: number; readonly loc: LocationRef }
  /** The index read back from a location, and `srcu_up_read(s, r)`. */
  | { readonly kind: 'srcuTakeOver'; readonly domain: number; readonly loc: LocationRef }
  /** Points the pointer location at an integer location: `rcu_assign_pointer(*p, x)`, ... */
  | { readonly kind: 'publish'; readonly primitive: 'rcu_assign_pointer' | 'WRITE_ONCE' | 'smp_store_release'; readonly pointer: number; readonly target: LocationRef }
  /**
   * Reads the pointer (`rcu_dereference(*p)`, ...) into a pointer register,
   * then uses it: reads or writes what it points to (a store-release
   * through it, too), or publishes it in the other pointer location. With
   * `cast`, in the style of the litmus archive's generated tests: the
   * register is an `intptr_t`, and every use casts it back to a pointer.
   */
  | { readonly kind: 'deref'; readonly primitive: 'rcu_dereference' | 'READ_ONCE' | 'smp_load_acquire'; readonly pointer: number; readonly then: 'read' | 'write' | 'release' | 'publish' | 'none'; readonly value: number; readonly cast: boolean }
  /** Half of a pair on its own: a lock never released, an unlock of a lock not held, an unbalanced RCU reader (the flags). */
  | { readonly kind: 'unpaired'; readonly primitive: 'spin_lock' | 'spin_unlock' | 'rcu_read_lock' | 'rcu_read_unlock'; readonly lock: number };

export type LoadPrimitive = 'READ_ONCE' | 'smp_load_acquire' | 'plain' | 'atomic_read' | 'atomic_read_acquire' | 'rcu_dereference';
export type StorePrimitive = 'WRITE_ONCE' | 'smp_store_release' | 'plain' | 'atomic_set' | 'atomic_set_release' | 'smp_store_mb' | 'rcu_assign_pointer';
export type FencePrimitive =
  | 'smp_mb' | 'smp_rmb' | 'smp_wmb' | 'barrier'
  | 'smp_mb__before_atomic' | 'smp_mb__after_atomic' | 'smp_mb__after_spinlock' | 'smp_mb__after_unlock_lock';

/** A proposition over the test's final state, for the condition and the filter. */
export type PropPlan =
  /** `observable = value`; a location is written `[x]`, or bare (`x=1`) when `bare`. */
  | { readonly kind: 'atom'; readonly observable: number; readonly value: number; readonly negated: boolean; readonly bare: boolean }
  | { readonly kind: 'and' | 'or' | 'implies'; readonly left: PropPlan; readonly right: PropPlan }
  | { readonly kind: 'not'; readonly operand: PropPlan };

export interface TestPlan {
  /** One list of statements per CPU (2 to 5). */
  readonly threads: readonly (readonly StatementPlan[])[];
  /** Non-zero initial values: [location, value]. */
  readonly init: ReadonlyArray<readonly [LocationRef, number]>;
  /** Initial values of registers: [CPU, register, value] (`1:r0=2;`). */
  readonly registerInit: ReadonlyArray<readonly [number, number, number]>;
  /** How the pointer locations start: pointing at the k-th integer location, written `p=x;` or `int *p = &x;`. */
  readonly pointerInit: ReadonlyArray<{ readonly target: LocationRef; readonly style: 'bare' | 'typed' }>;
  readonly quantifier: 'exists' | '~exists' | 'forall';
  readonly condition: PropPlan;
  readonly filter: PropPlan | null;
  /** `locations [...]`: observables (by number) to list. */
  readonly observe: readonly number[];
}
