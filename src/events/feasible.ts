/**
 * Which runs of each thread can happen at all, judged from the values each
 * shared location can ever hold.
 *
 * The interpreter splits a thread's code into runs without knowing what its
 * reads return: an access through a pointer read from memory becomes one
 * run per location the pointer might name (and one where it holds an
 * integer), a branch on a value read becomes two runs. Most of those are
 * impossible: a pointer that only ever holds `&x` or `&y` never names the
 * other locations. Leaving them in would multiply the combinations of runs
 * the enumeration goes through, with nothing to show for it.
 *
 * The values a location can hold are over-approximated by a fixed point:
 * its initial value, and every value a write of a feasible run can store
 * there; a run is feasible when each of its constraints can hold for some
 * choice of values its reads may return. Since every value an execution
 * reads is in these sets, no run that some execution takes is dropped.
 * (A value out of thin air is in no set: it never satisfies a constraint,
 * and herd7 drops an execution whose constraint depends on one, except that
 * a successful cmpxchg() tells its read's value, which is added to the
 * location's set.)
 */

import { evaluate, NO_RESULT, readsOf, truthy, type Term } from './terms.js';
import { isRead, valueKey, type Value } from './types.js';
import type { Constraint, ThreadRun } from './semantics.js';

/** A set of values, or `any` once it grows past what is worth tracking. */
export type ValueSet = Map<string, Value> | 'any';

/** The runs that can happen, and what each location can ever hold (an over-approximation). */
export interface Feasible {
  readonly runs: ThreadRun[][];
  readonly held: ReadonlyMap<string, ValueSet>;
}

/** The largest set tracked per location, and the most combinations of read values tried per term. */
const MAX_VALUES = 64;
const MAX_COMBINATIONS = 1024;

/** Every run of every thread that some assignment of possible values to its reads allows, and the values locations can hold. */
export function feasibleRuns(initial: ReadonlyMap<string, Value>, runs: readonly (readonly ThreadRun[])[]): Feasible {
  const held = new Map<string, ValueSet>();
  for (const [loc, v] of initial) held.set(loc, new Map([[valueKey(v), v]]));
  const add = (loc: string, values: ValueSet): boolean => {
    const set = held.get(loc) ?? new Map<string, Value>();
    if (set === 'any') return false;
    if (values === 'any') {
      held.set(loc, 'any');
      return true;
    }
    let grew = false;
    for (const [k, v] of values) {
      if (set.has(k)) continue;
      set.set(k, v);
      grew = true;
    }
    held.set(loc, set.size > MAX_VALUES ? 'any' : set);
    return grew;
  };
  // A constraint that assigns its read a value can always hold: that read may take the value from thin air.
  const feasible = (run: ThreadRun): boolean => run.constraints.every((c) => c.assigns !== undefined || canHold(run, c.term, c.holds, held)) && readsCanAgree(run, held);
  for (let grew = true; grew; ) {
    grew = false;
    for (const threadRuns of runs) {
      for (const run of threadRuns) {
        if (!feasible(run)) continue;
        for (const e of run.events) {
          if (e.location !== null && e.value !== null && !isRead(e.kind)) grew = add(e.location, possibleValues(run, e.value, held)) || grew;
        }
        for (const c of run.constraints) {
          const location = c.assigns ? run.events[c.assigns.read]!.location : null;
          if (c.assigns && location !== null) grew = add(location, possibleValues(run, c.assigns.value, held)) || grew;
        }
      }
    }
  }
  return { runs: runs.map((threadRuns) => threadRuns.filter(feasible)), held };
}

/** The values a term of a run can take, its reads returning any value their location can hold. */
export function possibleValues(run: ThreadRun, term: Term, held: ReadonlyMap<string, ValueSet>): ValueSet {
  const reads = [...readsOf(term)];
  const choices: Value[][] = [];
  let combinations = 1;
  for (const i of reads) {
    const set = held.get(run.events[i]!.location!) ?? 'any';
    if (set === 'any') return 'any';
    choices.push([...set.values()]);
    combinations *= set.size;
    if (combinations > MAX_COMBINATIONS) return 'any';
  }
  const out = new Map<string, Value>();
  const chosen = new Map<number, Value>();
  const visit = (k: number): void => {
    if (k === reads.length) {
      const v = evaluate(term, (i) => chosen.get(i));
      if (v !== undefined && v !== NO_RESULT) out.set(valueKey(v), v);
      return;
    }
    for (const v of choices[k]!) {
      chosen.set(reads[k]!, v);
      visit(k + 1);
    }
  };
  visit(0);
  return out.size > MAX_VALUES ? 'any' : out;
}

/**
 * Whether, for every read that some of a run's constraints mention alone,
 * one value of it satisfies all of those constraints at once: a run that
 * assumed both that a cmpxchg() succeeded (it read the expected value) and
 * that its branch on that value went the other way is impossible, though
 * each assumption on its own is not. The values tried are those the read's
 * location can hold and those a constraint assigns it.
 */
function readsCanAgree(run: ThreadRun, held: ReadonlyMap<string, ValueSet>): boolean {
  for (const [read, constraints] of constraintsByRead(run)) {
    if (constraints.length < 2) continue;
    const set = held.get(run.events[read]!.location!) ?? 'any';
    if (set === 'any') continue;
    const tried = [...set.values()];
    for (const c of constraints) {
      const assigned = c.assigns?.read === read ? evaluate(c.assigns.value, () => undefined) : undefined;
      if (assigned !== undefined && assigned !== NO_RESULT) tried.push(assigned);
    }
    if (!tried.some((v) => holdWith(constraints, read, v))) return false;
  }
  return true;
}

/** A run's constraints that mention one read and nothing else, by that read. */
export function constraintsByRead(run: ThreadRun): Map<number, Constraint[]> {
  const onRead = new Map<number, Constraint[]>();
  for (const c of run.constraints) {
    const reads = readsOf(c.term);
    if (reads.size !== 1) continue;
    const [read] = reads;
    onRead.set(read!, [...(onRead.get(read!) ?? []), c]);
  }
  return onRead;
}

/** Whether constraints on one read all hold when it returns `v` (one with no result does not). */
export function holdWith(constraints: readonly Constraint[], read: number, v: Value): boolean {
  return constraints.every((c) => {
    const r = evaluate(c.term, (i) => (i === read ? v : undefined));
    return r !== undefined && r !== NO_RESULT && truthy(r) === c.holds;
  });
}

/** Whether a constraint of a run can hold (be truthy, or falsy when `holds` is false) for some values of its reads. */
function canHold(run: ThreadRun, term: Term, holds: boolean, held: ReadonlyMap<string, ValueSet>): boolean {
  const values = possibleValues(run, term, held);
  if (values === 'any') return true;
  for (const v of values.values()) if (truthy(v) === holds) return true;
  return false;
}
