import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildProgram, check, parseLitmus } from '../src/index.js';
import { CheckLimitError } from '../src/verdict/check.js';
import { threadSymmetry } from '../src/executions/symmetry.js';
import { FAMILIES } from '../src/bench/families.js';
import { barrierReports } from '../src/explain/index.js';

/** What a check reports that counting by orbit must not change. */
function outcome(text: string, symmetry: boolean): string {
  const r = check(parseLitmus(text, 'inline.litmus'), { symmetry });
  const states = r.states.map((s) => `${s.executions}:${s.values.map(([l, v]) => `${l}=${JSON.stringify(v)}`).join(';')}${s.satisfies ? '*' : ''}`);
  return [`${r.observation} ${r.positive} ${r.negative}`, `allowed ${r.allowed}`, `flags ${r.flags.join(',')}`, ...states].join('\n');
}

const classes = (text: string): number[][] | null => threadSymmetry(buildProgram(parseLitmus(text, 'inline.litmus')))?.classes.map((c) => [...c]) ?? null;

const threads = (count: number, body: string, params = 'int *x, int *y'): string =>
  Array.from({ length: count }, (_, i) => `P${i}(${params})\n{\n${body}\n}`).join('\n\n');

/** Tests with interchangeable threads, conditions that single some of them out, and idle (never-writing) threads. */
const SYMMETRIC: Array<[name: string, text: string]> = [
  ['three increments, an asymmetric outcome', `C inc3
{}
${threads(3, '\tint r0;\n\tr0 = READ_ONCE(*x);\n\tWRITE_ONCE(*x, r0 + 1);')}
exists (0:r0=0 /\\ 1:r0=1 /\\ 2:r0=0)
`],
  ['two alike writers and a different reader', `C WW+R
{}
${threads(2, '\tint r0;\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*y);')}
P2(int *x, int *y)
{
\tint r1;
\tint r2;
\tWRITE_ONCE(*y, 1);
\tr1 = READ_ONCE(*x);
\tr2 = READ_ONCE(*x);
}
exists (0:r0=0 /\\ 2:r1=1 /\\ 2:r2=0)
`],
  ['readers that never write (idle threads), with a filter', `C IRIW-like
{}
${threads(3, '\tint r0;\n\tint r1;\n\tr0 = READ_ONCE(*x);\n\tr1 = READ_ONCE(*y);')}
P3(int *x, int *y)
{
\tWRITE_ONCE(*x, 1);
\tWRITE_ONCE(*y, 1);
}
filter (0:r0=1 \\/ 1:r0=1)
exists (0:r0=1 /\\ 0:r1=0 /\\ 1:r1=1 /\\ 2:r0=0)
`],
  ['spin_trylock() that may fail (a failed one writes nothing)', `C trylock3
{}
${threads(3, '\tint r0;\n\tint r1;\n\tr1 = spin_trylock(l);\n\tif (r1) {\n\t\tr0 = READ_ONCE(*x);\n\t\tWRITE_ONCE(*x, r0 + 1);\n\t\tspin_unlock(l);\n\t}', 'spinlock_t *l, int *x')}
exists (0:r1=1 /\\ 1:r1=0 /\\ x=1)
`],
  ['atomic_inc() and a fully ordered xchg()', `C atomics3
{}
${threads(3, '\tint r0;\n\tatomic_inc(x);\n\tr0 = xchg(y, 1);', 'atomic_t *x, int *y')}
exists (x=3 /\\ 0:r0=0 /\\ 2:r0=1)
`],
  ['plain accesses that can read a value out of thin air (enumerated in full)', `C oota
{}
${threads(2, '\tint r0;\n\tint r1;\n\tr0 = *x;\n\tr1 = *y;\n\t*y = r0;\n\t*x = r1;')}
exists (0:r0=0)
`],
  ['a final location in the condition', `C final
{}
${threads(3, '\tWRITE_ONCE(*x, 1);\n\tWRITE_ONCE(*y, 1);')}
exists (x=1 /\\ y=1)
`],
];

describe('counting interchangeable threads by orbit', () => {
  for (const [name, text] of SYMMETRIC) {
    it(`gives the full enumeration's counts and states: ${name}`, () => {
      expect(classes(text)).not.toBeNull();
      expect(outcome(text, true)).toBe(outcome(text, false));
    });
  }

  for (const family of FAMILIES.filter((f) => f.name.startsWith('cs-'))) {
    for (const n of [2, 3, 4]) {
      it(`gives the full enumeration's counts: ${family.name} N=${n}`, () => {
        const { text } = family.generate(n);
        expect(outcome(text, true)).toBe(outcome(text, false));
      });
    }
  }

  it('finds the classes of alike threads', () => {
    expect(classes(SYMMETRIC[1]![1])).toEqual([[0, 1], [2]]);
    expect(classes(SYMMETRIC[2]![1])).toEqual([[0, 1, 2], [3]]);
  });

  it('tells threads apart by their initial registers and parameters', () => {
    const body = '\tint r1;\n\tWRITE_ONCE(*x, r1);';
    expect(classes(`C init\n{ 0:r1=1; 1:r1=2; }\n${threads(2, body)}\nexists (x=1)\n`)).toBeNull();
    expect(classes(`C init\n{ 0:r1=1; 1:r1=1; }\n${threads(2, body)}\nexists (x=1)\n`)).toEqual([[0, 1]]);
    const swapped = `C params\n{}\nP0(int *x, int *y)\n{\n\tWRITE_ONCE(*x, 1);\n}\n\nP1(int *y, int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n`;
    expect(classes(swapped)).toBeNull();
  });

  it('stops on --timeout while counting orbits too', () => {
    const big = parseLitmus(FAMILIES.find((f) => f.name === 'cs-cmpxchg_acquire')!.generate(8).text, 'cs.litmus');
    expect(() => check(big, { timeoutMs: 200 })).toThrow(CheckLimitError);
  });

  it('examines one execution per orbit: N spin_lock() sections, N! executions', () => {
    const r = check(parseLitmus(FAMILIES.find((f) => f.name === 'cs-spin_lock')!.generate(6).text, 'cs.litmus'));
    expect([r.allowed, r.positive, r.negative, r.candidates]).toEqual([720, 0, 720, 6]);
  });
});

/** One statement of a random thread body, over locations x and y and registers r0, r1. */
const STATEMENTS = [
  'r0 = READ_ONCE(*x);',
  'r1 = READ_ONCE(*y);',
  'r1 = smp_load_acquire(y);',
  'WRITE_ONCE(*x, 1);',
  'WRITE_ONCE(*y, r0 + 1);',
  'smp_store_release(x, 2);',
  'smp_mb();',
  'smp_wmb();',
  'smp_rmb();',
  'r0 = xchg(x, 3);',
  'r1 = cmpxchg_relaxed(y, 0, 1);',
  'atomic_inc(y);',
  'if (r0 == 1) WRITE_ONCE(*y, 2);',
  'r0 = *x;',
];

describe('counting by orbit agrees with the full enumeration on random tests', () => {
  it('for 2 or 3 alike threads, beside an optional different one (fixed seed)', () => {
    const body = fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 3 });
    const atom = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('r0', 'r1'), fc.integer({ min: 0, max: 2 })).map(([t, r, v]) => `${t}:${r}=${v}`),
      fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 0, max: 3 })).map(([l, v]) => `${l}=${v}`),
    );
    const shape = fc.record({ alike: fc.integer({ min: 2, max: 3 }), code: body, other: fc.option(body, { nil: null }), atoms: fc.array(atom, { minLength: 1, maxLength: 3 }) });
    fc.assert(
      fc.property(shape, ({ alike, code, other, atoms }) => {
        const declare = '\tint r0;\n\tint r1;\n';
        const bodies = [...Array.from({ length: alike }, () => code), ...(other ? [other] : [])];
        const T = bodies.length;
        const usable = atoms.filter((a) => !/^\d/.test(a) || Number(a[0]) < T);
        const text = `C random\n{}\n${bodies.map((b, i) => `P${i}(int *x, int *y)\n{\n${declare}\t${b.join('\n\t')}\n}`).join('\n\n')}\nexists (${usable.length > 0 ? usable.join(' /\\ ') : 'x=0'})\n`;
        expect(outcome(text, true)).toBe(outcome(text, false));
      }),
      { seed: 20261124, numRuns: 150 },
    );
  });
});

describe('barrier reports of alike threads', () => {
  it('are those of the same test with the threads made unalike (a register renamed)', () => {
    // A thread's failing branch (with its smp_mb()) shows only in executions where a higher-numbered alike thread
    // took the lock: never in one the enumeration counts for its orbit, always in one of the renamings.
    const alike = (r: string): string => `\tint r1;\n\tint ${r};\n\tr1 = cmpxchg(l, 0, 1);\n\tif (r1 != 0) {\n\t\tsmp_mb();\n\t\t${r} = READ_ONCE(*x);\n\t}`;
    const test = (r: string): string => `C fail-branch\n{}\nP0(int *l, int *x)\n{\n${alike(r)}\n}\n\nP1(int *l, int *x)\n{\n${alike('r2')}\n}\n\nP2(int *l, int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (0:${r}=1)\n`;
    expect(classes(test('r2'))).toEqual([[0, 1], [2]]);
    expect(classes(test('q2'))).toBeNull();
    const reports = barrierReports(parseLitmus(test('r2'), 't.litmus'));
    expect(reports.some((b) => b.thread === 0 && b.primitive === 'smp_mb')).toBe(true);
    expect(reports).toEqual(barrierReports(parseLitmus(test('q2'), 'u.litmus')));
  });
});
