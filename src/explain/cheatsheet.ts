/**
 * The cheat sheet: what each primitive of the table in src/litmus/primitives.ts
 * orders under the LKMM, grouped by what the model makes of it (its fence
 * tag, or its access kind and annotation). Two tables, because there are two
 * kinds of primitive:
 *
 * - a barrier sits between two accesses of its CPU: which pairs (load or
 *   store before it, load or store after it) it orders, and whether other
 *   CPUs see that order too (cumulativity);
 * - an ordered access is itself one end of the pairs it orders: whether
 *   earlier loads and stores are ordered before it, and it before later
 *   ones, and whether it is A-cumulative.
 *
 * The claims are derived here from the table's shapes, in the LKMM's terms
 * (acquire, release, mb, ...); test/cheatsheet.test.ts checks every one of
 * them against the checker with a small litmus test, and the site's cheat
 * sheet page is generated from these rows.
 */

import { PRIMITIVES, type FenceTag, type Ordering, type Primitive } from '../litmus/primitives.js';

/** A pair of accesses on one CPU, earlier first: `R->W` is a load before a store. */
export type AccessPair = 'R->R' | 'R->W' | 'W->R' | 'W->W';
export const ACCESS_PAIRS: readonly AccessPair[] = ['R->R', 'R->W', 'W->R', 'W->W'];

/**
 * How far the order reaches beyond the CPU's own accesses: `none`, not at all
 * (other CPUs see its own stores in order, not the stores it has only read);
 * `A-cumulative`, stores the CPU saw before the barrier reach every CPU before
 * its stores after it; `strong`, every store it saw reaches every CPU before
 * anything after the barrier executes, so that all CPUs agree on their order.
 */
export type Cumulativity = 'none' | 'A-cumulative' | 'strong';

/** How a barrier is written between two accesses: what comes before the first, between them, after the second. */
export interface BarrierUsage {
  readonly before: string;
  readonly between: string;
  readonly after: string;
  /** Parameters the usage needs besides the accessed locations: `spinlock_t *l`, `atomic_t *z`. */
  readonly parameters: readonly string[];
}

export interface BarrierRow {
  /** The primitives of this row, in the table's order. */
  readonly primitives: readonly string[];
  /** What the row is, in a few words: `a full barrier`. */
  readonly title: string;
  readonly usage: BarrierUsage;
  readonly orders: Readonly<Record<AccessPair, boolean>>;
  readonly cumulativity: Cumulativity;
}

export interface AccessRow {
  readonly primitives: readonly string[];
  readonly title: string;
  /** Whether the row's primitives load, store, or both (an RMW). */
  readonly access: 'load' | 'store' | 'rmw';
  readonly earlierLoads: boolean;
  readonly earlierStores: boolean;
  readonly laterLoads: boolean;
  readonly laterStores: boolean;
  /** Stores the CPU saw before it reach every CPU before its own store does (null for a load: it stores nothing). */
  readonly aCumulative: boolean | null;
  /** The condition on the row, if any: `when it succeeds` for cmpxchg(). */
  readonly note: string;
}

const ALL: Readonly<Record<AccessPair, boolean>> = { 'R->R': true, 'R->W': true, 'W->R': true, 'W->W': true };
const NONE: Readonly<Record<AccessPair, boolean>> = { 'R->R': false, 'R->W': false, 'W->R': false, 'W->W': false };
const plain = (between: string, parameters: readonly string[] = []): BarrierUsage => ({ before: '', between, after: '', parameters });

/** The barrier rows, by fence tag; tags whose fence only works with a companion say so in their usage. */
const BARRIERS: ReadonlyArray<{ readonly tag: FenceTag | 'unlock-lock'; readonly title: string; readonly usage: (name: string) => BarrierUsage; readonly orders: Readonly<Record<AccessPair, boolean>>; readonly cumulativity: Cumulativity }> = [
  { tag: 'mb', title: 'a full barrier', usage: (f) => plain(`${f}();`), orders: ALL, cumulativity: 'strong' },
  { tag: 'sync-rcu', title: 'an RCU grace period (also a full barrier)', usage: (f) => plain(`${f}();`), orders: ALL, cumulativity: 'strong' },
  { tag: 'rmb', title: 'loads before loads', usage: (f) => plain(`${f}();`), orders: { ...NONE, 'R->R': true }, cumulativity: 'none' },
  { tag: 'wmb', title: 'stores before stores', usage: (f) => plain(`${f}();`), orders: { ...NONE, 'W->W': true }, cumulativity: 'none' },
  { tag: 'barrier', title: 'the compiler only', usage: (f) => plain(`${f}();`), orders: NONE, cumulativity: 'none' },
  { tag: 'before-atomic', title: 'with the RMW after it, a full barrier', usage: (f) => plain(`${f}(); atomic_inc(z);`, ['atomic_t *z']), orders: ALL, cumulativity: 'strong' },
  { tag: 'after-atomic', title: 'with the RMW before it, a full barrier', usage: (f) => plain(`atomic_inc(z); ${f}();`, ['atomic_t *z']), orders: ALL, cumulativity: 'strong' },
  { tag: 'after-spinlock', title: 'with the spin_lock() before it, a full barrier', usage: (f) => ({ before: '', between: `spin_lock(l); ${f}();`, after: 'spin_unlock(l);', parameters: ['spinlock_t *l'] }), orders: ALL, cumulativity: 'strong' },
  { tag: 'unlock-lock', title: 'an unlock, then a lock of the same lock on the same CPU', usage: () => ({ before: 'spin_lock(l);', between: 'spin_unlock(l); spin_lock(l);', after: 'spin_unlock(l);', parameters: ['spinlock_t *l'] }), orders: { ...ALL, 'W->R': false }, cumulativity: 'none' },
  { tag: 'after-unlock-lock', title: 'with an unlock and a lock before it, a full barrier', usage: (f) => ({ before: 'spin_lock(l);', between: `spin_unlock(l); spin_lock(l); ${f}();`, after: 'spin_unlock(l);', parameters: ['spinlock_t *l'] }), orders: ALL, cumulativity: 'strong' },
  { tag: 'rcu-unlock', title: 'an RCU read-side critical section boundary: no ordering', usage: () => ({ before: 'rcu_read_lock();', between: 'rcu_read_unlock(); rcu_read_lock();', after: 'rcu_read_unlock();', parameters: [] }), orders: NONE, cumulativity: 'none' },
];

const fenceTag = (p: Primitive): FenceTag | null => (p.shape.kind === 'fence' ? p.shape.tag : null);

/** The barrier table: each fence tag's primitives, what they order, how far that reaches. */
export function barrierRows(): BarrierRow[] {
  const all = [...PRIMITIVES.values()];
  return BARRIERS.map((b) => {
    const names = b.tag === 'unlock-lock' ? ['spin_unlock', 'spin_lock']
      : b.tag === 'rcu-unlock' ? all.filter((p) => fenceTag(p) === 'rcu-lock' || fenceTag(p) === 'rcu-unlock').map((p) => p.name)
      : all.filter((p) => fenceTag(p) === b.tag).map((p) => p.name);
    return { primitives: names, title: b.title, usage: b.usage(names[0]!), orders: b.orders, cumulativity: b.cumulativity };
  });
}

/** The access classes, in the order the table lists them: by kind and annotation. */
type AccessClass = { readonly access: 'load' | 'store' | 'rmw'; readonly ordering: Ordering | 'store-mb' };

function accessClass(p: Primitive): AccessClass | null {
  const s = p.shape;
  switch (s.kind) {
    case 'load':
      return s.srcu ? null : { access: 'load', ordering: s.ordering };
    case 'store':
      return s.srcu ? null : { access: 'store', ordering: s.thenMb ? 'store-mb' : s.ordering };
    case 'xchg':
    case 'cmpxchg':
      return { access: 'rmw', ordering: s.ordering };
    case 'atomic':
      return { access: 'rmw', ordering: s.ordering };
    default:
      return null;
  }
}

const ACCESS_TITLES: Readonly<Record<string, string>> = {
  'load/once': 'a marked load',
  'store/once': 'a marked store',
  'load/acquire': 'an acquire load',
  'store/release': 'a release store',
  'store/store-mb': 'a marked store, then a full barrier',
  'rmw/mb': 'a fully ordered RMW',
  'rmw/acquire': 'an acquire RMW',
  'rmw/release': 'a release RMW',
  'rmw/once': 'a relaxed RMW',
  'rmw/noreturn': 'an RMW that returns nothing',
};

/** The ordered-access table: each class's primitives and what they order. */
export function accessRows(): AccessRow[] {
  const groups = new Map<string, { cls: AccessClass; names: string[] }>();
  for (const p of PRIMITIVES.values()) {
    const cls = accessClass(p);
    if (!cls) continue;
    const key = `${cls.access}/${cls.ordering}`;
    const group = groups.get(key);
    if (group) group.names.push(p.name);
    else groups.set(key, { cls, names: [p.name] });
  }
  return [...groups.entries()].map(([key, { cls, names }]) => {
    const { ordering } = cls;
    // acquire orders it before everything later; release everything earlier before it;
    // mb both, and its store is ordered before later loads too; smp_store_mb() is its store then smp_mb().
    const after = ordering === 'acquire' || ordering === 'mb' || ordering === 'store-mb';
    const before = ordering === 'release' || ordering === 'mb';
    return {
      primitives: names,
      title: ACCESS_TITLES[key] ?? key,
      access: cls.access,
      earlierLoads: before,
      earlierStores: before,
      laterLoads: after,
      laterStores: after,
      aCumulative: cls.access === 'load' ? null : before,
      note: names.some((n) => n.includes('cmpxchg')) && ordering !== 'once' ? `${names.filter((n) => n.includes('cmpxchg')).map((n) => `${n}()`).join(', ')}: only when it succeeds (a failed one orders nothing)` : '',
    };
  });
}

/** The primitives neither table covers (their own pages do): locks held across accesses, SRCU, spin_trylock(), ... */
export function primitivesNotTabulated(): string[] {
  const covered = new Set([...barrierRows(), ...accessRows()].flatMap((r) => r.primitives));
  return [...PRIMITIVES.keys()].filter((n) => !covered.has(n));
}
