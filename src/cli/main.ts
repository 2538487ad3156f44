#!/usr/bin/env node
/**
 * The `barrier-lab` command: `check` (herd7's output), `explain`,
 * `barriers`, `diagram`, `report`, `compare` and `primitives`. Each
 * command declares its options once (`COMMANDS`), which gives it its
 * `--help` and its error messages.
 *
 * Bad input (a malformed test, an unknown primitive, a missing file, a
 * wrong option) gets one message on stderr, located (`FILE:line:col:`) or
 * starting `barrier-lab:`, and exit status 2, never a stack trace.
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { checkFile, type CheckFileOptions, type CheckFileResult } from './check-file.js';
import type { CheckJob } from './check-worker.js';
import { LitmusError } from '../litmus/errors.js';
import { parseLitmus } from '../litmus/parser.js';
import { PRIMITIVES } from '../litmus/primitives.js';
import { MODELS } from '../models/index.js';
import type { MemoryModel } from '../models/model.js';
import { check, CheckLimitError } from '../verdict/check.js';
import { barrierReports, barriersText, counterfactuals, explainOutcome, explanationText, orderingAdvice } from '../explain/index.js';
import { executionJson } from '../verdict/json.js';
import { executionAscii, executionDiagram, witnessSequence } from '../diagram/index.js';
import { reviewReport } from '../report/report.js';
import { buildProgram } from '../events/program.js';
import { candidates } from '../executions/enumerate.js';
import type { Candidate } from '../executions/candidate.js';
import type { ExplainedEdge } from '../explain/types.js';
import type { CycleFocus } from '../explain/focus.js';
import type { LitmusTest } from '../litmus/ast.js';
import { commandHelp, HELP, parseCommand, positiveNumber, stringOption, UsageError, wrapWords, type CommandSpec, type ParsedValues } from './args.js';
import { callSites } from '../explain/mutate.js';

const MODEL: CommandSpec['options'][number] = { name: 'model', value: 'M', help: 'the memory model: lkmm (the default), sc or tso' };
const JSON_OUT: CommandSpec['options'][number] = { name: 'json', help: 'one JSON document per test, one per line' };
const THROUGH: CommandSpec['options'][number] = { name: 'through', value: 'CPU:LINE', help: 'show a forbidden execution\'s cycle through the primitive on that CPU and line (P1:39), the one under discussion, where a cycle runs there' };
const INSTEAD_OF: CommandSpec['options'][number] = { name: 'instead-of', value: 'NAME', help: 'with --through: prefer a cycle through a pair of accesses that NAME, the primitive it replaced (smp_wmb), would not order: the cycle the change is about' };

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'check',
    summary: 'the verdict of each test, in herd7\'s output format',
    operands: 'FILE|DIR...',
    description: 'Checks litmus tests under a memory model and prints what herd7 prints for each: the final states, Ok or No, the Observation line with its counts, and the flags. Directories are searched for .litmus files.',
    options: [
      MODEL,
      { name: 'summary', help: 'one line per test instead: verdict, counts, and whether it matches the \'Result:\' its header states' },
      { name: 'json', help: 'one JSON document per test, one per line' },
      { name: 'executions', help: 'with --json, include the allowed executions (events, rf, co)' },
      { name: 'timeout', value: 'S', help: 'give up on a test after S seconds' },
      { name: 'max-executions', value: 'N', help: 'give up on a test after examining N candidate executions' },
      { name: 'jobs', short: 'j', value: 'N', help: 'check N files at a time on worker threads (the output keeps the input order)' },
      HELP,
    ],
  },
  {
    name: 'explain',
    summary: 'why the outcome can or cannot happen',
    operands: 'FILE|DIR...',
    description: 'Says whether the outcome the test asks about can happen and why: an allowed execution told as a story, or, for each kind of forbidden execution, the axiom it breaks and the cycle of orderings that shows it, each step citing the code.',
    options: [MODEL, JSON_OUT, THROUGH, INSTEAD_OF, HELP],
  },
  {
    name: 'barriers',
    summary: 'what each barrier orders alone, and the verdict without it',
    operands: 'FILE|DIR...',
    description: 'Lists every ordering primitive of the test, each looked at on its own CPU (which pairs of its accesses it keeps in order, by which rule, and whether the ordering is cumulative), then checks the test again with each one removed, weakened and strengthened.',
    options: [MODEL, JSON_OUT, HELP],
  },
  {
    name: 'diagram',
    summary: 'a Mermaid diagram (or text) of one execution',
    operands: 'FILE',
    description: 'Draws one execution of the test as a Mermaid block diagram (a column per CPU, program order downwards), a sequence diagram, or plain text for a mailing list. By default the execution is an allowed one with the outcome.',
    options: [
      { name: 'witness', help: 'an allowed execution with the outcome (the default)' },
      { name: 'forbidden', help: 'a forbidden execution with the outcome, its cycle drawn thick and red' },
      { name: 'execution', value: 'N', help: 'the Nth candidate execution, allowed or not' },
      { name: 'sequence', help: 'a Mermaid sequence diagram instead' },
      { name: 'ascii', help: 'plain text, 72 columns, for mailing lists' },
      MODEL,
      THROUGH,
      INSTEAD_OF,
      HELP,
    ],
  },
  {
    name: 'report',
    summary: 'a review walkthrough: verdict, why, diagram, barriers, what-ifs',
    operands: 'FILE|DIR...',
    description: 'Writes a review of the test in one document: the verdict, why, a diagram, the barrier table, what happens without each barrier, and herd7\'s output.',
    options: [{ name: 'format', value: 'F', help: 'md (Markdown with a Mermaid diagram, the default) or text (72 columns, for mail)' }, MODEL, THROUGH, INSTEAD_OF, HELP],
  },
  {
    name: 'compare',
    summary: 'the verdict of each test under the LKMM, SC and x86-TSO',
    operands: 'FILE|DIR...',
    description: 'One row per test with its verdict and counts under every model barrier-lab has, with the flags each raises: where the LKMM allows what sequential consistency forbids, the test shows a weak behaviour.',
    options: [HELP],
  },
  {
    name: 'primitives',
    summary: 'the kernel primitives a litmus test may use',
    operands: '[FILE...]',
    description: 'Lists the kernel primitives barrier-lab knows, with what each does in the model; given test files, only the primitives they use.',
    options: [HELP],
  },
];

const COMMAND = new Map(COMMANDS.map((c) => [c.name, c]));

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: barrier-lab COMMAND [options] FILE|DIR...',
    '',
    'Checks Linux-kernel litmus tests (herd7\'s C format) under the',
    'Linux-kernel memory model, and explains the verdicts.',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "'barrier-lab COMMAND --help' lists a command's options.",
    '',
  ].join('\n');
}

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


function modelNamed(spec: CommandSpec, values: ParsedValues): MemoryModel {
  const name = stringOption(values, 'model') ?? 'lkmm';
  const model = MODELS.get(name);
  if (!model) throw new UsageError(`${spec.name}: unknown model '${name}' (choose from ${[...MODELS.keys()].join(', ')})`);
  return model;
}

/**
 * Runs `each` on every test file, reporting bad input as it comes: a
 * malformed test with its location, any other problem after
 * `barrier-lab:` (exit 2 in the end; the other files are still done).
 */
function forEachTest(files: readonly string[], each: (test: LitmusTest) => void): number {
  let status = 0;
  for (const file of files) {
    try {
      each(parseLitmus(readText(file), file));
    } catch (e) {
      if (e instanceof LitmusError) process.stderr.write(`${e.message}\n`);
      else if (e instanceof UsageError || e instanceof CheckLimitError) process.stderr.write(`barrier-lab: ${e.message}\n`);
      else throw e;
      status = 2;
    }
  }
  return status;
}

/** The files a command was given: at least one, each a file or a directory of tests. */
function filesOf(spec: CommandSpec, positionals: readonly string[]): string[] {
  if (positionals.length === 0) throw new UsageError(`${spec.name}: name at least one litmus file or directory; see 'barrier-lab ${spec.name} --help'`);
  const files = litmusFiles(positionals);
  if (files.length === 0) throw new UsageError(`${spec.name}: no .litmus files in ${positionals.join(' ')}`);
  return files;
}

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

type Runner = (spec: CommandSpec, values: ParsedValues, positionals: string[]) => number | Promise<number>;

function runCheck(spec: CommandSpec, values: ParsedValues, positionals: string[]): number | Promise<number> {
  const model = modelNamed(spec, values);
  const timeout = positiveNumber(spec, values, 'timeout');
  const maxCandidates = positiveNumber(spec, values, 'max-executions', true);
  const jobs = positiveNumber(spec, values, 'jobs', true) ?? 1;
  const files = filesOf(spec, positionals);
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

const RUNNERS: Readonly<Record<string, Runner>> = {
  check: runCheck,
  explain: runExplain,
  barriers: runBarriers,
  diagram: runDiagram,
  report: runReport,
  compare: runCompare,
  primitives: runPrimitives,
};

export function main(argv: string[]): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      const topic = command === 'help' ? COMMAND.get(rest[0] ?? '') : undefined;
      process.stdout.write(topic ? commandHelp(topic) : usage());
      return command === undefined ? 2 : 0;
    }
    const spec = COMMAND.get(command);
    if (!spec) throw new UsageError(`unknown command '${command}' (try: barrier-lab --help)`);
    const parsed = parseCommand(spec, rest);
    if (parsed === null) {
      process.stdout.write(commandHelp(spec));
      return 0;
    }
    return RUNNERS[spec.name]!(spec, parsed.values, parsed.positionals);
  } catch (e) {
    if (e instanceof LitmusError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof CheckLimitError) {
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
