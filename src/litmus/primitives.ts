/**
 * The kernel primitives a litmus test may call, and what each one is, as
 * data. `src/events/semantics.ts` turns a call into events by its `shape`;
 * the explanations and counterfactuals use the same table to name and swap
 * primitives. The table follows the kernel's `tools/memory-model/linux-kernel.def`.
 */

/** The access annotation of a memory primitive. */
export type Ordering = 'once' | 'acquire' | 'release' | 'mb' | 'noreturn';

/** Arithmetic of the atomic_*() families. */
export type AtomicOp = '+' | '-' | '&' | '|' | '^' | '&~';

export type PrimitiveShape =
  /** `READ_ONCE(*x)` (lvalue argument) or `smp_load_acquire(x)` (pointer argument). */
  | { readonly kind: 'load'; readonly ordering: Ordering; readonly argument: 'lvalue' | 'pointer'; readonly srcu?: boolean }
  /** `WRITE_ONCE(*x, v)`, `smp_store_release(x, v)`; `thenFence` for smp_store_mb(). */
  | { readonly kind: 'store'; readonly ordering: Ordering; readonly argument: 'lvalue' | 'pointer'; readonly thenMb?: boolean; readonly srcu?: boolean }
  /** A fence event with this tag. */
  | { readonly kind: 'fence'; readonly tag: FenceTag }
  /** xchg(x, v): returns the old value. */
  | { readonly kind: 'xchg'; readonly ordering: Ordering }
  /** cmpxchg(x, old, new): returns the old value; writes only when it equals `old`. */
  | { readonly kind: 'cmpxchg'; readonly ordering: Ordering }
  /**
   * atomic_OP(v, x) and friends. `returns`: what the call evaluates to
   * (nothing, the new value, the old value); `test`: a comparison of the new
   * value with 0 applied to the result (atomic_dec_and_test(), ...).
   */
  | { readonly kind: 'atomic'; readonly op: AtomicOp; readonly ordering: Ordering; readonly returns: 'none' | 'new' | 'old'; readonly constant: number | null; readonly test: '==0' | '<0' | null }
  /** atomic_add_unless(x, a, u): adds a unless the value is u; returns whether it added. */
  | { readonly kind: 'addUnless' }
  | { readonly kind: 'lock' }
  | { readonly kind: 'unlock' }
  | { readonly kind: 'trylock' }
  | { readonly kind: 'isLocked' }
  | { readonly kind: 'syncSrcu' };

export type FenceTag =
  | 'mb' | 'rmb' | 'wmb' | 'barrier'
  | 'rcu-lock' | 'rcu-unlock' | 'sync-rcu'
  | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock' | 'after-srcu-read-unlock';

export interface Primitive {
  readonly name: string;
  /** Number of arguments. */
  readonly arity: number;
  readonly shape: PrimitiveShape;
  /** One line for listings and hints. */
  readonly summary: string;
}

const table: Primitive[] = [];

function def(name: string, arity: number, shape: PrimitiveShape, summary: string): void {
  table.push({ name, arity, shape, summary });
}

// Marked loads and stores.
def('READ_ONCE', 1, { kind: 'load', ordering: 'once', argument: 'lvalue' }, 'a marked load: no tearing, no fusing, no ordering');
def('WRITE_ONCE', 2, { kind: 'store', ordering: 'once', argument: 'lvalue' }, 'a marked store: no tearing, no fusing, no ordering');
def('smp_load_acquire', 1, { kind: 'load', ordering: 'acquire', argument: 'pointer' }, 'a load that is ordered before every later access of its CPU');
def('smp_store_release', 2, { kind: 'store', ordering: 'release', argument: 'pointer' }, 'a store that is ordered after every earlier access of its CPU');
def('smp_store_mb', 2, { kind: 'store', ordering: 'once', argument: 'lvalue', thenMb: true }, 'WRITE_ONCE() followed by smp_mb()');
def('rcu_dereference', 1, { kind: 'load', ordering: 'once', argument: 'lvalue' }, 'an RCU-protected pointer load (a READ_ONCE(); dependencies order what follows)');
def('rcu_access_pointer', 1, { kind: 'load', ordering: 'once', argument: 'lvalue' }, 'load an RCU-protected pointer without dereferencing it');
def('rcu_assign_pointer', 2, { kind: 'store', ordering: 'release', argument: 'lvalue' }, 'publish an RCU-protected pointer (a store-release)');
def('atomic_read', 1, { kind: 'load', ordering: 'once', argument: 'pointer' }, 'READ_ONCE() of an atomic_t');
def('atomic_set', 2, { kind: 'store', ordering: 'once', argument: 'pointer' }, 'WRITE_ONCE() of an atomic_t');
def('atomic_read_acquire', 1, { kind: 'load', ordering: 'acquire', argument: 'pointer' }, 'smp_load_acquire() of an atomic_t');
def('atomic_set_release', 2, { kind: 'store', ordering: 'release', argument: 'pointer' }, 'smp_store_release() of an atomic_t');

// Fences.
def('smp_mb', 0, { kind: 'fence', tag: 'mb' }, 'a full barrier: orders every earlier access before every later one, for all CPUs');
def('smp_rmb', 0, { kind: 'fence', tag: 'rmb' }, 'orders earlier loads before later loads');
def('smp_wmb', 0, { kind: 'fence', tag: 'wmb' }, 'orders earlier stores before later stores');
def('barrier', 0, { kind: 'fence', tag: 'barrier' }, 'a compiler barrier: no ordering between CPUs');
def('smp_mb__before_atomic', 0, { kind: 'fence', tag: 'before-atomic' }, 'makes the next atomic RMW fully ordered with what precedes it');
def('smp_mb__after_atomic', 0, { kind: 'fence', tag: 'after-atomic' }, 'makes the previous atomic RMW fully ordered with what follows it');
def('smp_mb__after_spinlock', 0, { kind: 'fence', tag: 'after-spinlock' }, 'makes the previous spin_lock() a full barrier');
def('smp_mb__after_unlock_lock', 0, { kind: 'fence', tag: 'after-unlock-lock' }, 'makes a preceding unlock+lock pair a full barrier');
def('smp_mb__after_srcu_read_unlock', 0, { kind: 'fence', tag: 'after-srcu-read-unlock' }, 'makes the previous srcu_read_unlock() a full barrier');

// RCU and SRCU.
def('rcu_read_lock', 0, { kind: 'fence', tag: 'rcu-lock' }, 'start an RCU read-side critical section');
def('rcu_read_unlock', 0, { kind: 'fence', tag: 'rcu-unlock' }, 'end an RCU read-side critical section');
def('synchronize_rcu', 0, { kind: 'fence', tag: 'sync-rcu' }, 'wait for all pre-existing RCU read-side critical sections (a grace period)');
def('synchronize_rcu_expedited', 0, { kind: 'fence', tag: 'sync-rcu' }, 'synchronize_rcu(), faster and costlier');
def('srcu_read_lock', 1, { kind: 'load', ordering: 'once', argument: 'pointer', srcu: true }, 'start an SRCU read-side critical section; returns its index');
def('srcu_down_read', 1, { kind: 'load', ordering: 'once', argument: 'pointer', srcu: true }, 'srcu_read_lock() that may be ended on another task');
def('srcu_read_unlock', 2, { kind: 'store', ordering: 'once', argument: 'pointer', srcu: true }, 'end the SRCU read-side critical section with this index');
def('srcu_up_read', 2, { kind: 'store', ordering: 'once', argument: 'pointer', srcu: true }, 'srcu_read_unlock() for srcu_down_read()');
def('synchronize_srcu', 1, { kind: 'syncSrcu' }, 'wait for pre-existing SRCU read-side critical sections of this srcu_struct');
def('synchronize_srcu_expedited', 1, { kind: 'syncSrcu' }, 'synchronize_srcu(), faster and costlier');

// Spinlocks.
def('spin_lock', 1, { kind: 'lock' }, 'acquire a spinlock (an acquire operation)');
def('spin_unlock', 1, { kind: 'unlock' }, 'release a spinlock (a release operation)');
def('spin_trylock', 1, { kind: 'trylock' }, 'try to acquire a spinlock; returns 1 on success');
def('spin_is_locked', 1, { kind: 'isLocked' }, 'whether a spinlock is held (no ordering)');

// Exchange and compare-exchange.
const suffixes: ReadonlyArray<readonly [string, Ordering, string]> = [
  ['', 'mb', 'fully ordered'],
  ['_relaxed', 'once', 'unordered'],
  ['_acquire', 'acquire', 'with acquire ordering'],
  ['_release', 'release', 'with release ordering'],
];
for (const [suffix, ordering, how] of suffixes) {
  def(`xchg${suffix}`, 2, { kind: 'xchg', ordering }, `atomic exchange, ${how}`);
  def(`atomic_xchg${suffix}`, 2, { kind: 'xchg', ordering }, `atomic exchange of an atomic_t, ${how}`);
  def(`cmpxchg${suffix}`, 3, { kind: 'cmpxchg', ordering }, `compare and exchange, ${how} when it succeeds`);
  def(`atomic_cmpxchg${suffix}`, 3, { kind: 'cmpxchg', ordering }, `compare and exchange of an atomic_t, ${how} when it succeeds`);
}

// The atomic_t arithmetic families.
const ops: ReadonlyArray<readonly [string, AtomicOp, number | null]> = [
  ['add', '+', null],
  ['sub', '-', null],
  ['inc', '+', 1],
  ['dec', '-', 1],
  ['and', '&', null],
  ['or', '|', null],
  ['xor', '^', null],
  ['andnot', '&~', null],
];
for (const [name, op, constant] of ops) {
  const arity = constant === null ? 2 : 1;
  def(`atomic_${name}`, arity, { kind: 'atomic', op, ordering: 'noreturn', returns: 'none', constant, test: null }, `atomic ${name}, no return value, unordered`);
  for (const [suffix, ordering, how] of suffixes) {
    if (op === '+' || op === '-') {
      def(`atomic_${name}_return${suffix}`, arity, { kind: 'atomic', op, ordering, returns: 'new', constant, test: null }, `atomic ${name} returning the new value, ${how}`);
    }
    def(`atomic_fetch_${name}${suffix}`, arity, { kind: 'atomic', op, ordering, returns: 'old', constant, test: null }, `atomic ${name} returning the old value, ${how}`);
  }
}
def('atomic_sub_and_test', 2, { kind: 'atomic', op: '-', ordering: 'mb', returns: 'new', constant: null, test: '==0' }, 'atomic subtract; true when the result is 0; fully ordered');
def('atomic_dec_and_test', 1, { kind: 'atomic', op: '-', ordering: 'mb', returns: 'new', constant: 1, test: '==0' }, 'atomic decrement; true when the result is 0; fully ordered');
def('atomic_inc_and_test', 1, { kind: 'atomic', op: '+', ordering: 'mb', returns: 'new', constant: 1, test: '==0' }, 'atomic increment; true when the result is 0; fully ordered');
for (const [suffix, ordering, how] of suffixes) {
  def(`atomic_add_negative${suffix}`, 2, { kind: 'atomic', op: '+', ordering, returns: 'new', constant: null, test: '<0' }, `atomic add; true when the result is negative; ${how}`);
}
def('atomic_add_unless', 3, { kind: 'addUnless' }, 'add unless the value is the given one; returns whether it added; fully ordered when it adds');

const byName = new Map(table.map((p) => [p.name, p]));

export const PRIMITIVES: ReadonlyMap<string, Primitive> = byName;

export function lookupPrimitive(name: string): Primitive | undefined {
  return byName.get(name);
}

/** The known primitive whose name is closest to `name` (for "did you mean" hints). */
export function nearestPrimitive(name: string): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of byName.keys()) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
