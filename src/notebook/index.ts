/**
 * Helpers for Jupyter notebooks running the tslab TypeScript kernel.
 *
 *   import * as tslab from 'tslab';
 *   import { notebook } from 'barrier-lab';
 *   const { litmus, show, showBarriers, expectVerdict } = notebook(tslab.display);
 *
 *   const mp = litmus`
 *   C MP
 *   {}
 *   P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
 *   P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
 *   exists (1:r0=1 /\ 1:r1=0)`;
 *   show(mp, { expect: 'Never' });   // verdict, explanation, diagram; throws if not Never
 *
 * Output is Markdown with Mermaid diagrams, which JupyterLab renders and the
 * documentation site publishes as is. Nothing here depends on tslab itself:
 * any object with `markdown()` and `text()` will do.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { parseLitmus } from '../litmus/parser.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { reviewReport, type ReportSection } from '../report/report.js';
import { check, type CheckResult } from '../verdict/check.js';

/** What a notebook kernel offers for rich output (tslab's `display` has these). */
export interface NotebookDisplay {
  markdown(text: string): void;
  text(text: string): void;
}

export type Observation = CheckResult['observation'];

export interface ShowOptions {
  /** The verdict the cell expects: a different one throws, so a stale claim fails the run. */
  readonly expect?: Observation;
  /** Also expect these flags, exactly (e.g. ['data-race']). */
  readonly flags?: readonly string[];
  readonly model?: MemoryModel;
  /** Which parts to show (default: verdict, why, diagram). */
  readonly sections?: readonly ReportSection[];
}

/** Thrown when a cell's stated verdict disagrees with the checker. */
export class VerdictMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerdictMismatch';
  }
}

let cellCount = 0;

/**
 * Parses a litmus test written in a template literal (common leading indentation removed).
 * The text is taken raw, as typed: `/\` and `\/` in a condition need no escaping, so a
 * test copied from a `.litmus` file works unchanged.
 */
export function litmus(strings: TemplateStringsArray, ...values: unknown[]): LitmusTest {
  const raw = strings.raw.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim().length > 0).map((l) => l.length - l.trimStart().length));
  const text = lines.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
  cellCount++;
  return parseLitmus(text, `cell-${cellCount}.litmus`);
}

/** Checks a test and throws when it disagrees with what the cell expects. */
export function expectVerdict(test: LitmusTest, expected: Observation, options: { model?: MemoryModel; flags?: readonly string[] } = {}): CheckResult {
  const result = check(test, { model: options.model ?? lkmm });
  if (result.observation !== expected) {
    throw new VerdictMismatch(`${result.name}: expected ${expected}, the ${(options.model ?? lkmm).title} says ${result.observation} (${result.positive} of ${result.positive + result.negative})`);
  }
  if (options.flags) checkFlags(result, options.flags);
  return result;
}

function checkFlags(result: CheckResult, flags: readonly string[]): void {
  const want = [...flags].sort().join(', ');
  const got = [...result.flags].sort().join(', ');
  if (want !== got) throw new VerdictMismatch(`${result.name}: expected flags {${want}}, got {${got}}`);
}

export function notebook(display: NotebookDisplay) {
  return {
    litmus,
    expectVerdict,
    /**
     * The verdict, why, and a diagram (and more with `sections`); checks `expect` (and
     * `flags`) first. Returns nothing, so that a notebook kernel has no value to print
     * after the Markdown; `expectVerdict()` returns the result when a cell needs it.
     */
    show(test: LitmusTest, options: ShowOptions = {}): void {
      const model = options.model ?? lkmm;
      const result = options.expect ? expectVerdict(test, options.expect, { model }) : check(test, { model });
      if (options.flags) checkFlags(result, options.flags);
      const lines = reviewReport(test, { model, sections: options.sections ?? ['verdict', 'why', 'diagram'], level: 3 }).split('\n');
      // The report's verdict line does not mention flags; a notebook should (data races above all).
      const verdictLine = lines.findIndex((l) => l.startsWith(`**${model.title}:**`));
      if (verdictLine >= 0 && result.flags.length > 0) {
        lines.splice(verdictLine + 1, 0, '', `Flagged: ${result.flags.map((f) => `\`${f}\``).join(', ')} (raised by some allowed execution).`);
      }
      display.markdown(lines.join('\n'));
    },
    /** What each barrier orders on its own CPU, and the counterfactuals. */
    showBarriers(test: LitmusTest, options: { model?: MemoryModel } = {}): void {
      display.markdown(reviewReport(test, { model: options.model ?? lkmm, sections: ['barriers', 'whatif'], level: 3 }));
    },
    /** herd7's output, as text. */
    showHerd(test: LitmusTest, options: { model?: MemoryModel } = {}): void {
      display.markdown(reviewReport(test, { model: options.model ?? lkmm, sections: ['herd'], level: 3 }));
    },
  };
}
