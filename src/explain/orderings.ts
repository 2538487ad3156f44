/**
 * The reasons one event is ordered before another in an execution, each a
 * labelled slice of a model relation: `rfe` (a CPU reads another's write),
 * `fre` (a read misses a later write), the fence that orders two accesses of
 * one CPU, a dependency, an acquire, ... An explanation turns every step of
 * a cycle into one of these, with a sentence that cites the code.
 */

import { Relation } from '../relations/algebra.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import type { Env } from '../models/model.js';
import { access, cpu, eventPhrase, ownAccess } from './describe.js';
import type { ExplainedEdge } from './types.js';

/** One kind of ordering: a relation, a label, and how to say an edge of it. */
export interface OrderingSource {
  readonly relation: string;
  readonly label: string;
  readonly pairs: Relation;
  readonly say: (a: Event, b: Event) => string;
}

const FENCE_RELATION: Readonly<Record<string, string>> = {
  mb: 'mb',
  wmb: 'wmb',
  rmb: 'rmb',
  'sync-rcu': 'gp',
  'before-atomic': 'mb',
  'after-atomic': 'mb',
  'after-spinlock': 'mb',
  'after-unlock-lock': 'mb',
  'after-srcu-read-unlock': 'mb',
};

function has(env: Env, name: string): boolean {
  return env.model.definitions.some((d) => d.name === name);
}

/** Every ordering reason the model offers for this execution, most specific first. */
export function orderingSources(env: Env): OrderingSource[] {
  const x: Candidate = env.x;
  const ev = x.skeleton.events;
  const n = x.skeleton.n;
  const po = x.skeleton.po;
  const sources: OrderingSource[] = [];
  const add = (relation: string, label: string, pairs: Relation, say: (a: Event, b: Event) => string): void => {
    if (!pairs.isEmpty()) sources.push({ relation, label, pairs, say });
  };

  // Communication.
  add('rf', 'rfe', env.r('rfe'), (a, b) => `${eventPhrase(x, b)} reads the value of ${eventPhrase(x, a)}`);
  add('rf', 'rfi', env.r('rfi'), (a, b) => `${eventPhrase(x, b)} reads its own CPU's ${access(a)}`);
  add('co', 'coe', env.r('coe'), (a, b) => `${eventPhrase(x, a)} comes before ${eventPhrase(x, b)} in the coherence order of ${a.location}`);
  add('co', 'coi', env.r('co').inter(env.r('int')), (a, b) => `${cpu(a)} overwrites ${ownAccess(a)} with ${ownAccess(b)}`);
  add('fr', 'fre', env.r('fre'), (a, b) => `${eventPhrase(x, a)} reads a value older than ${eventPhrase(x, b)}: that write had not reached ${cpu(a)}`);
  add('fr', 'fri', env.r('fr').inter(env.r('int')), (a, b) => `${eventPhrase(x, a)} reads a value older than its own CPU's ${access(b)}`);

  // Fences, one source per fence event so that the sentence can cite it.
  for (const f of ev) {
    if (f.kind !== 'F' && f.kind !== 'SRCU') continue;
    const tag = [...f.tags][0];
    const relation = tag === undefined ? undefined : f.kind === 'SRCU' ? 'gp' : FENCE_RELATION[tag];
    if (relation === undefined || !has(env, relation)) continue;
    const around = Relation.where(n, (i, j) => po.has(i, f.id) && po.has(f.id, j));
    const name = `${f.origin?.primitive ?? tag}()`;
    add(relation, f.origin?.primitive ?? String(tag), env.r(relation).inter(around), (a, b) =>
      `P${f.thread} line ${f.origin?.line}: ${name} orders ${ownAccess(a)} before ${ownAccess(b)}`);
  }
  if (has(env, 'mb')) {
    add('mb', 'full-barrier RMW', env.r('mb'), (a, b) => `P${a.thread}: a fully ordered RMW orders ${ownAccess(a)} before ${ownAccess(b)}`);
  }
  // Each where the model defines it (a model read from a cat file may lack some).
  const named = (relation: string, label: string, pairs: () => Relation, say: (a: Event, b: Event) => string): void => {
    if (has(env, relation)) add(relation, label, pairs(), say);
  };
  const tso = has(env, 'implied-fence');
  named('acq-po', 'acquire', () => env.r('acq-po'), (a, b) =>
    `P${a.thread} line ${a.origin?.line}: the ${a.origin?.primitive ?? 'acquire'}() of ${a.location} comes before ${ownAccess(b)} (acquire)`);
  named('po-rel', 'release', () => env.r('po-rel'), (a, b) =>
    `P${b.thread} line ${b.origin?.line}: the ${b.origin?.primitive ?? 'release'}() of ${b.location} comes after ${ownAccess(a)} (release)`);
  named('po-unlock-lock-po', 'unlock-lock', () => env.r('po-unlock-lock-po'), (a, b) =>
    `${ownAccess(a)} of P${a.thread} comes before a spin_unlock() whose lock is taken again before ${eventPhrase(x, b)}`);
  if (has(env, 'ppo')) {
    named('addr', 'addr', () => env.r('addr'), (a, b) => `P${a.thread}: ${ownAccess(b)} uses an address computed from ${ownAccess(a)} (address dependency)`);
    named('data', 'data', () => env.r('data').inter(env.r('ppo')), (a, b) => `P${a.thread}: ${ownAccess(b)} stores a value computed from ${ownAccess(a)} (data dependency)`);
    named('ctrl', 'ctrl', () => env.r('ctrl').inter(env.r('ppo')), (a, b) => `P${a.thread}: ${ownAccess(b)} is inside an if whose condition uses ${ownAccess(a)} (control dependency)`);
  }
  if (!tso) named('ppo', 'ppo', () => env.r('ppo'), (a, b) => `P${a.thread} cannot reorder ${ownAccess(a)} and ${ownAccess(b)} (preserved program order)`);
  named('rcu-fence', 'rcu', () => env.r('rcu-fence'), (a, b) => rcuSentence(x, a, b));
  if (tso) {
    add('implied-fence', 'fence', env.r('implied-fence'), (a, b) => `P${a.thread}: a fence or LOCK-prefixed instruction orders ${ownAccess(a)} before ${ownAccess(b)}`);
    add('ppo', 'po', env.r('ppo'), (a, b) => `P${a.thread}: TSO keeps ${ownAccess(a)} before ${ownAccess(b)}`);
  }
  add('po', 'po', po.between(x.skeleton.sets.M, x.skeleton.sets.M), (a, b) => `P${a.thread} runs ${ownAccess(a)} before ${ownAccess(b)} (program order)`);
  return sources;
}

/**
 * An rcu-fence edge in words: the grace period or read-side critical section
 * after `a` on its CPU, and the one before `b` on its CPU, are ordered by RCU.
 */
function rcuSentence(x: Candidate, a: Event, b: Event): string {
  const events = x.skeleton.events;
  const po = x.skeleton.po;
  const isSync = (e: Event): boolean => e.tags.has('sync-rcu') || e.kind === 'SRCU';
  const isUnlock = (e: Event): boolean => e.tags.has('rcu-unlock') || e.tags.has('srcu-unlock');
  const isLock = (e: Event): boolean => e.tags.has('rcu-lock') || e.tags.has('srcu-lock');
  const after = (pred: (e: Event) => boolean): Event | undefined => events.find((e) => po.has(a.id, e.id) && pred(e));
  const before = (pred: (e: Event) => boolean): Event | undefined => [...events].reverse().find((e) => po.has(e.id, b.id) && pred(e));
  const gpA = after(isSync);
  const endA = gpA ? `${cpu(a)}'s grace period (line ${gpA.origin?.line})` : (() => {
    const u = after(isUnlock);
    return u ? `${cpu(a)}'s read-side critical section (ending line ${u.origin?.line})` : `${cpu(a)}'s RCU section`;
  })();
  const gpB = before(isSync);
  const startB = gpB ? `${cpu(b)}'s grace period (line ${gpB.origin?.line})` : (() => {
    const l = before(isLock);
    return l ? `${cpu(b)}'s read-side critical section (starting line ${l.origin?.line})` : `${cpu(b)}'s RCU section`;
  })();
  return `RCU: ${endA} ends before ${startB} ends, since a grace period outlasts every critical section that began before it; so ${eventPhrase(x, a)} comes before ${eventPhrase(x, b)}`;
}

/** Labels one ordered pair with the first (most specific) source that contains it. */
export function explainPair(sources: readonly OrderingSource[], a: Event, b: Event, fallback: string): ExplainedEdge {
  for (const s of sources) {
    if (s.pairs.has(a.id, b.id)) return { from: a.id, to: b.id, relation: s.relation, label: s.label, sentence: s.say(a, b) };
  }
  return { from: a.id, to: b.id, relation: fallback, label: fallback, sentence: `${fallback} orders event ${a.id} before event ${b.id}` };
}

/**
 * A shortest chain of labelled orderings from `a` to `b`, for an edge of a
 * compound relation (pb, rb, prop, ...): each step is one fact of the
 * execution. Returns null when no chain exists.
 */
export function chain(sources: readonly OrderingSource[], events: readonly Event[], a: number, b: number, only?: ReadonlySet<string>): ExplainedEdge[] | null {
  if (only) sources = sources.filter((s) => only.has(s.label));
  const n = events.length;
  const union = sources.reduce((acc, s) => acc.union(s.pairs), Relation.empty(n));
  const parent = new Int32Array(n).fill(-1);
  const queue = [a];
  const seen = new Uint8Array(n);
  seen[a] = 1;
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (const v of union.successors(u)) {
      if (v === b) {
        const path = [b, u];
        for (let p = u; p !== a; p = parent[p]!) path.push(parent[p]!);
        path.reverse();
        const steps: ExplainedEdge[] = [];
        for (let i = 0; i + 1 < path.length; i++) steps.push(explainPair(sources, events[path[i]!]!, events[path[i + 1]!]!, 'order'));
        return steps;
      }
      if (!seen[v]) {
        seen[v] = 1;
        parent[v] = u;
        queue.push(v);
      }
    }
  }
  return null;
}
