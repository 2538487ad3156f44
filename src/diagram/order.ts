/**
 * A linear order of one execution's events, for drawing it as a sequence
 * of messages between CPUs and memory.
 *
 * A relaxed execution has no single interleaving: po ∪ rf can be cyclic
 * (LB), and so can po ∪ com (SB). So the order is built by constraint,
 * most important first: each edge of rf, co, fr, the model's execution
 * order (`hb` for the LKMM) and finally po is kept unless it would close a
 * cycle with the edges kept before it. rf, co and fr together are acyclic
 * in any execution that passes coherence, so every read comes after the
 * write it reads and before the write that overwrites it; then, for an
 * allowed LKMM execution, as much of hb and program order as fits. Events
 * the constraints leave free come in program order, a CPU running on until
 * it must wait for another, which keeps the picture calm.
 *
 * Initial writes are not placed: they are the state before the first event.
 */

import type { Candidate } from '../executions/candidate.js';
import type { MemoryModel } from '../models/model.js';
import { Env } from '../models/model.js';
import type { Relation } from '../relations/algebra.js';

/** Relations of the model that say in which order events execute, when the model defines them. */
const EXECUTION_ORDERS = ['hb', 'tso-order', 'sc-order'];

/** The events of the threads (initial writes excluded), in an order consistent with the execution. */
export function executionOrder(x: Candidate, model: MemoryModel): number[] {
  const { events, n } = x.skeleton;
  const placed = events.filter((e) => e.thread >= 0).map((e) => e.id);
  const env = new Env(model, x);
  const defined = new Set(model.definitions.map((d) => d.name));
  const fr = x.rf.inverse().seq(x.co).withoutIdentity();
  const byPriority: Relation[] = [x.rf, x.co, fr, ...EXECUTION_ORDERS.filter((r) => defined.has(r)).map((r) => env.r(r))];

  const reach = new ReachabilityBuilder(n);
  const ordered = (a: number, b: number): boolean => events[a]!.thread >= 0 && events[b]!.thread >= 0;
  for (const r of byPriority) for (const [a, b] of r.pairs()) if (ordered(a, b)) reach.addUnlessCycle(a, b);
  const poPairs = [...x.skeleton.po.pairs()].sort(([a, b], [c, d]) => b - a - (d - c) || a - c);
  for (const [a, b] of poPairs) reach.addUnlessCycle(a, b);
  return reach.linearExtension(placed, (id) => events[id]!.thread);
}

/** A growing acyclic relation with its transitive closure. */
class ReachabilityBuilder {
  private readonly reach: boolean[][];

  constructor(private readonly n: number) {
    this.reach = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  }

  /** Adds a → b unless b already reaches a. */
  addUnlessCycle(a: number, b: number): void {
    if (a === b || this.reach[b]![a] || this.reach[a]![b]) return;
    const before = [a, ...this.range().filter((u) => this.reach[u]![a])];
    const after = [b, ...this.range().filter((v) => this.reach[b]![v])];
    for (const u of before) for (const v of after) this.reach[u]![v] = true;
  }

  /**
   * The events in an order respecting every kept edge. Among the events
   * free to come next, one of the thread that came last (it runs on until
   * it must wait), else the lowest id.
   */
  linearExtension(members: readonly number[], thread: (event: number) => number): number[] {
    const inOrder: number[] = [];
    const remaining = new Set(members);
    while (remaining.size > 0) {
      const free = [...remaining].filter((v) => ![...remaining].some((u) => u !== v && this.reach[u]![v]));
      const last = inOrder.length > 0 ? thread(inOrder[inOrder.length - 1]!) : null;
      const next = free.find((v) => thread(v) === last) ?? free[0]!;
      inOrder.push(next);
      remaining.delete(next);
    }
    return inOrder;
  }

  private range(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }
}
