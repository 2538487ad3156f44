#!/usr/bin/env node
/**
 * The `barrier-lab` command: `check` (herd7's output), `explain`,
 * `barriers`, `diagram`, `report`, `compare`, `model-diff` and `primitives`. Each
 * command declares its options once (`COMMANDS`), which gives it its
 * `--help` and its error messages.
 *
 * Bad input (a malformed test, an unknown primitive, a missing file, a
 * wrong option) gets one message on stderr, located (`FILE:line:col:`) or
 * starting `barrier-lab:`, and exit status 2, never a stack trace.
 */

import type { Worker } from 'node:worker_threads';
import { checkFile, type CheckFileOptions, type CheckFileResult } from './check-file.js';
import type { CheckJob } from './check-worker.js';
import { LitmusError } from '../litmus/errors.js';
import { CheckLimitError } from '../verdict/check.js';
import { commandHelp, HELP, parseCommand, positiveNumber, UsageError, type CommandSpec, type ParsedValues } from './args.js';
import { filesOf, modelChoice, modelNamed } from './files.js';

const MODEL_OPTIONS: CommandSpec['options'] = [
  { name: 'model', value: 'M', help: 'the memory model: lkmm (the default), sc or tso' },
  { name: 'conf', value: 'FILE', help: 'model files named by a herd7 configuration file (linux-kernel.cfg: its model, bell, macros and variant), run by barrier-lab\'s cat interpreter instead of a built-in model' },
  { name: 'cat', value: 'FILE', help: 'a cat model file (linux-kernel.cat), as herd7\'s -model' },
  { name: 'bell', value: 'FILE', help: 'the bell file read before the model (linux-kernel.bell)' },
  { name: 'macros', value: 'FILE', help: 'the macro file (linux-kernel.def): the primitives tests may call, each read from its body' },
  { name: 'include', short: 'I', value: 'DIR', multiple: true, help: 'look for model files and the files they include in DIR too (may be repeated)' },
  { name: 'variant', value: 'NAME', multiple: true, help: 'a variant of the model (lkmmv2), as herd7\'s -variant (may be repeated)' },
];
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
      ...MODEL_OPTIONS,
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
    options: [...MODEL_OPTIONS, JSON_OUT, THROUGH, INSTEAD_OF, HELP],
  },
  {
    name: 'barriers',
    summary: 'what each barrier orders alone, and the verdict without it',
    operands: 'FILE|DIR...',
    description: 'Lists every ordering primitive of the test, each looked at on its own CPU (which pairs of its accesses it keeps in order, by which rule, and whether the ordering is cumulative), then checks the test again with each one removed, weakened and strengthened.',
    options: [...MODEL_OPTIONS, JSON_OUT, HELP],
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
      ...MODEL_OPTIONS,
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
    options: [{ name: 'format', value: 'F', help: 'md (Markdown with a Mermaid diagram, the default) or text (72 columns, for mail)' }, ...MODEL_OPTIONS, THROUGH, INSTEAD_OF, HELP],
  },
  {
    name: 'compare',
    summary: 'the verdict of each test under the LKMM, SC and x86-TSO',
    operands: 'FILE|DIR...',
    description: 'One row per test with its verdict and counts under every model barrier-lab has, with the flags each raises: where the LKMM allows what sequential consistency forbids, the test shows a weak behaviour.',
    options: [HELP],
  },
  {
    name: 'model-diff',
    summary: 'the tests whose verdict, counts or flags two models disagree on, and why',
    operands: 'FILE|DIR...',
    description: 'Checks every test under two models, given as two --conf or two --cat (a model and its change; with one, the other is the built-in LKMM), and lists each test where they differ: both verdicts and counts, the flags only one raises, and an execution one model allows with the axiom and cycle by which the other forbids it, in that model\'s own words.',
    options: [
      { name: 'conf', value: 'FILE', multiple: true, help: 'a herd7 configuration naming model files (give two, or one to compare with the built-in LKMM)' },
      { name: 'cat', value: 'FILE', multiple: true, help: 'a cat model file (give two, or one to compare with the built-in LKMM)' },
      { name: 'bell', value: 'FILE', help: 'the bell file read before each --cat model' },
      { name: 'include', short: 'I', value: 'DIR', multiple: true, help: 'look for model files and the files they include in DIR too' },
      { name: 'variant', value: 'NAME', multiple: true, help: 'a variant of both models (lkmmv2)' },
      { name: 'json', help: 'one JSON document per differing test, one per line' },
      HELP,
    ],
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

type Runner = (spec: CommandSpec, values: ParsedValues, positionals: string[]) => number | Promise<number>;

function runCheck(spec: CommandSpec, values: ParsedValues, positionals: string[]): number | Promise<number> {
  // A bad model choice or model file is reported once, before any test.
  modelNamed(spec, values);
  const timeout = positiveNumber(spec, values, 'timeout');
  const maxCandidates = positiveNumber(spec, values, 'max-executions', true);
  const jobs = positiveNumber(spec, values, 'jobs', true) ?? 1;
  const files = filesOf(spec, positionals);
  const options: CheckFileOptions = {
    model: modelChoice(values),
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

/**
 * Runs the files on worker threads; prints the results in input order as soon as they are next in line.
 * (node:worker_threads is loaded here, not at start-up: it costs a single check several milliseconds.)
 */
async function checkInWorkers(files: readonly string[], options: CheckFileOptions, jobs: number, printer: ResultPrinter, progress: Progress): Promise<number> {
  const { Worker } = await import('node:worker_threads');
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

/** `check` here; the other commands from commands.ts, loaded when one of them runs (a check starts without them). */
function runner(name: string): Runner {
  if (name === 'check') return runCheck;
  return async (spec, values, positionals) => {
    const { COMMAND_RUNNERS } = await import('./commands.js');
    return COMMAND_RUNNERS[name]!(spec, values, positionals);
  };
}

/** Bad input: its message on stderr and exit status 2; anything else is a bug and goes on up. */
function failure(e: unknown): number {
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
    const status = runner(spec.name)(spec, parsed.values, parsed.positionals);
    return typeof status === 'number' ? status : status.catch(failure);
  } catch (e) {
    return failure(e);
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
