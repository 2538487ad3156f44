/**
 * What every command does with the files it is given: find the litmus
 * tests (files, or directories searched for .litmus files), read them, pick
 * the model, and run each test through a command with its errors reported
 * where they happen.
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LitmusTest } from '../litmus/ast.js';
import { LitmusError } from '../litmus/errors.js';
import { parseLitmus } from '../litmus/parser.js';
import type { MemoryModel } from '../models/model.js';
import { CheckLimitError } from '../verdict/check.js';
import { listOption, stringOption, UsageError, type CommandSpec, type ParsedValues } from './args.js';
import { loadModel, type ModelChoice } from './model-files.js';

export function litmusFiles(paths: readonly string[]): string[] {
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

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** The model options given, as plain data. */
export function modelChoice(values: ParsedValues): ModelChoice {
  const text = (name: string): Record<string, string> => {
    const v = stringOption(values, name);
    return v === undefined ? {} : { [name]: v };
  };
  const includes = listOption(values, 'include');
  const variants = listOption(values, 'variant');
  const name = stringOption(values, 'model');
  if (name !== undefined && (values.conf !== undefined || values.cat !== undefined)) throw new UsageError('--model names a built-in model; model files (--conf, --cat) replace it');
  return {
    ...(name !== undefined ? { name } : {}),
    ...text('conf'), ...text('cat'), ...text('bell'), ...text('macros'),
    ...(includes ? { includes } : {}),
    ...(variants ? { variants } : {}),
  };
}

/** The model a command runs: built in, or read from model files (a mistake in them located where it is). */
export function modelNamed(spec: CommandSpec, values: ParsedValues): MemoryModel {
  try {
    return loadModel(modelChoice(values));
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${spec.name}: ${e.message}`);
    throw e;
  }
}

/**
 * Runs `each` on every test file, reporting bad input as it comes: a
 * malformed test with its location, any other problem after
 * `barrier-lab:` (exit 2 in the end; the other files are still done).
 */
export function forEachTest(files: readonly string[], each: (test: LitmusTest) => void): number {
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
export function filesOf(spec: CommandSpec, positionals: readonly string[]): string[] {
  if (positionals.length === 0) throw new UsageError(`${spec.name}: name at least one litmus file or directory; see 'barrier-lab ${spec.name} --help'`);
  const files = litmusFiles(positionals);
  if (files.length === 0) throw new UsageError(`${spec.name}: no .litmus files in ${positionals.join(' ')}`);
  return files;
}

