#!/usr/bin/env node
/**
 * `npm run differential`: generates litmus tests, checks each with herd7
 * (the reference, ../shared/reference/herd7/herd7-lkmm) and with
 * barrier-lab, and compares what the conformance runner compares: the
 * Observation line (verdict and counts), the set of states, Ok/No and the
 * flags.
 *
 * Tests come from two sources: the project's own generator (fast-check
 * arbitraries, `src/differential/`), and diy7's two pipelines (`diy.ts`).
 * Every disagreement is written out as a litmus file, with both reports in
 * its header comment and herd7's beside it as `NAME.litmus.expected`, so
 * `npm run conformance -- --root DIR` replays them. A disagreement on a
 * generated test is also shrunk to a small test that still disagrees.
 */

import type { MemoryModel } from '../models/model.js';
import { loadModel } from './model-files.js';
import { UsageError as ModelUsageError } from './args.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { parseLitmus } from '../litmus/parser.js';
import { LitmusError } from '../litmus/errors.js';
import { check, CheckLimitError } from '../verdict/check.js';
import { herdText } from '../verdict/herd.js';
import { herdDifferences, summariseHerdOutput } from '../verdict/herd-output.js';
import { testPlan } from '../differential/arbitraries.js';
import { renderTest } from '../differential/render.js';
import { TEST_KINDS, testKinds, type TestKind } from '../differential/classify.js';
import type { TestPlan } from '../differential/plan.js';
import { findHerd7, runHerd7, runHerd7Once, type Herd7Outcome } from './herd7.js';
import { diyPool } from './diy.js';

const USAGE = `usage: npm run differential -- [options]

Generates litmus tests, checks each with herd7 and with barrier-lab, and
compares the results. Ends with 'N passed, M failed'; exit status 1 when
any test disagrees, 2 on bad usage or when herd7 is missing.

options:
  --count N        how many tests (default 200)
  --seed S         the seed choosing them (default 1)
  --source SRC     own, diy or both (default both: half each)
  --out DIR        where disagreements are written (default differential-failures)
  --herd7 PATH     the herd7-lkmm wrapper (default ../shared/reference/herd7/herd7-lkmm)
  --timeout S      per test and tool, in seconds (default 20)
  --shrink K       shrink at most K disagreeing generated tests (default 5)
  --conf FILE      run barrier-lab with the model files a herd7 configuration names
                   (../shared/reference/herd7/lkmm/linux-kernel.cfg) instead of its built-in LKMM
  -h, --help       this text
`;

type Source = 'own' | 'diy-lisa' | 'diy-c';

interface Case {
  readonly name: string;
  readonly source: Source;
  readonly text: string;
  /** For generated tests: the plan, and its index in the seed's sequence (to replay and shrink it). */
  readonly plan?: TestPlan;
  readonly index?: number;
}

/** The kinds of a test (for the summary); none when it does not parse. */
function kindsOf(text: string): Set<TestKind> {
  try {
    return testKinds(parseLitmus(text, 'test.litmus'));
  } catch {
    return new Set();
  }
}

/** What barrier-lab made of a test, in the same terms as herd7's outcome. */
type OurOutcome = Herd7Outcome | { readonly kind: 'crash'; readonly message: string };

type Verdict = 'passed' | 'failed' | 'inconclusive';

interface Options {
  readonly count: number;
  readonly seed: number;
  readonly source: 'own' | 'diy' | 'both';
  readonly out: string;
  readonly herd7: string;
  readonly timeoutS: number;
  readonly shrink: number;
  /** Model files (`--conf`) run by the cat interpreter instead of the built-in LKMM. */
  readonly model?: MemoryModel;
}

class UsageError extends Error {}

function options(argv: string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        count: { type: 'string' },
        seed: { type: 'string' },
        source: { type: 'string' },
        out: { type: 'string' },
        herd7: { type: 'string' },
        timeout: { type: 'string' },
        shrink: { type: 'string' },
        conf: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    });
  } catch (e) {
    const option = /'([^']+)'/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new UsageError(option ? `unknown option '${option}'` : 'unexpected argument');
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const count = wholeNumber('--count', v.count, 200);
  const seed = wholeNumber('--seed', v.seed, 1);
  const source = v.source ?? 'both';
  if (source !== 'own' && source !== 'diy' && source !== 'both') throw new UsageError(`--source takes own, diy or both, not '${source}'`);
  const herd7 = findHerd7(v.herd7);
  if (!herd7) throw new UsageError(v.herd7 ? `no herd7 at ${v.herd7}` : 'no herd7 at ../shared/reference/herd7/herd7-lkmm (give one with --herd7)');
  return {
    count,
    seed,
    source,
    out: resolve(v.out ?? 'differential-failures'),
    herd7,
    timeoutS: wholeNumber('--timeout', v.timeout, 20),
    shrink: wholeNumber('--shrink', v.shrink, 5),
    ...(v.conf !== undefined ? { model: modelFiles(v.conf) } : {}),
  };
}

function modelFiles(conf: string): MemoryModel {
  try {
    return loadModel({ conf });
  } catch (e) {
    if (e instanceof LitmusError || e instanceof ModelUsageError) throw new UsageError(e.message);
    throw e;
  }
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number, not '${text}'`);
  return Number(text);
}

/** The tests of one run: generated plans from the seed, and a seeded choice of diy7's pool. */
function cases(o: Options): Case[] {
  const own = o.source === 'own' ? o.count : o.source === 'diy' ? 0 : Math.ceil(o.count / 2);
  const out: Case[] = fc.sample(testPlan, { seed: o.seed, numRuns: own }).map((plan, index) => {
    const name = `own_s${o.seed}_${index}`;
    return { name, source: 'own', text: renderTest(plan, name), plan, index };
  });
  const diy = o.count - own;
  if (diy > 0) {
    // Half from each pipeline (as far as each has tests), each in a seeded order.
    const pool = diyPool(o.herd7);
    const random = mulberry32(o.seed);
    const lisa = shuffled(pool.filter((t) => t.pipeline === 'lisa'), random);
    const c = shuffled(pool.filter((t) => t.pipeline === 'c'), random);
    const fromLisa = Math.min(lisa.length, Math.max(Math.ceil(diy / 2), diy - c.length));
    for (const t of [...lisa.slice(0, fromLisa), ...c.slice(0, diy - fromLisa)]) {
      const name = `diy_${t.pipeline}_${t.name}`;
      out.push({ name, source: `diy-${t.pipeline}`, text: t.text.replace(/^C\s+\S+/, `C ${name}`) });
    }
  }
  return out;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A small seeded generator of numbers in [0, 1), for choosing from diy7's pool. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function barrierLab(text: string, file: string, timeoutS: number, model?: MemoryModel): OurOutcome {
  try {
    return { kind: 'report', text: herdText(check(parseLitmus(text, file), { timeoutMs: timeoutS * 1000, ...(model ? { model } : {}) })) };
  } catch (e) {
    if (e instanceof LitmusError) return { kind: 'rejected', message: e.message.split('\n')[0]! };
    if (e instanceof CheckLimitError) return { kind: 'timeout' };
    return { kind: 'crash', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

/** Whether the two tools agree on a test, and if not, how they differ. */
function judge(herd: Herd7Outcome, ours: OurOutcome): { verdict: Verdict; problems: string[] } {
  if (herd.kind === 'timeout') return { verdict: 'inconclusive', problems: ['herd7 gave up within its time limit'] };
  if (ours.kind === 'crash') return { verdict: 'failed', problems: [`barrier-lab crashed: ${ours.message}`] };
  if (herd.kind === 'rejected') {
    return ours.kind === 'rejected' ? { verdict: 'passed', problems: [] } : { verdict: 'failed', problems: [`herd7 refuses the test (${herd.message}); barrier-lab accepts it`] };
  }
  if (ours.kind === 'rejected') return { verdict: 'failed', problems: [`barrier-lab refuses the test: ${ours.message}`] };
  if (ours.kind === 'timeout') return { verdict: 'failed', problems: ['barrier-lab gave up within its time limit; herd7 finished'] };
  const problems = herdDifferences(summariseHerdOutput(herd.text), summariseHerdOutput(ours.text));
  return { verdict: problems.length === 0 ? 'passed' : 'failed', problems };
}

function describe(outcome: OurOutcome): string {
  switch (outcome.kind) {
    case 'report': return outcome.text.trimEnd();
    case 'rejected': return `refused: ${outcome.message}`;
    case 'timeout': return 'gave up (time limit)';
    case 'crash': return `crashed: ${outcome.message}`;
  }
}

/** Writes a disagreement out: the test with both reports in its header, and herd7's report beside it. */
function writeFailure(dir: string, name: string, text: string, herd: Herd7Outcome, ours: OurOutcome, problems: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  // The reports go inside a comment: nothing in them may open or close one.
  const indent = (s: string): string => s.replace(/\(\*/g, '( *').replace(/\*\)/g, '* )').split('\n').map((l) => `   ${l}`).join('\n');
  const note = [
    '(* barrier-lab differential: herd7 and barrier-lab disagree on this test.',
    '   What differs:',
    indent(problems.join('\n')),
    '   herd7 (the reference) reported:',
    indent(describe(herd)),
    '   barrier-lab reported:',
    indent(describe(ours)),
    '   Replay: npx barrier-lab check FILE, and ../shared/reference/herd7/herd7-lkmm FILE',
    '*)',
  ].join('\n');
  const lines = text.split('\n');
  const body = [lines[0]!, note, ...lines.slice(1)].join('\n');
  const path = join(dir, `${name}.litmus`);
  writeFileSync(path, body);
  if (herd.kind === 'report') writeFileSync(`${path}.expected`, herd.text);
  return path;
}

/**
 * Shrinks a disagreeing generated test: fast-check replays the seed's
 * sequence up to the test, then tries smaller plans, keeping each that
 * still disagrees. Returns the smallest found, named `NAME_shrinkK` (or
 * null if it agrees now).
 */
function shrink(o: Options, c: Case, work: string): { name: string; text: string; herd: Herd7Outcome; ours: OurOutcome; problems: string[] } | null {
  let last: { name: string; text: string; herd: Herd7Outcome; ours: OurOutcome; problems: string[] } | null = null;
  let tries = 0;
  const disagrees = (plan: TestPlan): boolean => {
    const name = `${c.name}_shrink${tries++}`;
    const text = renderTest(plan, name);
    const path = join(work, `${name}.litmus`);
    writeFileSync(path, text);
    const herd = runHerd7Once(o.herd7, { path, name }, o.timeoutS);
    const ours = barrierLab(text, path, o.timeoutS, o.model);
    const { verdict, problems } = judge(herd, ours);
    if (verdict !== 'failed') return false;
    last = { name, text, herd, ours, problems };
    return true;
  };
  const result = fc.check(fc.property(testPlan, (plan) => !disagrees(plan)), { seed: o.seed, path: String(c.index), numRuns: 1 });
  return result.failed ? last : null;
}

async function main(argv: string[]): Promise<number> {
  let o: Options | 'help';
  try {
    o = options(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`differential: ${e.message}\n  see 'npm run differential -- --help'\n`);
    return 2;
  }
  if (o === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const all = cases(o);
  const work = mkdtempSync(join(tmpdir(), 'barrier-lab-differential-'));
  const tty = process.stderr.isTTY;
  const tally = new Map<Source, Record<Verdict, number>>();
  const kindTally = new Map<TestKind, Map<Source, number>>();
  const failures: Case[] = [];
  const inconclusive: string[] = [];
  let done = 0;
  let shrunk = 0;
  const started = Date.now();
  try {
    const BATCH = 40;
    for (let b = 0; b < all.length; b += BATCH) {
      const batch = all.slice(b, b + BATCH);
      const dir = join(work, `batch${b}`);
      mkdirSync(dir);
      const files = batch.map((c) => {
        const path = join(dir, `${c.name}.litmus`);
        writeFileSync(path, c.text);
        return { path, name: c.name };
      });
      // herd7 runs in its own process while barrier-lab checks the same batch here.
      const herdRun = runHerd7(o.herd7, files, o.timeoutS, dir);
      const ours = batch.map((c, k) => barrierLab(c.text, files[k]!.path, o.timeoutS, o.model));
      const herd = await herdRun;
      batch.forEach((c, k) => {
        const h = herd.get(c.name)!;
        const { verdict, problems } = judge(h, ours[k]!);
        const counts = tally.get(c.source) ?? { passed: 0, failed: 0, inconclusive: 0 };
        counts[verdict]++;
        tally.set(c.source, counts);
        for (const kind of kindsOf(c.text)) {
          const perSource = kindTally.get(kind) ?? new Map<Source, number>();
          perSource.set(c.source, (perSource.get(c.source) ?? 0) + 1);
          kindTally.set(kind, perSource);
        }
        done++;
        if (verdict === 'inconclusive') inconclusive.push(c.name);
        if (verdict !== 'failed') return;
        failures.push(c);
        if (tty) process.stderr.write('\r\x1b[K');
        const path = writeFailure(o.out, c.name, c.text, h, ours[k]!, problems);
        process.stdout.write(`FAIL ${c.name} (${c.source}): ${path}\n${problems.map((p) => `  ${p.split('\n')[0]}`).join('\n')}\n`);
        if (c.plan && shrunk < o.shrink) {
          shrunk++;
          const small = shrink(o, c, work);
          if (small) {
            const smallPath = writeFailure(o.out, small.name, small.text, small.herd, small.ours, small.problems);
            process.stdout.write(`  shrunk to ${smallPath}\n`);
          }
        }
      });
      if (tty) {
        const failed = failures.length;
        process.stderr.write(`\r\x1b[K[${done}/${all.length}] ${done - failed - inconclusive.length} passed, ${failed} failed, ${inconclusive.length} inconclusive`);
      }
    }
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\ndifferential: ${all.length} tests, seed ${o.seed}, in ${seconds} s\n`);
  process.stdout.write('source      tests  passed  failed  inconclusive\n');
  for (const [source, c] of [...tally].sort()) {
    process.stdout.write(`${source.padEnd(10)} ${String(c.passed + c.failed + c.inconclusive).padStart(6)} ${String(c.passed).padStart(7)} ${String(c.failed).padStart(7)} ${String(c.inconclusive).padStart(13)}\n`);
  }
  const sources = [...tally.keys()].sort();
  process.stdout.write(`\ntests using each kind${' '.repeat(4)}${sources.map((s) => s.padStart(10)).join('')}\n`);
  for (const kind of TEST_KINDS) {
    process.stdout.write(`${kind.padEnd(25)}${sources.map((s) => String(kindTally.get(kind)?.get(s) ?? 0).padStart(10)).join('')}\n`);
  }
  if (inconclusive.length > 0) process.stdout.write(`inconclusive (herd7 gave up): ${inconclusive.slice(0, 10).join(', ')}${inconclusive.length > 10 ? ', ...' : ''}\n`);
  const failed = failures.length;
  process.stdout.write(`${all.length - failed - inconclusive.length} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (status) => (process.exitCode = status),
  (e: unknown) => {
    process.stderr.write(`differential: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
