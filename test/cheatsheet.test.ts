/**
 * The cheat sheet's claims (src/explain/cheatsheet.ts), each checked against
 * the checker with the small litmus test that decides it: for a barrier, the
 * four two-CPU shapes (MP, LB, SB and their mirrors) with it on one side and
 * smp_mb() on the other, WRC for A-cumulativity and IRIW for strong
 * cumulativity; for an ordered access, the same shapes with it as one end of
 * the pair. "Orders" means the outcome that needs the pair reordered is
 * Never; "does not" means it is Sometimes.
 */
import { describe, expect, it } from 'vitest';
import { accessRows, barrierRows, check, parseLitmus, primitivesNotTabulated, PRIMITIVES, type AccessRow, type BarrierRow, type BarrierUsage } from '../src/index.js';

function verdict(text: string): string {
  return check(parseLitmus(text, 'probe.litmus')).observation;
}

const expected = (orders: boolean): string => (orders ? 'Never' : 'Sometimes');

/** A test of CPUs given as [parameters, body]. */
function litmus(name: string, threads: ReadonlyArray<readonly [string, string]>, condition: string): string {
  const code = threads.map(([params, body], i) => `P${i}(${params})\n{\n  int r0; int r1; int r2; int r3; int r9;\n  ${body}\n}`).join('\n\n');
  return `C ${name}\n\n{}\n\n${code}\n\nexists (${condition})\n`;
}

/** The usage with its lock and atomic renamed (a second CPU's own, in IRIW). */
function renamed(u: BarrierUsage): BarrierUsage {
  const r = (s: string) => s.replace(/\bl\b/g, 'm').replace(/\bz\b/g, 'w');
  return { before: r(u.before), between: r(u.between), after: r(u.after), parameters: u.parameters.map(r) };
}

function withBarrier(u: BarrierUsage, first: string, second: string): [string, string] {
  return [['int *x', 'int *y', ...u.parameters].join(', '), [u.before, first, u.between, second, u.after].filter(Boolean).join('\n  ')];
}

/** The test that decides whether `row` orders `pair` on its CPU. */
function pairProbe(row: BarrierRow, pair: string): string {
  const u = row.usage;
  const name = `${row.primitives[0]}-${pair}`;
  switch (pair) {
    case 'R->R':
      return litmus(name, [withBarrier(u, 'r0 = READ_ONCE(*x);', 'r1 = READ_ONCE(*y);'), ['int *x, int *y', 'WRITE_ONCE(*y, 1);\n  smp_mb();\n  WRITE_ONCE(*x, 1);']], '0:r0=1 /\\ 0:r1=0');
    case 'R->W':
      return litmus(name, [withBarrier(u, 'r0 = READ_ONCE(*x);', 'WRITE_ONCE(*y, 1);'), ['int *x, int *y', 'r1 = READ_ONCE(*y);\n  smp_mb();\n  WRITE_ONCE(*x, 1);']], '0:r0=1 /\\ 1:r1=1');
    case 'W->R':
      return litmus(name, [withBarrier(u, 'WRITE_ONCE(*x, 1);', 'r0 = READ_ONCE(*y);'), ['int *x, int *y', 'WRITE_ONCE(*y, 1);\n  smp_mb();\n  r1 = READ_ONCE(*x);']], '0:r0=0 /\\ 1:r1=0');
    default:
      return litmus(name, [withBarrier(u, 'WRITE_ONCE(*x, 1);', 'WRITE_ONCE(*y, 1);'), ['int *x, int *y', 'r0 = READ_ONCE(*y);\n  smp_mb();\n  r1 = READ_ONCE(*x);']], '1:r0=1 /\\ 1:r1=0');
  }
}

/** WRC: P1 reads P0's store, then the barrier, then stores; P2 sees P1's store but not P0's. */
function wrcProbe(row: BarrierRow): string {
  const [params, body] = withBarrier(row.usage, 'r0 = READ_ONCE(*x);', 'WRITE_ONCE(*y, 1);');
  return litmus(`${row.primitives[0]}-WRC`, [['int *x', 'WRITE_ONCE(*x, 1);'], [params, body], ['int *x, int *y', 'r1 = READ_ONCE(*y);\n  smp_mb();\n  r2 = READ_ONCE(*x);']], '1:r0=1 /\\ 2:r1=1 /\\ 2:r2=0');
}

/** IRIW: two readers, each with the barrier between its loads, see two independent stores in opposite orders. */
function iriwProbe(row: BarrierRow): string {
  const other = renamed(row.usage);
  const [p2params, p2] = withBarrier(row.usage, 'r0 = READ_ONCE(*x);', 'r1 = READ_ONCE(*y);');
  const [p3params, p3] = withBarrier(other, 'r2 = READ_ONCE(*y);', 'r3 = READ_ONCE(*x);');
  return litmus(`${row.primitives[0]}-IRIW`, [['int *x', 'WRITE_ONCE(*x, 1);'], ['int *y', 'WRITE_ONCE(*y, 1);'], [p2params, p2], [p3params, p3]], '2:r0=1 /\\ 2:r1=0 /\\ 3:r2=1 /\\ 3:r3=0');
}

describe('the cheat sheet: barriers', () => {
  const rows = barrierRows();
  it('has a row for every fence of the primitive table but the SRCU one', () => {
    const fences = [...PRIMITIVES.values()].filter((p) => p.shape.kind === 'fence').map((p) => p.name);
    const rowed = new Set(rows.flatMap((r) => r.primitives));
    expect(fences.filter((f) => !rowed.has(f))).toEqual(['smp_mb__after_srcu_read_unlock']);
  });
  for (const row of rows) {
    const label = row.usage.between;
    for (const pair of ['R->R', 'R->W', 'W->R', 'W->W'] as const) {
      it(`${label} ${row.orders[pair] ? 'orders' : 'does not order'} ${pair}`, () => {
        expect(verdict(pairProbe(row, pair))).toBe(expected(row.orders[pair]));
      });
    }
    it(`${label} is ${row.cumulativity === 'none' ? 'not cumulative' : row.cumulativity}`, () => {
      expect(verdict(wrcProbe(row)), 'WRC').toBe(expected(row.cumulativity !== 'none'));
      expect(verdict(iriwProbe(row)), 'IRIW').toBe(expected(row.cumulativity === 'strong'));
    });
  }
});

// ---------------------------------------------------------------------------

/** The value an atomic op leaves, from `old` and the operand. */
function applyOp(op: string, old: number, operand: number): number {
  switch (op) {
    case '+': return old + operand;
    case '-': return old - operand;
    case '&': return old & operand;
    case '|': return old | operand;
    case '^': return old ^ operand;
    default: return old & ~operand;
  }
}

interface Call {
  readonly code: string;
  /** As a load: the value it returns when it reads 1 (the other CPU's store), and when it reads 0 (the initial value). */
  readonly readsOne?: number;
  readonly readsZero?: number;
  /** As a store: the value it leaves in y, starting from 0. */
  readonly writes?: number;
}

/** How to write primitive `name` on location y: as a load (into r0) and as a store; null where it cannot be. */
function calls(name: string): { load: Call | null; store: Call | null } {
  const s = PRIMITIVES.get(name)!.shape;
  const ptr = (lvalue: boolean) => (lvalue ? '*y' : 'y');
  switch (s.kind) {
    case 'load':
      return { load: { code: `r0 = ${name}(${ptr(s.argument === 'lvalue')});`, readsOne: 1, readsZero: 0 }, store: null };
    case 'store':
      return { load: null, store: { code: `${name}(${ptr(s.argument === 'lvalue')}, 1);`, writes: 1 } };
    case 'xchg':
      return { load: { code: `r0 = ${name}(y, 2);`, readsOne: 1, readsZero: 0 }, store: { code: `r9 = ${name}(y, 1);`, writes: 1 } };
    case 'cmpxchg':
      return { load: { code: `r0 = ${name}(y, 1, 2);`, readsOne: 1, readsZero: 0 }, store: { code: `r9 = ${name}(y, 0, 1);`, writes: 1 } };
    case 'atomic': {
      const operand = s.constant ?? 1;
      const args = s.constant === null ? '1, y' : 'y';
      const result = (old: number): number => {
        const value = s.returns === 'old' ? old : applyOp(s.op, old, operand);
        return s.test === '==0' ? Number(value === 0) : s.test === '<0' ? Number(value < 0) : value;
      };
      const writes = applyOp(s.op, 0, operand);
      const store = writes !== 0 ? { code: `${s.returns === 'none' ? '' : 'r9 = '}${name}(${args});`, writes } : null;
      const load = s.returns !== 'none' && result(1) !== result(0) ? { code: `r0 = ${name}(${args});`, readsOne: result(1), readsZero: result(0) } : null;
      return { load, store };
    }
    default:
      return { load: null, store: null };
  }
}

type Column = 'earlierLoads' | 'earlierStores' | 'laterLoads' | 'laterStores' | 'aCumulative';

/** The test that decides `column` for primitive `name`; null when it cannot be written (then the row's other members decide). */
function accessProbe(name: string, column: Column): string | null {
  const both = calls(name);
  const s = PRIMITIVES.get(name)!.shape;
  // An RMW's annotation applies to its write for what comes before it (release) and to its read for what
  // comes after (acquire): a probe of an RMW uses that end, or none. One that returns nothing is told by its write.
  const rmw = s.kind === 'xchg' || s.kind === 'cmpxchg' || s.kind === 'atomic';
  const earlier = column === 'earlierLoads' || column === 'earlierStores' || column === 'aCumulative';
  const silent = s.kind === 'atomic' && s.returns === 'none';
  const load = rmw && earlier ? null : both.load;
  const store = rmw && !earlier && !silent ? null : both.store;
  const other = 'int *a, int *y';
  const t = `${name}-${column}`;
  switch (column) {
    case 'earlierLoads':
      if (store) return litmus(t, [[other, `r0 = READ_ONCE(*a);\n  ${store.code}`], [other, 'r1 = READ_ONCE(*y);\n  smp_mb();\n  WRITE_ONCE(*a, 1);']], `0:r0=1 /\\ 1:r1=${store.writes}`);
      return load && litmus(t, [[other, `r1 = READ_ONCE(*a);\n  ${load.code}`], [other, 'WRITE_ONCE(*y, 1);\n  smp_mb();\n  WRITE_ONCE(*a, 1);']], `0:r1=1 /\\ 0:r0=${load.readsZero}`);
    case 'earlierStores':
      if (store) return litmus(t, [[other, `WRITE_ONCE(*a, 1);\n  ${store.code}`], [other, 'r0 = READ_ONCE(*y);\n  smp_mb();\n  r1 = READ_ONCE(*a);']], `1:r0=${store.writes} /\\ 1:r1=0`);
      return load && litmus(t, [[other, `WRITE_ONCE(*a, 1);\n  ${load.code}`], [other, 'WRITE_ONCE(*y, 1);\n  smp_mb();\n  r1 = READ_ONCE(*a);']], `0:r0=${load.readsZero} /\\ 1:r1=0`);
    case 'laterLoads':
      if (load) return litmus(t, [[other, `${load.code}\n  r1 = READ_ONCE(*a);`], [other, 'WRITE_ONCE(*a, 1);\n  smp_mb();\n  WRITE_ONCE(*y, 1);']], `0:r0=${load.readsOne} /\\ 0:r1=0`);
      return store && litmus(t, [[other, `${store.code}\n  r0 = READ_ONCE(*a);`], [other, 'WRITE_ONCE(*a, 1);\n  smp_mb();\n  r1 = READ_ONCE(*y);']], '0:r0=0 /\\ 1:r1=0');
    case 'laterStores':
      if (load) return litmus(t, [[other, `${load.code}\n  WRITE_ONCE(*a, 1);`], [other, 'r1 = READ_ONCE(*a);\n  smp_mb();\n  WRITE_ONCE(*y, 1);']], `0:r0=${load.readsOne} /\\ 1:r1=1`);
      return store && litmus(t, [[other, `${store.code}\n  WRITE_ONCE(*a, 1);`], [other, 'r0 = READ_ONCE(*a);\n  smp_mb();\n  r1 = READ_ONCE(*y);']], `1:r0=1 /\\ 1:r1=0`);
    default:
      // (A load has no store of its own for other CPUs to see: A-cumulativity does not apply.)
      return store && litmus(t, [['int *a', 'WRITE_ONCE(*a, 1);'], [other, `r0 = READ_ONCE(*a);\n  ${store.code}`], [other, 'r1 = READ_ONCE(*y);\n  smp_mb();\n  r2 = READ_ONCE(*a);']], `1:r0=1 /\\ 2:r1=${store.writes} /\\ 2:r2=0`);
  }
}

describe('the cheat sheet: ordered accesses', () => {
  const rows = accessRows();
  it('groups the marked accesses, RMWs included, by kind and annotation', () => {
    expect(rows.map((r) => r.title)).toEqual([
      'a marked load', 'a marked store', 'an acquire load', 'a release store', 'a marked store, then a full barrier',
      'a fully ordered RMW', 'an unordered RMW', 'an acquire RMW', 'a release RMW', 'an RMW that returns nothing',
    ].map((t) => (t === 'an unordered RMW' ? 'a relaxed RMW' : t)));
    expect(primitivesNotTabulated()).toEqual([
      'smp_mb__after_srcu_read_unlock', 'srcu_read_lock', 'srcu_down_read', 'srcu_read_unlock', 'srcu_up_read', 'synchronize_srcu', 'synchronize_srcu_expedited',
      'spin_trylock', 'spin_is_locked', 'atomic_add_unless',
    ]);
  });
  const columns: ReadonlyArray<readonly [Column, (r: AccessRow) => boolean | null]> = [
    ['earlierLoads', (r) => r.earlierLoads], ['earlierStores', (r) => r.earlierStores], ['laterLoads', (r) => r.laterLoads], ['laterStores', (r) => r.laterStores], ['aCumulative', (r) => r.aCumulative],
  ];
  for (const row of rows) {
    for (const [column, claim] of columns) {
      it(`${row.title}: ${column} ${claim(row)}, for each of ${row.primitives.length} primitives`, () => {
        if (claim(row) === null) {
          expect(row.primitives.map((name) => accessProbe(name, column))).toEqual(row.primitives.map(() => null));
          return;
        }
        const probes = row.primitives.map((name) => [name, accessProbe(name, column)] as const).filter(([, t]) => t !== null);
        // Every column of every row is decided by a test of its first primitive at least.
        expect(probes[0]?.[0]).toBe(row.primitives[0]);
        for (const [name, text] of probes) expect(`${name}: ${verdict(text!)}`).toBe(`${name}: ${expected(claim(row)!)}`);
      });
    }
  }
});

describe('the cheat sheet: a failed cmpxchg()', () => {
  it('orders nothing, as the note on the fully ordered row says', () => {
    const row = accessRows().find((r) => r.title === 'a fully ordered RMW')!;
    expect(row.note).toBe('cmpxchg(), atomic_cmpxchg(): only when it succeeds (a failed one orders nothing)');
    // It reads the other CPU's 1, compares it with 5, fails: no write, and its read is not ordered before the later load.
    const failed = litmus('cmpxchg-fails', [['int *a, int *y', 'r0 = cmpxchg(y, 5, 2);\n  r1 = READ_ONCE(*a);'], ['int *a, int *y', 'WRITE_ONCE(*a, 1);\n  smp_mb();\n  WRITE_ONCE(*y, 1);']], '0:r0=1 /\\ 0:r1=0');
    expect(verdict(failed)).toBe('Sometimes');
    expect(verdict(failed.replace('cmpxchg(y, 5, 2)', 'cmpxchg(y, 1, 2)'))).toBe('Never');
  });
});
