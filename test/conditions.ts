import type { Candidate, LitmusTest } from '../src/index.js';
import { evaluate } from '../src/verdict/condition.js';
import { finalValue } from '../src/verdict/check.js';

/** Whether a candidate's final state satisfies the test's proposition. */
export function evaluateCondition(test: LitmusTest, x: Candidate): boolean {
  return evaluate(test.condition.prop, (o) => finalValue(x, o));
}
