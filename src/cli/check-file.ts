/**
 * Checking one file for `barrier-lab check`, as plain data in and out, so
 * that the same code runs on the main thread and on worker threads
 * (`--jobs`): the result is the text to print, never a live object.
 */

import { readFileSync } from 'node:fs';
import { LitmusError } from '../litmus/errors.js';
import { parseLitmus } from '../litmus/parser.js';
import { loadModel, type ModelChoice } from './model-files.js';
import { check, CheckLimitError } from '../verdict/check.js';
import { herdText } from '../verdict/herd.js';
import { checkJson } from '../verdict/json.js';

export interface CheckFileOptions {
  /** The model, as chosen on the command line: plain data a worker thread can load again. */
  readonly model: ModelChoice;
  readonly json: boolean;
  readonly executions: boolean;
  readonly timeoutMs?: number;
  readonly maxCandidates?: number;
}

export interface CheckFileResult {
  /** herd7's report or the JSON line (empty on error). */
  readonly text: string;
  /** The located message for bad input or a limit reached, or null. */
  readonly error: string | null;
  /** What `--summary` needs. */
  readonly summary: { name: string; observation: string; positive: number; negative: number; flags: string[]; claim: string | null } | null;
}

export function checkFile(file: string, options: CheckFileOptions, onProgress?: (examined: number) => void): CheckFileResult {
  try {
    const started = performance.now();
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (e) {
      return { text: '', error: `${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, summary: null };
    }
    const test = parseLitmus(source, file);
    const result = check(test, {
      model: loadModel(options.model),
      keepExecutions: options.executions,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxCandidates !== undefined ? { maxCandidates: options.maxCandidates } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const claim = result.test.comments.join('\n').match(/Result:\s*(Never|Sometimes|Always)\b/)?.[1] ?? null;
    return {
      text: options.json ? `${JSON.stringify(checkJson(result))}\n` : herdText(result, seconds),
      error: null,
      summary: { name: result.name, observation: result.observation, positive: result.positive, negative: result.negative, flags: [...result.flags], claim },
    };
  } catch (e) {
    if (e instanceof LitmusError) return { text: '', error: e.message, summary: null };
    if (e instanceof CheckLimitError) return { text: '', error: `${file}: ${e.message}`, summary: null };
    // Anything else is a bug: report it as such, located by file, still without a stack trace for the user.
    return { text: '', error: `${file}: internal error: ${e instanceof Error ? e.message : String(e)} (please report this test)`, summary: null };
  }
}
