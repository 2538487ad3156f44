/**
 * The legend of an execution diagram: a short entry for every label,
 * barrier, annotation and colour the diagram uses, and nothing else, so
 * that a reader never meets a word the picture does not explain. Each
 * entry is two short lines (the diagram's rows have room for two).
 */

/** What a diagram uses, as collected by the diagram itself. */
export interface LegendNeeds {
  /** Labels on edges between CPUs and on the cycle: `rfe`, `fre`, `addr`, `hb`, ... */
  readonly labels: ReadonlySet<string>;
  /** Kinds of line drawn outside the cycle: `po`, `rf`, `co`, `fr`. */
  readonly colours: ReadonlySet<string>;
  /** Barriers drawn on program-order arrows: `smp_wmb()`, ... */
  readonly fences: ReadonlySet<string>;
  /** Access annotations shown in brackets: `acquire`, `plain`, ... */
  readonly annotations: ReadonlySet<string>;
  /** Kinds of block used: `access`, `rcu`, `srcu`, `lock`, `gp`, `fence`. */
  readonly tints: ReadonlySet<string>;
  readonly locks: boolean;
  /** Whether the diagram has a row of initial values. */
  readonly init: boolean;
  /** Whether a cycle is highlighted. */
  readonly cycle: boolean;
}

type Entry = readonly [string, string];

/** Edge labels: where they come from is the model's names for them. */
const LABELS: Readonly<Record<string, Entry>> = {
  rf: ['rf: reads the initial value', '(the dashed tiles above)'],
  rfe: ['rfe: reads the value', "another CPU's write stored"],
  rfi: ['rfi: reads its own', "CPU's earlier write"],
  coe: ['coe: overwrites another', "CPU's write to the location"],
  coi: ['coi: overwrites its own', "CPU's earlier write"],
  fre: ['fre: reads a value', 'that this write then overwrites'],
  fri: ['fri: reads a value its own', 'CPU then overwrites'],
  addr: ['addr: the address depends', 'on the value read'],
  data: ['data: the value stored depends', 'on the value read'],
  ctrl: ['ctrl: inside an if that', 'tests the value read'],
  acquire: ['acquire: the acquire comes', 'before everything after it'],
  release: ['release: everything before', 'comes before the release'],
  'unlock-lock': ['unlock-lock: unlock then lock', 'of one lock orders across'],
  'full-barrier RMW': ['full-barrier RMW: a value-', 'returning atomic orders fully'],
  ppo: ['ppo: the CPU keeps these', 'two accesses in order'],
  po: ['po: program order', '(one CPU, top to bottom)'],
  rcu: ['rcu: a grace period outlasts', 'the critical sections it overlaps'],
  fence: ['fence: a barrier or locked', 'instruction orders these'],
  'critical section': ['critical section (outlined): RCU', 'takes the whole section as one step'],
  hb: ['hb: happens-before', '(the LKMM order of events)'],
  pb: ['pb: propagates-before', '(strong fences order stores)'],
  rb: ['rb: rcu-before', '(grace periods order events)'],
  prop: ['prop: a store reaches', 'this CPU before that event'],
  'strong-fence': ['strong-fence: smp_mb()', 'or a grace period'],
  'coherence-rel': ['coherence: one location', 'seen in one order'],
  'rcu-link': ['rcu-link: what links a grace', 'period to a critical section'],
};

/** The colour of each kind of line outside the cycle, as the diagram's CSS sets it; by the labels of that kind. */
const COLOURS: ReadonlyArray<readonly [kind: string, colour: string, labels: readonly string[]]> = [
  ['rf', 'green', ['rf', 'rfe', 'rfi']],
  ['co', 'blue', ['coe', 'coi']],
  ['fr', 'orange, dotted', ['fre', 'fri']],
];

/** Barriers, by the kernel function. */
const FENCES: Readonly<Record<string, Entry>> = {
  'smp_mb()': ['smp_mb(): orders every access', 'before it with every one after'],
  'smp_wmb()': ['smp_wmb(): orders stores before', 'it with stores after it'],
  'smp_rmb()': ['smp_rmb(): orders loads before', 'it with loads after it'],
  'barrier()': ['barrier(): stops the compiler', 'only; the CPU may still reorder'],
  'smp_mb__before_atomic()': ['smp_mb__before_atomic(): full', 'barrier before the next atomic'],
  'smp_mb__after_atomic()': ['smp_mb__after_atomic(): full', 'barrier after the last atomic'],
  'smp_mb__after_spinlock()': ['smp_mb__after_spinlock(): full', 'barrier after spin_lock()'],
  'smp_mb__after_unlock_lock()': ['smp_mb__after_unlock_lock():', 'unlock + lock act as smp_mb()'],
  'smp_mb__after_srcu_read_unlock()': ['smp_mb__after_srcu_read_unlock():', 'full barrier after it'],
  'synchronize_rcu()': ['synchronize_rcu(): waits for', 'every RCU reader that started'],
  'synchronize_rcu_expedited()': ['synchronize_rcu_expedited():', 'a faster synchronize_rcu()'],
  'synchronize_srcu()': ['synchronize_srcu(): waits for', 'every SRCU reader of its domain'],
  'synchronize_srcu_expedited()': ['synchronize_srcu_expedited():', 'a faster synchronize_srcu()'],
};

const ANNOTATIONS: Readonly<Record<string, Entry>> = {
  acquire: ['[acquire]: later accesses', 'cannot move before it'],
  release: ['[release]: earlier accesses', 'cannot move after it'],
  mb: ['[mb]: a fully ordered', 'read-modify-write'],
  plain: ['[plain]: a plain C access', '(no READ_ONCE/WRITE_ONCE)'],
  'srcu-lock': ['[srcu-lock]: srcu_read_lock()', 'opens an SRCU section'],
  'srcu-unlock': ['[srcu-unlock]: srcu_read_unlock()', 'closes an SRCU section'],
  noreturn: ['[noreturn]: an RMW whose', 'value is not used'],
};

const TINTS: Readonly<Record<string, Entry>> = {
  rcu: ['green tiles: an RCU read-side', 'critical section'],
  srcu: ['purple tiles: an SRCU read-', 'side critical section'],
  lock: ['yellow tiles: a spinlock', 'critical section'],
  gp: ['orange tile: a grace period', '(waits for readers to finish)'],
  fence: ['grey tile: a barrier with', 'no later access to order'],
};

/**
 * The legend's entries, in reading order: the grid, the cycle, the edge
 * labels, the barriers, the annotations, the tints. A label the table does
 * not know (a relation of another model) gets an entry naming it as a
 * relation of the model, so that nothing goes unexplained.
 */
export function legendEntries(needs: LegendNeeds): string[][] {
  const entries: Entry[] = [['columns: one CPU each', 'rows: program order, downwards']];
  if (needs.init) entries.push(['dashed tiles: initial values', 'that some read takes']);
  if (needs.cycle) entries.push(['thick red: the cycle that', 'makes the outcome impossible']);
  if (needs.colours.has('po')) entries.push(['grey arrows: program order,', 'labelled with what orders it']);
  // Barrier names come as `smp_wmb()` on arrows and as `smp_wmb` on cycle steps: one entry each.
  const fences = new Set([...needs.fences].map((f) => f.replace(/\(\)$/, '')));
  const labels = new Set<string>();
  for (const label of [...needs.labels].flatMap((l) => l.split(/[;,] /))) {
    const bare = label.replace(/\(\)$/, '');
    if (bare === '') continue;
    if (FENCES[`${bare}()`] || fences.has(bare)) fences.add(bare);
    else labels.add(bare);
  }
  for (const label of [...labels].sort(byTable(LABELS))) {
    const [first, second] = LABELS[label] ?? primitiveEntry(label) ?? [`${label}: an ordering`, 'the model derives'];
    const colour = COLOURS.find(([kind, , labels]) => needs.colours.has(kind) && labels.includes(label));
    entries.push([colour ? first.replace(`${label}:`, `${label} (${colour[1]}):`) : first, second]);
  }
  for (const fence of [...fences].sort()) entries.push(FENCES[`${fence}()`] ?? [`${fence}(): a barrier`, 'between the two accesses']);
  for (const a of [...needs.annotations].sort()) {
    const entry = ANNOTATIONS[a];
    if (entry) entries.push(entry);
  }
  for (const t of ['rcu', 'srcu', 'lock', 'gp', 'fence']) {
    if (needs.tints.has(t) && !(t === 'lock' && !needs.locks)) entries.push(TINTS[t]!);
  }
  return entries.map((e) => e.filter((line) => line !== ''));
}

/**
 * A label that names a kernel call orders like smp_mb(): a value-returning
 * RMW (`xchg`, `atomic_add_return`), or `smp_store_mb` (a store, then a
 * full barrier).
 */
function primitiveEntry(label: string): Entry | null {
  if (label === 'smp_store_mb') return ['smp_store_mb: the store, then', 'a full barrier (smp_mb())'];
  if (!/^[a-z][a-z0-9_]*$/.test(label) || !/xchg|atomic|_return|fetch|test_and/.test(label)) return null;
  return [`${label}: a fully ordered RMW`, 'orders like smp_mb() on each side'];
}

/** Known labels in the table's order, unknown ones after them, alphabetically. */
function byTable(table: Readonly<Record<string, Entry>>): (a: string, b: string) => number {
  const order = Object.keys(table);
  const rank = (l: string): number => {
    const i = order.indexOf(l);
    return i < 0 ? order.length : i;
  };
  return (a, b) => rank(a) - rank(b) || a.localeCompare(b);
}
