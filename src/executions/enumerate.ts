/**
 * Candidate executions of a program: every choice of one run per thread, of
 * a coherence order per location, and of a write for every read to read from.
 *
 * Choices that break per-location coherence on their own thread (a write
 * ordered before an earlier write of its thread, a read from a write its own
 * thread has already overwritten, ...) are pruned while choosing: no model
 * the project implements allows them, so the allowed executions, and so the
 * counts, are the same as with the full product.
 */

import { Relation } from '../relations/algebra.js';
import type { Program } from '../events/program.js';
import type { ThreadRun } from '../events/semantics.js';
import { sameValue, valueKey, type Value } from '../events/types.js';
import type { Candidate } from './candidate.js';
import { lockStructure } from './locks.js';
import { buildSkeleton, type Event, type Skeleton } from './skeleton.js';

/** Every combination of thread runs whose reads could all be satisfied by some write. */
export function* runCombinations(program: Program): Generator<ThreadRun[]> {
  const T = program.runs.length;
  const key = (loc: string, v: Value): string => `${loc}\u0000${valueKey(v)}`;
  const initKeys = new Set<string>();
  for (const [loc, v] of program.initial) initKeys.add(key(loc, v));
  const writeKeysOfRun = (run: ThreadRun): string[] =>
    run.events.filter((e) => e.kind === 'W' && e.location !== null && e.value !== null).map((e) => key(e.location!, e.value!));
  const readKeysOfRun = (run: ThreadRun): string[] =>
    run.events.filter((e) => e.kind === 'R' && e.location !== null && e.value !== null).map((e) => key(e.location!, e.value!));
  const runWrites = program.runs.map((runs) => runs.map(writeKeysOfRun));
  const runReads = program.runs.map((runs) => runs.map(readKeysOfRun));
  // suffix[t]: write keys some run of a thread >= t may produce.
  const suffix: Set<string>[] = new Array(T + 1);
  suffix[T] = new Set();
  for (let t = T - 1; t >= 0; t--) {
    const s = new Set(suffix[t + 1]);
    for (const keys of runWrites[t]!) for (const k of keys) s.add(k);
    suffix[t] = s;
  }
  const chosen: ThreadRun[] = [];
  const chosenWrites = new Map<string, number>();
  const available = (k: string, t: number): boolean => initKeys.has(k) || (chosenWrites.get(k) ?? 0) > 0 || suffix[t + 1]!.has(k);

  function* visit(t: number): Generator<ThreadRun[]> {
    if (t === T) {
      // Every read must have a write with its value among the chosen runs.
      for (let u = 0; u < T; u++) {
        const reads = runReads[u]![program.runs[u]!.indexOf(chosen[u]!)]!;
        for (const k of reads) if (!initKeys.has(k) && !(chosenWrites.get(k)! > 0)) return;
      }
      yield chosen.slice();
      return;
    }
    const runs = program.runs[t]!;
    for (let i = 0; i < runs.length; i++) {
      const writes = runWrites[t]![i]!;
      for (const k of writes) chosenWrites.set(k, (chosenWrites.get(k) ?? 0) + 1);
      const ok = runReads[t]![i]!.every((k) => available(k, t));
      if (ok) {
        chosen.push(runs[i]!);
        yield* visit(t + 1);
        chosen.pop();
      }
      for (const k of writes) chosenWrites.set(k, chosenWrites.get(k)! - 1);
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

/** The coherence orders one location's writes may take (initial write first, not listed). */
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

  const reads = events.filter((e) => e.kind === 'R' || e.kind === 'LF' || e.kind === 'RL' || e.kind === 'RU');
  const critical = locks.critical;
  const unlockOf = new Map<number, number>();
  for (const [lkw, ul] of critical.pairs()) unlockOf.set(lkw, ul);
  const lkwOfLkr = new Map<number, number>();
  for (const [lkr, lkw] of locks.lkRmw.pairs()) lkwOfLkr.set(lkr, lkw);

  for (const coChoice of product(coOrders)) {
    // Position of each write in its location's order (the initial write is -1).
    const position = new Map<number, number>();
    for (const order of coChoice) order.forEach((id, i) => position.set(id, i));
    for (const id of sk.initialWrite.values()) position.set(id, -1);

    // The writes each read may read from.
    const sources: number[][][] = reads.map((r) => readSources(sk, r, position, locks));
    if (sources.some((s) => s.length === 0)) continue;

    // The merged coherence order, with each unlock right after its lock write.
    const merged = new Map<string, number[]>();
    locations.forEach((loc, i) => {
      const order: number[] = [sk.initialWrite.get(loc)!];
      for (const id of coChoice[i]!) {
        order.push(id);
        const ul = unlockOf.get(id);
        if (ul !== undefined) order.push(ul);
      }
      merged.set(loc, order);
    });
    const coPairs: Array<[number, number]> = [];
    const finalValues = new Map<string, Value>();
    const lockRf: Array<[number, number]> = [];
    const predecessor = new Map<number, number>();
    for (const [loc, order] of merged) {
      for (let i = 0; i < order.length; i++) {
        for (let j = i + 1; j < order.length; j++) coPairs.push([order[i]!, order[j]!]);
        if (i > 0) predecessor.set(order[i]!, order[i - 1]!);
      }
      finalValues.set(loc, events[order[order.length - 1]!]!.value ?? 0);
    }
    // Each LKR reads from the write just before its LKW in co, when that is an initial write or an unlock.
    for (const [lkr, lkw] of lkwOfLkr) {
      const p = predecessor.get(lkw);
      if (p !== undefined && (events[p]!.thread < 0 || events[p]!.kind === 'UL')) lockRf.push([p, lkr]);
    }
    const co = Relation.fromPairs(sk.n, coPairs);

    for (const rfChoice of product(sources)) {
      const rfPairs: Array<[number, number]> = [...lockRf];
      rfChoice.forEach((ws, i) => {
        for (const w of ws) rfPairs.push([w, reads[i]!.id]);
      });
      yield { skeleton: sk, rf: Relation.fromPairs(sk.n, rfPairs), co, finalValues };
    }
  }
}

/**
 * The rf choices of one read, given the coherence order: each choice is the
 * list of writes it reads from (always one write, as it happens).
 */
function readSources(sk: Skeleton, r: Event, position: ReadonlyMap<number, number>, locks: ReturnType<typeof lockStructure>): number[][] {
  const { events } = sk;
  const loc = r.location!;
  if (r.kind === 'LF' || r.kind === 'RL') {
    const internal = [...locks.rfiLf.pairs()].filter(([, b]) => b === r.id).map(([a]) => a);
    if (internal.length > 0) return [internal];
    return events.filter((w) => w.kind === 'LKW' && w.location === loc && w.thread !== r.thread).map((w) => [w.id]);
  }
  if (r.kind === 'RU') {
    const internal = [...locks.rfiRu.pairs()].filter(([, b]) => b === r.id).map(([a]) => a);
    if (internal.length > 0) return [internal];
    return events.filter((w) => (w.kind === 'UL' || w.thread < 0) && w.location === loc && w.thread !== r.thread).map((w) => [w.id]);
  }
  // An ordinary read: a write of the same location with the value it returned.
  const choices: number[][] = [];
  for (const w of events) {
    if (w.kind !== 'W' || w.location !== loc || w.value === null || r.value === null || !sameValue(w.value, r.value)) continue;
    if (!coherentWithOwnThread(sk, r, w, position)) continue;
    choices.push([w.id]);
  }
  return choices;
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
