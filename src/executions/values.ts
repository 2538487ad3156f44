/**
 * The values of a candidate's events. Reads return symbolic values (see
 * `src/events/terms.ts`); as the enumeration chooses a write for each read,
 * the values that become known are propagated, and a choice that breaks a
 * run's constraints (a branch it assumed, a location it assumed a pointer
 * names) is found at once.
 */

import { evaluate, truthy, type Term } from '../events/terms.js';
import { type Value } from '../events/types.js';
import type { Event, Skeleton } from './skeleton.js';

/** Evaluates the terms of a skeleton's events, given what the reads returned so far. */
export class Solver {
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
    return this.consistent(read);
  }

  /** Whether no constraint is contradicted by the reads' values known so far. */
  consistent(read: ReadonlyArray<Value | undefined>): boolean {
    for (const c of this.constraints) {
      const v = this.valueOf(c.thread, c.term, read);
      if (v !== undefined && truthy(v) !== c.holds) return false;
    }
    return true;
  }
}

/**
 * The value of every event once all sources are chosen. Reads still unknown
 * are caught in a cycle with no constant to start from (out of thin air):
 * reads that copy each other's values share one symbol, as in herd7.
 */
export function finishValues(sk: Skeleton, solver: Solver, read: ReadonlyArray<Value | undefined>, source: Int32Array, reads: readonly Event[]): Array<Value | null> {
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
export function unsolvedSymbol(term: Term, thread: number, sk: Skeleton, known: ReadonlyArray<Value | null | undefined>): Value {
  if (term.kind === 'read') {
    const v = known[sk.offsets[thread]! + term.index];
    if (v !== undefined && v !== null) return v;
  }
  return { symbol: sk.n + (thread + 1) * 1000 };
}
