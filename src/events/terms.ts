/**
 * Symbolic values. A thread's code is run once per control path, before we
 * know what its reads return: a read's value is a variable (named by the
 * read's index in its run), and what the code computes from it is a term.
 * Once a candidate execution fixes which write each read reads from, the
 * terms are evaluated (`src/executions/`); a term caught in a cycle of reads
 * and writes with no constant to start from stays unsolved, as in herd7.
 */

import { address, isAddress, isUnsolved, sameValue, type Address, type Value } from './types.js';

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Term =
  | { readonly kind: 'const'; readonly value: Value }
  /** The value returned by the read at this index of the thread's run. */
  | { readonly kind: 'read'; readonly index: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Term; readonly right: Term }
  /** `integer` is no C operator: it tells whether a value is a number rather than an address (for pointers read from memory). */
  | { readonly kind: UnaryOperator; readonly operand: Term };

export type UnaryOperator = 'not' | 'neg' | 'complement' | 'integer';

export function constant(value: Value): Term {
  return { kind: 'const', value };
}

export function readTerm(index: number): Term {
  return { kind: 'read', index };
}

export function isConst(t: Term): t is { kind: 'const'; value: Value } {
  return t.kind === 'const';
}

/**
 * Whether two terms are the same value whatever the reads return, in the
 * sense herd7 uses when it simplifies: the same read, or the very same
 * computed term (a register used twice), not two computations that happen
 * to be written alike (herd7 gives each computation a variable of its own).
 */
export function sameVariable(a: Term, b: Term): boolean {
  return a === b || (a.kind === 'read' && b.kind === 'read' && a.index === b.index);
}

/** The result of an operation, or why it has none. */
export type Outcome = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly reason: string };

/** Applies an operator to two known values. Pointer arithmetic moves an address by whole locations (`x + 1` is a location of its own, as in herd7). */
export function applyBinary(op: BinaryOperator, a: Value, b: Value): Outcome {
  if (op === '==') return { ok: true, value: sameValue(a, b) ? 1 : 0 };
  if (op === '!=') return { ok: true, value: sameValue(a, b) ? 0 : 1 };
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (!isAddress(a) && !isAddress(b)) return { ok: false, reason: 'an undetermined value' };
    if (op === '+' && isAddress(a) && typeof b === 'number') return { ok: true, value: offsetAddress(a, b) };
    if (op === '+' && isAddress(b) && typeof a === 'number') return { ok: true, value: offsetAddress(b, a) };
    if (op === '-' && isAddress(a) && typeof b === 'number') return { ok: true, value: offsetAddress(a, -b) };
    if (op === '-' && isAddress(a) && isAddress(b) && a.address === b.address) return { ok: true, value: 0 };
    // herd7 compares an address with 0 (an address is never below it) and nothing else.
    if (op === '<' && isAddress(a) && b === 0) return { ok: true, value: 0 };
    if (op === '<' && a === 0 && isAddress(b)) return { ok: true, value: 1 };
    if (op === '>' && isAddress(b) && a === 0) return { ok: true, value: 0 };
    if (op === '>' && b === 0 && isAddress(a)) return { ok: true, value: 1 };
    return { ok: false, reason: `cannot apply '${op}' to the address of a location (only p + n, p - n and p - p are modelled)` };
  }
  switch (op) {
    case '+': return { ok: true, value: a + b };
    case '-': return { ok: true, value: a - b };
    case '*': return { ok: true, value: a * b };
    case '/': return b === 0 ? { ok: false, reason: 'division by zero' } : { ok: true, value: Math.trunc(a / b) };
    case '%': return b === 0 ? { ok: false, reason: 'division by zero' } : { ok: true, value: a % b };
    case '&': return { ok: true, value: a & b };
    case '|': return { ok: true, value: a | b };
    case '^': return { ok: true, value: a ^ b };
    case '<<': return { ok: true, value: a << b };
    case '>>': return { ok: true, value: a >> b };
    case '<': return { ok: true, value: a < b ? 1 : 0 };
    case '<=': return { ok: true, value: a <= b ? 1 : 0 };
    case '>': return { ok: true, value: a > b ? 1 : 0 };
    case '>=': return { ok: true, value: a >= b ? 1 : 0 };
  }
}

/**
 * The address `k` locations past `a`: `x+8` is a location distinct from
 * `x` (herd7 keeps the offset with the symbol); offsets add up and cancel.
 */
export function offsetAddress(a: Address, k: number): Address {
  const m = /^(.*)\+(-?\d+)$/.exec(a.address);
  const base = m ? m[1]! : a.address;
  const offset = (m ? Number(m[2]) : 0) + k;
  return address(offset === 0 ? base : `${base}+${offset}`);
}

export function applyUnary(op: UnaryOperator, a: Value): Outcome {
  if (op === 'not') return { ok: true, value: truthy(a) ? 0 : 1 };
  if (op === 'integer') return { ok: true, value: typeof a === 'number' ? 1 : 0 };
  if (typeof a !== 'number') return { ok: false, reason: `cannot apply '${op === 'neg' ? '-' : '~'}' to the address of a location` };
  return { ok: true, value: op === 'neg' ? -a : ~a };
}

export function truthy(v: Value): boolean {
  return isAddress(v) || v !== 0;
}

/**
 * Builds `left op right`, computing it at once when both sides are known
 * (an impossible operation is returned as an error). Like herd7, which
 * gives every computation on an unknown value a variable of its own, it
 * simplifies only where herd7 does: `v + 0`, `0 + v`, `v | 0` and `0 | v`
 * are v, and `v ^ v`, `v == v`, `v != v` are 0, 1 and 0 for the same
 * variable. Anything else stays a computation, evaluated once the reads
 * are known; which computations stay unsolved decides (as in herd7)
 * whether an execution whose values come out of thin air is kept.
 */
export function binary(op: BinaryOperator, left: Term, right: Term): Term | { error: string } {
  if (isConst(left) && isConst(right)) {
    const r = applyBinary(op, left.value, right.value);
    return r.ok ? constant(r.value) : { error: r.reason };
  }
  if ((op === '+' || op === '|') && isConst(right) && right.value === 0) return left;
  if ((op === '+' || op === '|') && isConst(left) && left.value === 0) return right;
  if (sameVariable(left, right)) {
    if (op === '^' || op === '!=') return constant(0);
    if (op === '==') return constant(1);
  }
  return { kind: 'binary', op, left, right };
}

export function unary(op: UnaryOperator, operand: Term): Term | { error: string } {
  if (isConst(operand)) {
    const r = applyUnary(op, operand.value);
    return r.ok ? constant(r.value) : { error: r.reason };
  }
  return { kind: op, operand };
}

/** What evaluating a term gives when an operation has no result (`&x * 2`, a division by zero). */
export const NO_RESULT: unique symbol = Symbol('no result');

/**
 * Evaluates a term, reading the values of reads from `reads` (by the read's
 * index in its run). Returns undefined while some read it needs is not
 * known, and NO_RESULT when an operation has no result. A read may hold an
 * unsolved symbol (a value from thin air): an operation on symbols has a
 * result only where herd7's solver finds one (`s ^ s`, `s == s`, `s != s`),
 * and is undefined (stuck) otherwise.
 */
export function evaluate(t: Term, reads: (index: number) => Value | undefined): Value | undefined | typeof NO_RESULT {
  switch (t.kind) {
    case 'const': return t.value;
    case 'read': return reads(t.index);
    case 'binary': {
      const a = evaluate(t.left, reads);
      if (a === undefined || a === NO_RESULT) return a;
      const b = evaluate(t.right, reads);
      if (b === undefined || b === NO_RESULT) return b;
      if (isUnsolved(a) || isUnsolved(b)) {
        if (isUnsolved(a) && isUnsolved(b) && a.symbol === b.symbol) {
          if (t.op === '^' || t.op === '!=') return 0;
          if (t.op === '==') return 1;
        }
        return undefined;
      }
      const r = applyBinary(t.op, a, b);
      return r.ok ? r.value : NO_RESULT;
    }
    default: {
      const a = evaluate(t.operand, reads);
      if (a === undefined || a === NO_RESULT) return a;
      if (isUnsolved(a)) return undefined;
      const r = applyUnary(t.kind, a);
      return r.ok ? r.value : NO_RESULT;
    }
  }
}

/** The reads a term depends on. */
export function readsOf(t: Term, into: Set<number> = new Set()): Set<number> {
  switch (t.kind) {
    case 'const': break;
    case 'read': into.add(t.index); break;
    case 'binary': readsOf(t.left, into); readsOf(t.right, into); break;
    default: readsOf(t.operand, into);
  }
  return into;
}
