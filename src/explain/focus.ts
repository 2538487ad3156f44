/**
 * The cycle that makes the point. When several cycles forbid an outcome,
 * a page about one barrier, or a what-if that changed one primitive,
 * should show the cycle that runs through that primitive, and better
 * still through a pair of accesses it orders that the primitive it
 * replaced would not have: the cycle the change is about.
 */

import type { LitmusTest } from '../litmus/ast.js';
import type { Candidate } from '../executions/candidate.js';
import { callSites } from './mutate.js';
import type { Event } from '../executions/skeleton.js';
import type { ExplainedEdge } from './types.js';

/** A primitive a reader is looking at: its call on one CPU and line; with `insteadOf`, the primitive it replaced (`smp_wmb`). */
export interface CycleFocus {
  readonly thread: number;
  readonly line: number;
  readonly insteadOf?: string;
}

/**
 * The focus on CPU `cpu`'s first call of `primitive` (`smp_mb`), for callers
 * that name a primitive rather than a line. Throws when the CPU has no such call.
 */
export function focusOnCall(test: LitmusTest, cpu: number, primitive: string, insteadOf?: string): CycleFocus {
  const site = callSites(test).find((s) => s.thread === cpu && s.call.callee === primitive);
  if (!site) throw new Error(`${test.file}: P${cpu} has no call of ${primitive}()`);
  return { thread: cpu, line: site.call.pos.line, ...(insteadOf !== undefined ? { insteadOf } : {}) };
}

/** Which pairs of accesses (earlier kind, later kind) a primitive orders on its own CPU, for the primitives a what-if swaps. */
const ORDERS: Readonly<Record<string, (before: 'R' | 'W', after: 'R' | 'W') => boolean>> = {
  smp_wmb: (a, b) => a === 'W' && b === 'W',
  smp_rmb: (a, b) => a === 'R' && b === 'R',
  barrier: () => false,
  READ_ONCE: () => false,
  WRITE_ONCE: () => false,
  smp_store_release: (_a, b) => b === 'W',
  smp_load_acquire: (a) => a === 'R',
};

/**
 * How well a cycle makes the point: 2 when a step runs through the focus
 * and orders a pair the replaced primitive would not, 1 when a step runs
 * through the focus, 0 otherwise.
 */
export function focusScore(x: Candidate, edges: readonly ExplainedEdge[], focus: CycleFocus): number {
  const events = x.skeleton.events;
  const po = x.skeleton.po;
  const at = events.filter((e) => e.thread === focus.thread && e.origin?.line === focus.line).map((e) => e.id);
  if (at.length === 0) return 0;
  let score = 0;
  for (const step of edges) {
    const a = events[step.from]!;
    const b = events[step.to]!;
    if (a.thread !== focus.thread || b.thread !== focus.thread) continue;
    const through = at.some((f) => f === a.id || f === b.id || (po.has(a.id, f) && po.has(f, b.id)));
    if (!through) continue;
    const weaker = focus.insteadOf === undefined ? undefined : ORDERS[focus.insteadOf];
    const kinds = [kind(a), kind(b)] as const;
    if (weaker && kinds[0] && kinds[1] && !weaker(kinds[0], kinds[1])) return 2;
    score = 1;
  }
  return score;
}

function kind(e: Event): 'R' | 'W' | null {
  return e.kind === 'R' ? 'R' : e.kind === 'W' ? 'W' : null;
}
