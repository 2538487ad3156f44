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
import type { ThreadRun } from '../events/semantics.js';
import { evaluate, truthy, type Term } from '../events/terms.js';
import { type Value } from '../events/types.js';
import type { Candidate } from './candidate.js';
import { lockStructure, type LockStructure } from './locks.js';
import { buildSkeleton, type Event, type Skeleton } from './skeleton.js';

/** Every combination of thread runs. */
export function* runCombinations(program: Program): Generator<ThreadRun[]> {
  const T = program.runs.length;
  const chosen: ThreadRun[] = [];
  function* visit(t: number): Generator<ThreadRun[]> {
    if (t === T) {
      yield chosen.slice();
      return;
    }
    for (const run of program.runs[t]!) {
      chosen.push(run);
      yield* visit(t + 1);
      chosen.pop();
    }
  }
  yield* visit(0);
}

/** Every candidate execution of the program. */
export function* candidates(program: Program): Generator<Candidate> {
  for (const runs of runCombinations(program)) {
    yield* candidatesOfSkeleton(buildSkeleton(program.locations, program.initial, runs));
  }
}

/** The coherence orders one location's writes may take (the initial write first, not listed). */
function coherenceOrders(writes: readonly Event[], mustPrecede: (a: Event, b: Event) => boolean): number[][] {
  const orders: number[][] = [];
  const order: Event[] = [];
  const used = new Array<boolean>(writes.length).fill(false);
  const extend = (): void => {
    if (order.length === writes.length) {
      orders.push(order.map((e) => e.id));
      return;
    }
    for (let i = 0; i < writes.length; i++) {
      if (used[i]) continue;
      const w = writes[i]!;
      // w may come next only if every write that must precede it is already placed.
      let blocked = false;
      for (let j = 0; j < writes.length && !blocked; j++) if (!used[j] && j !== i && mustPrecede(writes[j]!, w)) blocked = true;
      if (blocked) continue;
      used[i] = true;
      order.push(w);
      extend();
      order.pop();
      used[i] = false;
    }
  };
  extend();
  return orders;
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

/** Evaluates the terms of a skeleton's events, given what the reads returned so far. */
class Solver {
  private readonly constraints: Array<{ thread: number; term: Term; holds: boolean }> = [];

  constructor(private readonly sk: Skeleton) {
    for (const run of sk.runs) for (const c of run.constraints) this.constraints.push({ thread: run.thread, term: c.term, holds: c.holds });
  }

  valueOf(thread: number, term: Term, read: ReadonlyArray<Value | null | undefined>): Value | undefined {
    if (thread < 0) return evaluate(term, () => undefined);
    const offset = this.sk.offsets[thread]!;
    return evaluate(term, (i) => read[offset + i] ?? undefined);
  }

  /**
   * Fills in the value of every read whose source write's value is now
   * known; returns false when a constraint is contradicted.
   */
  propagate(read: Array<Value | undefined>, source: Int32Array, reads: readonly Event[]): boolean {
    const { events } = this.sk;
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of reads) {
        if (read[r.id] !== undefined || source[r.id]! < 0) continue;
        const w = events[source[r.id]!]!;
        const v = this.valueOf(w.thread, w.value!, read);
        if (v !== undefined) {
          read[r.id] = v;
          changed = true;
        }
      }
    }
    for (const c of this.constraints) {
      const v = this.valueOf(c.thread, c.term, read);
      if (v !== undefined && truthy(v) !== c.holds) return false;
    }
    return true;
  }
}

/** Every candidate execution of one skeleton. */
export function* candidatesOfSkeleton(sk: Skeleton): Generator<Candidate> {
  const { events } = sk;
  const locks = lockStructure(sk);
  const locations = [...sk.initialWrite.keys()];
  const samePo = (a: Event, b: Event): boolean => a.thread >= 0 && a.thread === b.thread && a.index < b.index;

  // Coherence orders, per location: ordinary writes and lock writes (LKW); unlocks are merged in later.
  const coOrders = locations.map((loc) => {
    const writes = events.filter((e) => e.location === loc && e.thread >= 0 && (e.kind === 'W' || e.kind === 'LKW'));
    return coherenceOrders(writes, (a, b) =>
      samePo(a, b) || (a.kind === 'LKW' && b.kind === 'LKW' && locks.unmatchedLkw.has(b.id) && !locks.unmatchedLkw.has(a.id)) ||
      (locks.unmatchedLkw.has(a.id) && locks.unmatchedLkw.has(b.id) && a.id !== b.id));
  });
  if (coOrders.some((o) => o.length === 0)) return;

  const valueReads = events.filter((e) => e.kind === 'R');
  const lockReads = events.filter((e) => e.kind === 'LF' || e.kind === 'RL' || e.kind === 'RU');
  const unlockOf = new Map<number, number>();
  for (const [lkw, ul] of locks.critical.pairs()) unlockOf.set(lkw, ul);
  const lkwOfLkr = new Map<number, number>();
  for (const [lkr, lkw] of locks.lkRmw.pairs()) lkwOfLkr.set(lkr, lkw);
  const solver = new Solver(sk);

  for (const coChoice of product(coOrders)) {
    // Position of each write in its location's order (the initial write is -1).
    const position = new Map<number, number>();
    for (const order of coChoice) order.forEach((id, i) => position.set(id, i));
    for (const id of sk.initialWrite.values()) position.set(id, -1);

    const valueSources = valueReads.map((r) => events.filter((w) => w.kind === 'W' && w.location === r.location && coherentWithOwnThread(sk, r, w, position)).map((w) => w.id));
    if (valueSources.some((s) => s.length === 0)) continue;
    const lockSources = lockReads.map((r) => lockReadSources(sk, r, locks));
    if (lockSources.some((s) => s.length === 0)) continue;

    const co = mergedCoherence(sk, locations, coChoice, unlockOf);
    const lockRf = lockReadsFrom(sk, co.predecessor, lkwOfLkr);

    // Choose a source for each read in turn, propagating values and checking constraints.
    const source = new Int32Array(sk.n).fill(-1);
    const initialRead: Array<Value | undefined> = new Array(sk.n).fill(undefined);
    if (!solver.propagate(initialRead, source, valueReads)) continue;
    function* solutions(i: number, read: Array<Value | undefined>): Generator<Array<Value | undefined>> {
      if (i === valueReads.length) {
        yield read;
        return;
      }
      const r = valueReads[i]!;
      for (const w of valueSources[i]!) {
        source[r.id] = w;
        const next = read.slice();
        if (solver.propagate(next, source, valueReads)) yield* solutions(i + 1, next);
      }
      source[r.id] = -1;
    }

    for (const read of solutions(0, initialRead)) {
      const values = finishValues(sk, solver, read, source, valueReads);
      const finalValues = new Map<string, Value>();
      for (const [loc, order] of co.orders) finalValues.set(loc, values[order[order.length - 1]!] ?? 0);
      const registers = sk.runs.map((run) => {
        const m = new Map<string, Value>();
        for (const [name, term] of run.registers) m.set(name, solver.valueOf(run.thread, term, values) ?? unsolvedSymbol(term, run.thread, sk, values));
        return m;
      });
      for (const lockChoice of product(lockSources)) {
        const rfPairs: Array<[number, number]> = [...lockRf];
        valueReads.forEach((r) => rfPairs.push([source[r.id]!, r.id]));
        lockChoice.forEach((w, i) => rfPairs.push([w, lockReads[i]!.id]));
        yield { skeleton: sk, rf: Relation.fromPairs(sk.n, rfPairs), co: co.relation, values, finalValues, registers };
      }
    }
  }
}

/**
 * The value of every event once all sources are chosen. Reads still unknown
 * are caught in a cycle with no constant to start from (out of thin air):
 * reads that copy each other's values share one symbol, as in herd7.
 */
function finishValues(sk: Skeleton, solver: Solver, read: ReadonlyArray<Value | undefined>, source: Int32Array, reads: readonly Event[]): Array<Value | null> {
  const values: Array<Value | null> = new Array(sk.n).fill(null);
  const known = read.slice();
  // Unsolved reads that copy another read's value share its symbol.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let p = parent.get(x) ?? x;
    if (p !== x) {
      p = find(p);
      parent.set(x, p);
    }
    return p;
  };
  for (const r of reads) {
    if (known[r.id] !== undefined) continue;
    const w = sk.events[source[r.id]!]!;
    if (w.value?.kind === 'read' && w.thread >= 0) {
      const other = sk.offsets[w.thread]! + w.value.index;
      const a = find(r.id);
      const b = find(other);
      if (a !== b) parent.set(Math.min(a, b), Math.max(a, b));
    }
  }
  for (const r of reads) if (known[r.id] === undefined) known[r.id] = { symbol: find(r.id) };
  for (const e of sk.events) {
    if (e.value === null) continue;
    values[e.id] = e.kind === 'R' ? known[e.id]! : solver.valueOf(e.thread, e.value, known) ?? unsolvedSymbol(e.value, e.thread, sk, known);
  }
  return values;
}

/** A symbol for a term that cannot be evaluated: the first unsolved read it depends on. */
function unsolvedSymbol(term: Term, thread: number, sk: Skeleton, known: ReadonlyArray<Value | null | undefined>): Value {
  if (term.kind === 'read') {
    const v = known[sk.offsets[thread]! + term.index];
    if (v !== undefined && v !== null) return v;
  }
  return { symbol: sk.n + (thread + 1) * 1000 };
}

interface MergedCoherence {
  readonly relation: Relation;
  /** Per location, the writes in coherence order, the initial write first. */
  readonly orders: ReadonlyMap<string, readonly number[]>;
  /** The write just before each write in its location's order. */
  readonly predecessor: ReadonlyMap<number, number>;
}

/** The coherence order with each unlock placed right after its lock write (lock.cat). */
function mergedCoherence(sk: Skeleton, locations: readonly string[], coChoice: readonly number[][], unlockOf: ReadonlyMap<number, number>): MergedCoherence {
  const orders = new Map<string, number[]>();
  const pairs: Array<[number, number]> = [];
  const predecessor = new Map<number, number>();
  locations.forEach((loc, i) => {
    const order: number[] = [sk.initialWrite.get(loc)!];
    for (const id of coChoice[i]!) {
      order.push(id);
      const ul = unlockOf.get(id);
      if (ul !== undefined) order.push(ul);
    }
    orders.set(loc, order);
    for (let a = 0; a < order.length; a++) {
      for (let b = a + 1; b < order.length; b++) pairs.push([order[a]!, order[b]!]);
      if (a > 0) predecessor.set(order[a]!, order[a - 1]!);
    }
  });
  return { relation: Relation.fromPairs(sk.n, pairs), orders, predecessor };
}

/** Each LKR reads from the write just before its LKW in co, when that is an initial write or an unlock. */
function lockReadsFrom(sk: Skeleton, predecessor: ReadonlyMap<number, number>, lkwOfLkr: ReadonlyMap<number, number>): Array<[number, number]> {
  const rf: Array<[number, number]> = [];
  for (const [lkr, lkw] of lkwOfLkr) {
    const p = predecessor.get(lkw);
    if (p !== undefined && (sk.events[p]!.thread < 0 || sk.events[p]!.kind === 'UL')) rf.push([p, lkr]);
  }
  return rf;
}

/**
 * The writes a lock read (failed trylock, spin_is_locked()) may read from,
 * as lock.cat gives them: inside its own thread's critical section, that
 * section's lock write; otherwise a lock write (for LF, RL) or an unlock or
 * the initial write (for RU) of another thread.
 */
function lockReadSources(sk: Skeleton, r: Event, locks: LockStructure): number[] {
  const { events } = sk;
  const loc = r.location!;
  const internal = [...(r.kind === 'RU' ? locks.rfiRu : locks.rfiLf).pairs()].filter(([, b]) => b === r.id).map(([a]) => a);
  if (internal.length > 0) return internal;
  if (r.kind === 'RU') return events.filter((w) => (w.kind === 'UL' || w.thread < 0) && w.location === loc && w.thread !== r.thread).map((w) => w.id);
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
