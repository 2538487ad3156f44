/**
 * Running the reference checker, herd7 with the kernel's model
 * (`../shared/reference/herd7/herd7-lkmm`), on a batch of litmus files:
 * for comparison only, never needed to build, run or test barrier-lab.
 */

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What herd7 made of one test. */
export type Herd7Outcome =
  | { readonly kind: 'report'; readonly text: string }
  /** herd7 refused the test (its message). */
  | { readonly kind: 'rejected'; readonly message: string }
  /** herd7 gave up within its time limit (or printed nothing for the test). */
  | { readonly kind: 'timeout' };

/** The herd7-lkmm wrapper beside the repository, or the one given; null when there is none. */
export function findHerd7(given?: string): string | null {
  if (given) return existsSync(given) ? resolve(given) : null;
  const here = fileURLToPath(new URL('.', import.meta.url));
  const beside = resolve(here, '../../../shared/reference/herd7/herd7-lkmm');
  return existsSync(beside) ? beside : null;
}

/**
 * Runs herd7 once on every file (each a test whose name is unique in the
 * batch) and returns its report for each, keyed by test name. `timeoutS`
 * is herd7's own per-test limit (CPU time); its output goes to files in
 * `workDir`.
 */
export function runHerd7(herd7: string, files: ReadonlyArray<{ readonly path: string; readonly name: string }>, timeoutS: number, workDir: string): Promise<Map<string, Herd7Outcome>> {
  // herd7 writes to files, not pipes: the caller may keep the event loop busy while it runs.
  const outPath = join(workDir, 'herd7.out');
  const errPath = join(workDir, 'herd7.err');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  return new Promise((done, fail) => {
    const child = spawn(herd7, ['-timeout', String(timeoutS), ...files.map((f) => f.path)], { stdio: ['ignore', out, err] });
    child.on('error', (e) => {
      closeSync(out);
      closeSync(err);
      fail(e);
    });
    child.on('close', () => {
      closeSync(out);
      closeSync(err);
      const reports = splitReports(readFileSync(outPath, 'utf8'));
      const messages = readFileSync(errPath, 'utf8').split('\n');
      // A fatal error ends herd7's run: the tests after the one that caused it are run again one by one.
      const aborted = messages.some((m) => m.startsWith('Fatal error'));
      const result = new Map<string, Herd7Outcome>();
      for (const f of files) {
        const report = reports.get(f.name);
        if (report !== undefined) {
          result.set(f.name, { kind: 'report', text: report });
          continue;
        }
        const message = messages.find((m) => m.includes(`"${f.path}"`));
        if (message) result.set(f.name, { kind: 'rejected', message: message.trim() });
        else result.set(f.name, aborted ? runHerd7Once(herd7, f, timeoutS) : { kind: 'timeout' });
      }
      done(result);
    });
  });
}

/** herd7 on one test, waiting for it (for shrinking, where tests come one at a time). */
export function runHerd7Once(herd7: string, file: { readonly path: string; readonly name: string }, timeoutS: number): Herd7Outcome {
  const run = spawnSync(herd7, ['-timeout', String(timeoutS), file.path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const report = splitReports(run.stdout ?? '').get(file.name);
  if (report !== undefined) return { kind: 'report', text: report };
  const messages = (run.stderr ?? '').split('\n').map((m) => m.trim()).filter((m) => m !== '');
  const message = messages.find((m) => m.includes(`"${file.path}"`)) ?? messages.find((m) => m.startsWith('Fatal error'));
  return message ? { kind: 'rejected', message } : { kind: 'timeout' };
}

/** herd7's output for several tests, one report per test name (without its Time and Hash lines). */
function splitReports(stdout: string): Map<string, string> {
  const reports = new Map<string, string>();
  let name: string | null = null;
  let lines: string[] = [];
  const close = (): void => {
    if (name !== null) reports.set(name, `${lines.join('\n')}\n`);
    name = null;
    lines = [];
  };
  for (const line of stdout.split('\n')) {
    const start = /^Test (\S+) (Allowed|Required|Forbidden)/.exec(line);
    if (start) {
      close();
      name = start[1]!;
    }
    if (name === null || line.startsWith('Time ') || line.startsWith('Hash=')) continue;
    if (line === '') {
      close();
      continue;
    }
    lines.push(line);
  }
  close();
  return reports;
}

/**
 * herd7's own `Time` line for each file (the seconds it spent on that
 * test, model files aside), running it on batches of files whose test
 * names differ, and alone each test a batch left without one; null for a
 * test it refused or gave up on. `onBatch` is told how many files are done.
 */
export function herd7TimeLines(herd7: string, paths: readonly string[], timeoutS: number, onBatch?: (done: number) => void): Map<string, number | null> {
  const times = new Map<string, number | null>();
  // herd7 names a test after its first line, without a '.litmus' some tests put there.
  const nameOf = (path: string): string => (/^C\s+(\S+)/m.exec(readFileSync(path, 'utf8'))?.[1] ?? path).replace(/\.litmus$/, '');
  let done = 0;
  for (let start = 0; start < paths.length; ) {
    const batch: string[] = [];
    const names = new Map<string, string>();
    for (; start < paths.length && batch.length < 100; start++) {
      const name = nameOf(paths[start]!);
      if (names.has(name)) break;
      names.set(name, paths[start]!);
      batch.push(paths[start]!);
    }
    const read = (files: readonly string[]): void => {
      const run = spawnSync(herd7, ['-timeout', String(timeoutS), ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      for (const line of (run.stdout ?? '').split('\n')) {
        const m = /^Time (\S+) (\d+(?:\.\d+)?)$/.exec(line.trim());
        const path = m ? names.get(m[1]!) : undefined;
        if (m && path !== undefined) times.set(path, Number(m[2]));
      }
    };
    for (const path of batch) times.set(path, null);
    read(batch);
    // A test that ends herd7's run (its time limit, a fatal error) takes the rest of the batch with it: those run alone.
    for (const path of batch) if (times.get(path) === null) read([path]);
    done += batch.length;
    onBatch?.(done);
  }
  return times;
}
