/**
 * Generated scaling families for `npm run bench`: litmus tests of N threads
 * whose verdict is known by construction, so the bench checks answers as
 * well as time.
 *
 * - critical sections: N threads each increment a counter inside one
 *   critical section, with the lock taken by spin_lock(), or emulated by
 *   xchg_acquire() / cmpxchg_acquire() and released by
 *   smp_store_release(). Mutual exclusion: no two threads that entered read
 *   the same counter value (Never).
 * - ISA2 and WRC chains: a write passed along N threads by release/acquire
 *   pairs; the last thread cannot miss it (Never).
 * - RCU rings: N threads in a cycle, alternating a grace period
 *   (synchronize_rcu()) and a read-side critical section; with at least as
 *   many grace periods as critical sections the cycle is forbidden (Never).
 * - Critical sections in a ring: N threads each take one lock (spin_lock(),
 *   or emulated by xchg_acquire() / cmpxchg_acquire() with a filter that
 *   every acquisition succeeded) and, inside, write their own variable and
 *   read the next thread's: store buffering around the ring. The last
 *   section to run reads what an earlier one wrote, so not every read can
 *   miss (Never). Symmetric only under rotation with the variables renamed.
 * - Pointer chains: N threads pass a pointer along. Thread 0 writes the
 *   data and publishes a pointer to the next link with a release; each next
 *   thread reads the pointer it was given with rcu_dereference() and stores
 *   the pointer to the following link through it, with a release; the last
 *   reads the data through the pointer it got. Each link starts out pointing
 *   at a dummy location, so every read can take either of two addresses.
 *   Having followed the whole chain, the last thread cannot miss the data
 *   (Never).
 * - Mostly-allowed RCU tests: N readers, each reading two locations that
 *   one more thread writes, the first ones across a grace period, the others
 *   inside a read-side critical section; every one of the 2^(2N) ways the
 *   reads can go is allowed but the one cycle the rcu axiom forbids (Never,
 *   2^(2N) - 1 allowed executions): what costs is counting them.
 * - A wide RCU ring, load buffering: N threads, each reads x_i and writes
 *   x_(i+1) (mod N), the first ceil(N/2) across a grace period, the others
 *   inside a read-side critical section. Only the cycle in which every read
 *   sees the write before it is forbidden (Never, 2^N - 1 allowed
 *   executions); at N = 19, the width the kernel's documentation gives herd7
 *   hours for.
 */

export interface FamilyTest {
  readonly family: string;
  readonly n: number;
  readonly name: string;
  readonly text: string;
  /** The observation the construction guarantees. */
  readonly expected: 'Never' | 'Sometimes' | 'Always';
}

export interface Family {
  readonly name: string;
  readonly doc: string;
  /** The smallest N the family is defined for. */
  readonly minN: number;
  /** A largest N the bench always reaches, whatever --max-n says (where a target names one). */
  readonly alwaysUpTo?: number;
  readonly generate: (n: number) => FamilyTest;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function litmus(name: string, threads: readonly string[], condition: string): string {
  return `C ${name}\n\n{\n}\n\n${threads.join('\n\n')}\n\n${condition}\n`;
}

/** `exists` some pair of the given threads for which `pair(i, j)` holds. */
function anyPair(threads: readonly number[], pair: (i: number, j: number) => string): string {
  const terms: string[] = [];
  for (const i of threads) for (const j of threads) if (i < j) terms.push(`(${pair(i, j)})`);
  return `exists (${terms.join(' \\/ ')})`;
}

function spinlockSection(n: number): FamilyTest {
  const name = `CS+spin_lock-${n}`;
  const threads = range(n).map((i) => `P${i}(spinlock_t *l, int *x)
{
\tint r0;

\tspin_lock(l);
\tr0 = READ_ONCE(*x);
\tWRITE_ONCE(*x, r0 + 1);
\tspin_unlock(l);
}`);
  return { family: 'cs-spin_lock', n, name, text: litmus(name, threads, anyPair(range(n), (i, j) => `${i}:r0=${j}:r0`)), expected: 'Never' };
}

/** The lock emulated by an acquiring RMW on `l` (0 free, 1 held): a thread enters only if it took the lock. */
function emulatedSection(n: number, rmw: 'xchg_acquire' | 'cmpxchg_acquire'): FamilyTest {
  const name = `CS+${rmw}-${n}`;
  const take = rmw === 'xchg_acquire' ? 'xchg_acquire(l, 1)' : 'cmpxchg_acquire(l, 0, 1)';
  const threads = range(n).map((i) => `P${i}(int *l, int *x)
{
\tint r0;
\tint r1;

\tr1 = ${take};
\tif (r1 == 0) {
\t\tr0 = READ_ONCE(*x);
\t\tWRITE_ONCE(*x, r0 + 1);
\t\tsmp_store_release(l, 0);
\t}
}`);
  const condition = anyPair(range(n), (i, j) => `${i}:r1=0 /\\ ${j}:r1=0 /\\ ${i}:r0=${j}:r0`);
  return { family: `cs-${rmw}`, n, name, text: litmus(name, threads, condition), expected: 'Never' };
}

/** ISA2: P0 writes x0 then releases x1; each next thread acquires x_i and releases x_(i+1); the last reads x0. */
function isa2(n: number): FamilyTest {
  const name = `ISA2+release-acquire-${n}`;
  const threads = range(n).map((i) => {
    if (i === 0) return `P0(int *x0, int *x1)\n{\n\tWRITE_ONCE(*x0, 1);\n\tsmp_store_release(x1, 1);\n}`;
    if (i < n - 1) return `P${i}(int *x${i}, int *x${i + 1})\n{\n\tint r0;\n\n\tr0 = smp_load_acquire(x${i});\n\tsmp_store_release(x${i + 1}, 1);\n}`;
    return `P${i}(int *x${i}, int *x0)\n{\n\tint r0;\n\tint r1;\n\n\tr0 = smp_load_acquire(x${i});\n\tr1 = READ_ONCE(*x0);\n}`;
  });
  const seen = range(n).slice(1).map((i) => `${i}:r0=1`);
  return { family: 'isa2-rel-acq', n, name, text: litmus(name, threads, `exists (${[...seen, `${n - 1}:r1=0`].join(' /\\ ')})`), expected: 'Never' };
}

/** WRC: P0 writes x0; P1 reads it and releases x1; the chain goes on by acquire/release; the last reads x0. */
function wrc(n: number): FamilyTest {
  const name = `WRC+release-acquire-${n}`;
  const threads = range(n).map((i) => {
    if (i === 0) return `P0(int *x0)\n{\n\tWRITE_ONCE(*x0, 1);\n}`;
    const load = i === 1 ? 'READ_ONCE(*x0)' : `smp_load_acquire(x${i - 1})`;
    const from = i === 1 ? 'x0' : `x${i - 1}`;
    if (i < n - 1) return `P${i}(int *${from}, int *x${i})\n{\n\tint r0;\n\n\tr0 = ${load};\n\tsmp_store_release(x${i}, 1);\n}`;
    return `P${i}(int *${from}, int *x0)\n{\n\tint r0;\n\tint r1;\n\n\tr0 = ${load};\n\tr1 = READ_ONCE(*x0);\n}`;
  });
  const seen = range(n).slice(1).map((i) => `${i}:r0=1`);
  return { family: 'wrc-rel-acq', n, name, text: litmus(name, threads, `exists (${[...seen, `${n - 1}:r1=0`].join(' /\\ ')})`), expected: 'Never' };
}

/**
 * An RCU ring of N threads: even threads write x_i, wait for a grace period
 * and read x_(i+1); odd threads, in a read-side critical section, read
 * x_(i+1) and write x_i. The outcome where every read sees 0 needs a cycle
 * with ceil(N/2) grace periods and floor(N/2) critical sections: forbidden.
 */
function rcuRing(n: number): FamilyTest {
  const name = `RCU-ring-${n}`;
  const threads = range(n).map((i) => {
    const next = (i + 1) % n;
    const params = `int *x${i}, int *x${next}`;
    if (i % 2 === 0) return `P${i}(${params})\n{\n\tint r1;\n\n\tWRITE_ONCE(*x${i}, 1);\n\tsynchronize_rcu();\n\tr1 = READ_ONCE(*x${next});\n}`;
    return `P${i}(${params})\n{\n\tint r1;\n\n\trcu_read_lock();\n\tr1 = READ_ONCE(*x${next});\n\tWRITE_ONCE(*x${i}, 1);\n\trcu_read_unlock();\n}`;
  });
  return { family: 'rcu-ring', n, name, text: litmus(name, threads, `exists (${range(n).map((i) => `${i}:r1=0`).join(' /\\ ')})`), expected: 'Never' };
}

/** A ring of N critical sections of one lock: thread i writes x_i and reads x_(i+1) inside it. */
function sectionRing(n: number, lock: 'spin_lock' | 'xchg_acquire' | 'cmpxchg_acquire'): FamilyTest {
  const name = `CS-ring+${lock}-${n}`;
  const threads = range(n).map((i) => {
    const next = (i + 1) % n;
    const params = `${lock === 'spin_lock' ? 'spinlock_t *l' : 'int *l'}, int *x${i}, int *x${next}`;
    if (lock === 'spin_lock') return `P${i}(${params})\n{\n\tint r0;\n\n\tspin_lock(l);\n\tWRITE_ONCE(*x${i}, 1);\n\tr0 = READ_ONCE(*x${next});\n\tspin_unlock(l);\n}`;
    const take = lock === 'xchg_acquire' ? 'xchg_acquire(l, 1)' : 'cmpxchg_acquire(l, 0, 1)';
    return `P${i}(${params})\n{\n\tint r0;\n\tint r1;\n\n\tr1 = ${take};\n\tif (r1 == 0) {\n\t\tWRITE_ONCE(*x${i}, 1);\n\t\tr0 = READ_ONCE(*x${next});\n\t\tsmp_store_release(l, 0);\n\t}\n}`;
  });
  const missed = range(n).map((i) => `${i}:r0=0`).join(' /\\ ');
  const filter = lock === 'spin_lock' ? '' : `filter (${range(n).map((i) => `${i}:r1=0`).join(' /\\ ')})\n`;
  return { family: `ring-${lock}`, n, name, text: litmus(name, threads, `${filter}exists (${missed})`), expected: 'Never' };
}

/** A pointer passed along N threads through links x1 .. x(N-1), each starting at a dummy y_i; the last link leads to the data d. */
function pointerChain(n: number): FamilyTest {
  const name = `pointer-chain-${n}`;
  // What link i holds once the chain has passed: the next link's address, the data's for the last.
  const target = (i: number): string => (i === n - 1 ? 'd' : `x${i + 1}`);
  const threads = range(n).map((i) => {
    if (i === 0) return `P0(intptr_t *d, intptr_t *x1${n > 2 ? ', intptr_t *x2' : ''})\n{\n\tintptr_t r3=${target(1)};\n\n\tWRITE_ONCE(*d, 1);\n\tsmp_store_release(x1, r3);\n}`;
    const load = `\tintptr_t r1 = (intptr_t)rcu_dereference(*(intptr_t **)x${i});`;
    if (i < n - 1) return `P${i}(intptr_t *x${i}${i + 1 < n - 1 ? `, intptr_t *x${i + 2}` : ', intptr_t *d'})\n{\n\tintptr_t r3=${target(i + 1)};\n\n${load}\n\tsmp_store_release((intptr_t *)r1, r3);\n}`;
    return `P${i}(intptr_t *x${i})\n{\n${load}\n\tintptr_t r2 = READ_ONCE(*(intptr_t *)r1);\n}`;
  });
  const init = range(n).slice(1).map((i) => `\tx${i}=y${i};`).join('\n');
  const followed = range(n).slice(1).map((i) => `${i}:r1=${target(i)}`);
  const text = `C ${name}\n\n{\n${init}\n}\n\n${threads.join('\n\n')}\n\nexists (${[...followed, `${n - 1}:r2=0`].join(' /\\ ')})\n`;
  return { family: 'pointer-chain', n, name, text, expected: 'Never' };
}

/** N readers of x_i and x_(i+1) (mod N): grace periods for the first ceil(N/2), critical sections after; one writer of every x. */
function rcuMostlyAllowed(n: number): FamilyTest {
  const name = `RCU-mostly-allowed-${n}`;
  const gps = Math.ceil(n / 2);
  const threads = range(n).map((i) => {
    const next = (i + 1) % n;
    const params = `int *x${i}, int *x${next}`;
    if (i < gps) return `P${i}(${params})\n{\n\tint r1;\n\tint r2;\n\n\tr1 = READ_ONCE(*x${i});\n\tsynchronize_rcu();\n\tr2 = READ_ONCE(*x${next});\n}`;
    return `P${i}(${params})\n{\n\tint r1;\n\tint r2;\n\n\trcu_read_lock();\n\tr1 = READ_ONCE(*x${i});\n\tr2 = READ_ONCE(*x${next});\n\trcu_read_unlock();\n}`;
  });
  threads.push(`P${n}(${range(n).map((i) => `int *x${i}`).join(', ')})\n{\n${range(n).map((i) => `\tWRITE_ONCE(*x${i}, 1);`).join('\n')}\n}`);
  // Each reader sees the write of its first location and misses the second: the cycle of grace periods and sections.
  const condition = `exists (${range(n).map((i) => `${i}:r1=1 /\\ ${i}:r2=0`).join(' /\\ ')})`;
  return { family: 'rcu-mostly-allowed', n, name, text: litmus(name, threads, condition), expected: 'Never' };
}

/** N threads in a ring, each reading x_i and writing x_(i+1): grace periods for the first ceil(N/2), critical sections after. */
function rcuWideRing(n: number): FamilyTest {
  const name = `RCU-LB-ring-${n}`;
  const gps = Math.ceil(n / 2);
  const threads = range(n).map((i) => {
    const next = (i + 1) % n;
    const params = `int *x${i}, int *x${next}`;
    if (i < gps) return `P${i}(${params})\n{\n\tint r1;\n\n\tr1 = READ_ONCE(*x${i});\n\tsynchronize_rcu();\n\tWRITE_ONCE(*x${next}, 1);\n}`;
    return `P${i}(${params})\n{\n\tint r1;\n\n\trcu_read_lock();\n\tr1 = READ_ONCE(*x${i});\n\tWRITE_ONCE(*x${next}, 1);\n\trcu_read_unlock();\n}`;
  });
  return { family: 'rcu-lb-ring', n, name, text: litmus(name, threads, `exists (${range(n).map((i) => `${i}:r1=1`).join(' /\\ ')})`), expected: 'Never' };
}

export const FAMILIES: readonly Family[] = [
  { name: 'cs-spin_lock', doc: 'N threads, one spin_lock() critical section each', minN: 2, generate: spinlockSection },
  { name: 'cs-xchg_acquire', doc: 'N threads, a lock emulated by xchg_acquire() and smp_store_release()', minN: 2, generate: (n) => emulatedSection(n, 'xchg_acquire') },
  { name: 'cs-cmpxchg_acquire', doc: 'N threads, a lock emulated by cmpxchg_acquire() and smp_store_release()', minN: 2, generate: (n) => emulatedSection(n, 'cmpxchg_acquire') },
  { name: 'isa2-rel-acq', doc: 'ISA2 with a release/acquire chain through N threads', minN: 2, generate: isa2 },
  { name: 'wrc-rel-acq', doc: 'WRC with a release/acquire chain through N threads', minN: 3, generate: wrc },
  { name: 'rcu-ring', doc: 'N threads alternating synchronize_rcu() and RCU read-side critical sections', minN: 2, alwaysUpTo: 10, generate: rcuRing },
  { name: 'ring-spin_lock', doc: 'N threads in a ring, each in one spin_lock() critical section: write its variable, read the next one\'s', minN: 2, alwaysUpTo: 6, generate: (n) => sectionRing(n, 'spin_lock') },
  { name: 'ring-xchg_acquire', doc: 'the same ring with the lock emulated by xchg_acquire() and smp_store_release(), every acquisition succeeding (filter)', minN: 2, alwaysUpTo: 6, generate: (n) => sectionRing(n, 'xchg_acquire') },
  { name: 'ring-cmpxchg_acquire', doc: 'the same ring with cmpxchg_acquire()', minN: 2, alwaysUpTo: 6, generate: (n) => sectionRing(n, 'cmpxchg_acquire') },
  { name: 'pointer-chain', doc: 'a pointer passed along N threads by rcu_dereference() and release stores through it (every link may also hold a dummy address)', minN: 2, alwaysUpTo: 10, generate: pointerChain },
  { name: 'rcu-lb-ring', doc: 'N threads in a ring reading x_i and writing x_(i+1) across grace periods and in critical sections: 2^N - 1 allowed executions', minN: 2, alwaysUpTo: 19, generate: rcuWideRing },
  { name: 'rcu-mostly-allowed', doc: 'N RCU readers of two locations each (grace periods, then critical sections) and one writer: 2^(2N) - 1 allowed executions', minN: 2, alwaysUpTo: 8, generate: rcuMostlyAllowed },
];
