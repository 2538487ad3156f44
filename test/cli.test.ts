import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli/barrier-lab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'barrier-lab-cli-'));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const SB = `C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`;

describe('the bundled command', () => {
  it('loads the other commands only when one runs: check starts without the explanations and diagrams', () => {
    const entry = readFileSync(cli, 'utf8');
    expect(entry.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(entry).toContain('await import("./barrier-lab-commands.js")');
    expect(entry).not.toMatch(/^import .* from "\.\/barrier-lab-commands\.js";$/m);
    expect(entry).not.toMatch(/^import .* from "node:worker_threads";$/m);
    // What check needs is in the entry and its one shared chunk; the commands chunk holds the explanations.
    expect(readFileSync(join(cli, '../barrier-lab-commands.js'), 'utf8')).toContain('function explainOutcome(');
  });
});

describe('barrier-lab check', () => {
  it("prints herd7's report", () => {
    const r = run('check', file('SB.litmus', SB));
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 9)).toEqual([
      'Test SB Allowed',
      'States 4',
      '0:r0=0; 1:r0=0;',
      '0:r0=0; 1:r0=1;',
      '0:r0=1; 1:r0=0;',
      '0:r0=1; 1:r0=1;',
      'Ok',
      'Witnesses',
      'Positive: 1 Negative: 3',
    ]);
    expect(lines[9]).toBe('Condition exists (0:r0=0 /\\ 1:r0=0)');
    expect(lines[10]).toBe('Observation SB Sometimes 1 3');
    expect(lines[11]).toMatch(/^Time SB \d+\.\d\d$/);
  });

  it('prints one JSON document per test', () => {
    const r = run('check', '--json', file('SB2.litmus', SB));
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout.trim());
    expect(doc).toMatchObject({ name: 'SB', verdict: 'Ok', observation: 'Sometimes', positive: 1, negative: 3, flags: [] });
    expect(doc.states[0]).toEqual({ values: { '0:r0': 0, '1:r0': 0 }, executions: 1, satisfies: true });
  });

  it('reports a syntax error with its location and exits 2', () => {
    const path = file('bad.litmus', 'C bad\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1)\n  smp_mb();\n}\nexists (x=1)\n');
    const r = run('check', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${path}:5:3: expected ';' after the statement, found 'smp_mb'\n`);
    expect(r.stdout).toBe('');
  });

  it('suggests the nearest primitive for an unknown one', () => {
    const path = file('typo.litmus', 'C typo\n{}\nP0(int *x) {\n  smp_wmbb();\n}\nexists (x=1)\n');
    const r = run('check', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${path}:4:3: unknown primitive 'smp_wmbb'\n  hint: did you mean 'smp_wmb'?\n`);
  });

  it('refuses loops by name', () => {
    const path = file('loop.litmus', 'C loop\n{}\nP0(int *x) {\n  while (1) { }\n}\nexists (x=1)\n');
    const r = run('check', path);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^.*loop\.litmus:4:3: .*while/);
  });

  it('exits 2 for a missing file or an unknown command', () => {
    expect(run('check', join(dir, 'nope.litmus'))).toMatchObject({ status: 2, stderr: `barrier-lab: ${join(dir, 'nope.litmus')}: no such file or directory\n` });
    expect(run('frobnicate')).toMatchObject({ status: 2, stderr: "barrier-lab: unknown command 'frobnicate' (try: barrier-lab --help)\n" });
  });

  it('gives up cleanly when a limit is reached', () => {
    const r = run('check', '--max-executions', '2', file('SB3.litmus', SB));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/gave up after examining 2 candidate executions/);
  });
});

describe('the command line\'s help and option errors', () => {
  const commands = ['check', 'explain', 'barriers', 'diagram', 'report', 'compare', 'primitives'];

  it('gives every command its own --help (and -h), within 80 columns', () => {
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const r = run(command, flag);
        expect(r.status, `${command} ${flag}`).toBe(0);
        expect(r.stdout.split('\n')[0], command).toMatch(new RegExp(`^usage: barrier-lab ${command} \\[options\\] `));
        for (const line of r.stdout.split('\n')) expect(line.length, `${command}: ${line}`).toBeLessThanOrEqual(80);
      }
    }
    for (const command of ['check', 'explain', 'barriers']) expect(run(command, '--help').stdout, command).toContain('--json');
    expect(run('help', 'diagram').stdout).toBe(run('diagram', '--help').stdout);
    expect(run('--help').stdout).toContain("'barrier-lab COMMAND --help' lists a command's options.");
  });

  it('says what is wrong with an option in its own words, and points to the help', () => {
    expect(run('explain', '--frobnicate', 'x.litmus')).toMatchObject({ status: 2, stdout: '', stderr: "barrier-lab: explain: unknown option '--frobnicate'; see 'barrier-lab explain --help'\n" });
    expect(run('check', '--jobs', '-1', 'x.litmus')).toMatchObject({ status: 2, stderr: "barrier-lab: check: --jobs takes a positive number, not '-1'; see 'barrier-lab check --help'\n" });
    expect(run('check', '--jobs', '2.5', 'x.litmus')).toMatchObject({ status: 2, stderr: "barrier-lab: check: --jobs takes a positive whole number, not '2.5'; see 'barrier-lab check --help'\n" });
    expect(run('check', '--model')).toMatchObject({ status: 2, stderr: "barrier-lab: check: --model needs a value (M); see 'barrier-lab check --help'\n" });
    expect(run('explain', '--model', 'arm', file('SB-model.litmus', SB))).toMatchObject({ status: 2, stderr: "barrier-lab: explain: unknown model 'arm' (choose from lkmm, sc, tso, or give model files with --conf or --cat)\n" });
    expect(run('diagram', '--through', 'P9:3', file('SB-through.litmus', SB))).toMatchObject({ status: 2, stderr: `barrier-lab: ${join(dir, 'SB-through.litmus')}: --through P9:3: the test has no P9\n` });
  });

  it('lists the primitives within 80 columns, or those a test uses', () => {
    const all = run('primitives');
    expect(all.status).toBe(0);
    for (const line of all.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const used = run('primitives', file('SB-prims.litmus', SB));
    expect(used.stdout).toBe('READ_ONCE   a marked load: no tearing, no fusing, no ordering\nWRITE_ONCE  a marked store: no tearing, no fusing, no ordering\n');
  });

  it('labels compare\'s columns and keeps the flags', () => {
    const r = run('compare', file('MP-plain.litmus', `C MP+plain
{}
P0(int *x, int *y) { *x = 1; WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = *x; }
exists (1:r0=1 /\\ 1:r1=0)
`));
    expect(r.stdout.split('\n').slice(3, 5)).toEqual(['test      LKMM                       SC         TSO', 'MP+plain  Sometimes 1/4 [data-race]  Never 0/3  Never 0/3']);
  });
});

describe('model files (the kernel\'s, read from ../shared/reference/herd7/lkmm)', () => {
  const kernel = fileURLToPath(new URL('../../shared/reference/herd7/lkmm/', import.meta.url));
  const withoutTime = (text: string): string => text.replace(/^Time .*\n/gm, '');

  it('check with --conf prints what the built-in model prints', () => {
    const sb = file('SB-conf.litmus', SB);
    const ours = run('check', '--conf', join(kernel, 'linux-kernel.cfg'), sb);
    expect(ours.status).toBe(0);
    expect(withoutTime(ours.stdout)).toBe(withoutTime(run('check', sb).stdout));
    // The same files named one by one, the variant given on the command line.
    const byFile = run('check', '--cat', join(kernel, 'linux-kernel.cat'), '--bell', join(kernel, 'linux-kernel.bell'), '--variant', 'lkmmv2', sb);
    expect(withoutTime(byFile.stdout)).toBe(withoutTime(ours.stdout));
  });

  it('explain tells a forbidden cycle with the axiom the model file names', () => {
    const mp = file('MP-wmb-rmb.litmus', `C MP+wmb+rmb
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
`);
    const r = run('explain', '--conf', join(kernel, 'linux-kernel.cfg'), mp);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('#1 breaks happens-before (acyclic hb): as linux-kernel.cat:');
  });

  it('reports a mistake in a model file where it is, with status 2', () => {
    const bad = file('bad.cat', '"bad"\nlet a = po | rff\nacyclic a as a\n');
    expect(run('check', '--cat', bad, file('SB-bad.litmus', SB))).toMatchObject({ status: 2, stdout: '', stderr: `${bad}:2:14: 'rff' is not defined\n` });
    const def = file('extra.def', 'READ_ONCE(X) __load{ONCE}(X)\nmy_fence() { __frob{mb}; }\n');
    expect(run('check', '--conf', join(kernel, 'linux-kernel.cfg'), '--macros', def, file('SB-def.litmus', SB))).toMatchObject({ status: 2, stderr: `${def}:2:1: the body of 'my_fence' is not supported: '__frob' is neither one of herd7's operations nor a primitive defined before\n  hint: barrier-lab reads bodies made of herd7's __load, __store, __fence, __xchg, __cmpxchg, __atomic_op*, __lock, __unlock, __trylock, __islocked, __srcu, or one primitive defined before\n` });
    expect(run('check', '--bell', join(kernel, 'linux-kernel.bell'), file('SB-bell.litmus', SB))).toMatchObject({ status: 2, stderr: 'barrier-lab: check: --bell and --macros go with --cat or --conf\n' });
  });

  it('model-diff lists the tests two models disagree on, and says why', () => {
    const current = readFileSync(join(kernel, 'linux-kernel.cat'), 'utf8');
    const older = file('older.cat', current.replace('let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po', 'let po-unlock-lock-po = po ; [UL] ; rf ; [LKR] ; po'));
    const corpus = fileURLToPath(new URL('../../shared/conformance/kernel/', import.meta.url));
    const r = run('model-diff', '--cat', older, '--cat', join(kernel, 'linux-kernel.cat'), '--bell', join(kernel, 'linux-kernel.bell'), '-I', kernel, '--variant', 'lkmmv2',
      join(corpus, 'MP+unlocklockonceonce+fencermbonceonce.litmus'), join(corpus, 'MP+polocks.litmus'));
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('MP+unlocklockonceonce+fencermbonceonce: Sometimes 1/4 -> Never 0/3');
    expect(lines[1]).toBe(`  an execution ${older} allows breaks happens-before under ${join(kernel, 'linux-kernel.cat')}:`);
    expect(lines.at(-2)).toBe(`model-diff: ${older} -> ${join(kernel, 'linux-kernel.cat')}: 1 of 2 tests differ`);
    expect(run('model-diff', file('SB-md.litmus', SB))).toMatchObject({ status: 2, stderr: 'barrier-lab: model-diff: give two models (--conf or --cat), or one to compare with the built-in LKMM; got 0\n' });
  });
});
