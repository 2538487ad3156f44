/**
 * Evaluating cat expressions over the relation algebra: the core of running
 * a model file. A value is a set of events, a relation, a tag, a set of
 * values (`{a, b}`, what `map` and `cross` work on), a tuple, a string or a
 * function. The names an expression reads come from an environment: the
 * host provides the candidate's sets and relations (`po`, `rf`, `R`, ...)
 * and functions (`domain`, `fencerel`, ...); `let` adds definitions, and
 * `let rec` computes the fixed point of its bindings by iterating
 * from the empty relation until nothing changes.
 */

import { EventSet, Relation } from '../../relations/algebra.js';
import type { Binding, Condition, Expr, Pos } from './ast.js';
import { CatError } from './parser.js';

export type CatValue =
  | EventSet
  | Relation
  /** `0` before it meets an operand that tells whether it is a set or a relation. */
  | { readonly kind: 'empty' }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'values'; readonly items: readonly CatValue[] }
  | { readonly kind: 'tuple'; readonly items: readonly CatValue[] }
  | { readonly kind: 'string'; readonly value: string }
  | CatChoices
  | CatFunction;

/**
 * What `with x from S` ranges over when S is too large to list (every
 * coherence order; one edge from each of several sets): the choice that a
 * given candidate execution made, picked from its rf and co, or null when
 * the candidate made none of them.
 */
export interface CatChoices {
  readonly kind: 'choices';
  /** `partial`: the execution's rf and co are still being chosen (see `Candidate.partial`): a choice may be missing. */
  readonly pick: (rf: Relation, co: Relation, partial: boolean) => Relation | null;
  /**
   * Set when there is only one choice, known without the candidate: that
   * relation, or null for the empty one (herd7's `cross` of no sets).
   */
  readonly fixed?: Relation | null;
}

export interface CatFunction {
  readonly kind: 'function';
  readonly arity: number;
  readonly call: (args: readonly CatValue[], pos: Pos) => CatValue;
}

/** Names in scope, innermost first; the outermost may look names up elsewhere (a model's definitions). */
export class Scope {
  /** Made on the first `set`: most scopes (a definition's, read through `outer`) never hold a name. */
  private values: Map<string, CatValue> | null = null;

  constructor(
    private readonly parent: Scope | null = null,
    private readonly outer?: (name: string) => CatValue | undefined,
  ) {}

  get(name: string): CatValue | undefined {
    return this.values?.get(name) ?? (this.parent ? this.parent.get(name) : this.outer?.(name));
  }

  set(name: string, value: CatValue): void {
    (this.values ??= new Map()).set(name, value);
  }
}

export interface EvaluationContext {
  readonly file: string;
  /** How many events the relations are over. */
  readonly n: number;
  /** The variants asked for (`if "lkmmv2" then ...`). */
  readonly variants: ReadonlySet<string>;
  /** Sub-expressions whose values are remembered while they cannot change (see `Memo`). */
  readonly memo?: Memo;
}

/**
 * Values of sub-expressions that are known not to change while the memo
 * lives: those that read the skeleton alone (a memo per skeleton), or, while
 * a recursive definition is iterated, those that do not read it.
 */
export interface Memo {
  readonly kept: ReadonlySet<Expr>;
  readonly values: Map<Expr, CatValue>;
}

const EMPTY: CatValue = { kind: 'empty' };

/** The most rounds a recursive definition is iterated: it grows every round, so n * n rounds always suffice. */
const roundsFor = (n: number): number => n * n + 2;

export function evaluate(e: Expr, scope: Scope, ctx: EvaluationContext): CatValue {
  const memo = ctx.memo;
  if (memo === undefined || !memo.kept.has(e)) return evaluateNode(e, scope, ctx);
  const known = memo.values.get(e);
  if (known !== undefined) return known;
  const v = evaluateNode(e, scope, ctx);
  memo.values.set(e, v);
  return v;
}

function evaluateNode(e: Expr, scope: Scope, ctx: EvaluationContext): CatValue {
  const fail = (pos: Pos, reason: string): never => {
    throw new CatError(ctx.file, pos, reason);
  };
  const asSet = (v: CatValue, pos: Pos, what: string): EventSet => {
    if (v instanceof EventSet) return v;
    if (isEmpty(v)) return EventSet.empty(ctx.n);
    // `{e}`, e an event: a set written out from events.
    if (!(v instanceof Relation) && v.kind === 'values' && v.items.every((x) => x instanceof EventSet)) return v.items.reduce<EventSet>((a, x) => a.union(x as EventSet), EventSet.empty(ctx.n));
    return fail(pos, `${what} must be a set of events, not ${describe(v)}`);
  };
  const asRelation = (v: CatValue, pos: Pos, what: string): Relation => {
    if (v instanceof Relation) return v;
    if (isEmpty(v)) return Relation.empty(ctx.n);
    return fail(pos, `${what} must be a relation, not ${describe(v)}`);
  };
  switch (e.kind) {
    case 'name': {
      const v = scope.get(e.name);
      return v ?? fail(e.pos, `'${e.name}' is not defined`);
    }
    case 'empty': return EMPTY;
    case 'universe': return EventSet.all(ctx.n);
    case 'tag': return { kind: 'tag', name: e.name };
    case 'string': return { kind: 'string', value: e.value };
    case 'tuple': return { kind: 'tuple', items: e.items.map((x) => evaluate(x, scope, ctx)) };
    case 'set': return { kind: 'values', items: e.items.map((x) => evaluate(x, scope, ctx)) };
    case 'identity': return Relation.identity(asSet(evaluate(e.operand, scope, ctx), e.operand.pos, 'what [ ] holds'));
    case 'unary': {
      const v = evaluate(e.operand, scope, ctx);
      if (e.op === 'complement') return v instanceof Relation ? Relation.where(ctx.n, (i, j) => !v.has(i, j)) : asSet(v, e.pos, "the operand of '~'").complement();
      const r = asRelation(v, e.pos, `the operand of '${e.op === 'inverse' ? '^-1' : e.op === 'star' ? '*' : e.op === 'plus' ? '+' : '?'}'`);
      switch (e.op) {
        case 'star': return r.star();
        case 'plus': return r.plus();
        case 'opt': return r.opt();
        case 'inverse': return r.inverse();
      }
    }
    case 'binary': {
      // `[S] ; r` and `r ; [S]` restrict r, with no identity relation built.
      if (e.op === ';' && e.left.kind === 'identity') {
        const s = asSet(evaluate(e.left.operand, scope, ctx), e.left.operand.pos, 'what [ ] holds');
        if (s.isEmpty()) return Relation.empty(ctx.n);
        return asRelation(evaluate(e.right, scope, ctx), e.right.pos, "the right of ';'").restrictDomain(s);
      }
      if (e.op === ';' && e.right.kind === 'identity') {
        const s = asSet(evaluate(e.right.operand, scope, ctx), e.right.operand.pos, 'what [ ] holds');
        if (s.isEmpty()) return Relation.empty(ctx.n);
        return asRelation(evaluate(e.left, scope, ctx), e.left.pos, "the left of ';'").restrictRange(s);
      }
      // A right side already remembered (it reads the skeleton alone) is looked at first: empty, it decides.
      if ((e.op === ';' || e.op === '&' || e.op === '*') && ctx.memo?.values.has(e.right) === true && isEmptyValue(ctx.memo.values.get(e.right)!)) {
        return e.op === '&' ? ctx.memo.values.get(e.right)! : Relation.empty(ctx.n);
      }
      const a = evaluate(e.left, scope, ctx);
      // An empty left side of '&', ';', '\\' or '*' decides the result: the right side is not computed, so a
      // value that an empty set of events cuts off (data races without plain accesses, SRCU without
      // srcu_read_lock()) depends on the skeleton alone, and is computed once per skeleton.
      if (e.op !== '|' && e.op !== '++' && isEmptyValue(a)) return e.op === ';' || e.op === '*' ? Relation.empty(ctx.n) : a;
      const b = evaluate(e.right, scope, ctx);
      switch (e.op) {
        case '|': case '&': case '\\': return setOperation(e.op, a, b, e.pos, ctx, fail);
        case ';': return asRelation(a, e.left.pos, "the left of ';'").seq(asRelation(b, e.right.pos, "the right of ';'"));
        case '*': return Relation.product(asSet(a, e.left.pos, "the left of '*'"), asSet(b, e.right.pos, "the right of '*'"));
        case '++': return addElement(a, b, e.pos, ctx, fail);
      }
    }
    case 'apply': {
      const fn = evaluate(e.fn, scope, ctx);
      if (typeof fn !== 'object' || !('kind' in fn) || fn.kind !== 'function') return fail(e.pos, `only a function can be applied, not ${describe(fn)}`);
      const arg = evaluate(e.arg, scope, ctx);
      const args = fn.arity > 1 && 'kind' in arg && arg.kind === 'tuple' ? arg.items : [arg];
      // `map f s`: applied to one argument at a time, a function of several waits for the rest.
      if (args.length === 1 && fn.arity > 1) return partial(fn, args);
      if (args.length !== fn.arity) return fail(e.pos, `this function takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}, not ${args.length}`);
      return fn.call(args, e.pos);
    }
    case 'fun': return closure(e.params, e.body, scope, ctx);
    case 'let': {
      const inner = new Scope(scope);
      bind(e.rec, e.bindings, inner, ctx);
      return evaluate(e.body, inner, ctx);
    }
    case 'if': return evaluate(holds(e.cond, ctx) ? e.then : e.otherwise, scope, ctx);
    case 'try':
      try {
        return evaluate(e.body, scope, ctx);
      } catch (err) {
        if (!(err instanceof CatError)) throw err;
        return evaluate(e.fallback, scope, ctx);
      }
  }
}

/** Adds definitions to a scope; recursive ones as the fixed point of all of them together, reached from empty (the least one, when they grow with what they read). */
export function bind(rec: boolean, bindings: readonly Binding[], scope: Scope, ctx: EvaluationContext): void {
  if (!rec) {
    // Non-recursive: each binding is evaluated in the scope as it was (a later binding of `and` does not see an earlier one).
    const values = bindings.map((b) => evaluate(b.value, scope, ctx));
    bindings.forEach((b, i) => scope.set(b.name, values[i]!));
    return;
  }
  for (const b of bindings) scope.set(b.name, b.value.kind === 'fun' ? evaluate(b.value, scope, ctx) : EMPTY);
  const data = bindings.filter((b) => b.value.kind !== 'fun');
  // What does not read the definitions being iterated is computed in the first round only.
  const rounds: EvaluationContext = { ...ctx, memo: { kept: invariantParts(bindings), values: new Map() } };
  // One relation defined as a union of sequences through itself: only what each round adds is carried on.
  if (data.length === 1 && bindings.length === 1) {
    const plan = chainsOf(data[0]!);
    if (plan && semiNaive(data[0]!.name, plan, scope, rounds)) return;
  }
  // Each round evaluates the bindings in order, each seeing the values the round has already produced (as
  // herd7 does): a definition that is not monotone, such as the bell's matching of nested rcu_read_lock()
  // by `\`, depends on it.
  for (let round = 0; round < roundsFor(ctx.n); round++) {
    let stable = true;
    for (const b of data) {
      const v = evaluate(b.value, scope, rounds);
      if (stable && !sameValue(v, scope.get(b.name)!)) stable = false;
      scope.set(b.name, v);
    }
    if (stable) return;
  }
  throw new CatError(ctx.file, bindings[0]!.pos, `the recursive definition of '${bindings[0]!.name}' does not settle`, 'iterating from empty settles when the definitions grow with what they read (no \\ or ~ of themselves)');
}

/** A term of a recursive relation's union: a sequence of factors, each the relation itself or not reading it, then `& c` (c not reading it). */
interface Chain {
  /** Per factor: null where the relation itself stands, the expression otherwise. */
  readonly factors: readonly (Expr | null)[];
  readonly within: Expr | null;
}

const plans = new WeakMap<Binding, readonly Chain[] | null>();

/**
 * The terms of `x = t1 | t2 | ...` as chains (see `Chain`), or null when
 * some term is of another form (then the plain iteration is used). Such a
 * definition grows with x, so its least fixed point is what the iteration
 * from empty reaches.
 */
function chainsOf(b: Binding): readonly Chain[] | null {
  if (plans.has(b)) return plans.get(b)!;
  const mentions = (e: Expr): boolean => {
    let found = false;
    const visit = (x: Expr): void => {
      if (found) return;
      switch (x.kind) {
        case 'name': found = x.name === b.name; return;
        case 'binary': visit(x.left); visit(x.right); return;
        case 'unary': case 'identity': visit(x.operand); return;
        case 'set': case 'tuple': x.items.forEach(visit); return;
        case 'apply': visit(x.fn); visit(x.arg); return;
        case 'empty': case 'universe': case 'tag': case 'string': return;
        // A construct that binds names: assume it reads x.
        default: found = true;
      }
    };
    visit(e);
    return found;
  };
  const terms: Expr[] = [];
  const flatten = (e: Expr): void => {
    if (e.kind === 'binary' && e.op === '|') {
      flatten(e.left);
      flatten(e.right);
    } else terms.push(e);
  };
  flatten(b.value);
  const chains: Chain[] = [];
  for (const t of terms) {
    let body = t;
    let within: Expr | null = null;
    if (t.kind === 'binary' && t.op === '&' && mentions(t.left) && !mentions(t.right)) {
      body = t.left;
      within = t.right;
    }
    const factors: Expr[] = [];
    const sequence = (e: Expr): void => {
      if (e.kind === 'binary' && e.op === ';') {
        sequence(e.left);
        sequence(e.right);
      } else factors.push(e);
    };
    sequence(body);
    const ok = factors.every((f) => (f.kind === 'name' && f.name === b.name) || !mentions(f));
    if (!ok) {
      plans.set(b, null);
      return null;
    }
    chains.push({ factors: factors.map((f) => (f.kind === 'name' && f.name === b.name ? null : f)), within });
  }
  plans.set(b, chains);
  return chains;
}

/**
 * The least fixed point of a union of chains, semi-naively: each round
 * computes only the pairs that go through at least one pair the previous
 * round added (the factors before it read the relation as it is now, those
 * after it as it was), so a pair is never derived twice from the same
 * ones. False when a factor is not a relation (the caller iterates then).
 */
function semiNaive(name: string, chains: readonly Chain[], scope: Scope, ctx: EvaluationContext): boolean {
  const n = ctx.n;
  // Factors are computed when a product reaches them (a product already empty goes no further), once each.
  const values = new Map<Expr, Relation>();
  const valueOf = (f: Expr): Relation => {
    let v = values.get(f);
    if (v === undefined) {
      const computed = evaluate(f, scope, ctx);
      if (computed instanceof Relation) v = computed;
      else if (isEmptyValue(computed)) v = Relation.empty(n);
      else throw new NotChains();
      values.set(f, v);
    }
    return v;
  };
  /** The product of a chain's factors, the relation's own positions given by `own`; empty as soon as a prefix is. */
  const product = (c: Chain, own: (k: number) => Relation): Relation => {
    let r: Relation | null = null;
    for (let k = 0; k < c.factors.length; k++) {
      const f = c.factors[k]!;
      const factor = f === null ? own(k) : valueOf(f);
      r = r === null ? factor : r.seq(factor);
      if (r.isEmpty()) return r;
    }
    return c.within ? r!.inter(valueOf(c.within)) : r!;
  };
  try {
    // Round one: the chains that do not go through the relation (it is empty).
    let current = Relation.empty(n);
    for (const c of chains) if (!c.factors.includes(null)) current = current.union(product(c, () => current));
    let added = current;
    let before = Relation.empty(n);
    while (!added.isEmpty()) {
      let next = current;
      for (const c of chains) {
        c.factors.forEach((f, at) => {
          // Through a new pair at this position: the relation as it is now before it, as it was after it.
          if (f === null) next = next.union(product(c, (k) => (k === at ? added : k < at ? current : before)));
        });
      }
      before = current;
      added = next.diff(current);
      current = next;
    }
    scope.set(name, current);
    return true;
  } catch (e) {
    if (e instanceof NotChains) return false;
    throw e;
  }
}

/** A factor of a chain turned out not to be a relation: the plain iteration takes over. */
class NotChains extends Error {}

const invariants = new WeakMap<readonly Binding[], ReadonlySet<Expr>>();

/**
 * The sub-expressions of recursive bindings worth remembering across
 * rounds: operations (not bare names) none of whose free names is one of
 * the bindings, or bound inside them (a parameter, a local `let`).
 */
function invariantParts(bindings: readonly Binding[]): ReadonlySet<Expr> {
  let kept = invariants.get(bindings);
  if (kept) return kept;
  const found = new Set<Expr>();
  const visit = (e: Expr, unstable: ReadonlySet<string>): boolean => {
    // Returns whether e reads an unstable name.
    let reads = false;
    const sub = (x: Expr, names = unstable): void => {
      if (visit(x, names)) reads = true;
    };
    switch (e.kind) {
      case 'name': return unstable.has(e.name);
      case 'empty': case 'universe': case 'tag': case 'string': return false;
      case 'binary': sub(e.left); sub(e.right); break;
      case 'unary': case 'identity': sub(e.operand); break;
      case 'set': case 'tuple': e.items.forEach((x) => sub(x)); break;
      case 'apply': sub(e.fn); sub(e.arg); break;
      case 'fun': sub(e.body, new Set([...unstable, ...e.params])); break;
      case 'let': {
        const inner = new Set([...unstable, ...e.bindings.map((b) => b.name)]);
        e.bindings.forEach((b) => sub(b.value, inner));
        sub(e.body, inner);
        break;
      }
      case 'if': sub(e.then); sub(e.otherwise); break;
      case 'try': sub(e.body); sub(e.fallback); break;
    }
    if (!reads && (e.kind === 'binary' || e.kind === 'unary' || e.kind === 'identity' || e.kind === 'apply')) found.add(e);
    return reads;
  };
  const names = new Set(bindings.map((b) => b.name));
  for (const b of bindings) visit(b.value, names);
  kept = found;
  invariants.set(bindings, kept);
  return kept;
}

function partial(fn: CatFunction, given: readonly CatValue[]): CatFunction {
  return {
    kind: 'function',
    arity: fn.arity - given.length,
    call: (rest, pos) => fn.call([...given, ...rest], pos),
  };
}

function closure(params: readonly string[], body: Expr, scope: Scope, ctx: EvaluationContext): CatFunction {
  return {
    kind: 'function',
    arity: Math.max(1, params.length),
    call: (args) => {
      const inner = new Scope(scope);
      params.forEach((p, i) => inner.set(p, args[i]!));
      return evaluate(body, inner, ctx);
    },
  };
}

function holds(c: Condition, ctx: EvaluationContext): boolean {
  switch (c.kind) {
    case 'variant': return ctx.variants.has(c.name);
    case 'not': return !holds(c.operand, ctx);
    case 'and': return holds(c.left, ctx) && holds(c.right, ctx);
    case 'or': return holds(c.left, ctx) || holds(c.right, ctx);
  }
}

/** Whether a value is the empty set or relation (or `0`). */
export function isEmptyValue(v: CatValue): boolean {
  return v instanceof Relation || v instanceof EventSet ? v.isEmpty() : v.kind === 'empty';
}

function isEmpty(v: CatValue): boolean {
  return typeof v === 'object' && !(v instanceof EventSet) && !(v instanceof Relation) && v.kind === 'empty';
}

/** What relations and sets of events have alike. */
interface Combinable<T> {
  isEmpty(): boolean;
  union(o: T): T;
  inter(o: T): T;
  diff(o: T): T;
}

/** `x | y`, `x & y`, `x \\ y`; with an empty operand, one of them as it is (nothing to build). */
function combine<T extends Combinable<T>>(op: '|' | '&' | '\\', x: T, y: T): T {
  if (y.isEmpty()) return op === '&' ? y : x;
  if (x.isEmpty()) return op === '|' ? y : x;
  return op === '|' ? x.union(y) : op === '&' ? x.inter(y) : x.diff(y);
}

export function setOperation(op: '|' | '&' | '\\', a: CatValue, b: CatValue, pos: Pos, ctx: EvaluationContext, fail: (pos: Pos, reason: string) => never): CatValue {
  if (isEmpty(a) && isEmpty(b)) return a;
  if (a instanceof Relation || b instanceof Relation) {
    const x = a instanceof Relation ? a : isEmpty(a) ? Relation.empty(ctx.n) : null;
    const y = b instanceof Relation ? b : isEmpty(b) ? Relation.empty(ctx.n) : null;
    if (!x || !y) return fail(pos, `'${op}' needs two relations or two sets, not ${describe(a)} and ${describe(b)}`);
    return combine(op, x, y);
  }
  if (a instanceof EventSet || b instanceof EventSet) {
    const x = a instanceof EventSet ? a : isEmpty(a) ? EventSet.empty(ctx.n) : null;
    const y = b instanceof EventSet ? b : isEmpty(b) ? EventSet.empty(ctx.n) : null;
    if (!x || !y) return fail(pos, `'${op}' needs two relations or two sets, not ${describe(a)} and ${describe(b)}`);
    return combine(op, x, y);
  }
  const items = (v: CatValue): readonly CatValue[] | null => (isEmpty(v) ? [] : 'kind' in v && v.kind === 'values' ? v.items : null);
  const x = items(a);
  const y = items(b);
  if (!x || !y) return fail(pos, `'${op}' needs two relations or two sets, not ${describe(a)} and ${describe(b)}`);
  const inY = (v: CatValue): boolean => y.some((w) => sameValue(v, w));
  if (op === '|') return { kind: 'values', items: [...x, ...y.filter((w) => !x.some((v) => sameValue(v, w)))] };
  return { kind: 'values', items: x.filter((v) => (op === '&' ? inY(v) : !inY(v))) };
}

/** `e ++ s`: s with e added; a pair of events (a tuple) added to a relation. */
export function addElement(e: CatValue, s: CatValue, pos: Pos, ctx: EvaluationContext, fail: (pos: Pos, reason: string) => never): CatValue {
  if ('kind' in e && e.kind === 'tuple' && e.items.length === 2 && (s instanceof Relation || isEmpty(s))) {
    const [from, to] = e.items.map((x) => (x instanceof EventSet && x.size() === 1 ? x.toArray()[0]! : null));
    if (from === null || to === null || from === undefined || to === undefined) return fail(pos, 'a pair added to a relation must hold two single events');
    return (s instanceof Relation ? s : Relation.empty(ctx.n)).union(Relation.fromPairs(ctx.n, [[from, to]]));
  }
  if (isEmpty(s)) return { kind: 'values', items: [e] };
  if ('kind' in s && s.kind === 'values') return { kind: 'values', items: s.items.some((v) => sameValue(v, e)) ? s.items : [...s.items, e] };
  return fail(pos, `'++' adds to a set of values, not to ${describe(s)}`);
}

/** Whether two values are equal (for fixed points and sets of values). */
export function sameValue(a: CatValue, b: CatValue): boolean {
  if (a instanceof Relation) return b instanceof Relation ? a.equals(b) : isEmpty(b) && a.isEmpty();
  if (a instanceof EventSet) return b instanceof EventSet ? a.words.every((w, k) => w === b.words[k]) : isEmpty(b) && a.isEmpty();
  if (isEmpty(a)) return isEmpty(b) || ((b instanceof Relation || b instanceof EventSet) && b.isEmpty());
  if (b instanceof Relation || b instanceof EventSet) return false;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'tag': return a.name === (b as { name: string }).name;
    case 'string': return a.value === (b as { value: string }).value;
    case 'values': {
      // Sets: the same members, in any order.
      const items = (b as { items: readonly CatValue[] }).items;
      return a.items.length === items.length && a.items.every((v) => items.some((w) => sameValue(v, w)));
    }
    case 'tuple': {
      const items = (b as { items: readonly CatValue[] }).items;
      return a.items.length === items.length && a.items.every((v, i) => sameValue(v, items[i]!));
    }
    default: return a === b;
  }
}

/** What a value is, for messages. */
export function describe(v: CatValue): string {
  if (v instanceof Relation) return 'a relation';
  if (v instanceof EventSet) return 'a set of events';
  switch (v.kind) {
    case 'empty': return 'the empty set';
    case 'tag': return `the tag '${v.name}`;
    case 'values': return 'a set of values';
    case 'tuple': return 'a tuple';
    case 'string': return 'a string';
    case 'choices': return 'a set of choices';
    case 'function': return 'a function';
  }
}
