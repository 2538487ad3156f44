/**
 * Why an outcome is allowed: one witness execution told as a story, in an
 * order the model permits. Each read says which write it saw, and, when it
 * saw an older value, which write had not reached its CPU yet.
 */

import { Relation } from '../relations/algebra.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import { Env, type MemoryModel } from '../models/model.js';
import { showValue } from '../events/types.js';
import { cpu, eventPhrase } from './describe.js';

export interface StoryStep {
  readonly event: number;
  readonly sentence: string;
}

/**
 * The events in an order consistent with the execution: program order,
 * reads-from and the model's own order (hb for the LKMM) when it has one.
 * Fences and lock halves are left out of the story's sentences but kept in
 * the order.
 */
export function witnessOrder(model: MemoryModel, x: Candidate): number[] {
  const env = new Env(model, x);
  const hasHb = model.definitions.some((d) => d.name === 'hb');
  let order = x.skeleton.po.union(x.rf.inter(x.skeleton.ext));
  if (hasHb) order = order.union(env.r('hb'));
  return topologicalOrder(order, x.skeleton.events.filter((e) => e.thread >= 0).map((e) => e.id));
}

/** Kahn's algorithm, taking the lowest-numbered ready event first (stable output); cycles are broken by event number. */
function topologicalOrder(r: Relation, nodes: readonly number[]): number[] {
  const inside = new Set(nodes);
  const indegree = new Map<number, number>(nodes.map((v) => [v, 0]));
  for (const [a, b] of r.pairs()) if (inside.has(a) && inside.has(b) && a !== b) indegree.set(b, indegree.get(b)! + 1);
  const done = new Set<number>();
  const out: number[] = [];
  while (out.length < nodes.length) {
    const ready = nodes.filter((v) => !done.has(v) && indegree.get(v) === 0);
    const next = ready.length > 0 ? ready[0]! : nodes.find((v) => !done.has(v))!;
    done.add(next);
    out.push(next);
    for (const w of r.successors(next)) if (inside.has(w) && !done.has(w) && w !== next) indegree.set(w, indegree.get(w)! - 1);
  }
  return out;
}

export function witnessStory(model: MemoryModel, x: Candidate): StoryStep[] {
  const events = x.skeleton.events;
  const steps: StoryStep[] = [];
  for (const id of witnessOrder(model, x)) {
    const e = events[id]!;
    const sentence = sentenceFor(x, e);
    if (sentence) steps.push({ event: id, sentence });
  }
  return steps;
}

function sentenceFor(x: Candidate, e: Event): string | null {
  const events = x.skeleton.events;
  switch (e.kind) {
    case 'W':
      return `${cpu(e)} writes ${e.location}=${valueOf(x, e)} (line ${e.origin?.line}).`;
    case 'R': {
      const source = [...x.rf.pairs()].find(([, r]) => r === e.id)?.[0];
      if (source === undefined) return `${cpu(e)} reads ${e.location}=${valueOf(x, e)} (line ${e.origin?.line}).`;
      const w = events[source]!;
      const from = w.thread < 0 ? 'the initial value' : w.thread === e.thread ? 'its own earlier write' : `${cpu(w)}'s write (line ${w.origin?.line})`;
      const missed = events.filter((o) => o.thread >= 0 && o.thread !== e.thread && o.kind === 'W' && x.co.has(source, o.id) && o.location === e.location);
      const notYet = missed.length > 0 ? `; ${missed.map((o) => eventPhrase(x, o)).join(' and ')} had not reached ${cpu(e)} yet` : '';
      return `${cpu(e)} reads ${e.location}=${valueOf(x, e)} (line ${e.origin?.line}) from ${from}${notYet}.`;
    }
    case 'LKW':
      return `${cpu(e)} takes the lock ${e.location} (line ${e.origin?.line}).`;
    case 'UL':
      return `${cpu(e)} releases the lock ${e.location} (line ${e.origin?.line}).`;
    case 'F':
      return `${cpu(e)} executes ${e.origin?.primitive}() (line ${e.origin?.line}).`;
    default:
      return null;
  }
}

function valueOf(x: Candidate, e: Event): string {
  const v = x.values[e.id];
  return v === null || v === undefined ? '?' : showValue(v);
}
