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
import { checkProgram, finalValue, pruningFor, type CheckResult } from '../verdict/check.js';
import { evaluate, showProp } from '../verdict/condition.js';
import { witnessStory, type StoryStep } from './story.js';
import type { Violation } from './types.js';
import { violationOf } from './violations.js';
import { focusScore, type CycleFocus } from './focus.js';

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
  /** How many candidate executions with the outcome the model forbids in all (or at least, when not `forbiddenCountComplete`). */
  readonly forbiddenCount: number;
  /** False when the count stopped at `ExplainOptions.maxCandidates` candidates. */
  readonly forbiddenCountComplete: boolean;
  /** The candidate executions looked at for the forbidden ones. */
  readonly candidatesExamined: number;
  /** An allowed execution with the outcome, if there is one. */
  readonly witness: Witness | null;
}

export interface ExplainOptions {
  readonly model?: MemoryModel;
  /** How many forbidden executions to explain (default 3). */
  readonly limit?: number;
  /**
   * How many candidate executions to look at, incoherent ones included, for
   * forbidden executions with the outcome (default 100 000): past that the
   * count is a lower bound. Tests the size of the kernel's examples need a
   * few hundred; a test with factorially many candidates stops here instead
   * of running for hours.
   */
  readonly maxCandidates?: number;
  /**
   * The primitive the explanation is about (a barrier's page, a what-if's
   * change): each forbidden execution is shown with a cycle through it
   * where there is one, and executions with such a cycle come first.
   */
  readonly focus?: CycleFocus;
}

/** How many distinct reasons are gathered when a focus picks among them. */
const FOCUS_POOL = 20;

/** The default bound on candidates looked at for forbidden executions. */
export const EXPLAIN_MAX_CANDIDATES = 100_000;

/**
 * Explains the outcome a test asks about: for `exists P` and `~exists P`
 * the executions ending in P, for `forall P` those ending outside P.
 */
export function explainOutcome(test: LitmusTest, options: ExplainOptions = {}): OutcomeExplanation {
  const model = options.model ?? lkmm;
  const limit = options.limit ?? 3;
  const maxCandidates = options.maxCandidates ?? EXPLAIN_MAX_CANDIDATES;
  const program = buildProgram(test, undefined, model.primitives);
  const result = checkProgram(program, { model });
  const wanted = test.condition.quantifier !== 'forall';
  const hasOutcome = (x: Candidate): boolean => evaluate(test.condition.prop, (o) => finalValue(x, o)) === wanted;
  const passesFilter = (x: Candidate): boolean => !test.filter || evaluate(test.filter, (o) => finalValue(x, o));

  // A witness: the first allowed execution with the outcome. The check says whether there is one; the pruned
  // enumeration finds it fast, and it is the first the full enumeration below would meet too (pruning only
  // removes forbidden candidates, and keeps the others in their order).
  let witness: Witness | null = null;
  if ((wanted ? result.positive : result.negative) > 0) {
    for (const x of candidates(program, pruningFor(model))) {
      if (hasOutcome(x) && passesFilter(x) && checkModel(model, x, false).allowed) {
        witness = { execution: x, story: witnessStory(model, x) };
        break;
      }
    }
  }

  // The forbidden executions with the outcome, among every candidate (incoherent ones too), up to the bound.
  const forbidden: ForbiddenExecution[] = [];
  let forbiddenCount = 0;
  let examined = 0;
  let complete = true;
  const seen = new Set<string>();
  for (const x of candidates(program, { everyCandidate: true })) {
    if (examined++ >= maxCandidates) {
      complete = false;
      examined--;
      break;
    }
    if (!hasOutcome(x) || checkModel(model, x, false).allowed) continue;
    forbiddenCount++;
    // With a focus, more reasons are gathered, to pick those through the focus among them.
    if (forbidden.length < (options.focus ? Math.max(limit, FOCUS_POOL) : limit)) {
      // Keep one execution per distinct reason: many differ only in parts the cycle does not touch.
      const violation = violationOf(model, x, options.focus)!;
      const key = `${violation.axiom.name}|${violation.edges.map((e) => e.sentence).join('|')}`;
      if (!seen.has(key)) {
        seen.add(key);
        forbidden.push({ execution: x, violation });
      }
    }
  }
  if (options.focus) {
    const focus = options.focus;
    const score = new Map(forbidden.map((f) => [f, focusScore(f.execution, f.violation.edges, focus)]));
    forbidden.sort((a, b) => score.get(b)! - score.get(a)!);
    forbidden.splice(limit);
  }
  const proposition = showProp(test.condition.prop);
  const outcome = wanted ? proposition : `not (${proposition})`;
  return { result, outcome, forbidden, forbiddenCount, forbiddenCountComplete: complete, candidatesExamined: examined, witness };
}
