/**
 * The differential runner's own generator (src/differential/): what it
 * produces parses, and in a fixed sample it covers what the runner claims
 * to cover. The comparison with herd7 itself is `npm run differential`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLitmus, PRIMITIVES } from '../src/index.js';
import { RMW_PRIMITIVES, testPlan } from '../src/differential/arbitraries.js';
import { renderTest } from '../src/differential/render.js';
import { TEST_KINDS, testKinds } from '../src/differential/classify.js';
import { herdDifferences, summariseHerdOutput } from '../src/verdict/herd-output.js';

const SAMPLE = fc.sample(testPlan, { seed: 42, numRuns: 1500 }).map((plan, i) => renderTest(plan, `g${i}`));

describe('generated tests', () => {
  it('are well-formed litmus tests', () => {
    const refused = SAMPLE.flatMap((text, i) => {
      try {
        parseLitmus(text, `g${i}.litmus`);
        return [];
      } catch (e) {
        return [`g${i}: ${e instanceof Error ? e.message : String(e)}`];
      }
    });
    expect(refused).toEqual([]);
  });

  it('use every RMW primitive of the table', () => {
    const missing = RMW_PRIMITIVES.filter((name) => !SAMPLE.some((t) => t.includes(`${name}(`)));
    expect(missing).toEqual([]);
    expect(RMW_PRIMITIVES.length).toBe([...PRIMITIVES.values()].filter((p) => ['xchg', 'cmpxchg', 'atomic', 'addUnless'].includes(p.shape.kind)).length);
  });

  it('use every other primitive herd7 knows', () => {
    const others = [...PRIMITIVES.keys()].filter((name) => !RMW_PRIMITIVES.includes(name) && name !== 'rcu_access_pointer');
    expect(others.filter((name) => !SAMPLE.some((t) => t.includes(`${name}(`)))).toEqual([]);
  });

  it('cover plain accesses, pointers, dependencies, branches and every final section', () => {
    const has = (pattern: RegExp): number => SAMPLE.filter((t) => pattern.test(t)).length;
    expect(has(/^\s*r\d+ = \*/m)).toBeGreaterThan(10); // plain reads
    expect(has(/^\s*\*\w+ = /m)).toBeGreaterThan(10); // plain writes
    expect(has(/int \*\w+ = &\w+;/)).toBeGreaterThan(10); // pointer locations, typed
    expect(has(/^\s*[pq]=\w+;/m)).toBeGreaterThan(10); // pointer locations, bare
    expect(has(/int \*r\d+;/)).toBeGreaterThan(10); // pointer registers
    expect(has(/& 0\)\)/)).toBeGreaterThan(10); // address dependencies
    expect(has(/\(r\d+ & 0\) \+ \d/)).toBeGreaterThan(10); // data dependencies
    expect(has(/} else {/)).toBeGreaterThan(10);
    expect(has(/^filter /m)).toBeGreaterThan(10);
    expect(has(/^locations \[/m)).toBeGreaterThan(10);
    for (const q of ['exists', '~exists', 'forall']) expect(has(new RegExp(`^${q} `, 'm'))).toBeGreaterThan(10);
    for (const op of ['/\\', '\\/', '~']) expect(SAMPLE.some((t) => t.split('\n').some((l) => /^(exists|~exists|forall|filter) /.test(l) && l.slice(l.indexOf(' ')).includes(op)))).toBe(true);
    const cpus = SAMPLE.map((t) => (t.match(/^P\d+\(/gm) ?? []).length);
    expect(Math.min(...cpus)).toBe(2);
    expect(Math.max(...cpus)).toBe(5);
  });
});

describe('kinds of test', () => {
  it('are all met in the sample, as the runner counts them', () => {
    const seen = new Set<string>();
    for (const text of SAMPLE) for (const kind of testKinds(parseLitmus(text, 't.litmus'))) seen.add(kind);
    expect(TEST_KINDS.filter((k) => !seen.has(k))).toEqual([]);
  });

  it('are read from the syntax', () => {
    const kinds = testKinds(parseLitmus(`C t
{ p=x; }
P0(int *x, int **p) { int *r0; int r1; r0 = rcu_dereference(*p); r1 = READ_ONCE(*r0); if (r1) { *x = r1; } }
P1(int *x, spinlock_t *s) { spin_lock(s); smp_store_release(x, 1); spin_unlock(s); }
filter (0:r1=1)
forall (0:r1=1)
`, 't.litmus'));
    expect([...kinds].sort()).toEqual(['2 CPUs', 'address dependencies', 'control dependencies', 'data dependencies', 'filter', 'forall', 'plain accesses', 'pointers', 'release/acquire', 'spinlocks']);
  });
});

describe('comparing herd7 reports', () => {
  const report = (observation: string, states: string[], flags: string[] = []): string =>
    ['Test t Allowed', `States ${states.length}`, ...states, 'Ok', 'Witnesses', ...flags.map((f) => `Flag ${f}`), `Observation t ${observation}`].join('\n');

  it('agrees whatever the order of states and the names of symbols', () => {
    const a = summariseHerdOutput(report('Sometimes 1 1', ['0:r0=S8;', '0:r0=0;']));
    const b = summariseHerdOutput(report('Sometimes 1 1', ['0:r0=0;', '0:r0=S4;']));
    expect(herdDifferences(a, b)).toEqual([]);
  });

  it('names what differs', () => {
    const a = summariseHerdOutput(report('Sometimes 1 1', ['0:r0=0;', '0:r0=1;'], ['data-race']));
    const b = summariseHerdOutput(report('Sometimes 1 2', ['0:r0=0;', '0:r0=2;']));
    expect(herdDifferences(a, b)).toEqual([
      "observation: expected 'Observation t Sometimes 1 1', got 'Observation t Sometimes 1 2'",
      'missing states: 0:r0=1;',
      'extra states: 0:r0=2;',
      'flags: expected {Flag data-race}, got {}',
    ]);
  });
});
