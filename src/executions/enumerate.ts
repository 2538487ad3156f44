/**
 * Candidate executions of a program: every choice of one run per thread, of
 * a coherence order per location, and of a write for every read to read from.
 *
 * Reads return symbolic values (see `src/events/terms.ts`). While writes are
 * chosen for the reads, one after another, the values that become known are
 * propagated, and a choice that breaks a run's constraints (a branch it
 * assumed, a location it assumed a pointer names) is abandoned at once.
 * Choices that break per-location coherence on their own thread (a write
 * ordered before an earlier write of its thread, a read from a write its own
 * thread has already overwritten, ...) are pruned too: no model the project
 * implements allows them, so the allowed executions, and so the counts, are
 * those of the full product.
 */

import { Relation } from '../relations/algebra.js';
import type { Program } from '../events/program.js';
import type { Constraint, ThreadRun } from '../events/semantics.js';
import { sameValue, type Value } from '../events/types.js';
import type { Candidate } from './candidate.js';
import { lockStructure, type LockStructure } from './locks.js';
import { buildSkeleton, type Event, type Skeleton } from './skeleton.js';
import { finishValues, Solver, unsolvedSymbol, type SolverConstraint } from './values.js';
import { constant, type Term } from '../events/terms.js';
import { constraintsByRead, holdWith } from '../events/feasible.js';
import { Budget, unlimited } from './budget.js';
import { Appearance, writersFirst, type ThreadSymmetry } from './symmetry.js';
import { CoherenceGraph, interveningForeignWrite, rmwWriteOfRead } from './prune.js';
import { RunSupport } from './support.js';

const ZERO: Term = constant(0);

/** Every combination of thread runs, but those in which some run assumes a value no write could give it (see support.ts). */
export function* runCombinations(program: Program, budget: Budget = unlimited()): Generator<ThreadRun[]> {
  const T = program.runs.length;
  const chosen: ThreadRun[] = [];
  const support = new RunSupport(program);
  function* visit(t: number): Generator<ThreadRun[]> {
    if (t === T) {
      yield chosen.slice();
      return;
    }
    for (const run of program.runs[t]!) {
      budget.step();
      chosen.push(run);
      if (!support.useful || support.supported(chosen)) yield* visit(t + 1);
      chosen.pop();
    }
  }
  yield* visit(0);
}

/** How the enumeration may skip candidates; none of it changes which candidates are allowed. */
export interface EnumerateOptions {
  /** Work limits, honoured inside the enumeration. */
  readonly budget?: Budget;
  /**
   * Prune choices that break coherence (`po-loc | com` acyclic) or RMW
   * atomicity as soon as they are made. Only for models with those axioms.
   */
  readonly pruneIncoherent?: boolean;
  /**
   * For a model whose axioms only get harder to satisfy as rf and co edges
   * are added (every relation an axiom tests is monotone in rf and co): true
   * when a partial candidate (some reads without a source yet) already breaks
   * an axiom, so that every completion of it is forbidden too.
   */
  readonly forbidsPartial?: (partial: Candidate) => boolean;
  /**
   * For a monotone model: true when every completion of a partial candidate
   * is allowed, given `upper`, the partial choice with every rf and co edge
   * its completions could still add (see `allowsEveryCompletion`). The
   * completions are then produced marked `allowedByBound`, and the caller
   * need not check them: a test whose executions are mostly allowed costs
   * about one model evaluation per such partial choice instead of one per
   * execution.
   */
  readonly allowsEvery?: (upper: Candidate) => boolean;
  /**
   * Keep even the candidates that break coherence on their own thread (a
   * write placed in co before an earlier write of its thread, a read from a
   * write its thread already overwrote). No model allows them, so counting
   * never needs them; explanations do, to show the coherence cycle.
   */
  readonly everyCandidate?: boolean;
  /**
   * Interchangeable threads (see symmetry.ts): only the executions whose
   * threads first write in the order of their numbers are produced; the
   * caller counts each for its whole orbit.
   */
  readonly symmetry?: ThreadSymmetry;
  /**
   * Final register values every execution the caller keeps must have (what a
   * test's `filter` requires of registers): a choice that contradicts one is
   * abandoned as soon as the values it needs are known, like a branch a run
   * assumed. The caller still applies its filter to what is produced.
   */
  readonly required?: readonly RequiredRegister[];
  /**
   * A ring's rotations (see rotation.ts): only the executions in which the
   * first thread to write `location` in coherence order is `first` are
   * produced, with those in which no thread writes it; the caller counts
   * the first kind for all their rotations.
   */
  readonly anchor?: { readonly location: string; readonly first: number };
}

/** A register's final value that every kept execution must have (`equal`), or must not. */
export interface RequiredRegister {
  readonly thread: number;
  readonly register: string;
  readonly value: Value;
  readonly equal: boolean;
}

/** Every candidate execution of the program (those pruned by `options` left out). */
export function* candidates(program: Program, options: EnumerateOptions = {}): Generator<Candidate> {
  const budget = options.budget ?? unlimited();
  // The skeletons of one program are alike: what partial checks achieve on one is a guide for the next.
  const patience = new Patience();
  // A run that cannot meet its thread's requirements is left out before runs are combined.
  const required = options.required;
  const runsKept = required ? { ...program, runs: program.runs.map((runs) => runs.filter((run) => runMeets(run, required))) } : program;
  for (const runs of runCombinations(runsKept, budget)) {
    if (options.symmetry && !writersFirst(runs, options.symmetry)) continue;
    yield* candidatesOfSkeleton(buildSkeleton(program.locations, program.initial, runs), { ...options, budget }, patience);
  }
}

/**
 * Per step of the choice (a coherence prefix of some length, the n-th read),
 * how many partial checks in a row have pruned nothing: a step whose checks
 * keep failing to prune stops being checked, so a test whose candidates are
 * mostly allowed pays for only a few. It affects speed only, never which
 * candidates are allowed.
 */
class Patience {
  private readonly fruitless = new Map<string, number>();

  worthChecking(step: string): boolean {
    return (this.fruitless.get(step) ?? 0) < PARTIAL_CHECK_PATIENCE;
  }

  record(step: string, pruned: boolean): void {
    this.fruitless.set(step, pruned ? 0 : (this.fruitless.get(step) ?? 0) + 1);
  }
}

/**
 * The coherence orders one location's writes may take (the initial write
 * first, not listed), generated one at a time: a location with many writes
 * has factorially many orders, which are never all held in memory. Each
 * prefix is offered to `accept` as it grows; a prefix it rejects is not
 * extended (every order starting with it is forbidden).
 */
function* coherenceOrders(writes: readonly Event[], mustPrecede: (a: Event, b: Event) => boolean, budget: Budget, accept?: (prefix: readonly number[]) => boolean): Generator<number[]> {
  const order: number[] = [];
  const used = new Array<boolean>(writes.length).fill(false);
  function* extend(): Generator<number[]> {
    if (order.length === writes.length) {
      yield order.slice();
      return;
    }
    for (let i = 0; i < writes.length; i++) {
      if (used[i]) continue;
      budget.step();
      const w = writes[i]!;
      // w may come next only if every write that must precede it is already placed.
      let blocked = false;
      for (let j = 0; j < writes.length && !blocked; j++) if (!used[j] && j !== i && mustPrecede(writes[j]!, w)) blocked = true;
      if (blocked) continue;
      used[i] = true;
      order.push(w.id);
      if (!accept || accept(order)) yield* extend();
      order.pop();
      used[i] = false;
    }
  }
  yield* extend();
}

function* product<T>(choices: readonly (readonly T[])[]): Generator<T[]> {
  const pick: T[] = new Array(choices.length);
  function* go(i: number): Generator<T[]> {
    if (i === choices.length) {
      yield pick;
      return;
    }
    for (const c of choices[i]!) {
      pick[i] = c;
      yield* go(i + 1);
    }
  }
  yield* go(0);
}

/**
 * A partial choice is checked against the model (`forbidsPartial`) only
 * where it can pay off: when at least this many completions would follow,
 * and, per depth of the choice, until that many checks in a row have
 * pruned nothing (a test whose candidates are mostly allowed then pays for
 * only a few partial checks). Neither affects which candidates are allowed.
 */
const PARTIAL_CHECK_MIN_COMPLETIONS = 4;
/** Below this many completions, checking each is as cheap as checking that all are allowed. */
const BOUND_CHECK_MIN_COMPLETIONS = 4;
const PARTIAL_CHECK_PATIENCE = 16;

/** How many coherence orders of one location are remembered for reuse across the other locations' choices. */
const MAX_REMEMBERED_ORDERS = 50_000;

function* filtered<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

/**
 * Replays a generated sequence: the first complete pass is remembered when
 * it has at most `cap` items; a longer one is generated afresh each time, so
 * memory stays bounded.
 */
function replayable<T>(make: () => Iterable<T>, cap: number): () => Iterable<T> {
  let remembered: T[] | null = null;
  let tooMany = false;
  return () => {
    if (remembered) return remembered;
    if (tooMany) return make();
    return (function* () {
      const seen: T[] = [];
      for (const item of make()) {
        if (seen.length < cap) seen.push(item);
        else tooMany = true;
        yield item;
      }
      if (!tooMany) remembered = seen;
    })();
  };
}

interface Viability {
  /** Whether a whole order leaves every read of the location a source. */
  readonly whole: (order: readonly number[]) => boolean;
  /** Whether a prefix, its last write just placed, leaves a source to each read that must read from before that write. */
  readonly prefix: (prefix: readonly number[]) => boolean;
}

/**
 * Whether a coherence order of one location leaves every read of that
 * location some write to read from. A source is ruled out when reading it
 * would break coherence with the read's own thread, RMW atomicity (see
 * prune.ts), or a branch constraint that the source's value alone already
 * decides (a constant value, so the read returns it in any completion).
 * The full enumeration rules out exactly these sources too, so an order
 * rejected here would give no candidate; rejecting it before the other
 * locations' orders are combined with it saves their whole product.
 */
function locallyViable(sk: Skeleton, loc: string, valueReads: readonly Event[], rmwWrite: ReadonlyMap<number, number>, solver: Solver): Viability {
  const reads = valueReads.filter((r) => r.location === loc);
  const writes = sk.events.filter((w) => w.kind === 'W' && w.location === loc);
  const hasUnlocks = sk.events.some((e) => e.kind === 'UL' && e.location === loc);
  const threadOf = (e: number): number => sk.events[e]!.thread;
  const initial = sk.initialWrite.get(loc)!;
  // Per read and source: whether the source's constant value contradicts a constraint on its own.
  const refutedBy = reads.map((r) => {
    const refuted = new Set<number>();
    for (const w of writes) {
      const v = solver.valueOf(w.thread, w.value!, []);
      if (v === undefined) continue;
      const only: Array<Value | undefined> = new Array(sk.n).fill(undefined);
      only[r.id] = v;
      if (!solver.consistent(only)) refuted.add(w.id);
    }
    return refuted;
  });
  const viableSource = (r: Event, k: number, w: Event, position: ReadonlyMap<number, number>, full: readonly number[]): boolean => {
    if (refutedBy[k]!.has(w.id) || !coherentWithOwnThread(sk, r, w, position)) return false;
    const rmw = rmwWrite.get(r.id);
    return rmw === undefined || hasUnlocks || !interveningForeignWrite(full, w.id, rmw, threadOf, r.thread);
  };
  // Per write: the reads of its thread for which it is the next write to the location (their source must come before it).
  const boundedBy = new Map<number, number[]>();
  reads.forEach((r, k) => {
    const next = sk.events.find((w) => w.thread === r.thread && w.location === loc && (w.kind === 'W' || w.kind === 'LKW') && w.index > r.index);
    if (next) boundedBy.set(next.id, [...(boundedBy.get(next.id) ?? []), k]);
  });
  return {
    whole: (order) => {
      if (reads.length === 0) return true;
      const position = new Map<number, number>([[initial, -1]]);
      order.forEach((id, i) => position.set(id, i));
      const full = [initial, ...order];
      return reads.every((r, k) => writes.some((w) => viableSource(r, k, w, position, full)));
    },
    prefix: (prefix) => {
      // Only the reads bounded by the write just placed are new: every source they may take is placed already.
      const bounded = boundedBy.get(prefix[prefix.length - 1]!);
      if (!bounded) return true;
      const position = new Map<number, number>([[initial, -1]]);
      prefix.forEach((id, i) => position.set(id, i));
      const full = [initial, ...prefix];
      return bounded.every((k) => writes.some((w) => position.has(w.id) && viableSource(reads[k]!, k, w, position, full)));
    },
  };
}

/**
 * Every candidate execution of one skeleton.
 *
 * The choices are made location by location: first the location's
 * coherence order, one write at a time, then a source for each of its
 * reads. After each step the choice so far is tried on the model
 * (`forbidsPartial`), where that pays, with the rf and co edges chosen so far
 * (and the initial writes before the writes of the locations still to come):
 * every completion contains those edges, so a partial choice the model
 * already forbids is abandoned with all its completions. Deciding one
 * location's reads before the next location's order lets a lock (or a
 * location that plays one) order the critical sections before their
 * contents are enumerated.
 */
export function* candidatesOfSkeleton(sk: Skeleton, options: EnumerateOptions = {}, patience: Patience = new Patience()): Generator<Candidate> {
  const budget = options.budget ?? unlimited();
  const { events, n } = sk;
  const locks = lockStructure(sk);
  const locations = [...sk.initialWrite.keys()];
  const every = options.everyCandidate === true;
  const prune = options.pruneIncoherent === true;
  const forbidsPartial = options.forbidsPartial;
  const allowsEvery = every ? undefined : options.allowsEvery;
  const samePo = (a: Event, b: Event): boolean => !every && a.thread >= 0 && a.thread === b.thread && a.index < b.index;

  const valueReads = events.filter((e) => e.kind === 'R');
  const solver = new Solver(sk, requiredConstraints(sk, options.required ?? []));
  const rmwWrite = prune ? rmwWriteOfRead(sk) : new Map<number, number>();
  const threadOf = (e: number): number => events[e]!.thread;
  const unlockOf = new Map<number, number>();
  for (const [lkw, ul] of locks.critical.pairs()) unlockOf.set(lkw, ul);
  const lkwOfLkr = new Map<number, number>();
  for (const [lkr, lkw] of locks.lkRmw.pairs()) lkwOfLkr.set(lkr, lkw);
  const lockReads = events.filter((e) => e.kind === 'LF' || e.kind === 'RL' || e.kind === 'RU');
  const lockSources = lockReads.map((r) => lockReadSources(sk, r, locks));
  if (lockSources.some((s) => s.length === 0)) return;
  const lockCompletions = lockSources.reduce((a, s) => a * s.length, 1);
  const noValues: Array<Value | null> = new Array(n).fill(null);

  // Per location, in the order they are decided: its writes (ordinary and lock writes; unlocks follow their lock write) and reads.
  const plan = locations.map((loc) => {
    const writes = events.filter((e) => e.location === loc && e.thread >= 0 && (e.kind === 'W' || e.kind === 'LKW'));
    const mustPrecede = (a: Event, b: Event): boolean =>
      samePo(a, b) || (a.kind === 'LKW' && b.kind === 'LKW' && locks.unmatchedLkw.has(b.id) && !locks.unmatchedLkw.has(a.id)) ||
      (locks.unmatchedLkw.has(a.id) && locks.unmatchedLkw.has(b.id) && a.id !== b.id);
    const viable: Viability = prune ? locallyViable(sk, loc, valueReads, rmwWrite, solver) : { whole: () => true, prefix: () => true };
    const lkrs = [...lkwOfLkr].filter(([lkr]) => events[lkr]!.location === loc);
    // The writes a value read of the location may read from (initial write included; not lock writes).
    const readable = events.filter((w) => w.kind === 'W' && w.location === loc);
    return { loc, initial: sk.initialWrite.get(loc)!, writes, readable, mustPrecede, viable, reads: valueReads.filter((r) => r.location === loc), lkrs };
  });
  const readOffset = plan.map((_, i) => plan.slice(0, i).reduce((a, p) => a + p.reads.length, 0));
  const prefixOffset = plan.map((_, i) => plan.slice(0, i).reduce((a, p) => a + p.writes.length + 1, 0));
  // The initial write of each location before its other writes, from location i on: in every completion.
  const initialEdgesFrom: Relation[] = new Array(plan.length + 1);
  initialEdgesFrom[plan.length] = Relation.empty(n);
  for (let i = plan.length - 1; i >= 0; i--) {
    const { initial, loc } = plan[i]!;
    const later = events.filter((w) => w.location === loc && w.thread >= 0 && (w.kind === 'W' || w.kind === 'LKW' || w.kind === 'UL'));
    initialEdgesFrom[i] = initialEdgesFrom[i + 1]!.union(Relation.fromPairs(n, later.map((w) => [initial, w.id] as const)));
  }
  // Where every location from j on has at most one write, its coherence order is known before it is chosen,
  // and so is every source its reads could have: allowsEvery can then be asked about all completions at once.
  // (Not with locks, whose reads follow from the coherence order.) fixedFrom[j]: allowsEvery may be asked from location j on.
  const lockFree = lockReads.length === 0 && !events.some((e) => e.kind === 'LKW' || e.kind === 'LKR' || e.kind === 'UL');
  const boundable = allowsEvery !== undefined && lockFree;
  const fixedFrom: boolean[] = new Array(plan.length + 1).fill(boundable);
  for (let j = plan.length - 1; j >= 0; j--) fixedFrom[j] = fixedFrom[j + 1]! && plan[j]!.writes.length <= 1;
  const laterRf: Array<Array<[number, number]>> = new Array(plan.length + 1);
  const laterCompletions: number[] = new Array(plan.length + 1);
  /** For location j from which every order is fixed: its only order, and each of its reads' possible sources. */
  const fixedPlan: Array<{ order: number[]; sources: number[][] }> = new Array(plan.length);
  laterRf[plan.length] = [];
  laterCompletions[plan.length] = 1;
  for (let j = plan.length - 1; j >= 0 && fixedFrom[j]; j--) {
    const p = plan[j]!;
    const position = new Map<number, number>([[p.initial, -1], ...p.writes.map((w) => [w.id, 0] as const)]);
    const sources = p.reads.map((r) => p.readable.filter((w) => coherentWithOwnThread(sk, r, w, position)).map((w) => w.id));
    laterRf[j] = [...sources.flatMap((ws, k) => ws.map((w) => [w, p.reads[k]!.id] as [number, number])), ...laterRf[j + 1]!];
    fixedPlan[j] = { order: [p.initial, ...p.writes.map((w) => w.id)], sources };
    laterCompletions[j] = Math.min(Number.MAX_SAFE_INTEGER, sources.reduce((a, ws) => a * Math.max(1, ws.length), laterCompletions[j + 1]!));
  }

  // Orders that no partial check depends on are the same every time: generate them once.
  const remembered = plan.map((p) => replayable(() => filtered(coherenceOrders(p.writes, p.mustPrecede, budget, p.viable.prefix), p.viable.whole), MAX_REMEMBERED_ORDERS));

  // The choice so far: each read's source, and the reads whose values it made known, in the order they became so.
  const source = new Int32Array(n).fill(-1);
  const trail: number[] = [];
  const rfPairs: Array<[number, number]> = [];
  const orders = new Map<string, number[]>();
  const position = new Map<number, number>();
  for (const { initial } of plan) position.set(initial, -1);
  const graph = prune ? new CoherenceGraph(n, plan.length + valueReads.length) : null;
  if (graph) graph.reset(sk.po.inter(sk.loc), Relation.empty(n), []);
  // A read no coherence cycle can pass through: the only write of its location is another thread's, and its own
  // thread touches the location nowhere else (a cycle would have to enter it by rf and leave by fr, which takes
  // two writes, or by program order). Its edges are left out of the coherence graph, and its choice unchecked.
  const isolated = new Set<number>();
  if (graph) {
    const atLocationOf = new Map<string | null, Event[]>();
    for (const e of events) if (e.thread >= 0) atLocationOf.set(e.location, [...(atLocationOf.get(e.location) ?? []), e]);
    for (const r of valueReads) {
      const others = atLocationOf.get(r.location)!.filter((e) => e.id !== r.id);
      if (others.filter((e) => e.kind !== 'R').length <= 1 && !others.some((e) => e.thread === r.thread)) isolated.add(r.id);
    }
  }
  // Per read, in the order they are chosen: whether it and every read after it go unchecked by the coherence graph.
  const uncheckedFrom: boolean[] = new Array(valueReads.length + 1).fill(true);
  {
    const inOrder = plan.flatMap((p) => p.reads);
    for (let f = inOrder.length - 1; f >= 0; f--) uncheckedFrom[f] = uncheckedFrom[f + 1]! && (graph === null || isolated.has(inOrder[f]!.id));
  }
  // Completions known to be allowed are produced in one loop (see allowedCompletions) when nothing needs checking.
  const loopable = options.symmetry === undefined && options.anchor === undefined;
  const tryPartial = (step: string, rf: () => Relation, co: () => Relation): boolean => {
    if (!forbidsPartial || !patience.worthChecking(step)) return false;
    budget.step();
    const forbidden = forbidsPartial({ skeleton: sk, rf: rf(), co: co(), values: noValues, finalValues: new Map(), registers: [], partial: true });
    patience.record(step, forbidden);
    return forbidden;
  };

  // With interchangeable threads: which have written before each location's order (see symmetry.ts).
  const appearanceAt: Array<Appearance | null> = new Array(plan.length + 1).fill(null);
  if (options.symmetry) appearanceAt[0] = new Appearance(options.symmetry);
  const anchorAt = options.anchor ? plan.findIndex((p) => p.loc === options.anchor!.location) : -1;
  const inTurn = (i: number, order: readonly number[]): boolean => {
    if (i === anchorAt && order.length > 0 && threadOf(order[0]!) !== options.anchor!.first) return false;
    const before = appearanceAt[i];
    if (!before) return true;
    const now = before.copy();
    return order.every((id) => now.write(threadOf(id)));
  };

  /** Location i's coherence orders, those whose prefixes the model already forbids left out. */
  function ordersAt(i: number, co: Relation): Iterable<number[]> {
    const p = plan[i]!;
    if (!forbidsPartial || p.writes.length < 2) return appearanceAt[i] || i === anchorAt ? filtered(remembered[i]!(), (order) => inTurn(i, order)) : remembered[i]!();
    let known: Relation | null = null;
    const rfSoFar = (): Relation => (known ??= Relation.fromPairs(n, rfPairs));
    const accept = (prefix: readonly number[]): boolean => {
      if (!inTurn(i, prefix) || !p.viable.prefix(prefix)) return false;
      // A prefix one short of the whole order decides it: the whole order is checked before the reads that follow.
      if (prefix.length >= p.writes.length - 1) return true;
      const step = `co ${prefixOffset[i]! + prefix.length}`;
      if (!forbidsPartial || !patience.worthChecking(step)) return true;
      const partial = prefixCoherence(sk, p, prefix, unlockOf);
      const lockRf = lockReadsFrom(sk, partial.predecessor, p.lkrs);
      const partialRf = lockRf.length === 0 ? rfSoFar() : rfSoFar().union(Relation.fromPairs(n, lockRf));
      return !tryPartial(step, () => partialRf, () => co.union(partial.relation).union(initialEdgesFrom[i + 1]!));
    };
    return filtered(coherenceOrders(p.writes, p.mustPrecede, budget, accept), p.viable.whole);
  }

  function* atLocation(i: number, depth: number, co: Relation, read: Array<Value | undefined>, known: boolean): Generator<Candidate> {
    if (i === plan.length) {
      yield* leaves(co, read, known);
      return;
    }
    const p = plan[i]!;
    for (const order of ordersAt(i, co)) {
      budget.step();
      const merged = mergedOrder(p.initial, order, unlockOf);
      order.forEach((id, k) => position.set(id, k));
      const here = orderRelation(n, merged);
      const coNext = co.union(here);
      const predecessor = new Map<number, number>();
      for (let k = 1; k < merged.length; k++) predecessor.set(merged[k]!, merged[k - 1]!);
      const lockRf = lockReadsFrom(sk, predecessor, p.lkrs);
      const sources = p.reads.map((r) => {
        const own = every ? p.readable : p.readable.filter((w) => coherentWithOwnThread(sk, r, w, position));
        const rmw = rmwWrite.get(r.id);
        if (rmw === undefined) return own.map((w) => w.id);
        // Atomicity (see prune.ts): no other thread's write between the source and the RMW's write.
        return own.filter((w) => !interveningForeignWrite(merged, w.id, rmw, threadOf, r.thread)).map((w) => w.id);
      });
      if (sources.some((s) => s.length === 0)) continue;
      // One write after the initial one, no unlock: its only co edge leaves the initial write, which no edge
      // enters, so it closes no cycle (reads' fr edges are taken from co when they are added).
      const plain = merged.length === 2 && lockRf.length === 0;
      if (graph && !plain) {
        graph.descend(depth);
        graph.addEdges(depth + 1, here);
        for (const [w, r] of lockRf) graph.addRead(depth + 1, w, r, coNext);
        if (graph.cyclic(depth + 1)) continue;
      }
      if (appearanceAt[i]) {
        const after = appearanceAt[i]!.copy();
        for (const id of order) after.write(threadOf(id));
        appearanceAt[i + 1] = after;
      }
      orders.set(p.loc, merged);
      rfPairs.push(...lockRf);
      yield* readsAt(i, 0, graph && !plain ? depth + 1 : depth, coNext, sources, read, known);
      rfPairs.length -= lockRf.length;
      orders.delete(p.loc);
    }
  }

  /**
   * Chooses a source for location i's k-th read, and so on, propagating values and checking constraints.
   * `known`: every completion of the choice so far is allowed (allowsEvery said so): nothing more to check.
   */
  function* readsAt(i: number, k: number, depth: number, co: Relation, sources: readonly number[][], read: Array<Value | undefined>, known: boolean): Generator<Candidate> {
    const p = plan[i]!;
    const step = readOffset[i]! + k;
    const last = i === plan.length - 1;
    // Where few completions remain (the last location's last reads), the full check of each is as cheap.
    const remaining = last ? sources.slice(k).reduce((a, s) => a * s.length, lockCompletions) : Infinity;
    if (!known && (k > 0 || i > 0) && remaining >= PARTIAL_CHECK_MIN_COMPLETIONS && tryPartial(`rf ${step}`, () => Relation.fromPairs(n, rfPairs), () => co.union(initialEdgesFrom[i + 1]!))) return;
    if (!known && fixedFrom[i + 1] && allAllowed(i, k, step, co, sources)) {
      // The bound paid off only if it spared checking at least two candidates (many branches die on their values).
      let produced = 0;
      const completions = loopable && uncheckedFrom[step]! ? allowedCompletions(i, k, co, sources, read) : readsAt(i, k, depth, co, sources, read, true);
      for (const x of completions) {
        produced++;
        yield x;
      }
      patience.record(`all ${step}`, produced >= 2);
      return;
    }
    if (k === p.reads.length) {
      yield* atLocation(i + 1, depth, co, read, known);
      return;
    }
    const r = p.reads[k]!;
    const checked = graph !== null && !isolated.has(r.id);
    for (const w of sources[k]!) {
      budget.step();
      source[r.id] = w;
      if (checked) {
        graph.descend(depth);
        graph.addRead(depth + 1, w, r.id, co);
        if (graph.cyclic(depth + 1)) continue;
      }
      // The values this choice makes known are filled into `read` and taken back out afterwards.
      const mark = trail.length;
      if (solver.propagate(read, source, valueReads, trail)) {
        rfPairs.push([w, r.id]);
        yield* readsAt(i, k + 1, checked ? depth + 1 : depth, co, sources, read, known);
        rfPairs.pop();
      }
      while (trail.length > mark) read[trail.pop()!] = undefined;
    }
    source[r.id] = -1;
  }

  /**
   * Every completion of the choice so far, all known to be allowed, when no read still to choose needs a
   * coherence check and every later location has its one order: the remaining reads' sources are chosen in
   * one loop, like the digits of a counter, instead of one generator per read.
   */
  function* allowedCompletions(i: number, k: number, co: Relation, sources: readonly number[][], read: Array<Value | undefined>): Generator<Candidate> {
    const rest: Array<{ read: number; sources: readonly number[] }> = plan[i]!.reads.slice(k).map((r, kk) => ({ read: r.id, sources: sources[k + kk]! }));
    for (let j = i + 1; j < plan.length; j++) {
      const { order, sources: fixed } = fixedPlan[j]!;
      orders.set(plan[j]!.loc, order);
      plan[j]!.reads.forEach((r, kk) => rest.push({ read: r.id, sources: fixed[kk]! }));
    }
    const coAll = co.union(initialEdgesFrom[i + 1]!);
    const base = rfPairs.length;
    const next = new Int32Array(rest.length);
    const marks = new Int32Array(rest.length);
    let d = 0;
    marks[0] = trail.length;
    while (d >= 0) {
      if (d === rest.length) {
        yield* leaves(coAll, read, true);
        d--;
        continue;
      }
      const { read: r, sources: ws } = rest[d]!;
      while (trail.length > marks[d]!) read[trail.pop()!] = undefined;
      rfPairs.length = base + d;
      if (next[d]! === ws.length) {
        next[d] = 0;
        source[r] = -1;
        d--;
        continue;
      }
      budget.step();
      const w = ws[next[d]!]!;
      next[d]!++;
      source[r] = w;
      if (!solver.propagate(read, source, valueReads, trail)) continue;
      rfPairs.push([w, r]);
      d++;
      if (d < rest.length) marks[d] = trail.length;
    }
    rfPairs.length = base;
    for (let j = i + 1; j < plan.length; j++) orders.delete(plan[j]!.loc);
  }

  /**
   * Whether every completion of the choice so far (location i's reads from the k-th on, and every later
   * location, each with at most one write) is allowed: one model evaluation on the choice with every edge
   * those completions could add. Asked where enough completions remain, and only while it keeps paying off.
   */
  function allAllowed(i: number, k: number, step: number, co: Relation, sources: readonly number[][]): boolean {
    const completions = sources.slice(k).reduce((a, ws) => a * ws.length, laterCompletions[i + 1]!);
    const key = `all ${step}`;
    if (completions < BOUND_CHECK_MIN_COMPLETIONS || !patience.worthChecking(key)) return false;
    budget.step();
    const reads = plan[i]!.reads;
    const rf = Relation.fromPairs(n, [...rfPairs, ...sources.slice(k).flatMap((ws, kk) => ws.map((w) => [w, reads[k + kk]!.id] as [number, number])), ...laterRf[i + 1]!]);
    const allowed = allowsEvery!({ skeleton: sk, rf, co: co.union(initialEdgesFrom[i + 1]!), values: noValues, finalValues: new Map(), registers: [], partial: true });
    // An allowed bound is recorded by the caller, once it knows how many candidates it spared.
    if (!allowed) patience.record(key, false);
    return allowed;
  }

  /** The candidates of one complete choice of orders and value sources: one per choice of the lock reads' sources. */
  function* leaves(co: Relation, read: Array<Value | undefined>, known: boolean): Generator<Candidate> {
    const values = finishValues(sk, solver, read, source, valueReads);
    if (values === null) return;
    const finalWrites = new Int32Array(locations.length);
    locations.forEach((loc, k) => {
      const order = orders.get(loc)!;
      finalWrites[k] = order[order.length - 1]!;
    });
    const state = new FinalState(sk, solver, locations, values, finalWrites);
    if (lockReads.length === 0) {
      yield new EnumeratedCandidate(sk, rfPairs.slice(), co, values, state, known);
      return;
    }
    for (const lockChoice of product(lockSources)) {
      const pairs: Array<[number, number]> = [...rfPairs];
      lockChoice.forEach((w, k) => pairs.push([w, lockReads[k]!.id]));
      yield new EnumeratedCandidate(sk, pairs, co, values, state, known);
    }
  }

  const initialRead: Array<Value | undefined> = new Array(n).fill(undefined);
  if (!solver.propagate(initialRead, source, valueReads)) return;
  yield* atLocation(0, 0, Relation.empty(n), initialRead, false);
}

/** A requirement as a constraint on its thread's run: the register's final term compared with the value. */
function requiredConstraints(sk: Skeleton, required: readonly RequiredRegister[]): SolverConstraint[] {
  return required.map((q) => ({ thread: q.thread, term: { kind: 'binary', op: '==', left: sk.runs[q.thread]!.registers.get(q.register) ?? ZERO, right: constant(q.value) }, holds: q.equal, lenient: true }));
}

/**
 * Whether a run leaves its thread's requirements possible: a register it
 * leaves constant must already agree, and one that holds a read's value
 * must agree with the run's own constraints on that read (a failed
 * cmpxchg() cannot have read the value a filter requires it to return).
 */
function runMeets(run: ThreadRun, required: readonly RequiredRegister[]): boolean {
  let byRead: Map<number, Constraint[]> | null = null;
  return required.every((q) => {
    if (q.thread !== run.thread) return true;
    const term = run.registers.get(q.register) ?? ZERO;
    if (term.kind === 'const') return sameValue(term.value, q.value) === q.equal;
    if (term.kind !== 'read' || !q.equal) return true;
    byRead ??= constraintsByRead(run);
    return holdWith(byRead.get(term.index) ?? [], term.index, q.value);
  });
}

/**
 * A candidate as the enumeration yields it, its rf relation built when first
 * read: the model reads it at once, but a candidate known to be allowed
 * (allowedByBound) is usually only tallied by its final state.
 */
class EnumeratedCandidate implements Candidate {
  private rfRelation: Relation | null = null;

  constructor(
    readonly skeleton: Skeleton,
    private readonly rfPairs: ReadonlyArray<readonly [number, number]>,
    readonly co: Relation,
    readonly values: readonly (Value | null)[],
    private readonly state: FinalState,
    readonly allowedByBound: boolean,
  ) {}

  get rf(): Relation {
    return (this.rfRelation ??= Relation.fromPairs(this.skeleton.n, this.rfPairs));
  }

  get finalValues(): ReadonlyMap<string, Value> {
    return this.state.locations();
  }

  get registers(): readonly ReadonlyMap<string, Value>[] {
    return this.state.registers();
  }
}

/**
 * A candidate's final values of locations and registers, worked out from
 * its event values when first asked: many candidates are only looked at
 * for the few registers a condition names, or not at all.
 */
class FinalState {
  private locationValues: Map<string, Value> | null = null;
  private registerValues: Array<Map<string, Value>> | null = null;

  constructor(
    private readonly sk: Skeleton,
    private readonly solver: Solver,
    private readonly names: readonly string[],
    private readonly values: readonly (Value | null)[],
    /** Per location (in `names`' order), its last write in coherence order. */
    private readonly finalWrites: Int32Array,
  ) {}

  locations(): ReadonlyMap<string, Value> {
    if (this.locationValues === null) {
      this.locationValues = new Map();
      this.names.forEach((loc, k) => this.locationValues!.set(loc, this.values[this.finalWrites[k]!] ?? 0));
    }
    return this.locationValues;
  }

  registers(): readonly ReadonlyMap<string, Value>[] {
    if (this.registerValues === null) {
      const { sk, solver, values } = this;
      this.registerValues = sk.runs.map((run) => {
        const m = new Map<string, Value>();
        for (const [name, term] of run.registers) m.set(name, solver.valueOf(run.thread, term, values) ?? unsolvedSymbol(term, run.thread, sk, values));
        return m;
      });
    }
    return this.registerValues;
  }
}

/** A location's coherence order as the model sees it: the initial write first, each unlock right after its lock write (lock.cat). */
function mergedOrder(initial: number, order: readonly number[], unlockOf: ReadonlyMap<number, number>): number[] {
  const merged = [initial];
  for (const id of order) {
    merged.push(id);
    const ul = unlockOf.get(id);
    if (ul !== undefined) merged.push(ul);
  }
  return merged;
}

/** Every pair of a total order. */
function orderRelation(n: number, order: readonly number[]): Relation {
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < order.length; a++) for (let b = a + 1; b < order.length; b++) pairs.push([order[a]!, order[b]!]);
  return Relation.fromPairs(n, pairs);
}

/**
 * What every order of a location that starts with `prefix` has in common:
 * the initial write, then the prefix in order, each before every write not
 * yet placed. Also the write before each placed write, for lock reads.
 */
function prefixCoherence(sk: Skeleton, p: { readonly initial: number; readonly writes: readonly Event[] }, prefix: readonly number[], unlockOf: ReadonlyMap<number, number>): { relation: Relation; predecessor: Map<number, number> } {
  const merged = mergedOrder(p.initial, prefix, unlockOf);
  const pairs: Array<[number, number]> = [];
  for (let a = 0; a < merged.length; a++) for (let b = a + 1; b < merged.length; b++) pairs.push([merged[a]!, merged[b]!]);
  const placed = new Set(merged);
  for (const w of p.writes) {
    if (placed.has(w.id)) continue;
    const ul = unlockOf.get(w.id);
    for (const a of merged) {
      pairs.push([a, w.id]);
      if (ul !== undefined) pairs.push([a, ul]);
    }
    if (ul !== undefined) pairs.push([w.id, ul]);
  }
  const predecessor = new Map<number, number>();
  for (let k = 1; k < merged.length; k++) predecessor.set(merged[k]!, merged[k - 1]!);
  return { relation: Relation.fromPairs(sk.n, pairs), predecessor };
}

/** Each LKR reads from the write just before its LKW in co, when that is an initial write or an unlock. */
function lockReadsFrom(sk: Skeleton, predecessor: ReadonlyMap<number, number>, lkwOfLkr: Iterable<readonly [number, number]>): Array<[number, number]> {
  const rf: Array<[number, number]> = [];
  for (const [lkr, lkw] of lkwOfLkr) {
    const p = predecessor.get(lkw);
    if (p !== undefined && (sk.events[p]!.thread < 0 || sk.events[p]!.kind === 'UL')) rf.push([p, lkr]);
  }
  return rf;
}

/**
 * The writes a lock read (failed trylock, spin_is_locked()) may read from,
 * as lock.cat gives them. A failed trylock or a spin_is_locked() returning
 * true (LF, RL) inside its own thread's critical section reads that
 * section's lock write; outside one, a lock write of another thread. A
 * spin_is_locked() returning false (RU) reads its thread's last unlock
 * before it, or an unlock or the initial write from outside the thread.
 */
function lockReadSources(sk: Skeleton, r: Event, locks: LockStructure): number[] {
  const { events } = sk;
  const loc = r.location!;
  const internal = [...(r.kind === 'RU' ? locks.rfiRu : locks.rfiLf).pairs()].filter(([, b]) => b === r.id).map(([a]) => a);
  if (r.kind === 'RU') return [...internal, ...events.filter((w) => (w.kind === 'UL' || w.thread < 0) && w.location === loc && w.thread !== r.thread).map((w) => w.id)];
  if (internal.length > 0) return internal;
  return events.filter((w) => w.kind === 'LKW' && w.location === loc && w.thread !== r.thread).map((w) => w.id);
}

/** Whether reading r from w agrees with the writes of r's own thread to the same location (CoWR, CoRW). */
function coherentWithOwnThread(sk: Skeleton, r: Event, w: Event, position: ReadonlyMap<number, number>): boolean {
  const pw = position.get(w.id);
  if (pw === undefined) return false;
  for (const own of sk.events) {
    if (own.thread !== r.thread || own.location !== r.location || (own.kind !== 'W' && own.kind !== 'LKW')) continue;
    const po = position.get(own.id)!;
    if (own.index < r.index && pw < po) return false; // w is older than a write this thread already made
    if (own.index > r.index && pw >= po) return false; // w is this thread's later write, or newer than it
  }
  return true;
}
