#!/usr/bin/env node
/**
 * The `barrier-lab` command.
 *
 *   barrier-lab check [--json] [--executions] [--timeout S] [--max-executions N] FILE|DIR...
 *   barrier-lab primitives
 *
 * Bad input (a malformed test, an unknown primitive, a missing file) gets a
 * located message on stderr and exit status 2, never a stack trace.
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { checkFile, type CheckFileOptions, type CheckFileResult } from './check-file.js';
import type { CheckJob } from './check-worker.js';
import { LitmusError } from '../litmus/errors.js';
import { parseLitmus } from '../litmus/parser.js';
import { PRIMITIVES } from '../litmus/primitives.js';
import { MODELS } from '../models/index.js';
import type { MemoryModel } from '../models/model.js';
import { check, CheckLimitError } from '../verdict/check.js';
import { barrierReports, barriersText, counterfactuals, explainOutcome, explanationText } from '../explain/index.js';
import { executionJson } from '../verdict/json.js';
import { executionAscii, executionFlowchart, witnessSequence } from '../diagram/index.js';
import { reviewReport } from '../report/report.js';
import { buildProgram } from '../events/program.js';
import { candidates } from '../executions/enumerate.js';
import type { Candidate } from '../executions/candidate.js';
import type { ExplainedEdge } from '../explain/types.js';
import type { CycleFocus } from '../explain/focus.js';
import type { LitmusTest } from '../litmus/ast.js';

const USAGE = `usage: barrier-lab <command> [options] FILE|DIR...

commands:
  check        check litmus tests under the Linux-kernel memory model and
               print herd7's output (Test, States, Ok/No, Observation, ...)
  explain      why the test's outcome can or cannot happen: a witness told
               as a story, or the axiom each execution breaks and its cycle
  barriers     what each barrier orders on its own CPU, and what happens to
               the verdict when it is removed, weakened or strengthened
  diagram      a Mermaid diagram of an execution: --witness (an allowed
               execution with the outcome, the default), --forbidden (a
               forbidden one, its cycle in red), --execution N (the Nth
               candidate); --sequence for a sequence diagram, --ascii for text
  report       a review walkthrough: verdict, why, diagram, barriers and
               counterfactuals; --format md (default) or text (72 columns)
  compare      the verdict of each test under the LKMM, SC and x86-TSO
  primitives   list the kernel primitives a litmus test may use

options for check:
  --model M           lkmm (default), sc or tso
  --summary           one line per test: verdict, counts, and whether it
                      matches the 'Result:' its header states
  --json              one JSON document per test (one per line)
  --executions        with --json, include the allowed executions (events, rf, co)
  --timeout S         give up on a test after S seconds
  --max-executions N  give up on a test after examining N candidate executions
  -j, --jobs N        check N files at a time on worker threads (output
                      stays in input order)
  -h, --help          show this help

options for explain, diagram and report:
  --through P1:39     show the cycle through the primitive on P1's line 39
                      (the barrier under discussion), when one runs there
  --instead-of NAME   with --through: prefer a cycle through a pair of
                      accesses that NAME (the primitive it replaced, such as
                      smp_wmb) would not order: the cycle the change is about
`;

/** A usage or input problem: printed without a stack trace, exit status 2. */
class UsageError extends Error {}

function litmusFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  const visit = (path: string, explicit: boolean): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new UsageError(`${path}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        const child = join(path, name);
        if (statSync(child).isDirectory() || name.endsWith('.litmus')) visit(child, false);
      }
    } else if (explicit || path.endsWith('.litmus')) {
      files.push(path);
    }
  };
  for (const p of paths) visit(p, true);
  return files;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function positiveNumber(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${option} takes a positive number, got '${text}'`);
  return n;
}

function runCheck(args: string[]): number | Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      executions: { type: 'boolean' },
      timeout: { type: 'string' },
      'max-executions': { type: 'string' },
      model: { type: 'string' },
      summary: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('check: name at least one litmus file or directory');
  const model = modelNamed(values.model ?? 'lkmm');
  const timeout = positiveNumber(values.timeout, '--timeout');
  const maxCandidates = positiveNumber(values['max-executions'], '--max-executions');
  const jobs = Math.floor(positiveNumber(values.jobs, '--jobs') ?? 1);
  const files = litmusFiles(positionals);
  if (files.length === 0) throw new UsageError(`check: no .litmus files in ${positionals.join(' ')}`);
  const options: CheckFileOptions = {
    model: model.name,
    json: values.json === true,
    executions: values.executions === true,
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    ...(maxCandidates !== undefined ? { maxCandidates } : {}),
  };
  const printer = new ResultPrinter(values.summary === true);
  const progress = new Progress(files.length);
  if (jobs > 1 && files.length > 1) return checkInWorkers(files, options, Math.min(jobs, files.length), printer, progress);
  files.forEach((file, index) => {
    progress.start(index, file);
    const result = checkFile(file, options, (examined) => progress.update(index, examined));
    progress.finish(index);
    progress.clear();
    printer.print(result, file);
  });
  progress.clear();
  return printer.end();
}

/** Runs the files on worker threads; prints the results in input order as soon as they are next in line. */
function checkInWorkers(files: readonly string[], options: CheckFileOptions, jobs: number, printer: ResultPrinter, progress: Progress): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const results = new Array<CheckFileResult | undefined>(files.length);
    let nextToPrint = 0;
    let nextToSend = 0;
    let running = jobs;
    const workers: Worker[] = [];
    const send = (worker: Worker): void => {
      if (nextToSend >= files.length) {
        void worker.terminate();
        if (--running === 0) {
          progress.clear();
          resolvePromise(printer.end());
        }
        return;
      }
      const index = nextToSend++;
      progress.start(index, files[index]!);
      worker.postMessage({ index, file: files[index]!, options } satisfies CheckJob);
    };
    for (let k = 0; k < jobs; k++) {
      const worker = new Worker(new URL('./check-worker.js', import.meta.url));
      workers.push(worker);
      worker.on('message', (message: { index: number; progress?: number; result?: CheckFileResult }) => {
        if (message.result === undefined) {
          progress.update(message.index, message.progress ?? 0);
          return;
        }
        results[message.index] = message.result;
        progress.finish(message.index);
        while (nextToPrint < files.length && results[nextToPrint] !== undefined) {
          progress.clear();
          printer.print(results[nextToPrint]!, files[nextToPrint]!);
          results[nextToPrint] = undefined;
          nextToPrint++;
        }
        send(worker);
      });
      worker.on('error', (e) => {
        for (const w of workers) void w.terminate();
        reject(e);
      });
      send(worker);
    }
  });
}

/** Prints each file's result (herd7's report, JSON or a summary line) and the errors; remembers the exit status. */
class ResultPrinter {
  private status = 0;
  private readonly summary = new Summary();

  constructor(private readonly summaryOnly: boolean) {}

  print(result: CheckFileResult, file: string): void {
    if (result.error !== null) {
      process.stderr.write(`${result.error}\n`);
      this.status = 2;
      return;
    }
    process.stdout.write(this.summaryOnly && result.summary ? this.summary.line(result.summary, file) : result.text);
  }

  end(): number {
    if (this.summaryOnly) process.stdout.write(this.summary.total());
    return this.status;
  }
}

/** `check --summary`: a line per test, and a total that compares with the verdicts headers state. */
class Summary {
  private tests = 0;
  private stated = 0;
  private disagreeing: string[] = [];

  line(result: NonNullable<CheckFileResult['summary']>, file: string): string {
    this.tests++;
    const claim = result.claim;
    let note = '';
    if (claim) {
      this.stated++;
      note = claim === result.observation ? 'as its header states' : `its header says ${claim}`;
      if (claim !== result.observation) this.disagreeing.push(file);
    }
    const counts = `${result.positive}/${result.positive + result.negative}`;
    const flags = result.flags.length > 0 ? ` [${result.flags.join(', ')}]` : '';
    return `${result.observation.padEnd(9)} ${counts.padStart(7)}  ${result.name}${flags}${note ? `  (${note})` : ''}\n`;
  }

  total(): string {
    const agree = this.stated - this.disagreeing.length;
    return `\n${this.tests} tests; ${agree} of ${this.stated} with a stated result agree with it${this.disagreeing.length > 0 ? `; disagreeing: ${this.disagreeing.join(', ')}` : ''}\n`;
  }
}

/**
 * A progress bar on stderr when it is a terminal, shown only once a run has
 * taken more than a second: files done out of the total as a bar, the
 * elapsed time, and the files being checked with their candidate counts.
 */
class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  private readonly begun = performance.now();
  private readonly running = new Map<number, { file: string; examined: number }>();
  private done = 0;
  private shown = false;
  private lastDrawn = 0;

  constructor(private readonly total: number) {}

  start(index: number, file: string): void {
    this.running.set(index, { file, examined: 0 });
    this.draw();
  }

  update(index: number, examined: number): void {
    const r = this.running.get(index);
    if (r) r.examined = examined;
    this.draw();
  }

  finish(index: number): void {
    this.running.delete(index);
    this.done++;
  }

  private draw(): void {
    const now = performance.now();
    if (!this.enabled || now - this.begun < 1000 || now - this.lastDrawn < 100) return;
    this.lastDrawn = now;
    const width = 20;
    const filled = Math.round((this.done / this.total) * width);
    const bar = this.total > 1 ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ` : '';
    const current = [...this.running.values()].map((r) => `${r.file}${r.examined > 0 ? ` (${r.examined.toLocaleString('en')})` : ''}`).join(', ');
    const line = `${bar}${((now - this.begun) / 1000).toFixed(0)} s  ${current}`;
    const columns = process.stderr.columns ?? 100;
    process.stderr.write(`\r\x1b[K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

function modelNamed(name: string): MemoryModel {
  const model = MODELS.get(name);
  if (!model) throw new UsageError(`unknown model '${name}' (choose from ${[...MODELS.keys()].join(', ')})`);
  return model;
}

/** Options shared by the commands that take one model and print text or JSON. */
function modelAndFiles(args: string[], command: string): { files: string[]; model: MemoryModel; json: boolean } {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length === 0) throw new UsageError(`${command}: name at least one litmus file or directory`);
  return { files: litmusFiles(positionals), model: modelNamed(values.model ?? 'lkmm'), json: values.json === true };
}

/** Runs `each` on every test file, reporting bad input as located errors (exit 2). */
function forEachTest(files: readonly string[], each: (test: ReturnType<typeof parseLitmus>) => void): number {
  let status = 0;
  for (const file of files) {
    try {
      each(parseLitmus(readText(file), file));
    } catch (e) {
      if (!(e instanceof LitmusError || e instanceof UsageError || e instanceof CheckLimitError)) throw e;
      process.stderr.write(`${e.message}\n`);
      status = 2;
    }
  }
  return status;
}

const FOCUS_OPTIONS = { through: { type: 'string' }, 'instead-of': { type: 'string' } } as const;

/** `--through P1:39` and `--instead-of smp_wmb` as a cycle focus, checked against the test. */
function focusOf(values: { through?: string | undefined; 'instead-of'?: string | undefined }, command: string): ((test: LitmusTest) => CycleFocus) | null {
  if (values.through === undefined) {
    if (values['instead-of'] !== undefined) throw new UsageError(`${command}: --instead-of goes with --through CPU:LINE`);
    return null;
  }
  const m = /^P?(\d+):(\d+)$/.exec(values.through);
  if (!m) throw new UsageError(`${command}: --through takes CPU:LINE, such as P1:39, not '${values.through}'`);
  const thread = Number(m[1]);
  const line = Number(m[2]);
  return (test) => {
    if (thread >= test.threads.length) throw new UsageError(`${test.file}: --through P${thread}:${line}: the test has no P${thread}`);
    return { thread, line, ...(values['instead-of'] !== undefined ? { insteadOf: values['instead-of'] } : {}) };
  };
}

function runExplain(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' }, ...FOCUS_OPTIONS } });
  if (positionals.length === 0) throw new UsageError('explain: name at least one litmus file or directory');
  const files = litmusFiles(positionals);
  const model = modelNamed(values.model ?? 'lkmm');
  const json = values.json === true;
  const focus = focusOf(values, 'explain');
  return forEachTest(files, (test) => {
    const ex = explainOutcome(test, { model, ...(focus ? { focus: focus(test) } : {}) });
    if (!json) {
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

function runBarriers(args: string[]): number {
  const { files, model, json } = modelAndFiles(args, 'barriers');
  return forEachTest(files, (test) => {
    const reports = barrierReports(test);
    const cf = counterfactuals(test, { model, reports });
    if (!json) {
      process.stdout.write(`${test.name}\n${barriersText(reports, cf)}`);
      return;
    }
    process.stdout.write(`${JSON.stringify({ name: test.name, verdict: cf.original, barriers: reports, counterfactuals: cf.primitives })}\n`);
  });
}

function runDiagram(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      witness: { type: 'boolean' },
      forbidden: { type: 'boolean' },
      execution: { type: 'string' },
      sequence: { type: 'boolean' },
      ascii: { type: 'boolean' },
      model: { type: 'string' },
      ...FOCUS_OPTIONS,
    },
  });
  if (positionals.length === 0) throw new UsageError('diagram: name a litmus file');
  const focus = focusOf(values, 'diagram');
  const model = modelNamed(values.model ?? 'lkmm');
  const chosen = [values.witness, values.forbidden, values.execution !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('diagram: choose one of --witness, --forbidden and --execution N');
  const nth = values.execution === undefined ? null : positiveNumber(values.execution, '--execution')!;
  return forEachTest(litmusFiles(positionals), (test) => {
    const ex = explainOutcome(test, { model, limit: 1, ...(focus ? { focus: focus(test) } : {}) });
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
        : executionFlowchart(subject.x, { highlight: subject.highlight, model, title: test.name });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  });
}

function runReport(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: 'string' }, model: { type: 'string' }, ...FOCUS_OPTIONS } });
  if (positionals.length === 0) throw new UsageError('report: name at least one litmus file or directory');
  const focus = focusOf(values, 'report');
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'text') throw new UsageError(`report: --format is md or text, not '${format}'`);
  const model = modelNamed(values.model ?? 'lkmm');
  let first = true;
  return forEachTest(litmusFiles(positionals), (test) => {
    if (!first) process.stdout.write('\n');
    first = false;
    process.stdout.write(reviewReport(test, { format, model, ...(focus ? { focus: focus(test) } : {}) }));
  });
}

/** `compare`: one line per test with its verdict under every model. */
function runCompare(args: string[]): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError('compare: name at least one litmus file or directory');
  const files = litmusFiles(positionals);
  const rows: string[][] = [['test', ...[...MODELS.values()].map((m) => m.name.toUpperCase())]];
  let status = 0;
  for (const file of files) {
    try {
      const test = parseLitmus(readText(file), file);
      const cells = [...MODELS.values()].map((model) => {
        const r = check(test, { model });
        return `${r.observation} ${r.positive} ${r.negative}`;
      });
      rows.push([test.name, ...cells]);
    } catch (e) {
      if (!(e instanceof LitmusError || e instanceof UsageError)) throw e;
      process.stderr.write(`${e.message}\n`);
      status = 2;
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  return status;
}

function runPrimitives(): number {
  const width = Math.max(...[...PRIMITIVES.keys()].map((n) => n.length));
  for (const p of PRIMITIVES.values()) process.stdout.write(`${p.name.padEnd(width)}  ${p.summary}\n`);
  return 0;
}

export function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return runCheck(rest);
      case 'compare': return runCompare(rest);
      case 'explain': return runExplain(rest);
      case 'barriers': return runBarriers(rest);
      case 'diagram': return runDiagram(rest);
      case 'report': return runReport(rest);
      case 'primitives': return runPrimitives();
      case undefined: case '-h': case '--help': case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (try: barrier-lab --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof LitmusError) {
      process.stderr.write(`barrier-lab: ${e.message}\n`);
      return 2;
    }
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`barrier-lab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

// A reader that stops early (`barrier-lab check ... | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const status = main(process.argv.slice(2));
if (typeof status === 'number') process.exitCode = status;
else status.then((code) => (process.exitCode = code), (e: unknown) => {
  process.stderr.write(`barrier-lab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 3;
});
