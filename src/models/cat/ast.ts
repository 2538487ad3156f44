/**
 * The syntax of herd7's model language (cat), as the kernel's model files
 * use it: `.cat` and `.bell` files are lists of instructions (definitions,
 * checks, enumerations), each built from expressions over sets and
 * relations of events.
 */

import type { Pos } from '../../litmus/ast.js';

export type { Pos };

/** `a | b`, `a ++ b`, `a ; b`, `a \ b`, `a & b`, `a * b`: the binary operators, loosest first. */
export type BinaryOp = '|' | '++' | ';' | '\\' | '&' | '*';

/** `r*`, `r+`, `r?`, `r^-1`, `~s`. */
export type UnaryOp = 'star' | 'plus' | 'opt' | 'inverse' | 'complement';

export type Expr =
  /** A name: a definition, a set or relation herd7 provides (`po`, `R`), a function. */
  | { readonly kind: 'name'; readonly name: string; readonly pos: Pos }
  /** `0`: the empty set or relation. */
  | { readonly kind: 'empty'; readonly pos: Pos }
  /** `_`: the universe (every event). */
  | { readonly kind: 'universe'; readonly pos: Pos }
  /** `'tag`: a tag of an enumeration. */
  | { readonly kind: 'tag'; readonly name: string; readonly pos: Pos }
  /** `"text"`: a variant's name, in `if "variant" then ...`. */
  | { readonly kind: 'string'; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly pos: Pos }
  /** `[S]`: the identity on a set. */
  | { readonly kind: 'identity'; readonly operand: Expr; readonly pos: Pos }
  /** `{a, b}`: an explicit set (of events, or of relations). */
  | { readonly kind: 'set'; readonly items: readonly Expr[]; readonly pos: Pos }
  /** `(a, b)`: a tuple, as arguments. */
  | { readonly kind: 'tuple'; readonly items: readonly Expr[]; readonly pos: Pos }
  /** `f(a)`, `f a`: applying a function. */
  | { readonly kind: 'apply'; readonly fn: Expr; readonly arg: Expr; readonly pos: Pos }
  /** `fun x -> e`, and `let f x = e` desugared to it. */
  | { readonly kind: 'fun'; readonly params: readonly string[]; readonly body: Expr; readonly pos: Pos }
  /** `let [rec] b and ... in e`. */
  | { readonly kind: 'let'; readonly rec: boolean; readonly bindings: readonly Binding[]; readonly body: Expr; readonly pos: Pos }
  /** `if "variant" then a else b`. */
  | { readonly kind: 'if'; readonly cond: Condition; readonly then: Expr; readonly otherwise: Expr; readonly pos: Pos }
  /** `try a with b`: a, or b when a fails (a name herd7 does not define, say). */
  | { readonly kind: 'try'; readonly body: Expr; readonly fallback: Expr; readonly pos: Pos };

export type Condition =
  | { readonly kind: 'variant'; readonly name: string; readonly pos: Pos }
  | { readonly kind: 'not'; readonly operand: Condition; readonly pos: Pos }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition; readonly pos: Pos };

export interface Binding {
  readonly name: string;
  readonly value: Expr;
  readonly pos: Pos;
}

export type CheckTest = 'acyclic' | 'irreflexive' | 'empty';

export type Instruction =
  | { readonly kind: 'let'; readonly rec: boolean; readonly bindings: readonly Binding[]; readonly pos: Pos }
  /** `[flag] [~]acyclic e [as name]`: an axiom, or (flag) a warning raised when the test fails. */
  | { readonly kind: 'check'; readonly test: CheckTest; readonly negated: boolean; readonly flag: boolean; readonly expr: Expr; readonly name: string | null; readonly pos: Pos }
  | { readonly kind: 'include'; readonly file: string; readonly pos: Pos }
  /** `with x from e`: x takes each element of the set e in turn (each a separate execution). */
  | { readonly kind: 'with'; readonly name: string; readonly from: Expr; readonly pos: Pos }
  /** `enum Name = 'a || 'b`. */
  | { readonly kind: 'enum'; readonly name: string; readonly tags: readonly string[]; readonly pos: Pos }
  /** `instructions R[Accesses]`: which events carry which enumeration's tags. */
  | { readonly kind: 'instructions'; readonly event: string; readonly enumName: string; readonly pos: Pos }
  /** `show a, b` / `show e as name` / `unshow a`: what graphs draw, nothing to check. */
  | { readonly kind: 'show'; readonly names: readonly string[]; readonly pos: Pos };

export interface CatFile {
  readonly file: string;
  /** The quoted title at the top, if any. */
  readonly title: string | null;
  readonly instructions: readonly Instruction[];
}

const UNARY_TEXT: Record<UnaryOp, string> = { star: '*', plus: '+', opt: '?', inverse: '^-1', complement: '~' };

/** An expression written out with every operation in parentheses: how it was grouped, for messages and tests. */
export function showExpr(e: Expr): string {
  switch (e.kind) {
    case 'name': return e.name;
    case 'empty': return '0';
    case 'universe': return '_';
    case 'tag': return `'${e.name}`;
    case 'string': return `"${e.value}"`;
    case 'binary': return `(${showExpr(e.left)} ${e.op} ${showExpr(e.right)})`;
    case 'unary': return e.op === 'complement' ? `(~${showExpr(e.operand)})` : `(${showExpr(e.operand)}${UNARY_TEXT[e.op]})`;
    case 'identity': return `[${showExpr(e.operand)}]`;
    case 'set': return `{${e.items.map(showExpr).join(', ')}}`;
    case 'tuple': return `(${e.items.map(showExpr).join(', ')})`;
    case 'apply': return `${showExpr(e.fn)}(${showExpr(e.arg)})`;
    case 'fun': return `(fun ${e.params.join(' ')} -> ${showExpr(e.body)})`;
    case 'let': return `(let ${e.rec ? 'rec ' : ''}${e.bindings.map((b) => `${b.name} = ${showExpr(b.value)}`).join(' and ')} in ${showExpr(e.body)})`;
    case 'if': return `(if ${showCondition(e.cond)} then ${showExpr(e.then)} else ${showExpr(e.otherwise)})`;
    case 'try': return `(try ${showExpr(e.body)} with ${showExpr(e.fallback)})`;
  }
}

function showCondition(c: Condition): string {
  switch (c.kind) {
    case 'variant': return `"${c.name}"`;
    case 'not': return `not ${showCondition(c.operand)}`;
    case 'and': return `(${showCondition(c.left)} & ${showCondition(c.right)})`;
    case 'or': return `(${showCondition(c.left)} || ${showCondition(c.right)})`;
  }
}
