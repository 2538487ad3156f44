/**
 * A skeleton: one run chosen for every thread, laid out as numbered events
 * with everything that does not depend on the choice of rf and co (program
 * order, dependencies, the sets of events with each tag).
 *
 * Events are numbered with the initial writes first (one per location, in
 * location order), then each thread's events in program order.
 */

import { EventSet, Relation } from '../relations/algebra.js';
import type { ThreadRun } from '../events/semantics.js';
import type { EventKind, Origin, Tag, Value } from '../events/types.js';
import { constant, type Term } from '../events/terms.js';
import { isRead, isWrite } from '../events/types.js';

export interface Event {
  readonly id: number;
  /** The thread, or -1 for an initial write. */
  readonly thread: number;
  /** Position in the thread's program order (-1 for initial writes). */
  readonly index: number;
  readonly kind: EventKind;
  readonly location: string | null;
  /** The value as a term over the reads of the event's own thread (see `terms.ts`). */
  readonly value: Term | null;
  readonly tags: ReadonlySet<Tag>;
  readonly origin: Origin | null;
}

export interface Skeleton {
  readonly events: readonly Event[];
  readonly runs: readonly ThreadRun[];
  /** The id of each thread's first event: a thread's read at run index i is event `offsets[t] + i`. */
  readonly offsets: readonly number[];
  readonly n: number;
  /** Initial-write event of each location. */
  readonly initialWrite: ReadonlyMap<string, number>;
  readonly po: Relation;
  readonly addr: Relation;
  readonly data: Relation;
  readonly ctrl: Relation;
  /** RMW pairs of atomic primitives (lock pairs are added by the model). */
  readonly rmw: Relation;
  readonly loc: Relation;
  readonly int: Relation;
  readonly ext: Relation;
  readonly sets: SkeletonSets;
}

export interface SkeletonSets {
  readonly all: EventSet;
  readonly IW: EventSet;
  readonly R: EventSet;
  readonly W: EventSet;
  readonly F: EventSet;
  readonly M: EventSet;
  readonly kind: Readonly<Record<EventKind, EventSet>>;
  /** Events with each tag. */
  readonly tag: (t: Tag) => EventSet;
}

const KINDS: readonly EventKind[] = ['R', 'W', 'F', 'LKR', 'LKW', 'UL', 'LF', 'RL', 'RU', 'SRCU'];

export function buildSkeleton(locations: readonly string[], initial: ReadonlyMap<string, Value>, runs: readonly ThreadRun[]): Skeleton {
  const events: Event[] = [];
  const initialWrite = new Map<string, number>();
  for (const loc of locations) {
    initialWrite.set(loc, events.length);
    events.push({ id: events.length, thread: -1, index: -1, kind: 'W', location: loc, value: constant(initial.get(loc) ?? 0), tags: new Set(), origin: null });
  }
  const offsets: number[] = [];
  for (const run of runs) {
    offsets.push(events.length);
    run.events.forEach((e, index) => {
      events.push({ id: events.length, thread: run.thread, index, kind: e.kind, location: e.location, value: e.value, tags: e.tags, origin: e.origin });
    });
  }
  const n = events.length;
  const pairs = (select: (r: ThreadRun) => ReadonlyArray<readonly [number, number]>): Relation =>
    Relation.fromPairs(n, runs.flatMap((run, t) => select(run).map(([a, b]) => [a + offsets[t]!, b + offsets[t]!] as const)));

  const po = Relation.where(n, (i, j) => events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread && events[i]!.index < events[j]!.index);
  const loc = Relation.where(n, (i, j) => events[i]!.location !== null && events[i]!.location === events[j]!.location);
  const int = Relation.where(n, (i, j) => events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread);
  const ext = Relation.where(n, (i, j) => !(events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread));

  const kindSets = {} as Record<EventKind, EventSet>;
  for (const k of KINDS) kindSets[k] = EventSet.where(n, (i) => events[i]!.kind === k);
  const tagCache = new Map<Tag, EventSet>();
  const tag = (t: Tag): EventSet => {
    let s = tagCache.get(t);
    if (!s) {
      s = EventSet.where(n, (i) => events[i]!.tags.has(t));
      tagCache.set(t, s);
    }
    return s;
  };
  const R = EventSet.where(n, (i) => isRead(events[i]!.kind));
  const W = EventSet.where(n, (i) => isWrite(events[i]!.kind));
  const sets: SkeletonSets = {
    all: EventSet.all(n),
    IW: EventSet.where(n, (i) => events[i]!.thread < 0),
    R,
    W,
    F: kindSets.F,
    M: R.union(W),
    kind: kindSets,
    tag,
  };
  return {
    events,
    runs,
    offsets,
    n,
    initialWrite,
    po,
    addr: pairs((r) => r.addr),
    data: pairs((r) => r.data),
    ctrl: pairs((r) => r.ctrl),
    rmw: pairs((r) => r.rmw),
    loc,
    int,
    ext,
    sets,
  };
}
