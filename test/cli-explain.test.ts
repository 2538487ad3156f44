import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateMermaid } from './mermaid-validate.js';

const cli = fileURLToPath(new URL('../dist/cli/barrier-lab.js', import.meta.url));
const v1 = fileURLToPath(new URL('../litmus/swiotlb/v1-three-cpus.litmus', import.meta.url));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the swiotlb v1 scenario from the command line', () => {
  it('check says the bad outcome is allowed', () => {
    const r = run('check', v1);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Observation v1-three-cpus Sometimes 1 7');
  });

  it('diagram --witness draws it, and Mermaid parses the drawing', async () => {
    const r = run('diagram', '--witness', v1);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('P2_4["R pools=oldpool<br/>line 66 · init"]:4');
    expect(await validateMermaid(r.stdout)).toBe('block');
    expect(await validateMermaid(run('diagram', '--witness', '--sequence', v1).stdout)).toBe('sequence');
  });

  it("barriers says CPU 1's smp_wmb() must become smp_mb(), and CPU 0's orders nothing", () => {
    const r = run('barriers', '--json', v1);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const p1 = doc.counterfactuals.find((c: { thread: number; primitive: string }) => c.thread === 1 && c.primitive === 'smp_wmb');
    expect(p1).toMatchObject({ line: 51, removed: { observation: 'Sometimes' }, alternatives: [{ primitive: 'smp_mb', verdict: { observation: 'Never' } }] });
    expect(p1.assessment).toContain('must be strengthened to smp_mb to forbid the outcome');
    const p0 = doc.barriers.find((b: { thread: number; primitive: string }) => b.thread === 0 && b.primitive === 'smp_wmb');
    expect(p0).toMatchObject({ orders: [], ordersNothing: 'smp_wmb() has no later write on P0: it orders nothing' });
    expect(run('barriers', v1).stdout).toContain('here: smp_wmb() has no later write on P0: it orders nothing');
  });

  it('diagram --forbidden on an allowed-only test explains there is nothing to draw', () => {
    const r = run('diagram', '--forbidden', fileURLToPath(new URL('../litmus/patterns/SB+once+once.litmus', import.meta.url)));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the model forbids no execution with the outcome/);
  });

  it('compare prints the verdict under each model', () => {
    const r = run('compare', fileURLToPath(new URL('../litmus/patterns/SB+once+once.litmus', import.meta.url)));
    expect(r.stdout.split('\n').map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Under each model: the verdict, the allowed executions with the outcome / all',
      'allowed executions, and [flags].',
      '',
      'test LKMM SC TSO',
      'SB+once+once Sometimes 1/4 Never 0/3 Sometimes 1/4',
      '',
    ]);
  });
});
