/**
 * Property test: mutated conformance tests (token deletions and swaps,
 * truncations, huge numbers, deep nesting, random bytes) give either a
 * result or a located LitmusError — never another exception, a stack trace
 * or a hang (every check runs under a time and a candidate limit).
 * Fixed seed and a bounded number of cases, so it runs in seconds.
 */

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LitmusError } from '../src/litmus/errors.js';
import { parseLitmus } from '../src/litmus/parser.js';
import { check, CheckLimitError } from '../src/verdict/check.js';

const ROOT = resolve(__dirname, '../../shared/conformance');
const LOCAL = resolve(__dirname, '../litmus');

function litmusFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) litmusFiles(path, out);
    else if (name.endsWith('.litmus')) out.push(path);
  }
  return out;
}

// A fixed sample: every 15th conformance test (or the project's own library when the corpus is absent).
const corpus = (existsSync(ROOT) ? litmusFiles(ROOT).filter((_, i) => i % 15 === 0) : litmusFiles(LOCAL)).map((f) => readFileSync(f, 'utf8'));

const tokens = (text: string): string[] => text.match(/\s+|[A-Za-z_][A-Za-z0-9_]*|\d+|\S/g) ?? [];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'huge'; at: number; digits: string }
  | { kind: 'nest'; at: number; depth: number; open: string }
  | { kind: 'bytes'; at: number; bytes: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), digits: fc.stringMatching(/^[1-9][0-9]{15,40}$/) }),
  fc.record({ kind: fc.constant('nest' as const), at: fc.nat(), depth: fc.integer({ min: 50, max: 5000 }), open: fc.constantFrom('(', '{', '!', '-', '*', 'if (1) ') }),
  fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.string({ unit: 'binary', maxLength: 12 }) }),
);

function mutate(text: string, mutations: readonly Mutation[]): string {
  let toks = tokens(text);
  for (const m of mutations) {
    if (toks.length === 0) break;
    const at = m.at % toks.length;
    switch (m.kind) {
      case 'delete': toks.splice(at, 1); break;
      case 'swap': { const j = m.with % toks.length; [toks[at], toks[j]] = [toks[j]!, toks[at]!]; break; }
      case 'truncate': toks = toks.slice(0, at); break;
      case 'huge': toks.splice(at, 0, m.digits); break;
      case 'nest': toks.splice(at, 0, m.open.repeat(m.depth)); break;
      case 'bytes': toks.splice(at, 0, m.bytes); break;
    }
  }
  return toks.join('');
}

/** Checks one input; returns what happened, failing on anything but a result or a located error. */
function outcome(text: string): 'result' | 'error' | 'limit' {
  try {
    check(parseLitmus(text, 'fuzz.litmus'), { timeoutMs: 2000, maxCandidates: 20_000 });
    return 'result';
  } catch (e) {
    if (e instanceof LitmusError) {
      expect(e.message).toMatch(/^fuzz\.litmus:\d+:\d+: \S/);
      expect(e.message).not.toMatch(/\n\s+at /);
      return 'error';
    }
    if (e instanceof CheckLimitError) return 'limit';
    throw e;
  }
}

describe('fuzzing the parser and checker with mutated conformance tests', () => {
  it('gives a result or a located LitmusError for every mutation', { timeout: 60_000 }, () => {
    expect(corpus.length).toBeGreaterThan(10);
    const seen = { result: 0, error: 0, limit: 0 };
    fc.assert(
      fc.property(fc.nat({ max: corpus.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (index, mutations) => {
        seen[outcome(mutate(corpus[index]!, mutations))]++;
      }),
      { seed: 20240917, numRuns: 1000, endOnFailure: true },
    );
    // The mutations reach both sides: some inputs still check, most are refused.
    expect(seen.error).toBeGreaterThan(0);
    expect(seen.result).toBeGreaterThan(0);
  });
});
