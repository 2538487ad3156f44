/**
 * Primitives from a macro file (herd7's `.def`, the kernel's
 * `linux-kernel.def`): each macro's body, written with herd7's internal
 * operations (`__load{ONCE}(X)`, `{ __store{RELEASE}(*X,V); }`,
 * `__atomic_op_return{MB}(X,+,V) == 0`, ...) or with a primitive defined
 * before it (`READ_ONCE(*X)`), is read into the shape of barrier-lab's
 * primitive table (`src/litmus/primitives.ts`), so that a primitive added
 * to the macro file works without a code change. A body that no shape
 * describes is refused where it is written.
 */

import type { AtomicOp, FenceTag, Ordering, Primitive, PrimitiveShape } from '../../litmus/primitives.js';
import { CatError } from './parser.js';

const ORDERINGS: Readonly<Record<string, Ordering>> = { ONCE: 'once', RELEASE: 'release', ACQUIRE: 'acquire', MB: 'mb', NORETURN: 'noreturn' };
const FENCES: readonly FenceTag[] = ['mb', 'rmb', 'wmb', 'barrier', 'rcu-lock', 'rcu-unlock', 'sync-rcu', 'before-atomic', 'after-atomic', 'after-spinlock', 'after-unlock-lock', 'after-srcu-read-unlock'];
const OPS: readonly AtomicOp[] = ['&~', '+', '-', '&', '|', '^'];

/** One call in a body: `__name{tag}(args)` or `name(args)`. */
interface Call {
  readonly name: string;
  readonly tag: string | null;
  readonly args: readonly string[];
}

/**
 * The primitives a macro file defines, each with the shape its body has;
 * `known` gives the primitives a body may call (barrier-lab's table), and
 * those the file defines are added as it goes.
 */
export function primitivesFromMacros(text: string, file: string, known: ReadonlyMap<string, Primitive>): Map<string, Primitive> {
  const table = new Map(known);
  const defined = new Map<string, Primitive>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '');
    if (line.trim() === '') return;
    const head = /^(\s*)([A-Za-z_]\w*)\s*\(([^)]*)\)\s*(.*)$/.exec(line);
    const pos = { line: i + 1, col: (head?.[1]?.length ?? line.search(/\S/)) + 1, offset: 0 };
    if (!head) throw new CatError(file, pos, 'expected a macro: NAME(ARGS) BODY');
    const name = head[2]!;
    const params = head[3]!.trim() === '' ? [] : head[3]!.split(',').map((p) => p.trim());
    const shape = shapeOf(head[4]!.trim(), params, table);
    if (typeof shape === 'string') throw new CatError(file, pos, `the body of '${name}' is not supported: ${shape}`, 'barrier-lab reads bodies made of herd7\'s __load, __store, __fence, __xchg, __cmpxchg, __atomic_op*, __lock, __unlock, __trylock, __islocked, __srcu, or one primitive defined before');
    const before = known.get(name);
    const primitive: Primitive = { name, arity: params.length, shape, summary: before?.summary ?? `defined in ${file.split('/').pop()}:${i + 1}` };
    table.set(name, primitive);
    defined.set(name, primitive);
  });
  return defined;
}

/** The shape of a body, or why it has none. */
function shapeOf(body: string, params: readonly string[], table: ReadonlyMap<string, Primitive>): PrimitiveShape | string {
  const block = /^\{(.*)\}$/.exec(body);
  const statements = block ? block[1]!.split(';').map((s) => s.trim()).filter((s) => s !== '') : [body];
  const test = block ? null : /\s*(==\s*0|<\s*0)\s*$/.exec(body);
  const calls = statements.map((s) => parseCall(test ? s.slice(0, s.length - test[0].length) : s));
  if (calls.some((c) => c === null)) return `'${body}' is not a call`;
  const [first, second] = calls as Call[];
  if (!first) return 'the body is empty';
  const is = (...names: string[]): boolean => first.args.length === names.length && names.every((n, k) => first.args[k] === n);
  const p = params;
  const ordering = first.tag === null ? null : ORDERINGS[first.tag] ?? null;
  if (calls.length === 2) {
    // `{ __store{ONCE}(X,V); __fence{MB}; }`: smp_store_mb().
    if (first.name === '__store' && ordering === 'once' && second!.name === '__fence' && second!.tag === 'MB' && second!.args.length === 0 && p.length === 2 && (is(p[0]!, p[1]!) || is(`*${p[0]}`, p[1]!))) {
      return { kind: 'store', ordering: 'once', argument: first.args[0] === p[0] ? 'lvalue' : 'pointer', thenMb: true };
    }
    return 'two statements, other than a store followed by __fence{MB}';
  }
  if (calls.length > 2) return 'more than two statements';
  switch (first.name) {
    case '__load':
      if (p.length !== 1 || !(is(p[0]!) || is(`*${p[0]}`))) return '__load takes the macro\'s one argument';
      if (first.tag === 'srcu-lock') return { kind: 'load', ordering: 'once', argument: 'pointer', srcu: true };
      return ordering && ordering !== 'noreturn' && ordering !== 'release' ? { kind: 'load', ordering, argument: first.args[0] === p[0] ? 'lvalue' : 'pointer' } : `__load{${first.tag}} has no such annotation`;
    case '__store':
      if (p.length !== 2 || !(is(p[0]!, p[1]!) || is(`*${p[0]}`, p[1]!))) return '__store takes the macro\'s two arguments in order';
      if (first.tag === 'srcu-unlock') return { kind: 'store', ordering: 'once', argument: 'pointer', srcu: true };
      return ordering && ordering !== 'noreturn' && ordering !== 'acquire' ? { kind: 'store', ordering, argument: first.args[0] === p[0] ? 'lvalue' : 'pointer' } : `__store{${first.tag}} has no such annotation`;
    case '__fence': {
      const tag = first.tag?.toLowerCase() as FenceTag | undefined;
      return p.length === 0 && first.args.length === 0 && tag && FENCES.includes(tag) ? { kind: 'fence', tag } : `__fence{${first.tag}} is not a fence barrier-lab knows`;
    }
    case '__xchg': return ordering && ordering !== 'noreturn' && p.length === 2 && is(p[0]!, p[1]!) ? { kind: 'xchg', ordering } : '__xchg{ORDERING}(X,V) with the macro\'s arguments in order';
    case '__cmpxchg': return ordering && ordering !== 'noreturn' && p.length === 3 && is(p[0]!, p[1]!, p[2]!) ? { kind: 'cmpxchg', ordering } : '__cmpxchg{ORDERING}(X,V,W) with the macro\'s arguments in order';
    case '__lock': return p.length === 1 && is(p[0]!) ? { kind: 'lock' } : '__lock(X)';
    case '__unlock': return p.length === 1 && is(p[0]!) ? { kind: 'unlock' } : '__unlock(X)';
    case '__trylock': return p.length === 1 && is(p[0]!) ? { kind: 'trylock' } : '__trylock(X)';
    case '__islocked': return p.length === 1 && is(p[0]!) ? { kind: 'isLocked' } : '__islocked(X)';
    case '__srcu': return first.tag === 'sync-srcu' && p.length === 1 && is(p[0]!) ? { kind: 'syncSrcu' } : '__srcu{sync-srcu}(X)';
    case '__atomic_add_unless': return first.tag === 'MB' && p.length === 3 && is(p[0]!, p[1]!, p[2]!) ? { kind: 'addUnless' } : '__atomic_add_unless{MB}(X,V,W)';
    case '__atomic_op': case '__atomic_op_return': case '__atomic_fetch_op': {
      const [x, op, v] = first.args;
      if (!ordering || !op || !OPS.includes(op as AtomicOp) || first.args.length !== 3) return `${first.name}{ORDERING}(X,OP,V)`;
      const returns = first.name === '__atomic_op' ? 'none' : first.name === '__atomic_op_return' ? 'new' : 'old';
      // barrier-lab's convention: atomic_OP(v, x), or atomic_OP(x) with a constant.
      const constant = /^-?\d+$/.test(v!) ? Number(v) : null;
      const inOrder = constant === null ? p.length === 2 && p[0] === v && p[1] === x : p.length === 1 && p[0] === x;
      if (!inOrder) return `${first.name} with the macro's arguments as (V, X), or (X) with a constant`;
      if (test && returns !== 'new') return 'a comparison with 0 goes with __atomic_op_return';
      if (returns === 'none' && ordering !== 'noreturn') return '__atomic_op takes {NORETURN}';
      return { kind: 'atomic', op: op as AtomicOp, ordering, returns, constant, test: test ? (test[1]!.startsWith('==') ? '==0' : '<0') : null };
    }
    default: {
      // A primitive defined before, with the macro's arguments in order.
      const inner = table.get(first.name);
      if (!inner || first.tag !== null || test) return `'${first.name}' is neither one of herd7's operations nor a primitive defined before`;
      const plain = first.args.map((a) => a.replace(/^\*/, ''));
      if (plain.length !== p.length || plain.some((a, k) => a !== p[k])) return `'${first.name}' must be called with the macro's arguments in order`;
      const shape = inner.shape;
      if ((shape.kind === 'load' || shape.kind === 'store') && !shape.srcu) {
        // READ_ONCE(*X) from a macro given X: the macro takes a pointer.
        const argument = shape.argument === 'lvalue' && first.args[0]!.startsWith('*') ? 'pointer' : shape.argument;
        return { ...shape, argument };
      }
      return first.args.some((a) => a.startsWith('*')) ? `'${first.name}' takes its arguments as they are` : shape;
    }
  }
}

function parseCall(text: string): Call | null {
  const m = /^([A-Za-z_]\w*)(?:\{([\w-]+)\})?\s*(?:\((.*)\))?$/.exec(text.trim());
  if (!m) return null;
  const args = m[3] === undefined || m[3].trim() === '' ? [] : m[3].split(',').map((a) => a.replace(/\s+/g, ''));
  return { name: m[1]!, tag: m[2] ?? null, args };
}
