/**
 * The allowed executions of a test, grouped by the final state they end in:
 * what the playground lists (each state, then each of its executions, any of
 * which can be drawn) and what `check --executions` could print.
 */

import type { Candidate } from '../executions/candidate.js';
import { valueKey, type Value } from '../events/types.js';
import { observables } from './condition.js';
import { finalValue, type CheckResult, type FinalState } from './check.js';

export interface StateExecutions {
  readonly state: FinalState;
  /** The allowed executions that end in this state, in the order the enumeration met them. */
  readonly executions: readonly Candidate[];
}

/**
 * Groups `result`'s kept executions (check it with `keepExecutions: true`)
 * by final state, in the order of `result.states` (herd7's order).
 */
export function executionsByState(result: CheckResult): StateExecutions[] {
  if (result.executions === null) throw new Error('executionsByState: check the test with keepExecutions: true');
  const observed = observables(result.test);
  const key = (values: readonly Value[]): string => values.map(valueKey).join('\u0000');
  const groups = new Map<string, Candidate[]>(result.states.map((s) => [key(s.values.map(([, v]) => v)), []]));
  for (const x of result.executions) {
    const group = groups.get(key(observed.map((o) => finalValue(x, o))));
    if (group === undefined) throw new Error(`executionsByState: an execution ends in a state the result does not list`);
    group.push(x);
  }
  return result.states.map((state) => ({ state, executions: groups.get(key(state.values.map(([, v]) => v)))! }));
}
