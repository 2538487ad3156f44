/**
 * The abstract syntax of a C litmus test in herd7's format.
 *
 * The parser produces this tree and nothing else; giving meaning to the
 * names in it (which calls are primitives, which identifiers are registers
 * and which are shared locations) is the job of `src/events/`.
 * Every node carries the position where it starts, so that later stages can
 * report errors as `file:line:col`.
 */

/** A position in the source text: 1-based line and column, 0-based offset. */
export interface Pos {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

// ---------------------------------------------------------------------------
// Thread code (a small subset of C)
// ---------------------------------------------------------------------------

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '&' | '|' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||';

export type UnaryOp = '!' | '-' | '~';

export type Expr =
  | { readonly kind: 'int'; readonly value: number; readonly pos: Pos }
  /** An identifier: a register, a parameter (location), or a location name. */
  | { readonly kind: 'name'; readonly name: string; readonly pos: Pos }
  /** `*e`: a plain memory access through the address `e`. */
  | { readonly kind: 'deref'; readonly address: Expr; readonly pos: Pos }
  /** `&e`: the address of a location (`&x`, `&*p`). */
  | { readonly kind: 'addressOf'; readonly target: Expr; readonly pos: Pos }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly pos: Pos }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  /** `c ? a : b` */
  | { readonly kind: 'conditional'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr; readonly pos: Pos }
  /** A call of a macro or function: `READ_ONCE(*x)`, `smp_mb()`, ... */
  | { readonly kind: 'call'; readonly callee: string; readonly calleePos: Pos; readonly args: readonly Expr[]; readonly pos: Pos };

/** A C type as written, normalised to single spaces: `int`, `int *`, `spinlock_t *`, `struct srcu_struct *`. */
export interface TypeName {
  readonly text: string;
  readonly pos: Pos;
}

export type Stmt =
  /** `int r0;` or `int r0 = e;` (also several declarators: `int r0, r1;` become several decls). */
  | { readonly kind: 'decl'; readonly type: TypeName; readonly name: string; readonly init: Expr | null; readonly pos: Pos }
  /** `lhs = e;` where lhs is a name (register) or a dereference (`*x = e`). */
  | { readonly kind: 'assign'; readonly target: Expr; readonly value: Expr; readonly pos: Pos }
  /** An expression used as a statement, usually a call: `smp_mb();` */
  | { readonly kind: 'expr'; readonly expr: Expr; readonly pos: Pos }
  | { readonly kind: 'if'; readonly test: Expr; readonly then: Stmt; readonly otherwise: Stmt | null; readonly pos: Pos }
  | { readonly kind: 'block'; readonly body: readonly Stmt[]; readonly pos: Pos }
  /** `;` alone. */
  | { readonly kind: 'empty'; readonly pos: Pos };

export interface Param {
  readonly type: TypeName;
  readonly name: string;
  readonly pos: Pos;
}

export interface ThreadCode {
  /** The number in `P3`. */
  readonly id: number;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly pos: Pos;
}

// ---------------------------------------------------------------------------
// Initial state
// ---------------------------------------------------------------------------

/** A value in the initial state or a condition: an integer or the address of a location. */
export type ValueLit =
  | { readonly kind: 'int'; readonly value: number; readonly pos: Pos }
  | { readonly kind: 'address'; readonly location: string; readonly pos: Pos };

export type InitEntry =
  /**
   * `x=1;`, `int x=1;`, `[x]=1;`, `int *p=&x;`, `int *p=x;`, `atomic_t z = ATOMIC_INIT(1);`,
   * or `int x;` (value null). A lone `*` (`*p=&x;`) is herd7's default pointer type, given as `int *`.
   */
  | { readonly kind: 'location'; readonly type: TypeName | null; readonly location: string; readonly value: ValueLit | null; readonly pos: Pos }
  /** `0:r1=1;`, `P0:r1=&z;`, `int 0:r1 = z;` */
  | { readonly kind: 'register'; readonly type: TypeName | null; readonly thread: number; readonly register: string; readonly value: ValueLit; readonly pos: Pos };

// ---------------------------------------------------------------------------
// Final condition
// ---------------------------------------------------------------------------

/** An operand of a condition atom. */
export type CondTerm =
  /** `1:r0` (also written `P1:r0`, and `*1:r0` on the right of `=`) */
  | { readonly kind: 'register'; readonly thread: number; readonly register: string; readonly pos: Pos }
  /** `x` or `[x]` on the left of `=`, or `[x]` or `*x` on the right: the final contents of a location. */
  | { readonly kind: 'location'; readonly location: string; readonly pos: Pos }
  /** An integer, or on the right of `=` a bare name: the address of that location. */
  | { readonly kind: 'value'; readonly value: ValueLit; readonly pos: Pos };

export type Prop =
  | { readonly kind: 'true'; readonly pos: Pos }
  | { readonly kind: 'false'; readonly pos: Pos }
  | { readonly kind: 'not'; readonly operand: Prop; readonly pos: Pos }
  | { readonly kind: 'and'; readonly left: Prop; readonly right: Prop; readonly pos: Pos }
  | { readonly kind: 'or'; readonly left: Prop; readonly right: Prop; readonly pos: Pos }
  | { readonly kind: 'implies'; readonly left: Prop; readonly right: Prop; readonly pos: Pos }
  /** `a = b` (also written `==`) or `a != b` (also `<>`). */
  | { readonly kind: 'atom'; readonly op: '=' | '!='; readonly left: CondTerm; readonly right: CondTerm; readonly pos: Pos };

/** herd7's `final` and `observed` forms are read as `exists`, and `not exists` as `~exists`. */
export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Prop;
  readonly pos: Pos;
}

// ---------------------------------------------------------------------------
// The whole test
// ---------------------------------------------------------------------------

export interface LitmusTest {
  /** The name after `C` on the first line. */
  readonly name: string;
  /** The optional quoted doc string after the name. */
  readonly doc: string | null;
  /** Text of the `(* ... *)` comments between the name and the initial state, in order. */
  readonly comments: readonly string[];
  readonly init: readonly InitEntry[];
  readonly threads: readonly ThreadCode[];
  /** `locations [...]`: extra observed registers and locations, in the order written. */
  readonly locations: readonly CondTerm[];
  readonly filter: Prop | null;
  /** The final condition; when a test has none, herd7 assumes `forall (true)`, and so does the parser (placed where the condition would be). */
  readonly condition: Condition;
  /** The file name the test was read from, used in error messages. */
  readonly file: string;
}
