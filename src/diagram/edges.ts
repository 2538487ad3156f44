/**
 * Which edges a diagram draws. A candidate execution's relations are full
 * of pairs a reader can infer (co is transitive, fr follows from rf and co,
 * a fence orders every earlier access before every later one), so the
 * diagrams keep only the informative ones:
 *
 * - rf: between threads (`rfe`), and from an initial write (`rf`);
 * - co: immediate successors in coherence order, between threads (`coe`);
 *   the initial write is co-first by definition and gets no edge;
 * - fr: from a read to the write that immediately overwrites what it read,
 *   between threads (`fre`);
 * - ordering: the model's preserved program order between memory accesses
 *   of one thread (the diagrams keep those that communicate with other
 *   threads), transitively reduced, each edge labelled with what causes it
 *   (`smp_wmb`, `addr`, `acquire`, ...).
 */

import { isRead } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import { Env, type MemoryModel } from '../models/model.js';
import { EventSet, type Relation } from '../relations/algebra.js';
import { fenceName, isMemoryAccess } from './labels.js';

export type EdgeKind = 'rf' | 'co' | 'fr' | 'ordering';

export interface DiagramEdge {
  readonly from: number;
  readonly to: number;
  readonly kind: EdgeKind;
  /** What the edge is labelled with: `rfe`, `coe`, `fre`, `smp_wmb`, `addr`, ... */
  readonly label: string;
}

/** rf, co and fr edges worth drawing, in that order (each sorted by event id). */
export function communicationEdges(x: Candidate): DiagramEdge[] {
  const events = x.skeleton.events;
  const thread = (id: number): number => events[id]!.thread;
  const edges: DiagramEdge[] = [];
  for (const [w, r] of x.rf.pairs()) {
    if (thread(w) < 0) edges.push({ from: w, to: r, kind: 'rf', label: 'rf' });
    else if (thread(w) !== thread(r)) edges.push({ from: w, to: r, kind: 'rf', label: 'rfe' });
  }
  const immediateCo = immediate(x.co);
  for (const [a, b] of immediateCo.pairs()) {
    if (thread(a) >= 0 && thread(a) !== thread(b)) edges.push({ from: a, to: b, kind: 'co', label: 'coe' });
  }
  const fr = x.rf.inverse().seq(x.co).withoutIdentity();
  for (const [r, w] of fr.diff(fr.seq(x.co)).pairs()) {
    if (thread(r) !== thread(w)) edges.push({ from: r, to: w, kind: 'fr', label: 'fre' });
  }
  return edges;
}

/** The relations whose pairs count as ordering within a thread, when the model defines them. */
const ORDERING_RELATIONS = ['ppo', 'implied-fence'];

/**
 * The model's ordering between memory accesses of one thread: the union of
 * its `ppo` (and TSO's `implied-fence`) between accesses of the same thread.
 * Only the pairs of `relevant` events are kept (by default every access;
 * the diagrams pass the events that communicate with other threads), with
 * chains through other accesses counted, and without the pairs implied by
 * transitivity. An edge through a chain is labelled with its steps
 * (`addr; smp_wmb`). Empty for a model without such relations (sequential
 * consistency orders everything).
 */
export function orderingEdges(x: Candidate, model: MemoryModel, relevant?: Iterable<number>): DiagramEdge[] {
  const env = new Env(model, x);
  const defined = (name: string): boolean => model.definitions.some((d) => d.name === name);
  const names = ORDERING_RELATIONS.filter(defined);
  if (names.length === 0) return [];
  const events = x.skeleton.events;
  const accesses = x.skeleton.sets.M.diff(x.skeleton.sets.IW);
  const shown = relevant === undefined ? accesses : EventSet.of(x.skeleton.n, relevant).inter(accesses);
  const order = names.map((n) => env.r(n)).reduce((a, b) => a.union(b)).inter(x.skeleton.int).between(accesses, accesses);
  const ordered = order.plus().between(shown, shown);
  const reduced = ordered.diff(ordered.seq(ordered));
  const causes = CAUSES.filter((c) => defined(c.relation));
  const stepLabel = (a: number, b: number): string => {
    const labels = causes.filter((c) => env.r(c.relation).has(a, b)).map((c) => c.label(events, a, b));
    return [...new Set(labels)].join(', ') || names.find((n) => env.r(n).has(a, b))!;
  };
  return [...reduced.pairs()].map(([a, b]) => {
    const steps = shortestPath(order, a, b);
    const label = steps.slice(1).map((to, i) => stepLabel(steps[i]!, to)).join('; ');
    return { from: a, to: b, kind: 'ordering' as const, label };
  });
}

/** The events of a shortest path from a to b in r (both ends included); b is reachable from a. */
function shortestPath(r: Relation, a: number, b: number): number[] {
  const previous = new Map<number, number>([[a, a]]);
  const queue = [a];
  while (queue.length > 0 && !previous.has(b)) {
    const u = queue.shift()!;
    for (const v of r.successors(u)) {
      if (previous.has(v)) continue;
      previous.set(v, u);
      queue.push(v);
    }
  }
  const path = [b];
  while (path[0] !== a) path.unshift(previous.get(path[0]!)!);
  return path;
}

/** `r` without the pairs that follow from two of its steps: the immediate successors of a transitive relation. */
function immediate(r: Relation): Relation {
  return r.diff(r.seq(r));
}

interface Cause {
  /** A relation of the model that is part of ppo. */
  readonly relation: string;
  readonly label: (events: readonly Event[], from: number, to: number) => string;
}

const FULL_FENCE_TAGS = ['mb', 'before-atomic', 'after-atomic', 'after-spinlock', 'after-unlock-lock', 'after-srcu-read-unlock'] as const;

/** The LKMM's reasons for preserved program order, as the diagrams name them. */
const CAUSES: readonly Cause[] = [
  { relation: 'addr', label: () => 'addr' },
  { relation: 'data', label: () => 'data' },
  { relation: 'ctrl', label: () => 'ctrl' },
  { relation: 'acq-po', label: () => 'acquire' },
  { relation: 'po-rel', label: () => 'release' },
  { relation: 'rmb', label: () => 'smp_rmb' },
  { relation: 'wmb', label: () => 'smp_wmb' },
  {
    relation: 'mb',
    label: (events, a, b) => {
      const fence = fencesBetween(events, a, b).find((f) => FULL_FENCE_TAGS.some((t) => f.tags.has(t)));
      if (fence) return fenceName(fence)!;
      const rmw = [events[a]!, events[b]!].find((e) => e.tags.has('mb'));
      return rmw?.origin?.primitive ?? 'smp_mb';
    },
  },
  {
    relation: 'gp',
    label: (events, a, b) => {
      const gp = fencesBetween(events, a, b).find((f) => f.kind === 'SRCU' || f.tags.has('sync-rcu'));
      return gp?.origin?.primitive ?? 'synchronize_rcu';
    },
  },
  { relation: 'po-unlock-lock-po', label: () => 'unlock-lock' },
  // `overwrite` (co | fr) between events of one thread orders them too.
  { relation: 'overwrite', label: (events, a) => (isRead(events[a]!.kind) ? 'fri' : 'coi') },
];

/** The non-access events strictly between two events of one thread, in program order. */
function fencesBetween(events: readonly Event[], a: number, b: number): Event[] {
  const from = events[a]!;
  const to = events[b]!;
  return events.filter((e) => e.thread === from.thread && e.index > from.index && e.index < to.index && !isMemoryAccess(e));
}
