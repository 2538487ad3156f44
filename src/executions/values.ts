/**
 * The values of a candidate's events. Reads return symbolic values (see
 * `src/events/terms.ts`); as the enumeration chooses a write for each read,
 * the values that become known are propagated, and a choice that breaks a
 * run's constraints (a branch it assumed, a location it assumed a pointer
 * names) is found at once.
 */

import { evaluate, NO_RESULT, truthy, type Term } from '../events/terms.js';
import { isUnsolved, sameValue, type Value } from '../events/types.js';
import type { Event, Skeleton } from './skeleton.js';

/**
 * Something a thread's term must come to (truthy when `holds`, falsy
 * otherwise). A run's own constraints cannot hold when the term has no
 * result; a `lenient` one (a filter's requirement) is contradicted only
 * by a value.
 */
export interface SolverConstraint {
  readonly thread: number;
  readonly term: Term;
  readonly holds: boolean;
  readonly lenient?: boolean;
}

/** Evaluates the terms of a skeleton's events, given what the reads returned so far. */
export class Solver {
  private readonly constraints: SolverConstraint[] = [];

  /** `extra`: constraints beyond the runs' own (the values a filter requires). */
  constructor(private readonly sk: Skeleton, extra: readonly SolverConstraint[] = []) {
    for (const run of sk.runs) for (const c of run.constraints) this.constraints.push({ thread: run.thread, term: c.term, holds: c.holds });
    this.constraints.push(...extra);
  }

  /** A term's value given the reads known so far: undefined while it needs an unknown read, NO_RESULT when an operation has none. */
  evaluation(thread: number, term: Term, read: ReadonlyArray<Value | null | undefined>): Value | undefined | typeof NO_RESULT {
    // Most terms are a constant or a read's value (a register copying it): no evaluator needed.
    if (term.kind === 'const') return term.value;
    if (thread < 0) return evaluate(term, () => undefined);
    const offset = this.sk.offsets[thread]!;
    if (term.kind === 'read') return read[offset + term.index] ?? undefined;
    return evaluate(term, (i) => read[offset + i] ?? undefined);
  }

  /** A term's value, or undefined when it is not known (yet) or has none. */
  valueOf(thread: number, term: Term, read: ReadonlyArray<Value | null | undefined>): Value | undefined {
    const v = this.evaluation(thread, term, read);
    return v === NO_RESULT ? undefined : v;
  }

  /**
   * Fills in the value of every read whose source write's value is now
   * known; returns false when a constraint is contradicted. Each read it
   * fills in is pushed on `trail`, when given, so that the caller can undo
   * the propagation instead of copying `read` beforehand.
   */
  propagate(read: Array<Value | undefined>, source: Int32Array, reads: readonly Event[], trail?: number[]): boolean {
    const { events } = this.sk;
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of reads) {
        if (read[r.id] !== undefined || source[r.id]! < 0) continue;
        const w = events[source[r.id]!]!;
        const v = this.evaluation(w.thread, w.value!, read);
        // A write whose value has no result (an impossible operation) cannot be read.
        if (v === NO_RESULT) return false;
        if (v !== undefined) {
          read[r.id] = v;
          trail?.push(r.id);
          changed = true;
        }
      }
    }
    return this.consistent(read);
  }

  /**
   * Whether no constraint is contradicted by the reads' values known so far.
   * A constraint whose operation has no result (an address that is no
   * location, say) cannot hold.
   */
  consistent(read: ReadonlyArray<Value | undefined>): boolean {
    for (const c of this.constraints) {
      const v = this.evaluation(c.thread, c.term, read);
      if (v === NO_RESULT) {
        if (c.lenient) continue;
        return false;
      }
      if (v !== undefined && truthy(v) !== c.holds) return false;
    }
    return true;
  }
}

/**
 * The value of every event once all sources are chosen, or null when the
 * execution is not one herd7 counts.
 *
 * Reads still unknown are caught in a cycle with no constant to start from
 * (out of thin air). They are solved the way herd7 solves its equations:
 * a read a run assumed to return a given value (a successful cmpxchg()'s
 * read) takes it, and the values that follow from it are propagated; reads
 * that still only copy each other's values share one symbol, and the
 * execution stands with its values printed as symbols. But when a
 * computation of some run (an operation, a branch condition, an address)
 * depends on such a value and cannot be evaluated, herd7's equations stay
 * unsolved and it does not count the execution, so neither do we.
 */
export function finishValues(sk: Skeleton, solver: Solver, read: ReadonlyArray<Value | undefined>, source: Int32Array, reads: readonly Event[]): Array<Value | null> | null {
  const values: Array<Value | null> = new Array(sk.n).fill(null);
  // Usually every read is known already; only a cycle out of thin air needs a copy to solve in.
  let known: ReadonlyArray<Value | undefined> = read;
  if (reads.some((r) => read[r.id] === undefined)) {
    const solving = read.slice();
    if (!solveThinAir(sk, solver, solving, source, reads)) return null;
    known = solving;
  }
  for (const e of sk.events) {
    if (e.value === null) continue;
    values[e.id] = e.kind === 'R' ? known[e.id]! : solver.valueOf(e.thread, e.value, known) ?? unsolvedSymbol(e.value, e.thread, sk, known);
  }
  return values;
}

/**
 * Gives every read still unknown a value or a symbol (see finishValues);
 * false when the execution is not one herd7 counts.
 */
function solveThinAir(sk: Skeleton, solver: Solver, known: Array<Value | undefined>, source: Int32Array, reads: readonly Event[]): boolean {
  // Unknown reads that copy another unknown read's value are one variable (herd7 unifies them first).
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let p = parent.get(x) ?? x;
    if (p !== x) {
      p = find(p);
      parent.set(x, p);
    }
    return p;
  };
  const unknown = reads.filter((r) => known[r.id] === undefined);
  for (const r of unknown) {
    const w = sk.events[source[r.id]!]!;
    if (w.value?.kind === 'read' && w.thread >= 0) {
      const other = sk.offsets[w.thread]! + w.value.index;
      if (known[other] !== undefined) continue;
      const a = find(r.id);
      const b = find(other);
      if (a !== b) parent.set(Math.min(a, b), Math.max(a, b));
    }
  }
  // A read a run assumed to return a given value (a successful cmpxchg()'s) takes it, with its whole variable;
  // what follows from it is propagated, until nothing more is learnt.
  for (let learnt = true; learnt; ) {
    learnt = false;
    for (const run of sk.runs) {
      for (const c of run.constraints) {
        if (!c.assigns) continue;
        const id = sk.offsets[run.thread]! + c.assigns.read;
        if (known[id] !== undefined) continue;
        const v = solver.valueOf(run.thread, c.assigns.value, known);
        if (v === undefined) continue;
        known[id] = v;
        learnt = true;
      }
    }
    if (!learnt) break;
    if (!solver.propagate(known, source, reads)) return false;
    for (const r of unknown) {
      const v = known[r.id];
      const root = find(r.id);
      if (v === undefined || root === r.id) continue;
      const rv = known[root];
      if (rv === undefined) known[root] = v;
      else if (!sameValue(rv, v)) return false;
    }
    for (const r of unknown) {
      const rv = known[find(r.id)];
      if (known[r.id] === undefined && rv !== undefined) known[r.id] = rv;
    }
  }
  // Each read must have the value its write stores.
  for (const r of reads) {
    if (known[r.id] === undefined) continue;
    const w = sk.events[source[r.id]!]!;
    const v = solver.evaluation(w.thread, w.value!, known);
    if (v === NO_RESULT || (v !== undefined && !sameValue(v, known[r.id]!))) return false;
  }
  for (const r of unknown) if (known[r.id] === undefined) known[r.id] = { symbol: find(r.id) };
  return everyComputationSolved(sk, solver, known);
}

/** Whether every computation and condition of every run has a value, unsolved symbols standing for the reads from thin air. */
function everyComputationSolved(sk: Skeleton, solver: Solver, known: ReadonlyArray<Value | undefined>): boolean {
  for (const run of sk.runs) {
    for (const t of run.computed) {
      const v = solver.evaluation(run.thread, t, known);
      if (v === undefined || v === NO_RESULT) return false;
    }
    for (const c of run.constraints) {
      const v = solver.evaluation(run.thread, c.term, known);
      // A branch on a value from thin air is an unsolved equation too (herd7 tests `v != 0`).
      if (v === undefined || v === NO_RESULT || isUnsolved(v) || truthy(v) !== c.holds) return false;
    }
  }
  return true;
}

/** A symbol for a term that cannot be evaluated: the first unsolved read it depends on. */
export function unsolvedSymbol(term: Term, thread: number, sk: Skeleton, known: ReadonlyArray<Value | null | undefined>): Value {
  if (term.kind === 'read') {
    const v = known[sk.offsets[thread]! + term.index];
    if (v !== undefined && v !== null) return v;
  }
  return { symbol: sk.n + (thread + 1) * 1000 };
}
