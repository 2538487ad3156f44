/**
 * Symbolic values. A thread's code is run once per control path, before we
 * know what its reads return: a read's value is a variable (named by the
 * read's index in its run), and what the code computes from it is a term.
 * Once a candidate execution fixes which write each read reads from, the
 * terms are evaluated (`src/executions/`); a term caught in a cycle of reads
 * and writes with no constant to start from stays unsolved, as in herd7.
 */

import { isAddress, sameValue, type Value } from './types.js';

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Term =
  | { readonly kind: 'const'; readonly value: Value }
  /** The value returned by the read at this index of the thread's run. */
  | { readonly kind: 'read'; readonly index: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Term; readonly right: Term }
  | { readonly kind: 'not' | 'neg' | 'complement'; readonly operand: Term };

export function constant(value: Value): Term {
  return { kind: 'const', value };
}

export function readTerm(index: number): Term {
  return { kind: 'read', index };
}

export function isConst(t: Term): t is { kind: 'const'; value: Value } {
  return t.kind === 'const';
}

function sameTerm(a: Term, b: Term): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'const': return sameValue(a.value, (b as typeof a).value);
    case 'read': return a.index === (b as typeof a).index;
    case 'binary': {
      const o = b as typeof a;
      return a.op === o.op && sameTerm(a.left, o.left) && sameTerm(a.right, o.right);
    }
    default: return sameTerm(a.operand, (b as typeof a).operand);
  }
}

/** The result of an operation, or why it has none. */
export type Outcome = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly reason: string };

/** Applies an operator to two known values. Pointer arithmetic: `p + 0`, `p - 0` and `p - p` only. */
export function applyBinary(op: BinaryOperator, a: Value, b: Value): Outcome {
  if (op === '==') return { ok: true, value: sameValue(a, b) ? 1 : 0 };
  if (op === '!=') return { ok: true, value: sameValue(a, b) ? 0 : 1 };
  if (typeof a !== 'number' || typeof b !== 'number') {
    if (!isAddress(a) && !isAddress(b)) return { ok: false, reason: 'an undetermined value' };
    if ((op === '+' || op === '-') && isAddress(a) && b === 0) return { ok: true, value: a };
    if (op === '+' && isAddress(b) && a === 0) return { ok: true, value: b };
    if (op === '-' && isAddress(a) && isAddress(b) && a.address === b.address) return { ok: true, value: 0 };
    return { ok: false, reason: `cannot apply '${op}' to the address of a location (only p + 0, p - 0 and p - p are modelled)` };
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

export function applyUnary(op: 'not' | 'neg' | 'complement', a: Value): Outcome {
  if (op === 'not') return { ok: true, value: truthy(a) ? 0 : 1 };
  if (typeof a !== 'number') return { ok: false, reason: `cannot apply '${op === 'neg' ? '-' : '~'}' to the address of a location` };
  return { ok: true, value: op === 'neg' ? -a : ~a };
}

export function truthy(v: Value): boolean {
  return isAddress(v) || v !== 0;
}

/**
 * Builds `left op right`, computing it at once when both sides are known
 * (an impossible operation is returned as an error). A few identities that
 * hold whatever a read returns are applied too (`v - v` is 0, `v + 0` is v),
 * so that address arithmetic such as `b + (r - r)` stays an address.
 */
export function binary(op: BinaryOperator, left: Term, right: Term): Term | { error: string } {
  if (isConst(left) && isConst(right)) {
    const r = applyBinary(op, left.value, right.value);
    return r.ok ? constant(r.value) : { error: r.reason };
  }
  if ((op === '-' || op === '^') && sameTerm(left, right)) return constant(0);
  if ((op === '==') && sameTerm(left, right)) return constant(1);
  if ((op === '!=') && sameTerm(left, right)) return constant(0);
  if ((op === '+' || op === '-' || op === '|' || op === '^') && isConst(right) && right.value === 0) return left;
  if ((op === '+' || op === '|' || op === '^') && isConst(left) && left.value === 0) return right;
  return { kind: 'binary', op, left, right };
}

export function unary(op: 'not' | 'neg' | 'complement', operand: Term): Term | { error: string } {
  if (isConst(operand)) {
    const r = applyUnary(op, operand.value);
    return r.ok ? constant(r.value) : { error: r.reason };
  }
  return { kind: op, operand };
}

/**
 * Evaluates a term, reading the values of reads from `reads` (by the read's
 * index in its run). Returns undefined when some read is not known yet, or
 * when an operation has no result.
 */
export function evaluate(t: Term, reads: (index: number) => Value | undefined): Value | undefined {
  switch (t.kind) {
    case 'const': return t.value;
    case 'read': return reads(t.index);
    case 'binary': {
      const a = evaluate(t.left, reads);
      if (a === undefined) return undefined;
      const b = evaluate(t.right, reads);
      if (b === undefined) return undefined;
      const r = applyBinary(t.op, a, b);
      return r.ok ? r.value : undefined;
    }
    default: {
      const a = evaluate(t.operand, reads);
      if (a === undefined) return undefined;
      const r = applyUnary(t.kind, a);
      return r.ok ? r.value : undefined;
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
