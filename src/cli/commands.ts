/**
 * The commands beyond `check`: `explain`, `barriers`, `diagram`, `report`,
 * `compare` and `primitives`. They need the explanations, the diagrams and
 * the reports, which `check` does not: main.ts loads this module only when
 * one of them runs, so that a check starts quickly.
 */

import { PRIMITIVES } from '../litmus/primitives.js';
import type { LitmusTest } from '../litmus/ast.js';
import { MODELS } from '../models/index.js';
import { check } from '../verdict/check.js';
import { barrierReports, barriersText, counterfactuals, explainOutcome, explanationText, orderingAdvice } from '../explain/index.js';
import { callSites } from '../explain/mutate.js';
import type { ExplainedEdge } from '../explain/types.js';
import type { CycleFocus } from '../explain/focus.js';
import { executionJson } from '../verdict/json.js';
import { executionAscii, executionDiagram, witnessSequence } from '../diagram/index.js';
import { reviewReport } from '../report/report.js';
import { buildProgram } from '../events/program.js';
import { candidates } from '../executions/enumerate.js';
import type { Candidate } from '../executions/candidate.js';
import { listOption, positiveNumber, stringOption, UsageError, wrapWords, type CommandSpec, type ParsedValues } from './args.js';
import { modelDifference, modelDifferenceText } from '../explain/model-diff.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { loadModel, type ModelChoice } from './model-files.js';
import { filesOf, forEachTest, litmusFiles, modelNamed } from './files.js';

/** `--through P1:39` and `--instead-of smp_wmb` as a cycle focus, checked against each test. */
function focusOf(spec: CommandSpec, values: ParsedValues): ((test: LitmusTest) => { focus?: CycleFocus }) {
  const through = stringOption(values, 'through');
  const insteadOf = stringOption(values, 'instead-of');
  if (through === undefined) {
    if (insteadOf !== undefined) throw new UsageError(`${spec.name}: --instead-of goes with --through CPU:LINE`);
    return () => ({});
  }
  const m = /^P?(\d+):(\d+)$/.exec(through);
  if (!m) throw new UsageError(`${spec.name}: --through takes CPU:LINE, such as P1:39, not '${through}'`);
  const thread = Number(m[1]);
  const line = Number(m[2]);
  return (test) => {
    if (thread >= test.threads.length) throw new UsageError(`${test.file}: --through P${thread}:${line}: the test has no P${thread}`);
    return { focus: { thread, line, ...(insteadOf !== undefined ? { insteadOf } : {}) } };
  };
}

function runExplain(spec: CommandSpec, values: ParsedValues, positionals: string[]): number {
  const model = modelNamed(spec, values);
  const focus = focusOf(spec, values);
  return forEachTest(filesOf(spec, positionals), (test) => {
    const ex = explainOutcome(test, { model, ...focus(test) });
    if (values.json !== true) {
      process.stdout.write(explanationText(ex));
      return;
    }
    const doc = {
      name: ex.result.name,
      outcome: ex.outcome,
      observation: ex.result.observation,
      positive: ex.result.positive,
      negative: ex.result.negative,
      witness: ex.witness ? { story: ex.witness.story.map((s) => s.sentence), execution: executionJson(ex.witness.execution) } : null,
      forbiddenCount: ex.forbiddenCount,
      forbiddenCountComplete: ex.forbiddenCountComplete,
      forbidden: ex.forbidden.map((f) => ({ axiom: f.violation.axiom.name, cycle: f.violation.edges, execution: executionJson(f.execution) })),
    };
    process.stdout.write(`${JSON.stringify(doc)}\n`);
  });
}

function runBarriers(spec: CommandSpec, values: ParsedValues, positionals: string[]): number {
  const model = modelNamed(spec, values);
  return forEachTest(filesOf(spec, positionals), (test) => {
    const reports = barrierReports(test);
    const cf = counterfactuals(test, { model, reports });
    if (values.json !== true) {
      process.stdout.write(`${test.name}\n${barriersText(reports, cf, reports.length === 0 ? orderingAdvice(buildProgram(test)) : [])}`);
      return;
    }
    process.stdout.write(`${JSON.stringify({ name: test.name, verdict: cf.original, barriers: reports, counterfactuals: cf.primitives })}\n`);
  });
}

function runDiagram(spec: CommandSpec, values: ParsedValues, positionals: string[]): number {
  const model = modelNamed(spec, values);
  const focus = focusOf(spec, values);
  const chosen = [values.witness, values.forbidden, values.execution !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('diagram: choose one of --witness, --forbidden and --execution N');
  const nth = positiveNumber(spec, values, 'execution', true) ?? null;
  return forEachTest(filesOf(spec, positionals), (test) => {
    const ex = explainOutcome(test, { model, limit: 1, ...focus(test) });
    let subject: { x: Candidate; highlight: readonly ExplainedEdge[] } | null = null;
    if (nth !== null) {
      let i = 0;
      for (const x of candidates(buildProgram(test), { everyCandidate: true })) if (++i === nth) subject = { x, highlight: [] };
      if (!subject) throw new UsageError(`diagram: ${test.file} has ${i} candidate execution${i === 1 ? '' : 's'}, not ${nth}`);
    } else if (values.forbidden) {
      const f = ex.forbidden[0];
      if (!f) throw new UsageError(`diagram: in ${test.file} the model forbids no execution with the outcome ${ex.outcome}`);
      subject = { x: f.execution, highlight: f.violation.edges };
    } else {
      if (!ex.witness) throw new UsageError(`diagram: in ${test.file} no allowed execution has the outcome ${ex.outcome} (try --forbidden)`);
      subject = { x: ex.witness.execution, highlight: [] };
    }
    const text = values.ascii
      ? executionAscii(subject.x, { highlight: subject.highlight })
      : values.sequence
        ? witnessSequence(subject.x, { model })
        : executionDiagram(subject.x, { highlight: subject.highlight, model, title: test.name });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });
}

function runReport(spec: CommandSpec, values: ParsedValues, positionals: string[]): number {
  const format = stringOption(values, 'format') ?? 'md';
  if (format !== 'md' && format !== 'text') throw new UsageError(`report: --format is md or text, not '${format}'`);
  const model = modelNamed(spec, values);
  const focus = focusOf(spec, values);
  let first = true;
  return forEachTest(filesOf(spec, positionals), (test) => {
    if (!first) process.stdout.write('\n');
    first = false;
    process.stdout.write(reviewReport(test, { format, model, ...focus(test) }));
  });
}

/** `compare`: one row per test with its verdict, counts and flags under every model. */
function runCompare(spec: CommandSpec, _values: ParsedValues, positionals: string[]): number {
  const models = [...MODELS.values()];
  const rows: string[][] = [['test', ...models.map((m) => m.name.toUpperCase())]];
  const status = forEachTest(filesOf(spec, positionals), (test) => {
    rows.push([test.name, ...models.map((model) => {
      const r = check(test, { model });
      return `${r.observation} ${r.positive}/${r.positive + r.negative}${r.flags.length > 0 ? ` [${r.flags.join(', ')}]` : ''}`;
    })]);
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write('Under each model: the verdict, the allowed executions with the outcome / all\nallowed executions, and [flags].\n\n');
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  return status;
}

/** `model-diff`: every test two models disagree on, with the executions and cycles that show it. */
function runModelDiff(spec: CommandSpec, values: ParsedValues, positionals: string[]): number {
  const confs = listOption(values, 'conf') ?? [];
  const cats = listOption(values, 'cat') ?? [];
  const includes = listOption(values, 'include');
  const variants = listOption(values, 'variant');
  const shared = { ...(includes ? { includes } : {}), ...(variants ? { variants } : {}) };
  const bell = stringOption(values, 'bell');
  if (confs.length > 0 && cats.length > 0) throw new UsageError('model-diff: give two --conf or two --cat, not both');
  const given = [...confs.map((conf) => ({ conf, name: conf, ...shared })), ...cats.map((cat) => ({ cat, name: cat, ...(bell !== undefined ? { bell } : {}), ...shared }))];
  if (given.length === 0 || given.length > 2) throw new UsageError(`model-diff: give two models (--conf or --cat), or one to compare with the built-in LKMM; got ${given.length}`);
  const load = (choice: ModelChoice): MemoryModel => {
    try {
      return loadModel(choice);
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`model-diff: ${e.message}`);
      throw e;
    }
  };
  const [before, after] = given.length === 2 ? [load(given[0]!), load(given[1]!)] : [lkmm, load(given[0]!)];
  let tests = 0;
  let differing = 0;
  const status = forEachTest(filesOf(spec, positionals), (test) => {
    tests++;
    const d = modelDifference(test, before, after);
    if (!d) return;
    differing++;
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify({ ...d, disagreements: d.disagreements.map((g) => ({ allowedBy: g.allowedBy, axiom: g.axiom, cycle: g.cycle, execution: executionJson(g.execution) })) })}\n`);
    } else process.stdout.write(modelDifferenceText(d));
  });
  if (values.json !== true) process.stdout.write(`model-diff: ${before.name} -> ${after.name}: ${differing} of ${tests} test${tests === 1 ? '' : 's'} differ\n`);
  return status;
}

/** `primitives`: every primitive with what it does, wrapped to 80 columns; given files, those they use. */
function runPrimitives(_spec: CommandSpec, _values: ParsedValues, positionals: string[]): number {
  let names = [...PRIMITIVES.keys()];
  let status = 0;
  if (positionals.length > 0) {
    const used = new Set<string>();
    status = forEachTest(litmusFiles(positionals), (test) => {
      for (const site of callSites(test)) used.add(site.call.callee);
    });
    names = names.filter((n) => used.has(n));
    if (names.length === 0) process.stdout.write('The tests use no kernel primitives (plain C accesses only).\n');
  }
  const width = Math.min(28, Math.max(...names.map((n) => n.length)));
  for (const name of names) {
    const p = PRIMITIVES.get(name)!;
    const head = p.name.length > width ? [p.name] : [];
    const first = p.name.length > width ? ' '.repeat(width + 2) : `${p.name.padEnd(width)}  `;
    for (const line of [...head, ...wrapWords(p.summary, 80, ' '.repeat(width + 2), first)]) process.stdout.write(`${line}\n`);
  }
  return status;
}

export type CommandRunner = (spec: CommandSpec, values: ParsedValues, positionals: string[]) => number;

export const COMMAND_RUNNERS: Readonly<Record<string, CommandRunner>> = {
  explain: runExplain,
  barriers: runBarriers,
  diagram: runDiagram,
  report: runReport,
  compare: runCompare,
  'model-diff': runModelDiff,
  primitives: runPrimitives,
};
