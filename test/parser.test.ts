import { describe, expect, it } from 'vitest';
import type { Expr, Prop, Stmt } from '../src/litmus/ast.js';
import { LitmusError } from '../src/litmus/errors.js';
import { Lexer } from '../src/litmus/lexer.js';
import { MAX_DEPTH, parseLitmus } from '../src/litmus/parser.js';
import { observation } from './helpers.js';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** A copy of an AST value without positions, for comparing shapes. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key !== 'pos' && key !== 'calleePos') out[key] = strip(v);
  }
  return out;
}

/** A test with the given thread code, condition and initial state. */
function program(body: string, condition = 'exists (x=1)', init = '{}'): string {
  return `C t\n${init}\nP0(int *x, int *y)\n{\n${body}\n}\n${condition}\n`;
}

/** The statements of P0 in `program(body)`, without positions. */
function statements(body: string): unknown {
  return strip(parseLitmus(program(body)).threads[0]!.body);
}

/** The expression assigned in `r = EXPR;`, without positions. */
function expr(text: string): unknown {
  const body = parseLitmus(program(`r = ${text};`)).threads[0]!.body;
  const stmt = body[0] as Extract<Stmt, { kind: 'assign' }>;
  return strip(stmt.value);
}

/** The proposition of `exists PROP`, without positions. */
function prop(text: string): unknown {
  return strip(parseLitmus(program('', `exists ${text}`)).condition.prop);
}

/** The error thrown for `text`, as `line:col: reason`. */
function errorOf(text: string): string {
  try {
    parseLitmus(text, 'bad.litmus');
  } catch (error) {
    expect(error).toBeInstanceOf(LitmusError);
    const e = error as LitmusError;
    return `${e.pos.line}:${e.pos.col}: ${e.reason}`;
  }
  throw new Error('expected a LitmusError, but the text parsed');
}

function hintOf(text: string): string | null {
  try {
    parseLitmus(text);
  } catch (error) {
    return (error as LitmusError).hint;
  }
  throw new Error('expected a LitmusError, but the text parsed');
}

// Small builders for expected shapes (the trees compared have no positions).
type Shape = Record<string, unknown>;
const int = (value: number): Shape => ({ kind: 'int', value });
const name = (n: string): Shape => ({ kind: 'name', name: n });
const deref = (address: Shape): Shape => ({ kind: 'deref', address });
const bin = (op: string, left: Shape, right: Shape): Shape => ({ kind: 'binary', op, left, right });
const call = (callee: string, ...args: Shape[]): Shape => ({ kind: 'call', callee, args });
const reg = (thread: number, register: string): Shape => ({ kind: 'register', thread, register });
const loc = (location: string): Shape => ({ kind: 'location', location });
const val = (value: number): Shape => ({ kind: 'value', value: { kind: 'int', value } });
const addr = (location: string): Shape => ({ kind: 'value', value: { kind: 'address', location } });
const atom = (left: Shape, right: Shape, op = '='): Shape => ({ kind: 'atom', op, left, right });

// ---------------------------------------------------------------------------
// A whole test
// ---------------------------------------------------------------------------

describe('a complete test', () => {
  const text = [
    'C MP+pooncerelease+poacquireonce',
    '',
    '(*',
    ' * Result: Never',
    ' *)',
    '',
    '{}',
    '',
    'P0(int *buf, int *flag)',
    '{',
    '\tWRITE_ONCE(*buf, 1);',
    '\tsmp_store_release(flag, 1);',
    '}',
    '',
    'P1(int *buf, int *flag)',
    '{',
    '\tint r0;',
    '\tint r1;',
    '',
    '\tr0 = smp_load_acquire(flag);',
    '\tr1 = READ_ONCE(*buf);',
    '}',
    '',
    'exists (1:r0=1 /\\ 1:r1=0)',
    '',
  ].join('\n');

  it('gives the name, comments, threads and condition', () => {
    const test = parseLitmus(text, 'mp.litmus');
    expect(test.name).toBe('MP+pooncerelease+poacquireonce');
    expect(test.doc).toBeNull();
    expect(test.comments).toEqual(['* Result: Never']);
    expect(test.file).toBe('mp.litmus');
    expect(test.init).toEqual([]);
    expect(test.threads.map((t) => t.id)).toEqual([0, 1]);
    expect(strip(test.threads[0]!.params)).toEqual([
      { type: { text: 'int *' }, name: 'buf' },
      { type: { text: 'int *' }, name: 'flag' },
    ]);
    expect(strip(test.threads[1]!.body)).toEqual([
      { kind: 'decl', type: { text: 'int' }, name: 'r0', init: null },
      { kind: 'decl', type: { text: 'int' }, name: 'r1', init: null },
      { kind: 'assign', target: name('r0'), value: call('smp_load_acquire', name('flag')) },
      { kind: 'assign', target: name('r1'), value: call('READ_ONCE', deref(name('buf'))) },
    ]);
    expect(strip(test.condition)).toEqual({
      quantifier: 'exists',
      prop: { kind: 'and', left: atom(reg(1, 'r0'), val(1)), right: atom(reg(1, 'r1'), val(0)) },
    });
    expect(test.locations).toEqual([]);
    expect(test.filter).toBeNull();
  });

  it('records 1-based positions', () => {
    const test = parseLitmus(text);
    const p1 = test.threads[1]!;
    expect(p1.pos).toEqual({ line: 15, col: 1, offset: text.indexOf('P1(') });
    expect(p1.params[1]!.pos).toMatchObject({ line: 15, col: 19 });
    expect(p1.params[1]!.type.pos).toMatchObject({ line: 15, col: 14 });
    const assign = p1.body[2] as Extract<Stmt, { kind: 'assign' }>;
    expect(assign.pos).toMatchObject({ line: 20, col: 2 });
    const value = assign.value as Extract<Expr, { kind: 'call' }>;
    expect(value.calleePos).toMatchObject({ line: 20, col: 7 });
    expect(test.condition.pos).toMatchObject({ line: 24, col: 1 });
    const and = test.condition.prop as Extract<Prop, { kind: 'and' }>;
    expect(and.right.pos).toMatchObject({ line: 24, col: 19 });
  });
});

// ---------------------------------------------------------------------------
// Header
// ---------------------------------------------------------------------------

describe('header', () => {
  it('reads names made of any non-space characters', () => {
    expect(parseLitmus(program('')).name).toBe('t');
    const name = 'C-MP+fencewmbonceonce+addronceonce-[fronceonce-rf]onceonce';
    expect(parseLitmus(`C ${name}\n{}\nP0(int *x) {}\nexists (x=1)`).name).toBe(name);
    expect(parseLitmus('C auto/C-RR-R+WW-G.x_1\n{}\nP0(int *x) {}\nexists (x=1)').name).toBe('auto/C-RR-R+WW-G.x_1');
  });

  it('reads the doc string, also an empty one', () => {
    expect(parseLitmus('C t\n"Fre PodWR Fre PodWR"\n{}\nP0(int *x) {}\nexists (x=1)').doc).toBe('Fre PodWR Fre PodWR');
    expect(parseLitmus('C t\n""\n{}\nP0(int *x) {}\nexists (x=1)').doc).toBe('');
  });

  it('collects the (* *) comments before the initial state, nested ones whole', () => {
    const test = parseLitmus('C t\n(* one *)\n(* two (* inner *) end *)\n{ x=1; (* not a header comment *) }\nP0(int *x) {}\nexists (x=1)');
    expect(test.comments).toEqual(['one', 'two (* inner *) end']);
  });

  it('skips diy7 key=value lines and other header lines, as herd7 does', () => {
    const text = [
      'C C-2+2W+fencembonceonce+poreleaseonce',
      '"FenceMbdWWOnceOnce WseOnceRelease"',
      'Cycle=WseOnceOnce FenceMbdWWOnceOnce',
      'Relax=',
      'Safe=[Rfi,PodRR] Fre Wse',
      'C rwsem',
      '(* Result: Sometimes *)',
      '{',
      '}',
      'P0(int *x) {}',
      'exists (x=2)',
    ].join('\n');
    const test = parseLitmus(text);
    expect(test.doc).toBe('FenceMbdWWOnceOnce WseOnceRelease');
    expect(test.comments).toEqual(['Result: Sometimes']);
    expect(test.threads).toHaveLength(1);
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    const test = parseLitmus('\uFEFFC t\r\n(* c *)\r\n{ x=1; }\r\nP0(int *x)\r\n{\r\n\tWRITE_ONCE(*x, 2);\r\n}\r\nexists (x=2)\r\n');
    expect(test.name).toBe('t');
    expect(test.comments).toEqual(['c']);
    expect(test.threads[0]!.body[0]!.pos).toMatchObject({ line: 6, col: 2 });
  });
});

// ---------------------------------------------------------------------------
// Initial state
// ---------------------------------------------------------------------------

describe('initial state', () => {
  const init = (block: string): unknown => strip(parseLitmus(program('', 'exists (x=1)', block)).init);

  it('accepts an empty block, with or without spaces', () => {
    expect(init('{}')).toEqual([]);
    expect(init('{ }')).toEqual([]);
    expect(init('{\n}')).toEqual([]);
  });

  it('reads locations with and without types', () => {
    expect(init('{ x=1; int y = 2; [z]=3; w=-1 }')).toEqual([
      { kind: 'location', type: null, location: 'x', value: { kind: 'int', value: 1 } },
      { kind: 'location', type: { text: 'int' }, location: 'y', value: { kind: 'int', value: 2 } },
      { kind: 'location', type: null, location: 'z', value: { kind: 'int', value: 3 } },
      { kind: 'location', type: null, location: 'w', value: { kind: 'int', value: -1 } },
    ]);
  });

  it('reads pointers, addresses and ATOMIC_INIT', () => {
    expect(init('{ int *p=&x; int* q=x; y=z; atomic_t v = ATOMIC_INIT(1); atomic_t n = ATOMIC_INIT(-2); atomic_t a = ATOMIC_INIT(w); }')).toEqual([
      { kind: 'location', type: { text: 'int *' }, location: 'p', value: { kind: 'address', location: 'x' } },
      { kind: 'location', type: { text: 'int *' }, location: 'q', value: { kind: 'address', location: 'x' } },
      { kind: 'location', type: null, location: 'y', value: { kind: 'address', location: 'z' } },
      { kind: 'location', type: { text: 'atomic_t' }, location: 'v', value: { kind: 'int', value: 1 } },
      { kind: 'location', type: { text: 'atomic_t' }, location: 'n', value: { kind: 'int', value: -2 } },
      { kind: 'location', type: { text: 'atomic_t' }, location: 'a', value: { kind: 'address', location: 'w' } },
    ]);
  });

  it('reads a lone * as a pointer of the default type int', () => {
    expect(init('{ *p = &x; *q; *v=1; *0:r1=&x }')).toEqual([
      { kind: 'location', type: { text: 'int *' }, location: 'p', value: { kind: 'address', location: 'x' } },
      { kind: 'location', type: { text: 'int *' }, location: 'q', value: null },
      { kind: 'location', type: { text: 'int *' }, location: 'v', value: { kind: 'int', value: 1 } },
      { kind: 'register', type: { text: 'int *' }, thread: 0, register: 'r1', value: { kind: 'address', location: 'x' } },
    ]);
  });

  it('reads declarations without a value, typed [x], _Atomic and hex numbers', () => {
    expect(init('{ int x; long y = 0x10; intptr_t *z=1; _Atomic int w = 3; uint8_t v; int [u] = 2; }')).toEqual([
      { kind: 'location', type: { text: 'int' }, location: 'x', value: null },
      { kind: 'location', type: { text: 'long' }, location: 'y', value: { kind: 'int', value: 16 } },
      { kind: 'location', type: { text: 'intptr_t *' }, location: 'z', value: { kind: 'int', value: 1 } },
      { kind: 'location', type: { text: '_Atomic int' }, location: 'w', value: { kind: 'int', value: 3 } },
      { kind: 'location', type: { text: 'uint8_t' }, location: 'v', value: null },
      { kind: 'location', type: { text: 'int' }, location: 'u', value: { kind: 'int', value: 2 } },
    ]);
  });

  it("reads numbers as herd7 does: 32-bit, leading zeros decimal, hexadecimal from 0x80000000 negative", () => {
    expect(init('{ a=010; b=-2147483648; c=2147483647; d=0xffffffff; e=0x80000000; f=0X7fffffff }')).toEqual([
      { kind: 'location', type: null, location: 'a', value: { kind: 'int', value: 10 } },
      { kind: 'location', type: null, location: 'b', value: { kind: 'int', value: -2147483648 } },
      { kind: 'location', type: null, location: 'c', value: { kind: 'int', value: 2147483647 } },
      { kind: 'location', type: null, location: 'd', value: { kind: 'int', value: -1 } },
      { kind: 'location', type: null, location: 'e', value: { kind: 'int', value: -2147483648 } },
      { kind: 'location', type: null, location: 'f', value: { kind: 'int', value: 2147483647 } },
    ]);
  });

  it('accepts the separators herd7 accepts: one ; between entries, a doubled one at the end', () => {
    expect(init('{ ; }')).toEqual([]);
    expect(init('{ x=1;; }')).toEqual([{ kind: 'location', type: null, location: 'x', value: { kind: 'int', value: 1 } }]);
    expect(init('{x=1;y=2}')).toHaveLength(2);
  });

  it('reads registers, also written P1:r2; one declared without a value starts at 0', () => {
    expect(init('{ 0:r1=1; int 1:r2 = z; int * 1:r3; 2:r0=&x; P3:r4=5; atomic_t 4:r0 = ATOMIC_INIT(1) }')).toEqual([
      { kind: 'register', type: null, thread: 0, register: 'r1', value: { kind: 'int', value: 1 } },
      { kind: 'register', type: { text: 'int' }, thread: 1, register: 'r2', value: { kind: 'address', location: 'z' } },
      { kind: 'register', type: { text: 'int *' }, thread: 1, register: 'r3', value: { kind: 'int', value: 0 } },
      { kind: 'register', type: null, thread: 2, register: 'r0', value: { kind: 'address', location: 'x' } },
      { kind: 'register', type: null, thread: 3, register: 'r4', value: { kind: 'int', value: 5 } },
      { kind: 'register', type: { text: 'atomic_t' }, thread: 4, register: 'r0', value: { kind: 'int', value: 1 } },
    ]);
  });

  it('skips (* *) comments, the only kind herd7 allows there', () => {
    expect(init('{\n\tx=1; (* Initially idle. *)\n\ty=2; (* (* nested *) *)\n}')).toEqual([
      { kind: 'location', type: null, location: 'x', value: { kind: 'int', value: 1 } },
      { kind: 'location', type: null, location: 'y', value: { kind: 'int', value: 2 } },
    ]);
  });

  it('positions an entry at its location or register', () => {
    const test = parseLitmus(program('', 'exists (x=1)', '{ int x = 1;\n  0:r1 = 2; }'));
    expect(test.init[0]!.pos).toMatchObject({ line: 2, col: 7 });
    expect(test.init[0]!.type!.pos).toMatchObject({ line: 2, col: 3 });
    expect(test.init[1]!.pos).toMatchObject({ line: 3, col: 3 });
  });
});

// ---------------------------------------------------------------------------
// Threads
// ---------------------------------------------------------------------------

describe('thread headers', () => {
  const params = (list: string): unknown =>
    strip(parseLitmus(`C t\n{}\nP0(${list}) {}\nexists (x=1)`).threads[0]!.params);

  it('reads the kinds of parameters found in real tests', () => {
    expect(params('int *x, spinlock_t *l, struct srcu_struct *s, atomic_t *v')).toEqual([
      { type: { text: 'int *' }, name: 'x' },
      { type: { text: 'spinlock_t *' }, name: 'l' },
      { type: { text: 'struct srcu_struct *' }, name: 's' },
      { type: { text: 'atomic_t *' }, name: 'v' },
    ]);
    expect(params('volatile int* y,spinlock_t* lock_y, int** p')).toEqual([
      { type: { text: 'volatile int *' }, name: 'y' },
      { type: { text: 'spinlock_t *' }, name: 'lock_y' },
      { type: { text: 'int **' }, name: 'p' },
    ]);
  });

  it('accepts empty parameter lists, a space before them, and void before the thread', () => {
    expect(params('')).toEqual([]);
    expect(parseLitmus('C t\n{}\nP0 ()\n{\n}\nexists (x=1)').threads[0]!.params).toEqual([]);
    const test = parseLitmus('C t\n{}\nvoid P0(int *x)\n{\n}\nvoid P1 (int *x) {}\nexists (x=1)');
    expect(test.threads.map((t) => t.id)).toEqual([0, 1]);
    expect(test.threads[1]!.pos).toMatchObject({ line: 6, col: 6 });
  });

  it('allows C comments between and around threads', () => {
    const text = 'C t\n{}\n//\\fcvexclude\nP0(int *x) // Producer\n{\n}\n/* between */\n// and\nP1(int *x) {}\n/* last */\nexists (x=1)';
    expect(parseLitmus(text).threads.map((t) => t.id)).toEqual([0, 1]);
  });
});

describe('statements', () => {
  it('splits a declaration of several names', () => {
    expect(statements('int r1 = 0, *r2, r3;')).toEqual([
      { kind: 'decl', type: { text: 'int' }, name: 'r1', init: int(0) },
      { kind: 'decl', type: { text: 'int *' }, name: 'r2', init: null },
      { kind: 'decl', type: { text: 'int' }, name: 'r3', init: null },
    ]);
  });

  it('reads declarations of other types', () => {
    expect(statements('int **r1; unsigned long r2 = 3; atomic_t *v;')).toEqual([
      { kind: 'decl', type: { text: 'int **' }, name: 'r1', init: null },
      { kind: 'decl', type: { text: 'unsigned long' }, name: 'r2', init: int(3) },
      { kind: 'decl', type: { text: 'atomic_t *' }, name: 'v', init: null },
    ]);
  });

  it('reads assignments to registers and through pointers', () => {
    expect(statements('r0 = 1; *x = r0; *r1 = *y;')).toEqual([
      { kind: 'assign', target: name('r0'), value: int(1) },
      { kind: 'assign', target: deref(name('x')), value: name('r0') },
      { kind: 'assign', target: deref(name('r1')), value: deref(name('y')) },
    ]);
  });

  it('reads calls as expression statements, and empty statements', () => {
    expect(statements('smp_mb(); WRITE_ONCE(*x, 1); spin_lock(l);;')).toEqual([
      { kind: 'expr', expr: call('smp_mb') },
      { kind: 'expr', expr: call('WRITE_ONCE', deref(name('x')), int(1)) },
      { kind: 'expr', expr: call('spin_lock', name('l')) },
      { kind: 'empty' },
    ]);
  });

  it('reads if, if/else, else-if chains and blocks', () => {
    expect(statements('if (r0) { smp_mb(); } else if (r1 == 1) r2 = 1; else { }')).toEqual([
      {
        kind: 'if',
        test: name('r0'),
        then: { kind: 'block', body: [{ kind: 'expr', expr: call('smp_mb') }] },
        otherwise: {
          kind: 'if',
          test: bin('==', name('r1'), int(1)),
          then: { kind: 'assign', target: name('r2'), value: int(1) },
          otherwise: { kind: 'block', body: [] },
        },
      },
    ]);
  });

  it('attaches a dangling else to the nearest if', () => {
    expect(statements('if (a) if (b) f(); else g();')).toEqual([
      {
        kind: 'if',
        test: name('a'),
        then: { kind: 'if', test: name('b'), then: { kind: 'expr', expr: call('f') }, otherwise: { kind: 'expr', expr: call('g') } },
        otherwise: null,
      },
    ]);
  });

  it('wraps a declaration of several names in an if branch in a block', () => {
    expect(statements('if (a) int r1, r2;')).toEqual([
      {
        kind: 'if',
        test: name('a'),
        then: {
          kind: 'block',
          body: [
            { kind: 'decl', type: { text: 'int' }, name: 'r1', init: null },
            { kind: 'decl', type: { text: 'int' }, name: 'r2', init: null },
          ],
        },
        otherwise: null,
      },
    ]);
  });

  it('ignores C comments in thread code, but not (*, which is C', () => {
    expect(statements('r0 = READ_ONCE(*x); // (* not a comment\n/* block */ r1 = (*y);')).toEqual([
      { kind: 'assign', target: name('r0'), value: call('READ_ONCE', deref(name('x'))) },
      { kind: 'assign', target: name('r1'), value: deref(name('y')) },
    ]);
  });
});

describe('expressions', () => {
  it('reads literals, names, dereferences and addresses', () => {
    expect(expr('42')).toEqual(int(42));
    expect(expr('0x1F')).toEqual(int(31));
    expect(expr('-1')).toEqual({ kind: 'unary', op: '-', operand: int(1) });
    expect(expr('**p')).toEqual(deref(deref(name('p'))));
    expect(expr('&x')).toEqual({ kind: 'addressOf', target: name('x') });
    expect(expr('&*p')).toEqual({ kind: 'addressOf', target: deref(name('p')) });
    expect(expr('!~r')).toEqual({ kind: 'unary', op: '!', operand: { kind: 'unary', op: '~', operand: name('r') } });
  });

  it('follows C precedence and left associativity', () => {
    expect(expr('1 + 2 * 3')).toEqual(bin('+', int(1), bin('*', int(2), int(3))));
    expect(expr('a - b - c')).toEqual(bin('-', bin('-', name('a'), name('b')), name('c')));
    expect(expr('a || b && c')).toEqual(bin('||', name('a'), bin('&&', name('b'), name('c'))));
    expect(expr('a & b == c')).toEqual(bin('&', name('a'), bin('==', name('b'), name('c'))));
    expect(expr('a | b ^ c & d')).toEqual(bin('|', name('a'), bin('^', name('b'), bin('&', name('c'), name('d')))));
    expect(expr('a << 1 < b >> 2')).toEqual(bin('<', bin('<<', name('a'), int(1)), bin('>>', name('b'), int(2))));
    expect(expr('a % 2 != b / 3')).toEqual(bin('!=', bin('%', name('a'), int(2)), bin('/', name('b'), int(3))));
    expect(expr('a <= b >= c > d')).toEqual(bin('>', bin('>=', bin('<=', name('a'), name('b')), name('c')), name('d')));
    expect(expr('(a + b) * c')).toEqual(bin('*', bin('+', name('a'), name('b')), name('c')));
    expect(expr('-a * b')).toEqual(bin('*', { kind: 'unary', op: '-', operand: name('a') }, name('b')));
  });

  it('reads the conditional operator, right-associative', () => {
    expect(expr('a ? b : c ? d : e')).toEqual({
      kind: 'conditional',
      test: name('a'),
      then: name('b'),
      otherwise: { kind: 'conditional', test: name('c'), then: name('d'), otherwise: name('e') },
    });
  });

  it('reads calls nested in expressions', () => {
    expect(expr('cmpxchg(x, 0, 1) == 0')).toEqual(bin('==', call('cmpxchg', name('x'), int(0), int(1)), int(0)));
    expect(expr('f(g(1), h())')).toEqual(call('f', call('g', int(1)), call('h')));
    expect(statements('if (READ_ONCE(*x) == 1) smp_mb();')).toEqual([
      { kind: 'if', test: bin('==', call('READ_ONCE', deref(name('x'))), int(1)), then: { kind: 'expr', expr: call('smp_mb') }, otherwise: null },
    ]);
  });

  it('drops casts', () => {
    expect(expr('(int)rcu_dereference(*(char **)y)')).toEqual(call('rcu_dereference', deref(name('y'))));
    expect(expr('(int**)READ_ONCE(*y)')).toEqual(call('READ_ONCE', deref(name('y'))));
    expect(statements('smp_store_release(p, (void *)0);')).toEqual([
      { kind: 'expr', expr: call('smp_store_release', name('p'), int(0)) },
    ]);
    expect(expr('(struct foo *)p')).toEqual(name('p'));
    expect(expr('(atomic_t *)p')).toEqual(name('p'));
    expect(expr('(r0 & 1) == 0')).toEqual(bin('==', bin('&', name('r0'), int(1)), int(0)));
  });

  it('accepts integers up to 2^53 - 1', () => {
    expect(expr('9007199254740991')).toEqual(int(9007199254740991));
    expect(expr('0x1FFFFFFFFFFFFF')).toEqual(int(9007199254740991));
  });
});

// ---------------------------------------------------------------------------
// Final section
// ---------------------------------------------------------------------------

describe('conditions', () => {
  it('reads the three quantifiers', () => {
    const quantifier = (text: string): string => parseLitmus(program('', text)).condition.quantifier;
    expect(quantifier('exists (x=1)')).toBe('exists');
    expect(quantifier('~exists (x=1)')).toBe('~exists');
    expect(quantifier('~ exists (x=1)')).toBe('~exists');
    expect(quantifier('forall (x=1)')).toBe('forall');
    expect(quantifier('exists(x=1)')).toBe('exists');
  });

  it('reads the kinds of terms', () => {
    expect(prop('(0:r1=1)')).toEqual(atom(reg(0, 'r1'), val(1)));
    expect(prop('x=2')).toEqual(atom(loc('x'), val(2)));
    expect(prop('[x]=2')).toEqual(atom(loc('x'), val(2)));
    expect(prop('1:r0=x')).toEqual(atom(reg(1, 'r0'), addr('x')));
    expect(prop('x=y')).toEqual(atom(loc('x'), addr('y')));
    expect(prop('0:r1=[y]')).toEqual(atom(reg(0, 'r1'), loc('y')));
    expect(prop('0:r1=1:r2')).toEqual(atom(reg(0, 'r1'), reg(1, 'r2')));
    expect(prop('0:r1=-1')).toEqual(atom(reg(0, 'r1'), val(-1)));
    expect(prop('0:r1 = 0x10')).toEqual(atom(reg(0, 'r1'), val(16)));
  });

  it('reads the comparison operators', () => {
    expect(prop('x==1')).toEqual(atom(loc('x'), val(1)));
    expect(prop('x!=1')).toEqual(atom(loc('x'), val(1), '!='));
    expect(prop('x<>1')).toEqual(atom(loc('x'), val(1), '!='));
  });

  it('gives ~ the tightest binding, then => (right-associative), then /\\, then \\/, as herd7 does', () => {
    const a = atom(loc('a'), val(1));
    const b = atom(loc('b'), val(1));
    const c = atom(loc('c'), val(1));
    const d = atom(loc('d'), val(1));
    expect(prop('~a=1 /\\ b=1 \\/ c=1')).toEqual({
      kind: 'or', left: { kind: 'and', left: { kind: 'not', operand: a }, right: b }, right: c,
    });
    expect(prop('a=1 \\/ b=1 /\\ c=1')).toEqual({ kind: 'or', left: a, right: { kind: 'and', left: b, right: c } });
    expect(prop('a=1 => b=1 => c=1 \\/ d=1')).toEqual({
      kind: 'or', left: { kind: 'implies', left: a, right: { kind: 'implies', left: b, right: c } }, right: d,
    });
    expect(prop('a=1 /\\ b=1 => c=1')).toEqual({ kind: 'and', left: a, right: { kind: 'implies', left: b, right: c } });
    expect(prop('a=1 => b=1 /\\ c=1')).toEqual({ kind: 'and', left: { kind: 'implies', left: a, right: b }, right: c });
    expect(prop('a=1 \\/ b=1 => c=1')).toEqual({ kind: 'or', left: a, right: { kind: 'implies', left: b, right: c } });
    expect(prop('~a=1 => b=1')).toEqual({ kind: 'implies', left: { kind: 'not', operand: a }, right: b });
    expect(prop('(a=1 \\/ b=1) => c=1')).toEqual({ kind: 'implies', left: { kind: 'or', left: a, right: b }, right: c });
    expect(prop('a=1 /\\ b=1 /\\ c=1')).toEqual({ kind: 'and', left: { kind: 'and', left: a, right: b }, right: c });
    expect(prop('~(a=1 \\/ b=1)')).toEqual({ kind: 'not', operand: { kind: 'or', left: a, right: b } });
  });

  it('reads not, true and false, which are keywords', () => {
    expect(prop('not (x=1)')).toEqual({ kind: 'not', operand: atom(loc('x'), val(1)) });
    expect(prop('not x=1')).toEqual({ kind: 'not', operand: atom(loc('x'), val(1)) });
    expect(prop('true')).toEqual({ kind: 'true' });
    expect(prop('(false \\/ true)')).toEqual({ kind: 'or', left: { kind: 'false' }, right: { kind: 'true' } });
    expect(errorOf(program('', 'exists (true=1)'))).toBe("7:9: 'true' is a keyword here and cannot name a location, a register or a type");
    expect(errorOf(program('', 'exists (0:r1=false)'))).toBe("7:14: 'false' is a keyword here and cannot name a location, a register or a type");
  });

  it('reads a condition over several lines with comments', () => {
    const text = 'exists (0:r0=1:r0 \\/ (* both *)\n\tv=1 \\/ (* neither *)\n\t0:r2=0) (* trailing *)\n(* and more *)';
    expect(prop(text.slice('exists '.length))).toEqual({
      kind: 'or',
      left: { kind: 'or', left: atom(reg(0, 'r0'), reg(1, 'r0')), right: atom(loc('v'), val(1)) },
      right: atom(reg(0, 'r2'), val(0)),
    });
  });

  it('reads locations and filter', () => {
    const test = parseLitmus(program('', 'locations [a; b; 0:r1; 1:r8;]\nfilter (~0:r1=1 /\\ 0:r1=0:r4)\nexists (x=1)'));
    expect(strip(test.locations)).toEqual([loc('a'), loc('b'), reg(0, 'r1'), reg(1, 'r8')]);
    expect(strip(test.filter)).toEqual({
      kind: 'and', left: { kind: 'not', operand: atom(reg(0, 'r1'), val(1)) }, right: atom(reg(0, 'r1'), reg(0, 'r4')),
    });
    expect(strip(parseLitmus(program('', 'locations []\nexists (x=1)')).locations)).toEqual([]);
  });

  it('assumes forall (true) when the test has no condition, as herd7 does', () => {
    const text = 'C self-deadlock\n{}\nP0(spinlock_t *sl)\n{\n\tspin_lock(sl);\n}\n';
    const test = parseLitmus(text);
    expect(strip(test.condition)).toEqual({ quantifier: 'forall', prop: { kind: 'true' } });
    expect(test.condition.pos).toEqual({ line: 7, col: 1, offset: text.length });
  });
});

// ---------------------------------------------------------------------------
// Syntax variants herd7 accepts (each checked against herd7 7.58)
// ---------------------------------------------------------------------------

describe('herd7 variants of the final section', () => {
  const condition = (text: string): unknown => strip(parseLitmus(program('', text)).condition);
  const a = atom(reg(0, 'r1'), val(1));
  const b = atom(reg(0, 'r2'), val(0));

  it("accepts one ';' after the condition, then comments", () => {
    expect(condition('exists (0:r1=1 /\\ 0:r2=0);')).toEqual({ quantifier: 'exists', prop: { kind: 'and', left: a, right: b } });
    expect(condition('exists (0:r1=1) ;\n(* done *)')).toEqual({ quantifier: 'exists', prop: a });
    expect(condition('exists (0:r1=1)\n;')).toEqual({ quantifier: 'exists', prop: a });
    expect(condition('forall 0:r1=1 \\/ 0:r2=0;')).toEqual({ quantifier: 'forall', prop: { kind: 'or', left: a, right: b } });
    expect(condition('~exists (0:r1=1);')).toEqual({ quantifier: '~exists', prop: a });
  });

  it("reads 'final' as exists, and 'not exists' and '(PROP)' after locations or filter", () => {
    expect(condition('final (0:r1=1);')).toEqual({ quantifier: 'exists', prop: a });
    expect(condition('locations [x]\nnot exists (0:r1=1)')).toEqual({ quantifier: '~exists', prop: a });
    expect(condition('locations [x]\n~\nexists (0:r1=1)')).toEqual({ quantifier: '~exists', prop: a });
    expect(condition('filter (0:r2=0)\n(0:r1=1)')).toEqual({ quantifier: 'exists', prop: a });
  });

  it("reads herd7's old 'observed' form as exists of a disjunction of conjunctions", () => {
    expect(condition('observed 0:r1=1; 0:r2=0;')).toEqual({ quantifier: 'exists', prop: { kind: 'and', left: a, right: b } });
    expect(condition('Observed 0:r1=1; and 0:r2=0; 0:r1=1;')).toEqual({
      quantifier: 'exists', prop: { kind: 'or', left: a, right: { kind: 'and', left: b, right: a } },
    });
    expect(condition('observed 0:r1!=1;')).toEqual({ quantifier: 'exists', prop: atom(reg(0, 'r1'), val(1), '!=') });
    expect(condition('observed and [x]=1;')).toEqual({
      quantifier: 'exists', prop: { kind: 'or', left: { kind: 'true' }, right: atom(loc('x'), val(1)) },
    });
    expect(condition('observed')).toEqual({ quantifier: 'exists', prop: { kind: 'true' } });
  });

  it("reads and drops the 'with' kinds after the condition", () => {
    expect(condition('exists (0:r1=1) with tso: exists; sc: ~exists; x: not exists; y: forall')).toEqual({ quantifier: 'exists', prop: a });
    expect(condition('exists (0:r1=1); with tso: exists;')).toEqual({ quantifier: 'exists', prop: a });
  });

  it("assumes forall (true) when only locations, filter, ';' or 'with' are there", () => {
    const always = { quantifier: 'forall', prop: { kind: 'true' } };
    expect(condition('locations [x];')).toEqual(always);
    expect(condition('filter (0:r1=1);')).toEqual(always);
    expect(condition('filter (0:r1=1) with a: exists')).toEqual(always);
  });

  it('reads registers written P1:r0, anywhere a register may be', () => {
    const test = parseLitmus(program('', 'locations [P0:r1;]\nfilter P0:r2=0\nexists (P0:r1=P1:r3 /\\ x=*P0:r2)'));
    expect(strip(test.locations)).toEqual([reg(0, 'r1')]);
    expect(strip(test.filter)).toEqual(b);
    expect(strip(test.condition.prop)).toEqual({ kind: 'and', left: atom(reg(0, 'r1'), reg(1, 'r3')), right: atom(loc('x'), reg(0, 'r2')) });
  });

  it('reads *y on the right of = as the final contents of y, and *0:r1 as 0:r1', () => {
    expect(prop('(x=*y)')).toEqual(atom(loc('x'), loc('y')));
    expect(prop('(x==*y)')).toEqual(atom(loc('x'), loc('y')));
    expect(prop('(0:r1=*y)')).toEqual(atom(reg(0, 'r1'), loc('y')));
    expect(prop('(0:r1=*1:r2)')).toEqual(atom(reg(0, 'r1'), reg(1, 'r2')));
    expect(prop('([x]=1:r2)')).toEqual(atom(loc('x'), reg(1, 'r2')));
  });

  it('reads and drops the types in locations', () => {
    const test = parseLitmus(program('', 'locations [x int; y*; 0:r1 intptr_t*; z]\nexists (x=1)'));
    expect(strip(test.locations)).toEqual([loc('x'), loc('y'), reg(0, 'r1'), loc('z')]);
  });

  it('reads numbers of the condition as herd7 does', () => {
    expect(prop('(0:r1=01)')).toEqual(atom(reg(0, 'r1'), val(1)));
    expect(prop('(0:r1=0xffffffff)')).toEqual(atom(reg(0, 'r1'), val(-1)));
    expect(prop('(0:r1 = -2147483648)')).toEqual(atom(reg(0, 'r1'), val(-2147483648)));
  });
});

describe('herd7 variants of the header and the threads', () => {
  const nameOf = (first: string, file?: string): string => parseLitmus(`${first}\n{}\nP0(int *x) {}\nexists (x=1)`, file).name;

  it("takes the name herd7 takes: letters, digits and _/.+-[]: up to another character", () => {
    expect(nameOf('C a:b+c[d].e/f-g_h')).toBe('a:b+c[d].e/f-g_h');
    expect(nameOf('C a@b')).toBe('a');
    expect(nameOf('C a*b (* not a comment start *)')).toBe('a');
    expect(nameOf('C t (texname) "doc";')).toBe('t');
  });

  it("names a test called '--' after its file", () => {
    expect(nameOf('C --', 'dir/MP+once.litmus')).toBe('MP+once');
    expect(nameOf('C --', 'plain')).toBe('plain');
  });

  it('allows the words of the final section in comments only as herd7 does: inside longer words or quotes', () => {
    const text = 'C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1); // existsx, my-filter, x.final, Final, say "exists"\n}\n~\texists (x=1)\n';
    expect(parseLitmus(text).condition.quantifier).toBe('~exists');
  });

  it('reads NULL as 0 and leading zeros as decimal in thread code', () => {
    expect(expr('NULL')).toEqual(int(0));
    expect(expr('010')).toEqual(int(10));
  });

  it('reads the rcu_dereference-with-casts form found in tests', () => {
    expect(statements('r1 = (intptr_t)rcu_dereference(*(intptr_t **)x1);')).toEqual([
      { kind: 'assign', target: name('r1'), value: call('rcu_dereference', deref(name('x1'))) },
    ]);
  });
});

describe("herd7's verdicts on the variants", () => {
  const mp = (condition: string): string =>
    `C mp\n{}\nP0(int *x, int *y)\n{\n\tWRITE_ONCE(*x, 1);\n\tsmp_store_release(y, 1);\n}\n\nP1(int *x, int *y)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(y);\n\tr2 = READ_ONCE(*x);\n}\n\n${condition}\n`;

  it("a ';' after the condition changes nothing", () => {
    expect(observation(mp('exists (1:r1=1 /\\ 1:r2=0);'))).toBe('Never 0 3');
    expect(observation(mp('~exists (1:r1=1 /\\ 1:r2=0);'))).toBe('Never 0 3');
    expect(observation(mp('forall (1:r1=0 \\/ 1:r2=1);'))).toBe('Always 3 0');
  });

  it('=> binds tighter than /\\ and \\/', () => {
    expect(observation(mp('exists (1:r1=1 \\/ 1:r1=0 => 1:r2=5)'))).toBe('Sometimes 1 2');
    expect(observation(mp('exists (1:r1=0 /\\ 1:r1=1 => 1:r2=5)'))).toBe('Sometimes 2 1');
  });

  it('final, observed, with, P1:r1 and *y', () => {
    expect(observation(mp('final (1:r1=1 /\\ 1:r2=0)'))).toBe('Never 0 3');
    expect(observation(mp('observed 1:r1=1; and 1:r2=0;'))).toBe('Sometimes 2 1');
    expect(observation(mp('exists (1:r1=1 /\\ 1:r2=0) with tso: exists;'))).toBe('Never 0 3');
    expect(observation(mp('exists (P1:r1=1)'))).toBe('Sometimes 1 2');
    expect(observation(mp('exists (x=*y)'))).toBe('Always 3 0');
    expect(observation(mp('exists (1:r1=*y)'))).toBe('Sometimes 1 2');
  });

  it('32-bit hexadecimal values, leading zeros, NULL and void threads', () => {
    const single = (init: string, body: string, condition: string): string => `C s\n${init}\nP0(int *x)\n{\n\t${body}\n}\n${condition}\n`;
    const reader = 'int r0;\n\tr0 = READ_ONCE(*x);';
    expect(observation(single('{ x=-1; }', reader, 'exists (0:r0=0xffffffff)'))).toBe('Always 1 0');
    expect(observation(single('{ x=010; }', reader, 'exists (0:r0=10)'))).toBe('Always 1 0');
    expect(observation(single('{}', 'int r0;\n\tr0 = 010;', 'exists (0:r0=8)'))).toBe('Never 0 1');
    expect(observation(single('{ x=1; }', 'int r0 = 1;\n\tr0 = NULL;', 'exists (0:r0=0)'))).toBe('Always 1 0');
    expect(observation(mp('exists (1:r1=1)').replace('P0(', 'void P0('))).toBe('Sometimes 1 2');
  });

  it('pointers given with a lone * in the initial state', () => {
    const test = 'C p\n{ *p = &x; *x = 1; }\nP0(int **p)\n{\n\tint *r0;\n\tint r1;\n\n\tr0 = READ_ONCE(*p);\n\tr1 = READ_ONCE(*r0);\n}\nexists (0:r0=x /\\ 0:r1=1)\n';
    expect(observation(test)).toBe('Always 1 0');
  });
});

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

describe('errors', () => {
  it('prints file:line:col and the hint', () => {
    try {
      parseLitmus(program('  r0++;'), 'inc.litmus');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LitmusError);
      expect((error as LitmusError).message).toBe("inc.litmus:5:5: '++' is not supported\n  hint: write 'r = r + 1' instead");
      expect((error as LitmusError).file).toBe('inc.litmus');
    }
  });

  it('reports a missing semicolon at the next token', () => {
    expect(errorOf(program('  r0 = READ_ONCE(*x)\n  r1 = 1;'))).toBe("6:3: expected ';' after the statement, found 'r1'");
    expect(errorOf(program('  int r0\n  r1 = 1;'))).toBe("6:3: expected ';' after the declaration, found 'r1'");
    expect(errorOf(program('  smp_mb()'))).toBe("6:1: expected ';' after the statement, found '}'");
  });

  it('reports unknown characters', () => {
    expect(errorOf(program('  r0 = @;'))).toBe("5:8: unknown character '@'");
    expect(errorOf(program('  r0 = \u0007;'))).toBe('5:8: unknown character U+0007');
    expect(errorOf(program('  r0 = "s";'))).toBe(`5:8: unexpected quote '"': strings and character literals are not supported here`);
    expect(errorOf(program('', 'exists (x=1 $ y=1)'))).toBe("7:13: unknown character '$'");
  });

  it('reports unterminated comments where they start', () => {
    expect(errorOf('C t\n\n  (* open (* nested *)\n{}\n')).toBe('3:3: unterminated comment (* started here');
    expect(errorOf(program('  /* open'))).toBe('5:3: unterminated comment /* started here');
    expect(errorOf(program('', 'exists (x=1) (* open'))).toBe('7:14: unterminated comment (* started here');
  });

  it('refuses loops and jumps by name', () => {
    const loop = 'are not supported: the memory model needs straight-line code with if/else';
    expect(errorOf(program('  while (r0) smp_mb();'))).toBe(`5:3: loops (\`while\`) ${loop}`);
    expect(errorOf(program('  if (r0) {\n    for (;;) ;\n  }'))).toBe(`6:5: loops (\`for\`) ${loop}`);
    expect(errorOf(program('  do { } while (0);'))).toBe(`5:3: loops (\`do\`) ${loop}`);
    expect(errorOf(program('  switch (r0) { }'))).toBe(`5:3: switch statements (\`switch\`) ${loop}`);
    expect(errorOf(program('  goto out;'))).toBe(`5:3: jumps (\`goto\`) ${loop}`);
    expect(errorOf(program('  return;'))).toBe(`5:3: jumps (\`return\`) ${loop}`);
    expect(errorOf(program('  break;'))).toBe(`5:3: jumps (\`break\`) ${loop}`);
    expect(errorOf(program('  continue;'))).toBe(`5:3: jumps (\`continue\`) ${loop}`);
    expect(hintOf(program('  while (r0) smp_mb();'))).toBe('unroll the loop by hand into a fixed number of steps');
  });

  it('refuses other C that the model cannot express', () => {
    expect(errorOf(program('  r0 += 2;'))).toBe("5:6: compound assignment '+=' is not supported");
    expect(errorOf(program('  --r0;'))).toBe("5:3: '--' is not supported");
    expect(errorOf(program('  READ_ONCE(*x) = 1;'))).toBe("5:3: the left side of '=' must be a register (r1) or a dereference (*x)");
    expect(errorOf(program('  r0 = r1 = 1;'))).toBe('5:11: chained assignments (a = b = c) are not supported');
    expect(errorOf(program('  int r[2];'))).toBe('5:8: arrays are not supported');
    expect(errorOf(program('  r0 = x[1];'))).toBe('5:9: array indexing is not supported');
    expect(errorOf(program('  r0 = x->next;'))).toBe("5:9: structure members ('->') are not supported");
    expect(errorOf(program('  else r0 = 1;'))).toBe("5:3: 'else' without a matching 'if'");
    expect(errorOf(program('  r0 = int;'))).toBe("5:8: expected an expression, found 'int'");
  });

  it('checks the numbering of threads', () => {
    expect(errorOf('C t\n{}\nP0(int *x) {}\nP1(int *x) {}\nP1(int *x) {}\nexists (x=1)')).toBe('5:1: thread P1 is defined twice');
    expect(errorOf('C t\n{}\nP0(int *x) {}\nP2(int *x) {}\nexists (x=1)'))
      .toBe('4:1: threads must be numbered P0, P1, ... in order; found P2 after P0');
    expect(errorOf('C t\n{}\nP1(int *x) {}\nexists (x=1)'))
      .toBe('3:1: threads must be numbered P0, P1, ... in order; the first thread is P1, not P0');
  });

  it('reports problems with the overall layout', () => {
    expect(errorOf('')).toBe("1:1: the file is empty: a C litmus test starts with 'C NAME'");
    expect(errorOf('AArch64 MP\n{}\n')).toBe('1:1: this is a litmus test for AArch64, not C');
    expect(errorOf('Test t\n{}\n')).toBe("1:1: a C litmus test must start with 'C NAME', found 'Test'");
    expect(errorOf('C\n{}\n')).toBe("1:2: expected the test name after 'C'");
    expect(errorOf('C t\nP0(int *x) {}\nexists (x=1)')).toBe("2:1: the initial state '{ ... }' is missing before the threads");
    expect(hintOf('C t\nP0(int *x) {}\nexists (x=1)')).toBe("write '{}' if every location starts at 0");
    expect(errorOf('C t\nvoid P0(int *x) {}\nexists (x=1)')).toBe("2:1: the initial state '{ ... }' is missing before the threads");
    expect(errorOf('  C t\n{}\n')).toBe("1:1: a C litmus test must start with 'C NAME' on its first line, with nothing before it");
    expect(errorOf('\n\n')).toBe("1:1: the file is empty: a C litmus test starts with 'C NAME'");
    expect(errorOf('C t\n(* only a comment *)\n')).toBe("3:1: expected the initial state '{ ... }', found end of file");
    expect(errorOf('C t\n{}\n')).toBe('3:1: the test has no threads');
    expect(errorOf('C t\n{}\nexists (x=1)')).toBe("3:1: expected the first thread P0 after the initial state, found 'exists'");
    expect(errorOf('C t\n"doc\n{}\n')).toBe('2:1: unterminated string " started here');
  });

  it('reports a missing closing brace helpfully', () => {
    expect(errorOf('C t\n{}\nP0(int *x) {\n  if (1) {\n  r0 = 1;\n}\nexists (x=1)'))
      .toBe("7:1: found 'exists' inside the code of P0: a '}' is probably missing");
    expect(hintOf('C t\n{}\nP0(int *x) {\n  if (1) {\n  r0 = 1;\n}\nexists (x=1)')).toBe('the code of P0 starts at 3:12');
    expect(errorOf('C t\n{}\nP0(int *x) {\n  r0 = 1;\nP1(int *x) {}\nexists (x=1)'))
      .toBe("5:1: found 'P1' inside the code of P0: a '}' is probably missing");
    expect(errorOf('C t\n{}\nP0(int *x) {\n  r0 = 1;\n')).toBe("3:12: this '{' in the code of P0 is never closed");
  });

  it('reports bad parameters', () => {
    expect(errorOf('C t\n{}\nP0(x) {}\nexists (x=1)')).toBe("3:4: parameter 'x' of P0 has no type");
    expect(errorOf('C t\n{}\nP0(int *) {}\nexists (x=1)')).toBe("3:9: expected the name of the parameter after 'int *', found ')'");
    expect(errorOf('C t\n{}\nP0(int *x,) {}\nexists (x=1)')).toBe("3:11: expected a parameter of P0 (like 'int *x'), found ')'");
    expect(errorOf('C t\n{}\nP0 {}\nexists (x=1)')).toBe("3:4: expected '(' after the thread name P0, found '{'");
  });

  it('reports bad initial states', () => {
    expect(errorOf(program('', 'exists (x=1)', '{ x = ; }'))).toBe('2:7: expected an initial value (a number, a location name or &location), found \';\'');
    expect(errorOf(program('', 'exists (x=1)', '{ x = 1 y = 2; }'))).toBe("2:9: expected ';' or '}' after an entry of the initial state, found 'y'");
    expect(errorOf(program('', 'exists (x=1)', '{ x = FOO(1); }'))).toBe("2:7: unsupported initial value 'FOO(...)'");
    expect(errorOf(program('', 'exists (x=1)', '{ 0 = 1; }'))).toBe("2:5: expected ':' after the thread number 0, found '='");
    expect(errorOf('C t\n{ x = 1;\n')).toBe("3:1: the initial state is not closed: expected '}' before the end of file");
  });

  it('reports bad conditions', () => {
    expect(errorOf(program('', 'exist (x=1)'))).toBe("7:1: expected a thread or the final condition (exists, ~exists or forall), found 'exist'");
    expect(hintOf(program('', 'exist (x=1)'))).toBe("did you mean 'exists'?");
    expect(errorOf(program('', 'exists (x=1) foo'))).toBe("7:14: unexpected 'foo' after the final condition");
    expect(errorOf(program('', 'exists (x=1)\nexists (x=2)'))).toBe('8:1: a test has only one final condition');
    expect(errorOf(program('', 'exists (1=x)')))
      .toBe("7:9: the left side of '=' in the condition must be a register (0:r1) or a location (x), found '1'");
    expect(errorOf(program('', 'exists (x 1)'))).toBe("7:11: expected '=' or '!=' in the condition, found '1'");
    expect(errorOf(program('', 'exists (x=1'))).toBe("8:1: expected ')' to close the '(' at 7:8, found end of file");
    expect(errorOf(program('', 'exists (x=)'))).toBe("7:11: expected a register (like 0:r1), a location or a value in the condition, found ')'");
    expect(errorOf(program('', 'locations [x y z]\nexists (x=1)'))).toBe("7:16: expected ';' or ']' in 'locations', found 'z'");
    expect(errorOf(program('', 'exists (x=1) /\\'))).toBe("8:1: expected a register (like 0:r1), a location or a value in the condition, found end of file");
  });

  it('reports bad numbers', () => {
    expect(errorOf(program('  r0 = 1UL;'))).toBe("5:8: malformed number '1UL'");
    expect(errorOf(program('  r0 = 0x;'))).toBe("5:8: malformed hexadecimal number '0x'");
    expect(errorOf(program('  r0 = 9007199254740992;')))
      .toBe('5:8: integer 9007199254740992 is too large (the limit is 2^53 - 1 = 9007199254740991)');
    expect(errorOf(program('', 'exists (x=123456789012345678901234567890123)')))
      .toBe('7:11: integer 123456789012345678901234567890... does not fit in 32 bits');
  });
});

// ---------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------

describe('hostile input', () => {
  const tooDeep = `nesting too deep (more than ${MAX_DEPTH} levels)`;
  const reasonOf = (text: string): string => errorOf(text).replace(/^\d+:\d+: /, '');

  it('refuses 100000 nested parentheses, blocks, operators and comments without overflowing', () => {
    expect(reasonOf(program(`r = ${'('.repeat(100000)}1${')'.repeat(100000)};`))).toBe(tooDeep);
    expect(reasonOf(program(`r = ${'('.repeat(100000)}`))).toBe(tooDeep);
    expect(reasonOf(`C t\n{}\nP0(int *x) ${'{'.repeat(100000)}`)).toBe(tooDeep);
    expect(reasonOf(program(`r = ${'!'.repeat(100000)}1;`))).toBe(tooDeep);
    expect(reasonOf(program(`r = ${'(int)'.repeat(100000)}1;`))).toBe(tooDeep);
    expect(reasonOf(program(`r = ${'f('.repeat(100000)}`))).toBe(tooDeep);
    expect(reasonOf(program(`${'if (1) '.repeat(100000)};`))).toBe(tooDeep);
    expect(reasonOf(program(`if (1) ; ${'else if (1) ; '.repeat(100000)}`))).toBe(tooDeep);
    expect(reasonOf(program('', `exists ${'('.repeat(100000)}`))).toBe(tooDeep);
    expect(reasonOf(program('', `exists ${'~'.repeat(100000)}x=1`))).toBe(tooDeep);
    expect(reasonOf(`C t\n${'(*'.repeat(100000)}`)).toBe('unterminated comment (* started here');
  });

  it('refuses chains of operators that would make the tree too deep', () => {
    expect(reasonOf(program(`r = ${'1 + '.repeat(100000)}1;`))).toBe(tooDeep);
    expect(reasonOf(program('', `exists ${'x=1 /\\ '.repeat(100000)}x=1`))).toBe(tooDeep);
    expect(reasonOf(program('', `exists ${'x=1 => '.repeat(100000)}x=1`))).toBe(tooDeep);
    expect(reasonOf(program(`r = ${'1 ? 1 : '.repeat(100000)}1;`))).toBe(tooDeep);
  });

  it('accepts nesting just under the limit', () => {
    const n = MAX_DEPTH - 2;
    expect(() => parseLitmus(program(`r = ${'('.repeat(n)}1${')'.repeat(n)};`))).not.toThrow();
    expect(() => parseLitmus(program('', `exists ${'x=1 /\\ '.repeat(n)}x=1`))).not.toThrow();
  });

  it('throws only LitmusError on every prefix of a test', () => {
    const text = program(
      'int r0 = 0, *r1; r0 = READ_ONCE(*x) + (int)f(1, 0x2); if (r0 > -1 && !r0) { *y = r0 ? 1 : 2; } else smp_mb(); /* c */',
      'locations [x; 0:r0]\nfilter (0:r0=0)\n~exists (0:r0=1 /\\ ~[x]=y \\/ 0:r0<>1 => true) (* c *)',
      '{ int *p = &x; 0:r1 = 2; atomic_t v = ATOMIC_INIT(-1); }',
    );
    expect(() => parseLitmus(text)).not.toThrow();
    for (let end = 0; end < text.length; end++) {
      try {
        parseLitmus(text.slice(0, end));
      } catch (error) {
        expect(error).toBeInstanceOf(LitmusError);
      }
    }
  });

  it('is fast on large input', () => {
    const body = 'WRITE_ONCE(*x, 1);\n'.repeat(50000);
    const start = performance.now();
    expect(parseLitmus(program(body)).threads[0]!.body).toHaveLength(50000);
    expect(performance.now() - start).toBeLessThan(5000);
  });
});

// ---------------------------------------------------------------------------
// The lexer on its own
// ---------------------------------------------------------------------------

describe('lexer', () => {
  const tokens = (text: string, mode: 'litmus' | 'c'): string[] => {
    const lexer = new Lexer(text, 'x');
    lexer.setMode(mode);
    const out: string[] = [];
    for (let t = lexer.next(); t.kind !== 'eof'; t = lexer.next()) out.push(`${t.kind}:${t.text}`);
    return out;
  };

  it('knows the condition operators only in litmus mode', () => {
    expect(tokens('0:r1=1 /\\ x<>y => ~z', 'litmus')).toEqual([
      'int:0', 'punct::', 'ident:r1', 'punct:=', 'int:1', 'punct:/\\', 'ident:x', 'punct:<>', 'ident:y', 'punct:=>', 'punct:~', 'ident:z',
    ]);
    expect(tokens('a<<=b>>c', 'c')).toEqual(['ident:a', 'punct:<<=', 'ident:b', 'punct:>>', 'ident:c']);
  });

  it('treats (* as a comment only in litmus mode', () => {
    expect(tokens('(* c *) x', 'litmus')).toEqual(['ident:x']);
    expect(tokens('(*x)', 'c')).toEqual(['punct:(', 'punct:*', 'ident:x', 'punct:)']);
  });

  it('glues a minus sign to its digits only in litmus mode', () => {
    expect(tokens('x=-1', 'litmus')).toEqual(['ident:x', 'punct:=', 'int:-1']);
    expect(tokens('x=-1', 'c')).toEqual(['ident:x', 'punct:=', 'punct:-', 'int:1']);
  });

  it('re-reads looked-ahead tokens after a change of mode', () => {
    const lexer = new Lexer('a <> b', 'x');
    expect(lexer.next().text).toBe('a');
    expect(lexer.peek().text).toBe('<>');
    lexer.setMode('c');
    expect(lexer.peek().text).toBe('<');
    expect(lexer.peek(1).text).toBe('>');
  });

  it('records comments once with their positions', () => {
    const lexer = new Lexer('x (* a *)\n(* b *) y', 'x');
    expect(lexer.next().text).toBe('x');
    expect(lexer.next().text).toBe('y');
    expect(lexer.comments.map((c) => `${c.style} ${c.text} ${c.pos.line}:${c.pos.col}`)).toEqual(['(* a 1:3', '(* b 2:1']);
    const c = new Lexer('x // b\n/* c */ y', 'x');
    c.setMode('c');
    expect([c.next().text, c.next().text]).toEqual(['x', 'y']);
    expect(c.comments.map((m) => `${m.style} ${m.text} ${m.pos.line}:${m.pos.col}`)).toEqual(['// b 1:3', '/* c 2:1']);
  });
});
