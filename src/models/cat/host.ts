/**
 * What a cat model can read before it defines anything: the sets,
 * relations and functions herd7 provides from a candidate execution, here
 * computed from ours.
 *
 * herd7 hands a model the reads-from of ordinary reads and the writes
 * coherence orders, and leaves the lock events to the model (the kernel's
 * lock.cat gives them their rf and merges unlocks into co). Our enumeration
 * chooses all of it at once, so the host gives the model the part herd7
 * would: `rf` without lock reads, `co` without lock writes and unlocks, and
 * the model's `with` choices are read back from the candidate (see
 * `CatChoices`).
 *
 * The tags of `enum` declarations become sets named with a capital first
 * letter, as in herd7 (`'rmb` → `Rmb`, `'ONCE` → `ONCE`); an event has the
 * tag when our primitive table gave it the same tag in lower case.
 */

import { EventSet, Relation } from '../../relations/algebra.js';
import { sameValue, type Tag } from '../../events/types.js';
import type { Skeleton } from '../../executions/skeleton.js';
import type { Env, Value } from '../model.js';
import type { CatFunction, CatValue } from './evaluate.js';

export interface HostDefinition {
  readonly name: string;
  readonly doc: string;
  /** True when it depends on the skeleton alone. */
  readonly isStatic: boolean;
  readonly compute: (env: Env) => Value;
}

const kinds = (sk: Skeleton, ...names: Array<keyof Skeleton['sets']['kind']>): EventSet =>
  names.map((k) => sk.sets.kind[k]).reduce((a, b) => a.union(b));

/** Reads that lock.cat gives their rf: lock reads, failed trylocks, spin_is_locked(). */
const lockReads = (sk: Skeleton): EventSet => kinds(sk, 'LKR', 'LF', 'RL', 'RU');
/** Ordinary writes: what herd7 orders in co before a model adds lock writes and unlocks. */
const plainWrites = (sk: Skeleton): EventSet => sk.sets.kind.W;

export const HOST_DEFINITIONS: readonly HostDefinition[] = [
  set('R', 'reads (not lock reads: lock.cat adds them)', (sk) => sk.sets.kind.R),
  set('W', 'writes, initial writes included (not lock writes or unlocks: lock.cat adds them)', (sk) => sk.sets.kind.W),
  set('M', 'memory accesses: R | W', (sk) => sk.sets.kind.R.union(sk.sets.kind.W)),
  set('F', 'fences', (sk) => sk.sets.F),
  set('IW', 'the initial writes, one per location', (sk) => sk.sets.IW),
  set('LKR', 'lock reads: the read half of spin_lock()', (sk) => sk.sets.kind.LKR),
  set('LKW', 'lock writes: the write half of spin_lock()', (sk) => sk.sets.kind.LKW),
  set('UL', 'unlocks', (sk) => sk.sets.kind.UL),
  set('LF', 'failed spin_trylock()', (sk) => sk.sets.kind.LF),
  set('RL', 'spin_is_locked() returning true', (sk) => sk.sets.kind.RL),
  set('RU', 'spin_is_locked() returning false', (sk) => sk.sets.kind.RU),
  set('RMW', 'accesses of read-modify-write primitives, failed ones included', (sk) => sk.sets.tag('rmw')),
  set('emptyset', 'the empty set', (sk) => EventSet.empty(sk.n)),
  // herd7 raises lock-final from FW when a test's final condition reads a lock; barrier-lab's checker does that itself.
  set('FW', 'final writes of the locations a condition reads (the checker raises lock-final itself: empty here)', (sk) => EventSet.empty(sk.n)),
  relation('po', 'program order', (sk) => sk.po),
  relation('loc', 'pairs of accesses to one location', (sk) => sk.loc),
  relation('int', 'pairs of events of one thread', (sk) => sk.int),
  relation('ext', 'pairs of events of different threads', (sk) => sk.ext),
  relation('id', 'each event with itself', (sk) => Relation.identity(EventSet.all(sk.n))),
  relation('po-loc', 'program order on one location', (sk) => sk.po.inter(sk.loc)),
  relation('addr', 'address dependencies', (sk) => sk.addr),
  relation('data', 'data dependencies', (sk) => sk.data),
  relation('ctrl', 'control dependencies', (sk) => sk.ctrl),
  relation('rmw', 'the read and write of each atomic RMW (not locks: lock.cat adds them)', (sk) => sk.rmw),
  relation('co0', 'what every coherence order holds: initial writes first', (sk) =>
    Relation.product(sk.sets.IW, plainWrites(sk).diff(sk.sets.IW)).inter(sk.loc)),
  candidate('rf', 'reads-from of ordinary reads', (env) => rfOf(env)),
  candidate('rfe', 'reads-from between threads', (env) => rfOf(env).inter(env.skeleton.ext)),
  candidate('rfi', 'reads-from within a thread', (env) => rfOf(env).inter(env.skeleton.int)),
  candidate('co', 'coherence order of ordinary writes', (env) => coOf(env)),
  candidate('coe', 'coherence order between threads', (env) => coOf(env).inter(env.skeleton.ext)),
  candidate('coi', 'coherence order within a thread', (env) => coOf(env).inter(env.skeleton.int)),
  candidate('fr', 'from-reads', (env) => frOf(env)),
  candidate('fre', 'from-reads between threads', (env) => frOf(env).inter(env.skeleton.ext)),
  candidate('fri', 'from-reads within a thread', (env) => frOf(env).inter(env.skeleton.int)),
];

function set(name: string, doc: string, of: (sk: Skeleton) => EventSet): HostDefinition {
  return { name, doc, isStatic: true, compute: (env) => of(env.skeleton) };
}

function relation(name: string, doc: string, of: (sk: Skeleton) => Relation): HostDefinition {
  return { name, doc, isStatic: true, compute: (env) => of(env.skeleton) };
}

function candidate(name: string, doc: string, compute: (env: Env) => Relation): HostDefinition {
  return { name, doc, isStatic: false, compute };
}

/** Per skeleton: the reads that are not lock reads and the writes that are ordinary, or null when every read or write is. */
const ordinary = new WeakMap<Skeleton, { reads: EventSet | null; writes: EventSet | null }>();

function ordinaryOf(sk: Skeleton): { reads: EventSet | null; writes: EventSet | null } {
  let o = ordinary.get(sk);
  if (!o) {
    const locked = lockReads(sk);
    o = { reads: locked.isEmpty() ? null : locked.complement(), writes: kinds(sk, 'LKW', 'UL').isEmpty() ? null : plainWrites(sk) };
    ordinary.set(sk, o);
  }
  return o;
}

function rfOf(env: Env): Relation {
  const reads = ordinaryOf(env.skeleton).reads;
  return reads === null ? env.x.rf : env.x.rf.restrictRange(reads);
}

/** co on the ordinary writes: an order (transitive), like co itself. */
function coOf(env: Env): Relation {
  const w = ordinaryOf(env.skeleton).writes;
  return (w === null ? env.x.co : env.x.co.between(w, w)).markTransitive();
}

function frOf(env: Env): Relation {
  return rfOf(env).inverse().seq(coOf(env)).withoutIdentity();
}

/** The tag an enumeration's `'name` stands for in our events, and the set herd7 names after it. */
export function tagSetName(tag: string): string {
  return tag.charAt(0).toUpperCase() + tag.slice(1);
}

export function taggedEvents(sk: Skeleton, tag: string): EventSet {
  return sk.sets.tag(tag.toLowerCase() as Tag);
}

/** The names of the functions herd7 provides (and those of its standard library the kernel's files use). */
export const HOST_FUNCTION_NAMES = ['domain', 'range', 'fencerel', 'singlestep', 'different-values', 'map', 'cross', 'coherence-orders'] as const;

/** One of the host's functions, over one candidate. */
export function hostFunction(env: Env, name: string): CatFunction | undefined {
  const n = env.n;
  const asRelation = (v: CatValue, what: string): Relation => {
    if (v instanceof Relation) return v;
    if (!(v instanceof EventSet) && v.kind === 'empty') return Relation.empty(n);
    throw new HostError(`${what} takes a relation`);
  };
  const asSet = (v: CatValue, what: string): EventSet => {
    if (v instanceof EventSet) return v;
    if (!(v instanceof Relation) && v.kind === 'empty') return EventSet.empty(n);
    throw new HostError(`${what} takes a set of events`);
  };
  const fn = (arity: number, call: (args: readonly CatValue[]) => CatValue): CatFunction => ({ kind: 'function', arity, call: (args) => call(args) });
  switch (name) {
    case 'domain': return fn(1, ([r]) => asRelation(r!, 'domain').domain());
    case 'range': return fn(1, ([r]) => asRelation(r!, 'range').range());
    case 'fencerel': return fn(1, ([s]) => env.skeleton.po.restrictRange(asSet(s!, 'fencerel')).seq(env.skeleton.po));
    case 'singlestep': return fn(1, ([r]) => {
      const rel = asRelation(r!, 'singlestep');
      const steps = rel.diff(rel.seq(rel));
      return env.x.partial === true ? certainSteps(rel, steps) : steps;
    });
    case 'different-values': return fn(1, ([r]) => {
      const rel = asRelation(r!, 'different-values');
      if (rel.isEmpty()) return rel;
      const values = env.x.values;
      return Relation.fromPairs(n, [...rel.pairs()].filter(([a, b]) => !sameValue(values[a] ?? 0, values[b] ?? 0)));
    });
    case 'map': return fn(2, ([f, s]) => mapOver(f!, s!, n));
    case 'cross': return fn(1, ([s]) => crossOf(s!));
    case 'coherence-orders': return fn(2, ([s, base]) => coherenceOrders(asSet(s!, 'coherence-orders'), asRelation(base!, 'coherence-orders')));
    default: return undefined;
  }
}

/**
 * The steps of an order still being chosen (a partial execution's co) that
 * every completion keeps: a step a → b stays when every event ordered with
 * a or b is ordered with both, so that nothing can come between them
 * later. On a total order these are all its steps; on the orders the
 * enumeration grows (a prefix of each location's order, before the writes
 * still to place), they only grow as the order does, which is what pruning
 * a partial execution needs.
 */
function certainSteps(order: Relation, steps: Relation): Relation {
  if (steps.isEmpty()) return steps;
  // Rows of comparability: a is ordered with c either way. A step a → b is certain when a and b are ordered
  // with the same events (a and b aside).
  const ordered = order.union(order.inverse());
  const { n, w } = order;
  const out = new Relation(n);
  for (const [a, b] of steps.pairs()) {
    let same = true;
    for (let k = 0; k < w && same; k++) {
      let differ = ordered.bits[a * w + k]! ^ ordered.bits[b * w + k]!;
      if (a >>> 5 === k) differ &= ~(1 << (a & 31));
      if (b >>> 5 === k) differ &= ~(1 << (b & 31));
      same = differ === 0;
    }
    if (same) out.bits[a * w + (b >>> 5)]! |= 1 << (b & 31);
  }
  return out;
}

/** A host function given the wrong kind of value: the caller locates it. */
export class HostError extends Error {}

/** `map f S`: f applied to each member of S (each event of a set, each pair of a relation, each value of a set of values). */
function mapOver(f: CatValue, s: CatValue, n: number): CatValue {
  if (f instanceof EventSet || f instanceof Relation || f.kind !== 'function') throw new HostError('map applies a function');
  const call = (v: CatValue): CatValue => f.call([v], { line: 0, col: 0, offset: 0 });
  const single = (e: number): EventSet => EventSet.of(n, [e]);
  if (s instanceof EventSet) return { kind: 'values', items: s.toArray().map((e) => call(single(e))) };
  if (s instanceof Relation) return { kind: 'values', items: [...s.pairs()].map(([a, b]) => call({ kind: 'tuple', items: [single(a), single(b)] })) };
  if (s.kind === 'empty') return { kind: 'values', items: [] };
  if (s.kind === 'values') return { kind: 'values', items: s.items.map(call) };
  throw new HostError('map ranges over a set');
}

/**
 * `cross(S)`, S a set of sets of relations: every union of one member of
 * each. The candidate's choice is the member of each that its rf and co
 * hold (exactly one of each).
 */
function crossOf(s: CatValue): CatValue {
  const factors = s instanceof EventSet || s instanceof Relation ? null : s.kind === 'empty' ? [] : s.kind === 'values' ? s.items : null;
  if (!factors) throw new HostError('cross takes a set of sets of relations');
  const members = factors.map((f) => {
    if (f instanceof Relation) return [f];
    if (f instanceof EventSet) throw new HostError('cross takes a set of sets of relations');
    if (f.kind === 'empty') return [];
    if (f.kind !== 'values' || !f.items.every((r) => r instanceof Relation)) throw new HostError('cross takes a set of sets of relations');
    return f.items as readonly Relation[];
  });
  // No factor offers a choice (no failed trylock, say): the choice is known from the skeleton.
  const fixed = members.every((m) => m.length === 1) ? members.reduce<Relation | null>((a, m) => (a ? a.union(m[0]!) : m[0]!), null) : null;
  return {
    kind: 'choices',
    ...(members.length === 0 ? { fixed: null } : fixed ? { fixed } : {}),
    pick: (rf, co, partial) => {
      let chosen = Relation.empty(rf.n);
      const communication = rf.union(co);
      for (const options of members) {
        const held = options.filter((r) => r.diff(communication).isEmpty());
        // A partial execution may not have chosen yet (none held), or, as an upper bound, hold several.
        if (held.length !== 1 && !partial) return null;
        for (const r of held) chosen = chosen.union(r);
      }
      return chosen;
    },
  };
}

/**
 * Every coherence order of the writes `s` that extends `base` (co0: the
 * initial writes first): the candidate's is its co on those writes. (The
 * enumeration puts initial writes first itself; a partial execution, whose
 * co is still being chosen, is asked too, so `base` is not checked here.)
 */
function coherenceOrders(s: EventSet, _base: Relation): CatValue {
  return {
    kind: 'choices',
    pick: (_rf, co) => (co.domain().union(co.range()).diff(s).isEmpty() ? co : co.between(s, s)).markTransitive(),
  };
}
