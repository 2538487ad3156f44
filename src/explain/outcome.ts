/**
 * Why an outcome can or cannot happen: the executions that would produce
 * it, each with the axiom that forbids it, or a witness that the model
 * allows, told as a story.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { buildProgram } from '../events/program.js';
import type { Candidate } from '../executions/candidate.js';
import { candidates } from '../executions/enumerate.js';
import { lkmm } from '../models/lkmm.js';
import { checkModel, type MemoryModel } from '../models/model.js';
import { checkProgram, finalValue, type CheckResult } from '../verdict/check.js';
import { evaluate, showProp } from '../verdict/condition.js';
import { witnessStory, type StoryStep } from './story.js';
import type { Violation } from './types.js';
import { violationOf } from './violations.js';

export interface ForbiddenExecution {
  readonly execution: Candidate;
  readonly violation: Violation;
}

export interface Witness {
  readonly execution: Candidate;
  readonly story: readonly StoryStep[];
}

export interface OutcomeExplanation {
  readonly result: CheckResult;
  /** The outcome explained, in herd7's notation: the condition's proposition, or its negation for forall. */
  readonly outcome: string;
  /** Candidate executions with the outcome that the model forbids, one per distinct reason (at most `limit`), with why. */
  readonly forbidden: readonly ForbiddenExecution[];
  /** How many candidate executions with the outcome the model forbids in all. */
  readonly forbiddenCount: number;
  /** An allowed execution with the outcome, if there is one. */
  readonly witness: Witness | null;
}

export interface ExplainOptions {
  readonly model?: MemoryModel;
  /** How many forbidden executions to explain (default 3). */
  readonly limit?: number;
}

/**
 * Explains the outcome a test asks about: for `exists P` and `~exists P`
 * the executions ending in P, for `forall P` those ending outside P.
 */
export function explainOutcome(test: LitmusTest, options: ExplainOptions = {}): OutcomeExplanation {
  const model = options.model ?? lkmm;
  const limit = options.limit ?? 3;
  const program = buildProgram(test);
  const result = checkProgram(program, { model });
  const wanted = test.condition.quantifier !== 'forall';
  const forbidden: ForbiddenExecution[] = [];
  let forbiddenCount = 0;
  let witness: Witness | null = null;
  const seen = new Set<string>();
  for (const x of candidates(program, { everyCandidate: true })) {
    const lookup = (o: Parameters<typeof finalValue>[1]) => finalValue(x, o);
    if (evaluate(test.condition.prop, lookup) !== wanted) continue;
    const verdict = checkModel(model, x, false);
    if (verdict.allowed) {
      if (test.filter && !evaluate(test.filter, lookup)) continue;
      if (!witness) witness = { execution: x, story: witnessStory(model, x) };
    } else {
      forbiddenCount++;
      if (forbidden.length < limit) {
        // Keep one execution per distinct reason: many differ only in parts the cycle does not touch.
        const violation = violationOf(model, x)!;
        const key = `${violation.axiom.name}|${violation.edges.map((e) => e.sentence).join('|')}`;
        if (!seen.has(key)) {
          seen.add(key);
          forbidden.push({ execution: x, violation });
        }
      }
    }
  }
  const proposition = showProp(test.condition.prop);
  const outcome = wanted ? proposition : `not (${proposition})`;
  return { result, outcome, forbidden, forbiddenCount, witness };
}
