import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildProgram, check, parseLitmus } from '../src/index.js';
import { CheckLimitError } from '../src/verdict/check.js';
import { threadSymmetry } from '../src/executions/symmetry.js';
import { ringSymmetry } from '../src/executions/rotation.js';
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

/** A ring of `count` threads: thread i runs `body` with `a` = x_i and `b` = x_(i+1), and shares `l`. */
const ring = (count: number, body: string, params = (i: number): string => `int *l, int *x${i}, int *x${(i + 1) % count}`): string =>
  Array.from({ length: count }, (_, i) => `P${i}(${params(i)})\n{\n${body.replaceAll('*a', `*x${i}`).replaceAll('*b', `*x${(i + 1) % count}`).replaceAll(' a,', ` x${i},`).replaceAll(' b,', ` x${(i + 1) % count},`)}\n}`).join('\n\n');

const rotation = (text: string): { anchor: string; next: Array<[string, string]> } | null => {
  const r = ringSymmetry(buildProgram(parseLitmus(text, 'inline.litmus')));
  return r && { anchor: r.anchor, next: [...r.next].sort() };
};

/** Rings: threads alike once their locations are renamed; conditions, filters and final locations that single some out. */
const RINGS: Array<[name: string, text: string]> = [
  ['store buffering in spin_lock() sections, an outcome naming two threads', `C ring-sb
{}
${ring(3, '\tint r0;\n\tspin_lock(l);\n\tWRITE_ONCE(*a, 1);\n\tr0 = READ_ONCE(*b);\n\tspin_unlock(l);', (i) => `spinlock_t *l, int *x${i}, int *x${(i + 1) % 3}`)}
exists (0:r0=0 /\\ 1:r0=1)
`],
  ['a spin_trylock() that may fail (then the thread writes no lock), final locations observed', `C ring-trylock
{}
${ring(3, '\tint r0;\n\tint r1;\n\tr1 = spin_trylock(l);\n\tif (r1) {\n\t\tWRITE_ONCE(*a, 1);\n\t\tr0 = READ_ONCE(*b);\n\t\tspin_unlock(l);\n\t}', (i) => `spinlock_t *l, int *x${i}, int *x${(i + 1) % 3}`)}
exists (x0=1 /\\ 0:r1=1 /\\ 2:r0=0)
`],
  ['xchg_acquire() on a shared word, a filter that only some acquisitions succeeded', `C ring-filter
{}
${ring(3, '\tint r0;\n\tint r1;\n\tr1 = xchg_acquire(l, 1);\n\tif (r1 == 0) {\n\t\tWRITE_ONCE(*a, 1);\n\t\tr0 = READ_ONCE(*b);\n\t\tsmp_store_release(l, 0);\n\t}')}
filter (0:r1=0 /\\ 2:r1=0)
exists (0:r0=0 \\/ x1=1)
`],
  ['no shared write at first: a counter, read and incremented around the ring', `C ring-counter
{ x0=1; x1=1; x2=1; x3=1; }
${ring(4, '\tint r0;\n\tint r1;\n\tr0 = READ_ONCE(*a);\n\tr1 = atomic_fetch_add(1, l);\n\tWRITE_ONCE(*b, r0 + r1);', (i) => `atomic_t *l, int *x${i}, int *x${(i + 1) % 4}`)}
exists (0:r1=0 /\\ x2=2)
`],
];

describe('counting the rotations of a ring by orbit', () => {
  for (const [name, text] of RINGS) {
    it(`gives the full enumeration's counts and states: ${name}`, () => {
      expect(classes(text)).toBeNull();
      expect(rotation(text)?.anchor).toBe('l');
      expect(outcome(text, true)).toBe(outcome(text, false));
    });
  }

  for (const family of FAMILIES.filter((f) => f.name.startsWith('ring-'))) {
    for (const n of [2, 3, 4]) {
      it(`gives the full enumeration's counts: ${family.name} N=${n}`, () => {
        const { text } = family.generate(n);
        expect(outcome(text, true)).toBe(outcome(text, false));
      });
    }
  }

  it('finds the rotation of the locations, and the lock it leaves in place', () => {
    expect(rotation(RINGS[0]![1])).toEqual({ anchor: 'l', next: [['l', 'l'], ['x0', 'x1'], ['x1', 'x2'], ['x2', 'x0']] });
  });

  it('is not used where renaming locations would change a value or the initial state', () => {
    const body = '\tint r0;\n\tspin_lock(l);\n\tWRITE_ONCE(*a, 1);\n\tr0 = READ_ONCE(*b);\n\tspin_unlock(l);';
    const params = (i: number): string => `spinlock_t *l, int *x${i}, int *x${(i + 1) % 3}`;
    const text = (init: string): string => `C r\n{ ${init} }\n${ring(3, body, params)}\nexists (0:r0=0)\n`;
    expect(rotation(text(''))).not.toBeNull();
    expect(rotation(text('x0=1;'))).toBeNull();
    expect(rotation(text('x0=1; x1=1; x2=1;'))).not.toBeNull();
    expect(rotation(text('int *p = &x0;'))).toBeNull();
    // Not a ring: P1 names its locations in another order.
    const swapped = `C s\n{}\nP0(int *l, int *x0, int *x1)\n{\n\tWRITE_ONCE(*x0, 1);\n\tWRITE_ONCE(*l, 1);\n}\n\nP1(int *l, int *x0, int *x1)\n{\n\tWRITE_ONCE(*x0, 1);\n\tWRITE_ONCE(*l, 1);\n}\nexists (x0=1)\n`;
    expect(rotation(swapped)).toBeNull();
  });

  it('examines one execution per rotation: six spin_lock() sections in a ring, 720 executions', () => {
    const r = check(parseLitmus(FAMILIES.find((f) => f.name === 'ring-spin_lock')!.generate(6).text, 'ring.litmus'));
    expect([r.allowed, r.positive, r.negative, r.candidates]).toEqual([720, 0, 720, 240]);
  });
});

/** One statement of a random ring thread's body, over its locations a and b, the shared l, and registers r0, r1. */
const RING_STATEMENTS = [
  'r0 = READ_ONCE(*a);',
  'r1 = READ_ONCE(*b);',
  'WRITE_ONCE(*b, 1);',
  'WRITE_ONCE(*a, r1 + 1);',
  'smp_store_release(l, 1);',
  'r0 = smp_load_acquire(l);',
  'r1 = xchg(l, 2);',
  'smp_mb();',
  'if (r0 == 0) WRITE_ONCE(*b, 2);',
];

describe('counting a ring by rotation agrees with the full enumeration on random rings', () => {
  it('for 2 to 4 threads (fixed seed)', () => {
    const body = fc.array(fc.constantFrom(...RING_STATEMENTS), { minLength: 1, maxLength: 3 });
    const atom = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('r0', 'r1'), fc.integer({ min: 0, max: 2 })).map(([t, r, v]) => `${t}:${r}=${v}`),
      fc.tuple(fc.constantFrom('x0', 'x1', 'l'), fc.integer({ min: 0, max: 2 })).map(([l, v]) => `${l}=${v}`),
    );
    const shape = fc.record({ count: fc.integer({ min: 2, max: 4 }), code: body, atoms: fc.array(atom, { minLength: 1, maxLength: 3 }), filtered: fc.boolean() });
    fc.assert(
      fc.property(shape, ({ count, code, atoms, filtered }) => {
        // Every body writes l, so that the ring has its anchor.
        const statements = code.some((c) => c.includes('(l,')) ? code : [...code, 'smp_store_release(l, 1);'];
        const usable = atoms.filter((a) => !/^\d/.test(a) || Number(a[0]) < count);
        const filter = filtered ? `filter (0:r0=0)\n` : '';
        const text = `C random-ring\n{}\n${ring(count, `\tint r0;\n\tint r1;\n\t${statements.join('\n\t')}`)}\n${filter}exists (${usable.length > 0 ? usable.join(' /\\ ') : 'x0=0'})\n`;
        expect(rotation(text)?.anchor).toBe('l');
        expect(outcome(text, true)).toBe(outcome(text, false));
      }),
      { seed: 20261207, numRuns: 50 },
    );
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
