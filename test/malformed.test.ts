/**
 * Malformed inputs and the exact message each gets: located
 * `file:line:col: ...`, with a hint where one helps. Lexer, parser and
 * semantic errors; and the CLI: message on stderr, exit status 2, no stack trace.
 */

import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LitmusError } from '../src/litmus/errors.js';
import { parseLitmus } from '../src/litmus/parser.js';
import { check } from '../src/verdict/check.js';

const thread = (body: string, condition = 'exists (0:r0=1)'): string => `C t\n{}\nP0(int *x) {\n${body}\n}\n${condition}\n`;

const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['empty file', '', "bad.litmus:1:1: the file is empty: a C litmus test starts with 'C NAME'"],
  ['missing header', '{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n', "bad.litmus:1:1: a C litmus test must start with 'C NAME', found '{}'"],
  ['unterminated comment', 'C t\n(* never closed\n{}\n', 'bad.litmus:2:1: unterminated comment (* started here\n  hint: close it with *)'],
  ['unknown character', thread('  WRITE_ONCE(*x, 1) @;'), "bad.litmus:4:21: unknown character '@'"],
  ['huge number', thread('  WRITE_ONCE(*x, 99999999999999999999999);', 'exists (x=1)'), 'bad.litmus:4:18: integer 99999999999999999999999 is too large (the limit is 2^53 - 1 = 9007199254740991)'],
  ['bad initial value', 'C t\n{ x = ; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n', "bad.litmus:2:7: expected an initial value (a number, a location name or &location), found ';'"],
  ['missing semicolon', thread('  WRITE_ONCE(*x, 1)'), "bad.litmus:5:1: expected ';' after the statement, found '}'"],
  ['unbalanced brace', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\nexists (x=1)\n', "bad.litmus:5:1: found 'exists' inside the code of P0: a '}' is probably missing\n  hint: the code of P0 starts at 3:12"],
  ['no thread', 'C t\n{}\nexists (x=1)\n', "bad.litmus:3:1: expected the first thread P0 after the initial state, found 'exists'\n  hint: threads are written P0(int *x) { ... }"],
  ['thread numbering', 'C t\n{}\nP1(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', 'bad.litmus:3:1: threads must be numbered P0, P1, ... in order; the first thread is P1, not P0'],
  ['assignment to a non-lvalue', thread('  1 = 2;'), "bad.litmus:4:3: the left side of '=' must be a register (r1) or a dereference (*x)"],
  ['unknown primitive with hint', thread('  smp_mbb();'), "bad.litmus:4:3: unknown primitive 'smp_mbb'\n  hint: did you mean 'smp_mb'?"],
  ['function call', thread('  foo(x);'), "bad.litmus:4:3: unknown primitive 'foo'\n  hint: see `barrier-lab primitives` for the supported list"],
  ['wrong arity', thread('  int r0;\n  r0 = READ_ONCE(*x, 1);'), "bad.litmus:5:8: 'READ_ONCE' takes 1 argument, found 2"],
  ['pointer instead of lvalue', thread('  int r0;\n  r0 = READ_ONCE(x);'), "bad.litmus:5:18: READ_ONCE() takes an lvalue such as '*x'\n  hint: write READ_ONCE(*x)"],
  ['while loop refused', thread('  int r0;\n  while (1) { r0 = READ_ONCE(*x); }'), 'bad.litmus:5:3: loops (`while`) are not supported: the memory model needs straight-line code with if/else\n  hint: unroll the loop by hand into a fixed number of steps'],
  ['for loop refused', thread('  int i;\n  for (i = 0; i < 2; i++) WRITE_ONCE(*x, i);'), 'bad.litmus:5:3: loops (`for`) are not supported: the memory model needs straight-line code with if/else\n  hint: unroll the loop by hand into a fixed number of steps'],
  ['return refused', thread('  return;'), 'bad.litmus:4:3: jumps (`return`) are not supported: the memory model needs straight-line code with if/else\n  hint: restructure the code with if/else'],
  ['undeclared name', thread('  WRITE_ONCE(*y, 1);'), "bad.litmus:4:15: 'y' is neither a register of P0 nor a shared location\n  hint: declare it (`int y;`) or pass it as a parameter"],
  ['bad condition', thread('  WRITE_ONCE(*x, 1);', 'exists (0:r0=)'), "bad.litmus:6:14: expected a register (like 0:r1), a location or a value in the condition, found ')'"],
  ['condition names a missing thread', thread('  int r0;\n  r0 = READ_ONCE(*x);', 'exists (3:r0=1)'), 'bad.litmus:7:9: the condition names 3:r0, but there is no thread P3'],
];

function messageOf(text: string): string {
  try {
    check(parseLitmus(text, 'bad.litmus'), { timeoutMs: 5000 });
  } catch (e) {
    expect(e).toBeInstanceOf(LitmusError);
    return (e as Error).message;
  }
  throw new Error('expected a LitmusError');
}

describe('malformed litmus tests', () => {
  for (const [name, text, message] of CASES) {
    it(name, () => expect(messageOf(text)).toBe(message));
  }
});

describe('the CLI on a malformed file', () => {
  it('prints the located message on stderr and exits with status 2, without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'barrier-lab-'));
    const file = join(dir, 'bad.litmus');
    writeFileSync(file, thread('  smp_mbb();'));
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', file], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${file}:4:3: unknown primitive 'smp_mbb'\n  hint: did you mean 'smp_mb'?\n`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports the same with --jobs 2, in input order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'barrier-lab-'));
    const bad = join(dir, 'a-bad.litmus');
    const good = join(dir, 'b-good.litmus');
    writeFileSync(bad, thread('  smp_mbb();'));
    writeFileSync(good, 'C good\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n');
    const run = spawnSync(process.execPath, ['dist/cli/main.js', 'check', '--summary', '--jobs', '2', bad, good], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${bad}:4:3: unknown primitive 'smp_mbb'`);
    expect(run.stdout).toContain('Always');
  });
});
