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

/** Variants herd7 7.58 refuses (each checked against it), refused here too with a located message. */
const HERD7_REFUSES: ReadonlyArray<readonly [string, string, string]> = [
  ['C comment in the initial state', 'C t\n{ x=1; // one\n}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', 'bad.litmus:2:8: a C comment (//) is not allowed in the initial state or the final section\n  hint: herd7 reads only (* ... *) comments there'],
  ['C comment in the condition', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1) /* done */\n', 'bad.litmus:6:14: a C comment (/* */) is not allowed in the initial state or the final section\n  hint: herd7 reads only (* ... *) comments there'],
  ['(* *) comment among the threads', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\n(* between *)\nexists (x=1)\n', 'bad.litmus:6:1: a (* *) comment is not allowed among the threads\n  hint: herd7 reads only C comments (/* */ and //) from the initial state to the final section'],
  ['section word in a comment of a thread', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1); // nothing exists yet\n}\nexists (x=1)\n', "bad.litmus:4:33: the word 'exists' may not appear in a comment in the threads\n  hint: herd7 would take it for the start of the final section; reword the comment"],
  ['section word as a name in a thread', 'C t\n{}\nP0(int *x) {\n  int final = 1;\n}\nexists (x=1)\n', "bad.litmus:4:7: 'final' cannot be used as a name in a thread\n  hint: herd7 would take it for the start of the final section; rename it"],
  ['minus sign apart from its number', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=- 1)\n', "bad.litmus:6:11: unexpected '-': here a minus sign must be followed directly by the digits of a number"],
  ['negative hexadecimal', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=-0x1)\n', "bad.litmus:6:11: a negative number must be written in decimal here\n  hint: herd7 reads '-0x...' as '-0' followed by a name"],
  ['value beyond 32 bits', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=2147483648)\n', 'bad.litmus:6:11: integer 2147483648 does not fit in 32 bits\n  hint: values in the initial state and the condition go from -2147483648 to 2147483647 (or 0x0 to 0xffffffff)'],
  ["register on the right of '!='", 'C t\n{}\nP0(int *x) {\n  int r0 = READ_ONCE(*x);\n}\nexists (0:r0!=0:r0)\n', "bad.litmus:6:15: expected a value (a number or a location name) after '!=', found '0:r0'\n  hint: herd7 compares only with a value there; write ~(a=b) to compare two registers or locations"],
  ['keyword as a location', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (with=1)\n', "bad.litmus:6:9: 'with' is a keyword here and cannot name a location, a register or a type"],
  ['brackets in locations', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nlocations [[x]]\nexists (x=1)\n', "bad.litmus:6:12: expected a location or a register (like x or 0:r1) in 'locations', found '['\n  hint: write the location without brackets: locations [x]"],
  ['empty entry in locations', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nlocations [x;;]\nexists (x=1)\n', "bad.litmus:6:14: expected a location or a register (like x or 0:r1) in 'locations', found ';'"],
  ["'~' and 'exists' on two lines", 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\n~\nexists (x=1)\n', "bad.litmus:6:1: '~' must be followed by 'exists' on the same line to start the final condition"],
  ["two ';' after the condition", 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1);;\n', "bad.litmus:6:14: unexpected ';' after the final condition\n  hint: only one ';' and comments may follow the condition"],
  ["';' before the condition", 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nlocations [x];\nexists (x=1)\n', "bad.litmus:6:14: unexpected ';' before the final condition"],
  ['filter after the condition', 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\nfilter (x=1)\n', "bad.litmus:7:1: 'filter' is out of place\n  hint: the final section is 'locations [...]', then 'filter ...', then the condition, each at most once"],
  ["bad kind after 'with'", 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1) with tso: allowed\n', "bad.litmus:6:24: expected exists, ~exists or forall after 'tso:', found 'allowed'"],
  ["'*' after a bracketed location", 'C t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists ([x]=*x)\n', "bad.litmus:6:13: '*' may not follow '=' after a location in brackets\n  hint: write [x]=[y]"],
  ["leading ';' in the initial state", 'C t\n{ ; x=1; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:3: unexpected ';' in the initial state\n  hint: entries are separated by one ';'; an extra ';' may only come just before the closing '}'"],
  ["doubled ';' inside the initial state", 'C t\n{ x=1;; y=2; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:7: unexpected ';' in the initial state\n  hint: entries are separated by one ';'; an extra ';' may only come just before the closing '}'"],
  ["'&' without a pointer type", 'C t\n{ y=&x; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:5: '&' may only follow a pointer type in the initial state\n  hint: write the bare name, which is the address (x=y), or give a pointer type (int *x=&y)"],
  ["'&' after a non-pointer type", 'C t\n{ int y=&x; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:9: '&' may only follow a pointer type in the initial state\n  hint: write the bare name, which is the address (x=y), or give a pointer type (int *x=&y)"],
  ['ATOMIC_INIT without a type', 'C t\n{ x=ATOMIC_INIT(1); }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', 'bad.litmus:2:5: ATOMIC_INIT(...) needs a type before the location\n  hint: write atomic_t v = ATOMIC_INIT(1)'],
  ['multi-word type in the initial state', 'C t\n{ unsigned long x = 1; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:3: a type in the initial state is a single word (like int or intptr_t), found 'unsigned long'"],
  ['pointer to pointer in the initial state', 'C t\n{ int **p = &x; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:8: a pointer to a pointer cannot be given in the initial state\n  hint: herd7 takes one '*' there: write int *p = &x"],
  ['type of unknown size in the initial state', 'C t\n{ spinlock_t s; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', "bad.litmus:2:3: herd7 does not know the size of type 'spinlock_t', so it cannot appear in the initial state\n  hint: the types allowed there are char, short, int, long, intN_t and uintN_t, intptr_t, uintptr_t, atomic_t, and pointers to any type; other locations are thread parameters (spinlock_t *l)"],
  ['location given twice', 'C t\n{ x=1; int x=2; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', 'bad.litmus:2:12: x appears twice in the initial state'],
  ['(void) parameters', 'C t\n{}\nP0(void) {\n  smp_mb();\n}\n', "bad.litmus:3:4: herd7 does not accept '(void)' as the parameters of a thread\n  hint: write P0() for a thread without parameters"],
  ['parameter that is not a pointer', 'C t\n{}\nP0(int x) {\n  smp_mb();\n}\n', "bad.litmus:3:8: parameter 'x' of P0 must be a pointer\n  hint: the parameters of a thread are the shared locations it uses: write 'int *x'"],
  ["text before 'C NAME'", '\nC t\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\n', "bad.litmus:1:1: a C litmus test must start with 'C NAME' on its first line, with nothing before it"],
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

describe('variants herd7 refuses', () => {
  for (const [name, text, message] of HERD7_REFUSES) {
    it(name, () => expect(messageOf(text)).toBe(message));
  }
});

describe('the CLI on a malformed file', () => {
  it('prints the located message on stderr and exits with status 2, without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'barrier-lab-'));
    const file = join(dir, 'bad.litmus');
    writeFileSync(file, thread('  smp_mbb();'));
    const run = spawnSync(process.execPath, ['dist/cli/barrier-lab.js', 'check', file], { encoding: 'utf8' });
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
    const run = spawnSync(process.execPath, ['dist/cli/barrier-lab.js', 'check', '--summary', '--jobs', '2', bad, good], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${bad}:4:3: unknown primitive 'smp_mbb'`);
    expect(run.stdout).toContain('Always');
  });
});
