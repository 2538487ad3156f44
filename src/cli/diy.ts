/**
 * Tests from herdtools' generator diy7, the second source of the
 * differential runner: the two pipelines of ../shared/reference/herd7's
 * README, which give kernel C tests herd7 reads.
 *
 * - `lisa`: fences and release/acquire; diy7 writes LISA tests from cycles
 *   of relaxations, and mlisa2c7 translates them to kernel C.
 * - `c`: dependencies; diy7 writes C11 tests, and the reference's
 *   diyc2lkmm.py rewrites them with the kernel's macros.
 *
 * diy7 enumerates every cycle of the given size, so the pool is the same on
 * every run; a seed only chooses which of its tests are checked.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface DiyTest {
  readonly pipeline: 'lisa' | 'c';
  /** The name diy7 gave it, after the size of its cycle: `s6-MP003`. */
  readonly name: string;
  readonly text: string;
}

const LISA_RELAXATIONS = 'Rfe Fre Wse PodWW PodRR PodRW PodWR FenceMbdWW FenceMbdWR FenceWmbdWW FenceRmbdRR PodWWOnceRelease PodRRAcquireOnce';
const C_RELAXATIONS = 'Rfe Fre Wse PodWW PodRR PodRW PodWR FenceScdWW FenceScdWR DpAddrdR DpAddrdW DpDatadW DpCtrldW';

/** The shapes asked of diy7: every cycle of up to 8 relaxations on up to 5 CPUs (10 463 tests, about 1 800 of them LISA). */
const SHAPES: ReadonlyArray<{ readonly nprocs: number; readonly size: number }> = [{ nprocs: 5, size: 8 }];

/**
 * Every test the two pipelines give for `SHAPES`, in a stable order.
 * `herd7` is the herd7-lkmm wrapper; diy7 and the translators sit beside it.
 */
export function diyPool(herd7: string): DiyTest[] {
  const root = dirname(herd7);
  const bin = (name: string): string => join(root, 'bin', name);
  const work = mkdtempSync(join(tmpdir(), 'barrier-lab-diy-'));
  try {
    const tests: DiyTest[] = [];
    for (const { nprocs, size } of SHAPES) {
      const lisa = join(work, `lisa-${nprocs}-${size}`);
      const lisaC = join(work, `lisa-c-${nprocs}-${size}`);
      mkdirSync(lisa);
      mkdirSync(lisaC);
      execFileSync(bin('diy7'), ['-set-libdir', join(root, 'libdir'), '-bell', join(root, 'gen', 'lkmm-gen.bell'), '-nprocs', String(nprocs), '-size', String(size), '-safe', LISA_RELAXATIONS], { cwd: lisa, stdio: 'ignore' });
      const lisaFiles = litmusIn(lisa);
      // mlisa2c7 takes the files on its command line: in slices, to stay under the argument limit.
      for (let i = 0; i < lisaFiles.length; i += 500) {
        execFileSync(bin('mlisa2c7'), ['-o', lisaC, ...lisaFiles.slice(i, i + 500)], { cwd: lisa, stdio: 'ignore' });
      }
      tests.push(...read(lisaC, 'lisa', size));

      const c11 = join(work, `c11-${nprocs}-${size}`);
      const kernel = join(work, `c-${nprocs}-${size}`);
      mkdirSync(c11);
      mkdirSync(kernel);
      execFileSync(bin('diy7'), ['-set-libdir', join(root, 'libdir'), '-arch', 'C', '-nprocs', String(nprocs), '-size', String(size), '-safe', C_RELAXATIONS], { cwd: c11, stdio: 'ignore' });
      const c11Files = litmusIn(c11);
      for (let i = 0; i < c11Files.length; i += 500) {
        execFileSync('python3', [join(root, 'gen', 'diyc2lkmm.py'), kernel, ...c11Files.slice(i, i + 500)], { cwd: c11, stdio: 'ignore' });
      }
      tests.push(...read(kernel, 'c', size));
    }
    // Each test once, should two shapes make the same.
    const seen = new Set<string>();
    return tests.filter((t) => {
      const key = `${t.pipeline}/${t.text.slice(t.text.indexOf('\n'))}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function litmusIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();
}

function read(dir: string, pipeline: DiyTest['pipeline'], size: number): DiyTest[] {
  return litmusIn(dir).map((f) => ({ pipeline, name: `s${size}-${f.replace(/\.litmus$/, '')}`, text: readFileSync(join(dir, f), 'utf8') }));
}
