#!/usr/bin/env node
/**
 * `npm run conformance`: checks every litmus test of ../shared/conformance
 * and compares with herd7's output beside it (`NAME.litmus.expected`): the
 * same Observation line (verdict and both counts), the same set of state
 * lines, the same Ok/No and the same flags. An unsupported test is a failure.
 *
 * With `--ratchet FILE`, the tests listed in FILE are known to fail: the run
 * fails when any other test fails, and when a listed test passes (so the
 * list only ever shrinks).
 *
 * With `--conf FILE` (a herd7 configuration, such as the kernel's
 * linux-kernel.cfg), the tests run under those model files through the cat
 * interpreter instead of the built-in LKMM.
 */

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLitmus } from '../litmus/parser.js';
import { LitmusError } from '../litmus/errors.js';
import { check, CheckLimitError } from '../verdict/check.js';
import { herdText } from '../verdict/herd.js';
import { herdDifferences, summariseHerdOutput } from '../verdict/herd-output.js';
import type { MemoryModel } from '../models/model.js';
import { loadModel } from './model-files.js';
import { UsageError } from './args.js';


function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.litmus') && existsSync(`${path}.expected`)) out.push(path);
  }
}

function main(argv: string[]): number {
  const here = fileURLToPath(new URL('.', import.meta.url));
  let root = resolve(here, '../../../shared/conformance');
  let ratchet: string | null = null;
  let timeoutMs = 60_000;
  const only: string[] = [];
  let model: MemoryModel | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--conf') {
      const conf = argv[++i] ?? '';
      try {
        model = loadModel({ conf });
      } catch (e) {
        if (!(e instanceof UsageError || e instanceof LitmusError)) throw e;
        process.stderr.write(`conformance: ${e.message}\n`);
        return 2;
      }
    } else if (a === '--ratchet') ratchet = argv[++i] ?? null;
    else if (a === '--root') root = resolve(argv[++i] ?? root);
    else if (a === '--timeout') timeoutMs = Number(argv[++i]) * 1000;
    else only.push(a);
  }
  if (!existsSync(root)) {
    process.stderr.write(`conformance: no corpus at ${root} (expected ../shared/conformance beside the repository)\n`);
    return 2;
  }
  const files: string[] = [];
  walk(root, files);
  const selected = only.length > 0 ? files.filter((f) => only.some((o) => relative(root, f).includes(o))) : files;
  const known = new Set<string>();
  if (ratchet && existsSync(ratchet)) {
    for (const line of readFileSync(ratchet, 'utf8').split('\n')) if (line.trim() && !line.startsWith('#')) known.add(line.trim());
  }
  const tty = process.stderr.isTTY;
  const failures: string[] = [];
  const times: Array<[string, number]> = [];
  let passed = 0;
  const started = Date.now();
  selected.forEach((file, index) => {
    const name = relative(root, file);
    if (tty) process.stderr.write(`\r\x1b[K[${index + 1}/${selected.length}] ${name}`);
    const expected = summariseHerdOutput(readFileSync(`${file}.expected`, 'utf8'));
    let problems: string[];
    const begun = performance.now();
    try {
      const test = parseLitmus(readFileSync(file, 'utf8'), name);
      const result = check(test, { timeoutMs, ...(model ? { model } : {}) });
      problems = herdDifferences(expected, summariseHerdOutput(herdText(result)));
    } catch (e) {
      if (e instanceof LitmusError || e instanceof CheckLimitError) problems = [`unsupported: ${e.message.split('\n')[0]}`];
      else problems = [`crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
    }
    times.push([name, (performance.now() - begun) / 1000]);
    if (problems.length === 0) passed++;
    else failures.push(name);
    if (problems.length > 0 && !known.has(name)) {
      if (tty) process.stderr.write('\r\x1b[K');
      process.stdout.write(`FAIL ${name}\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    }
  });
  if (tty) process.stderr.write('\r\x1b[K');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`conformance${model ? ` (${model.name})` : ''}: ${selected.length} tests in ${seconds} s; slowest: ${times
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([n, t]) => `${n.split('/').pop()} ${t.toFixed(2)} s`)
    .join(', ')}\n`);
  let status = failures.length === 0 ? 0 : 1;
  if (ratchet) {
    const unexpected = failures.filter((f) => !known.has(f));
    const nowPassing = [...known].filter((k) => !failures.includes(k) && selected.some((f) => relative(root, f) === k));
    for (const k of nowPassing) process.stdout.write(`PASSES but is listed in ${ratchet}: ${k} (remove it from the list)\n`);
    if (known.size > 0) process.stdout.write(`${failures.length - unexpected.length} known failures listed in ${ratchet}\n`);
    status = unexpected.length > 0 || nowPassing.length > 0 ? 1 : 0;
  }
  process.stdout.write(`${passed} passed, ${failures.length} failed\n`);
  return status;
}

process.exitCode = main(process.argv.slice(2));
