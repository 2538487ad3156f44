/**
 * Counting mostly-allowed tests without checking each execution: where one
 * model evaluation shows that every completion of a partial choice is
 * allowed (allowsEveryCompletion), the enumeration marks those completions
 * `allowedByBound` and check() counts them without checking their axioms
 * (their flags are still computed). Here, on the project's litmus tests and
 * generated families, every execution so marked is one the model allows;
 * and on a test of many allowed executions, the shortcut does fire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram, candidates, checkModel, lkmm, parseLitmus, type LitmusTest } from '../src/index.js';
import { pruningFor } from '../src/verdict/check.js';
import { FAMILIES } from '../src/bench/families.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every candidate the shortcut marks, checked in full; and how many it marked, of how many allowed. */
// (The flags of a marked candidate are computed as ever: check() passes axiomsHold, not a verdict.)
function audit(test: LitmusTest): { marked: number; allowed: number; wrong: string[]; bounds: number; held: number } {
  const pruning = pruningFor(lkmm);
  let bounds = 0;
  let held = 0;
  const options = { ...pruning, allowsEvery: (upper: Parameters<NonNullable<typeof pruning.allowsEvery>>[0]) => {
    bounds++;
    const ok = pruning.allowsEvery!(upper);
    if (ok) held++;
    return ok;
  } };
  let marked = 0;
  let allowed = 0;
  const wrong: string[] = [];
  for (const x of candidates(buildProgram(test), options)) {
    const verdict = checkModel(lkmm, x, true);
    if (verdict.allowed) allowed++;
    if (!x.allowedByBound) continue;
    marked++;
    if (!verdict.allowed) wrong.push(`marked allowed, but breaks ${verdict.violated!.name}`);
  }
  return { marked, allowed, wrong, bounds, held };
}

function litmusFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? litmusFiles(join(dir, e.name)) : e.name.endsWith('.litmus') ? [join(dir, e.name)] : []));
}

describe('executions counted as allowed by a bound', () => {
  const files = [...litmusFiles(join(ROOT, 'litmus')), ...litmusFiles(join(ROOT, 'site/litmus'))];
  it.each(files.map((f) => [f.slice(ROOT.length)]))('%s: each one marked is allowed', (file) => {
    const { wrong } = audit(parseLitmus(readFileSync(join(ROOT, file), 'utf8'), file));
    expect(wrong).toEqual([]);
  });

  const generated = FAMILIES.flatMap((f) => [f.minN, f.minN + 1, f.minN + 2].map((n) => f.generate(n)));
  it.each(generated.map((t) => [t.name, t.text]))('%s: each one marked is allowed', (_name, text) => {
    const { wrong } = audit(parseLitmus(text, 'generated.litmus'));
    expect(wrong).toEqual([]);
  });

  it('fires on a test of many allowed executions: a handful of evaluations for thousands of executions', () => {
    // Grace periods and read-side sections reading six locations one writer sets: 4 095 of 4 096 allowed.
    const readers = [0, 1, 2, 3].map((i) => `P${i}(int *x${i}, int *x${i + 1})\n{\n  int r1; int r2;\n  r1 = READ_ONCE(*x${i});\n  synchronize_rcu();\n  r2 = READ_ONCE(*x${i + 1});\n}`);
    const sections = [[4, 'x4', 'x5'], [5, 'x5', 'x0']].map(([i, a, b]) => `P${i}(int *${a}, int *${b})\n{\n  int r1; int r2;\n  rcu_read_lock();\n  r1 = READ_ONCE(*${a});\n  r2 = READ_ONCE(*${b});\n  rcu_read_unlock();\n}`);
    const writer = `P6(int *x0, int *x1, int *x2, int *x3, int *x4, int *x5)\n{\n${[0, 1, 2, 3, 4, 5].map((i) => `  WRITE_ONCE(*x${i}, 1);`).join('\n')}\n}`;
    const condition = 'exists (0:r1=1 /\\ 0:r2=0 /\\ 1:r1=1 /\\ 1:r2=0 /\\ 2:r1=1 /\\ 2:r2=0 /\\ 3:r1=1 /\\ 3:r2=0 /\\ 4:r1=1 /\\ 4:r2=0 /\\ 5:r1=1 /\\ 5:r2=0)';
    const test = parseLitmus(`C rcu-mostly-allowed\n\n{}\n\n${[...readers, ...sections, writer].join('\n\n')}\n\n${condition}\n`, 'rcu.litmus');
    const { marked, allowed, wrong, bounds } = audit(test);
    expect(wrong).toEqual([]);
    expect(allowed).toBe(4095);
    expect(marked).toBeGreaterThan(4000);
    expect(bounds).toBeLessThan(100);
  });
});
