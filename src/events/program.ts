/**
 * A litmus test as a program: its shared locations with their initial values,
 * and every run of every thread.
 */

import type { CondTerm, LitmusTest, ValueLit } from '../litmus/ast.js';
import { termsOf } from '../litmus/terms.js';
import { LitmusError } from '../litmus/errors.js';
import { checkTest } from '../litmus/checks.js';
import { threadRuns, type ThreadRun } from './semantics.js';
import type { Primitive } from '../litmus/primitives.js';
import { feasibleRuns, type ValueSet } from './feasible.js';
import { address, type Value } from './types.js';

export interface Program {
  readonly test: LitmusTest;
  /** Shared locations, sorted by name. */
  readonly locations: readonly string[];
  readonly initial: ReadonlyMap<string, Value>;
  /** `runs[t]`: every run of thread t. */
  readonly runs: readonly (readonly ThreadRun[])[];
  /** What each location can ever hold, over-approximated (`any` when too many values or unknown). */
  readonly held: ReadonlyMap<string, ValueSet>;
}

/** A bound on how much work building the runs may do, so no input can eat the machine. */
export interface ProgramLimits {
  readonly maxRunsPerThread: number;
}

const DEFAULT_LIMITS: ProgramLimits = { maxRunsPerThread: 100_000 };

function literal(v: ValueLit): Value {
  return v.kind === 'int' ? v.value : address(v.location);
}

/** Every shared location the test mentions, with its initial value. */
function collectLocations(test: LitmusTest): Map<string, Value> {
  const initial = new Map<string, Value>();
  const mention = (name: string): void => {
    if (!initial.has(name)) initial.set(name, 0);
  };
  for (const entry of test.init) {
    if (entry.kind === 'location') {
      initial.set(entry.location, entry.value ? literal(entry.value) : 0);
      if (entry.value?.kind === 'address') mention(entry.value.location);
    } else if (entry.value.kind === 'address') {
      mention(entry.value.location);
    }
  }
  for (const thread of test.threads) for (const p of thread.params) mention(p.name);
  const term = (t: CondTerm): void => {
    if (t.kind === 'location') mention(t.location);
    if (t.kind === 'value' && t.value.kind === 'address') mention(t.value.location);
  };
  test.locations.forEach(term);
  if (test.filter) termsOf(test.filter).forEach(term);
  termsOf(test.condition.prop).forEach(term);
  return initial;
}

/** Builds the program: the locations and every run of every thread that the values in memory make possible. */
export function buildProgram(test: LitmusTest, limits: ProgramLimits = DEFAULT_LIMITS, primitives?: ReadonlyMap<string, Primitive>): Program {
  checkTest(test);
  const initial = collectLocations(test);
  const locations = [...initial.keys()].sort();
  checkThreadNumbers(test);
  const { runs, held } = feasibleRuns(initial, test.threads.map((code) => threadRuns(code, { test, locations, ...(primitives ? { primitives } : {}) }, limits.maxRunsPerThread)));
  return { test, locations, initial, runs, held };
}

function checkThreadNumbers(test: LitmusTest): void {
  test.threads.forEach((t, i) => {
    if (t.id !== i) throw new LitmusError(test.file, t.pos, `threads must be numbered P0, P1, ... in order; found P${t.id} where P${i} was expected`);
  });
}
