/**
 * An RCU ordering in the steps the LKMM's `rcu` axiom counts. An
 * `rcu-fence` edge from a to b says: a comes before some grace periods and
 * read-side critical sections, linked one to the next, with at least as
 * many grace periods as critical sections, and b comes after them. This
 * finds such a chain and tells it step by step: into the first element,
 * each critical section (from its rcu_read_unlock() back to its
 * rcu_read_lock(): the section as a whole), each grace period, the
 * `rcu-link` between one element and the next as the facts of the
 * execution that make it (a read that misses a write, program order, ...),
 * and out of the last element.
 */

import { Relation } from '../relations/algebra.js';
import type { Event } from '../executions/skeleton.js';
import type { Env } from '../models/model.js';
import { chain, type OrderingSource } from './orderings.js';
import { cpu, eventPhrase, ownAccess } from './describe.js';
import type { ExplainedEdge } from './types.js';

/** An element of an RCU chain: a grace period (start = end) or a critical section (from its unlock to its lock). */
interface Element {
  readonly start: number;
  readonly end: number;
  readonly gp: boolean;
}

/**
 * The steps of an rcu-fence edge from a to b, or null when the model has
 * no RCU relations or no chain is found (the caller then keeps the edge
 * whole).
 */
export function rcuSteps(env: Env, sources: readonly OrderingSource[], a: number, b: number): ExplainedEdge[] | null {
  const defined = (name: string): boolean => env.model.definitions.some((d) => d.name === name);
  if (!defined('rcu-link') || !defined('rcu-order')) return null;
  const x = env.x;
  const events = x.skeleton.events;
  const po = x.skeleton.po;
  const link = env.r('rcu-link');
  const order = env.r('rcu-order');
  const elements: Element[] = [
    ...[...env.s('Sync-rcu').toArray(), ...env.s('Sync-srcu').toArray()].map((g) => ({ start: g, end: g, gp: true })),
    ...[...env.r('rcu-rscs').pairs(), ...env.r('srcu-rscs').pairs()].map(([lock, unlock]) => ({ start: unlock, end: lock, gp: false })),
  ];
  // The ends of the chain: X after a in program order, Y before b (or b itself), ordered by rcu-order.
  let best: Element[] | null = null;
  let bestEnds: [number, number] | null = null;
  for (const [X, Y] of order.pairs()) {
    if (!po.has(a, X) || !(Y === b || po.has(Y, b))) continue;
    const found = elementChain(elements, link, X, Y);
    if (found && (best === null || found.length < best.length)) {
      best = found;
      bestEnds = [X, Y];
    }
  }
  if (best === null || bestEnds === null) return null;

  // Program order in full (fences included), as the last resort of a link's steps.
  const anyPo: OrderingSource = {
    relation: 'po',
    label: 'po',
    pairs: Relation.where(x.skeleton.n, (i, j) => po.has(i, j) && (!isAccess(events[i]!) || !isAccess(events[j]!))),
    say: (p, q) => `${cpu(p)} runs ${what(p)} before ${what(q)} (program order)`,
  };
  // Into and out of a grace period or the start of a section, plain program order says it best.
  const linkSources = [anyPo, ...sources.filter((s) => s.relation !== 'rcu-fence')];
  const steps: ExplainedEdge[] = [];
  const poStep = (p: number, q: number, sentence: string): void => {
    if (p !== q) steps.push({ from: p, to: q, relation: 'po', label: 'po', sentence });
  };
  const first = best[0]!;
  poStep(a, first.start, first.gp
    ? `${eventPhrase(x, events[a]!)} comes before ${cpu(events[first.start]!)}'s grace period (line ${line(events[first.start]!)})`
    : `${eventPhrase(x, events[a]!)} is inside ${sectionPhrase(events, first)}, before its end`);
  best.forEach((el, i) => {
    if (!el.gp) {
      steps.push({
        from: el.start,
        to: el.end,
        relation: 'rcu-rscsi',
        label: 'critical section',
        sentence: `the whole of ${sectionPhrase(events, el)} counts as one step: the next steps start from its ${events[el.end]!.origin?.primitive ?? 'rcu_read_lock'}() (line ${line(events[el.end]!)})`,
      });
    }
    const next = best[i + 1];
    if (next) steps.push(...(chain(linkSources, events, el.end, next.start) ?? [{ from: el.end, to: next.start, relation: 'rcu-link', label: 'rcu-link', sentence: `${eventPhrase(x, events[el.end]!)} is linked to ${eventPhrase(x, events[next.start]!)}` }]));
  });
  const last = best[best.length - 1]!;
  poStep(last.end, b, last.gp
    ? `${cpu(events[last.end]!)}'s grace period (line ${line(events[last.end]!)}) ends before ${eventPhrase(x, events[b]!)}`
    : `${eventPhrase(x, events[b]!)} comes after the start of ${sectionPhrase(events, last)}`);
  return steps;
}

/** The shortest chain of elements from X (the first one's start) to Y (the last one's end), linked by rcu-link, with no more critical sections than grace periods. */
function elementChain(elements: readonly Element[], link: Relation, X: number, Y: number): Element[] | null {
  const limit = elements.length;
  type State = { element: number; balance: number; previous: State | null; length: number };
  const queue: State[] = [];
  const seen = new Set<string>();
  elements.forEach((el, i) => {
    if (el.start !== X) return;
    queue.push({ element: i, balance: el.gp ? 1 : -1, previous: null, length: 1 });
  });
  for (let qi = 0; qi < queue.length; qi++) {
    const state = queue[qi]!;
    const el = elements[state.element]!;
    if (el.end === Y && state.balance >= 0) {
      const path: Element[] = [];
      for (let s: State | null = state; s; s = s.previous) path.unshift(elements[s.element]!);
      return path;
    }
    if (state.length >= 2 * limit) continue;
    elements.forEach((next, j) => {
      if (!link.has(el.end, next.start)) return;
      const balance = state.balance + (next.gp ? 1 : -1);
      if (Math.abs(balance) > limit) return;
      const key = `${j}:${balance}`;
      if (seen.has(key)) return;
      seen.add(key);
      queue.push({ element: j, balance, previous: state, length: state.length + 1 });
    });
  }
  return null;
}

/** An event as its line of code says it: `rcu_read_lock() (line 23)`, `srcu_read_lock(s) (line 22)`, or the access. */
function what(e: Event): string {
  const primitive = e.origin?.primitive;
  if (e.kind === 'F' || e.kind === 'SRCU') return `${primitive ?? 'fence'}(${e.kind === 'SRCU' ? (e.location ?? '') : ''}) (line ${line(e)})`;
  if (primitive?.startsWith('srcu_')) return `${primitive}(${e.location ?? ''}) (line ${line(e)})`;
  return ownAccess(e);
}

function isAccess(e: Event): boolean {
  return e.kind === 'R' || e.kind === 'W';
}

function line(e: Event): string {
  return String(e.origin?.line ?? '?');
}

/** "P0's read-side critical section (lines 22-26)". */
function sectionPhrase(events: readonly Event[], el: Element): string {
  const unlock = events[el.start]!;
  const lock = events[el.end]!;
  const kind = lock.kind === 'F' ? 'read-side critical section' : 'SRCU read-side critical section';
  return `${cpu(lock)}'s ${kind} (lines ${line(lock)}-${line(unlock)})`;
}
