/**
 * Reviewing a change to a model: what a test's verdict, counts and flags
 * are under two models, and, where they differ, why: an execution one
 * model allows and the other forbids, with the axiom the other names and
 * the cycle that breaks it.
 */

import type { LitmusTest } from '../litmus/ast.js';
import type { Candidate } from '../executions/candidate.js';
import type { MemoryModel } from '../models/model.js';
import { check, type CheckResult } from '../verdict/check.js';
import type { ExplainedEdge } from './types.js';
import { violationOf } from './violations.js';

export interface VerdictUnder {
  readonly model: string;
  readonly observation: string;
  readonly positive: number;
  readonly negative: number;
  readonly flags: readonly string[];
}

/** An execution one model allows and the other forbids. */
export interface Disagreement {
  /** Which model allows it: the first (`before`) or the second (`after`). */
  readonly allowedBy: 'before' | 'after';
  /** The other model's axiom that forbids it, by the name that model gives. */
  readonly axiom: string;
  /** The cycle (or offending pair) that breaks it. */
  readonly cycle: readonly ExplainedEdge[];
  readonly execution: Candidate;
}

export interface ModelDifference {
  readonly test: string;
  readonly before: VerdictUnder;
  readonly after: VerdictUnder;
  /** Flags raised under one model only. */
  readonly flagsAdded: readonly string[];
  readonly flagsRemoved: readonly string[];
  /** At most one execution each way. */
  readonly disagreements: readonly Disagreement[];
}

const verdictOf = (r: CheckResult): VerdictUnder => ({ model: r.model, observation: r.observation, positive: r.positive, negative: r.negative, flags: r.flags });

/** How a test fares under two models; null when verdict, counts, states and flags are the same. */
export function modelDifference(test: LitmusTest, before: MemoryModel, after: MemoryModel): ModelDifference | null {
  const a = check(test, { model: before, keepExecutions: true });
  const b = check(test, { model: after, keepExecutions: true });
  const sameStates = JSON.stringify(a.states) === JSON.stringify(b.states);
  const sameFlags = a.flags.join() === b.flags.join();
  if (a.observation === b.observation && a.positive === b.positive && a.negative === b.negative && sameStates && sameFlags) return null;
  const disagreements: Disagreement[] = [];
  const firstForbidden = (allowed: readonly Candidate[] | null, other: MemoryModel, allowedBy: 'before' | 'after'): void => {
    for (const x of allowed ?? []) {
      const v = violationOf(other, x);
      if (v) {
        disagreements.push({ allowedBy, axiom: v.axiom.name, cycle: v.edges, execution: x });
        return;
      }
    }
  };
  firstForbidden(a.executions, after, 'before');
  firstForbidden(b.executions, before, 'after');
  return {
    test: a.name,
    before: verdictOf(a),
    after: verdictOf(b),
    flagsAdded: b.flags.filter((f) => !a.flags.includes(f)),
    flagsRemoved: a.flags.filter((f) => !b.flags.includes(f)),
    disagreements,
  };
}

/** One difference as text: the two verdicts, then each disagreement with its cycle. */
export function modelDifferenceText(d: ModelDifference): string {
  const verdict = (v: VerdictUnder): string => `${v.observation} ${v.positive}/${v.positive + v.negative}${v.flags.length > 0 ? ` [${v.flags.join(', ')}]` : ''}`;
  const lines = [`${d.test}: ${verdict(d.before)} -> ${verdict(d.after)}`];
  if (d.flagsAdded.length > 0) lines.push(`  flags raised only by ${d.after.model}: ${d.flagsAdded.join(', ')}`);
  if (d.flagsRemoved.length > 0) lines.push(`  flags raised only by ${d.before.model}: ${d.flagsRemoved.join(', ')}`);
  for (const g of d.disagreements) {
    const [allows, forbids] = g.allowedBy === 'before' ? [d.before.model, d.after.model] : [d.after.model, d.before.model];
    lines.push(`  an execution ${allows} allows breaks ${g.axiom} under ${forbids}:`);
    for (const e of g.cycle) lines.push(`    - ${e.sentence} [${e.label}]`);
  }
  if (d.disagreements.length === 0 && d.flagsAdded.length === 0 && d.flagsRemoved.length === 0) lines.push('  the same executions are allowed; their final states differ');
  return `${lines.join('\n')}\n`;
}
