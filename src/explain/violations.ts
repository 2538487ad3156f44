/**
 * Why an execution is forbidden: the first axiom it breaks, and a shortest
 * cycle (or offending pair) that shows it, each step labelled with the
 * ordering that justifies it and the code that causes it.
 */

import { cycleThrough, findCycle, Relation } from '../relations/algebra.js';
import type { Candidate } from '../executions/candidate.js';
import { Env, holds, type MemoryModel } from '../models/model.js';
import { chain, explainPair, orderingSources, type OrderingSource } from './orderings.js';
import { focusScore, type CycleFocus } from './focus.js';
import { rcuSteps } from './rcu.js';
import type { Violation, ViolationStep } from './types.js';

/** Relations whose edges are single orderings: a cycle in them is explained edge by edge. */
const DIRECT = new Set(['coherence-rel', 'hb', 'sc-order', 'tso-order']);

/**
 * The first axiom the execution breaks, with the cycle that shows it; null
 * when it is allowed. The cycle is a shortest one, or, given a focus, the
 * shortest of those that run through the primitive in focus (see
 * `focus.ts`), when there is one.
 */
export function violationOf(model: MemoryModel, x: Candidate, focus?: CycleFocus): Violation | null {
  const env = new Env(model, x);
  for (const axiom of model.axioms) {
    const value = env.value(axiom.relation);
    if (holds(axiom.test, value)) continue;
    if (!(value instanceof Relation)) return { axiom, edges: [], steps: [] };
    const sources = orderingSources(env);
    // An RCU step is told as the grace periods, critical sections and links the rcu axiom counts.
    const told = (steps: ViolationStep[]): ViolationStep[] =>
      steps.map((s) => ({ ...s, edges: s.edges.flatMap((e) => (e.relation === 'rcu-fence' ? (rcuSteps(env, sources, e.from, e.to) ?? [e]) : [e])) }));
    const violation = (steps: ViolationStep[]): Violation => ({ axiom, edges: steps.flatMap((s) => s.edges), steps });
    const shortest = violation(told(stepsOf(axiom.test, axiom.relation, value, sources, x)));
    if (!focus || axiom.test === 'empty') return shortest;
    // The cycles through each event, and the best of them for the focus (the shortest first among equals).
    const starts = axiom.test === 'acyclic' ? [...Array(x.skeleton.n).keys()] : value.reflexiveEvents().toArray();
    let best = { violation: shortest, score: focusScore(x, shortest.edges, focus) };
    for (const start of starts) {
      if (best.score === 2) break;
      const candidate = violation(told(stepsOf(axiom.test, axiom.relation, value, sources, x, start)));
      if (candidate.edges.length === 0) continue;
      const score = focusScore(x, candidate.edges, focus);
      if (score > best.score || (score === best.score && score > 0 && candidate.edges.length < best.violation.edges.length)) best = { violation: candidate, score };
    }
    return best.violation;
  }
  return null;
}

/** The steps of a shortest cycle (or offending pair) of the axiom's relation; of one through `start`, when given. */
function stepsOf(test: 'acyclic' | 'irreflexive' | 'empty', name: string, r: Relation, sources: OrderingSource[], x: Candidate, start?: number): ViolationStep[] {
  const events = x.skeleton.events;
  if (test === 'acyclic') {
    const cycle = (start === undefined ? findCycle(r) : cycleThrough(r, start)) ?? [];
    return cycle.map((a, i) => {
      const b = cycle[(i + 1) % cycle.length]!;
      // A single labelled ordering when one covers the edge (and the relation is made of such);
      // otherwise the chain of orderings that makes up the compound edge.
      const direct = DIRECT.has(name) ? explainPair(sources, events[a]!, events[b]!, '') : null;
      const edges = direct && direct.relation !== '' ? [direct] : (chain(sources, events, a, b) ?? [explainPair(sources, events[a]!, events[b]!, name)]);
      return { from: a, to: b, edges };
    });
  }
  if (test === 'irreflexive') {
    // An event ordered before itself: the chain of orderings from it back to it.
    const a = start ?? r.reflexiveEvents().toArray()[0] ?? 0;
    return [{ from: a, to: a, edges: chain(sources, events, a, a) ?? [explainPair(sources, events[a]!, events[a]!, name)] }];
  }
  // empty: an offending pair. For an RMW, the other CPU's write that came between its read and write.
  const [a, b] = r.pairs().next().value ?? [0, 0];
  if (name === 'plain-coherence-rel') {
    // A plain access that reads, or is overwritten, against the order in which the two accesses are seen:
    // the communication edge, then the ordering that runs the other way.
    return [{ from: a, to: b, edges: [explainPair(sources, events[a]!, events[b]!, name), ...(chain(sources, events, b, a) ?? [])] }];
  }
  const only = name === 'atomic-rel' ? new Set(['fre', 'coe']) : undefined;
  return [{ from: a, to: b, edges: chain(sources, events, a, b, only) ?? [explainPair(sources, events[a]!, events[b]!, name)] }];
}
