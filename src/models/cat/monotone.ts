/**
 * Which of a cat model's definitions grow with rf and co, read from the
 * model's text: what lets the enumeration prune a partial execution that
 * already breaks an axiom (see `MemoryModel.monotone`).
 *
 * Each expression is classed as constant (it reads the skeleton alone),
 * monotone (adding rf or co edges can only add to it), or unknown, and
 * marked when it is always empty. Union, intersection, sequence, closures,
 * inverse, products, `[S]`, domain and range keep monotonicity; `a \ b` is
 * monotone when b is constant; `singlestep` of an order that grows (a
 * closure, co) is monotone, as the host computes it on partial executions;
 * complement and `different-values` of anything but a constant are
 * unknown, and so is a `with` choice among anything but coherence orders
 * or one member of each of some sets the skeleton fixes.
 *
 * The analysis can assume some of the host's sets empty: with the lock
 * events empty, the kernel's lock.cat reduces to rf and co as they are,
 * and the model is monotone on every skeleton without locks.
 */

import type { Expr } from './ast.js';
import type { Bound, DefinitionRef, Names } from './compile.js';

export const enum Growth {
  Constant = 0,
  Monotone = 1,
  Unknown = 2,
}

export interface Shape {
  readonly growth: Growth;
  /** Always empty, under the analysis's assumptions. */
  readonly empty: boolean;
}

export const CONSTANT: Shape = { growth: Growth.Constant, empty: false };
export const EMPTY: Shape = { growth: Growth.Constant, empty: true };
export const MONOTONE: Shape = { growth: Growth.Monotone, empty: false };
const UNKNOWN: Shape = { growth: Growth.Unknown, empty: false };

/** What the host's names are: constant, monotone, or (assumed) empty. */
export interface HostShapes {
  readonly definition: (ref: DefinitionRef) => Shape | null;
  /** A `with` definition: its shape from what it chooses among. */
  readonly choice: (ref: DefinitionRef) => { expr: Expr; names: Names } | null;
  /** A definition made from an expression: the expression and the names it read. */
  readonly source: (ref: DefinitionRef) => { expr: Expr; names: Names } | null;
  /** Whether a host definition is an order (co): transitive whatever the candidate. */
  readonly isOrder: (ref: DefinitionRef) => boolean;
  /** Variants asked for: `if "v"` takes its branch at once. */
  readonly variants: ReadonlySet<string>;
}

const join = (...shapes: Shape[]): Growth => Math.max(...shapes.map((s) => s.growth)) as Growth;

export class GrowthAnalysis {
  private readonly memo = new Map<DefinitionRef, Shape>();
  /** How deep in function bodies the analysis is (a recursive function is given up on). */
  private depth = 0;

  constructor(private readonly host: HostShapes) {}

  /** The shape of a definition's value. */
  definition(ref: DefinitionRef): Shape {
    const known = this.memo.get(ref);
    if (known) return known;
    // A definition met again while it is being analysed (a recursive group): assume it monotone, as its fixed point is when its body is.
    this.memo.set(ref, MONOTONE);
    const shape = this.compute(ref);
    this.memo.set(ref, shape);
    return shape;
  }

  private compute(ref: DefinitionRef): Shape {
    const fixed = this.host.definition(ref);
    if (fixed) return fixed;
    const choice = this.host.choice(ref);
    if (choice) {
      const from = choice.expr;
      if (from.kind === 'apply' && from.fn.kind === 'name' && from.fn.name === 'coherence-orders') return MONOTONE;
      if (from.kind === 'apply' && from.fn.kind === 'name' && from.fn.name === 'cross') {
        // One choice per set, the sets fixed by the skeleton: a partial execution holds some of its choice (see cross in host.ts).
        const factors = this.expr(from.arg, choice.names, new Map());
        return factors.empty ? EMPTY : factors.growth === Growth.Constant ? MONOTONE : UNKNOWN;
      }
      return UNKNOWN;
    }
    const source = this.host.source(ref);
    return source ? this.expr(source.expr, source.names, new Map()) : UNKNOWN;
  }

  /** The shape found for each sub-expression of a definition (not those inside functions or `let ... in`). */
  readonly shapes = new Map<Expr, Shape>();

  /** The shape of an expression, names read from `names` and `locals` (parameters and `let ... in`). */
  expr(e: Expr, names: Names, locals: ReadonlyMap<string, Shape>): Shape {
    const shape = this.shapeOf(e, names, locals);
    if (locals.size === 0) this.shapes.set(e, shape);
    return shape;
  }

  private shapeOf(e: Expr, names: Names, locals: ReadonlyMap<string, Shape>): Shape {
    const sub = (x: Expr): Shape => this.expr(x, names, locals);
    switch (e.kind) {
      case 'name': {
        const local = locals.get(e.name);
        if (local) return local;
        return this.bound(names.get(e.name));
      }
      case 'empty': return EMPTY;
      case 'universe': case 'tag': case 'string': case 'fun': return CONSTANT;
      case 'set': case 'tuple': {
        const items = e.items.map(sub);
        return { growth: items.length === 0 ? Growth.Constant : join(...items), empty: items.every((s) => s.empty) };
      }
      case 'identity': return sub(e.operand);
      case 'unary': {
        const s = sub(e.operand);
        switch (e.op) {
          case 'complement': return s.growth === Growth.Constant ? CONSTANT : UNKNOWN;
          case 'star': case 'opt': return { growth: s.growth, empty: false };
          case 'plus': case 'inverse': return s;
        }
      }
      // eslint-disable-next-line no-fallthrough
      case 'binary': {
        const a = sub(e.left);
        const b = sub(e.right);
        switch (e.op) {
          case '|': case '++': return { growth: join(a, b), empty: a.empty && b.empty };
          case '&': case ';': case '*': return a.empty || b.empty ? EMPTY : { growth: join(a, b), empty: false };
          case '\\':
            if (a.empty) return EMPTY;
            if (b.empty) return a;
            return b.growth === Growth.Constant ? a : UNKNOWN;
        }
      }
      // eslint-disable-next-line no-fallthrough
      case 'apply': return this.apply(e, names, locals);
      case 'let': {
        const inner = new Map(locals);
        for (const b of e.bindings) inner.set(b.name, e.rec ? EMPTY : this.expr(b.value, names, locals));
        if (e.rec && !this.settle(e.bindings, names, inner)) return UNKNOWN;
        return this.expr(e.body, names, inner);
      }
      case 'if': return sub(this.taken(e) ? e.then : e.otherwise);
      case 'try': {
        const a = sub(e.body);
        const b = sub(e.fallback);
        return { growth: join(a, b), empty: a.empty && b.empty };
      }
    }
  }

  /**
   * The shapes of recursive bindings, as their values are computed: from
   * empty, each round reading the last (shapes only go up, and there are
   * four of them); false when they do not settle.
   */
  private settle(bindings: readonly { name: string; value: Expr }[], names: Names, shapes: Map<string, Shape>): boolean {
    for (let round = 0; round < 4 * bindings.length + 2; round++) {
      let stable = true;
      for (const b of bindings) {
        const s = this.expr(b.value, names, shapes);
        const old = shapes.get(b.name)!;
        if (s.growth !== old.growth || s.empty !== old.empty) stable = false;
        shapes.set(b.name, s);
      }
      if (stable) return true;
    }
    return false;
  }

  /** Whether an expression is transitive by construction: a closure, co, or a definition that is one. */
  private isOrder(e: Expr, names: Names): boolean {
    if (e.kind === 'unary') return e.op === 'plus' || e.op === 'star';
    if (e.kind !== 'name') return false;
    const b = names.get(e.name);
    if (b?.kind !== 'def') return false;
    if (this.host.isOrder(b.ref)) return true;
    const source = this.host.source(b.ref);
    return source !== null && this.isOrder(source.expr, source.names);
  }

  private taken(e: Extract<Expr, { kind: 'if' }>): boolean {
    const holds = (c: typeof e.cond): boolean => {
      switch (c.kind) {
        case 'variant': return this.host.variants.has(c.name);
        case 'not': return !holds(c.operand);
        case 'and': return holds(c.left) && holds(c.right);
        case 'or': return holds(c.left) || holds(c.right);
      }
    };
    return holds(e.cond);
  }

  private bound(b: Bound | undefined): Shape {
    if (!b) return UNKNOWN;
    switch (b.kind) {
      case 'def': return this.definition(b.ref);
      case 'const': return CONSTANT;
      case 'fun': case 'host': return CONSTANT;
    }
  }

  private apply(e: Extract<Expr, { kind: 'apply' }>, names: Names, locals: ReadonlyMap<string, Shape>): Shape {
    // The function and its arguments, however it was applied (f(a, b), f a b).
    const args: Expr[] = [];
    let fn: Expr = e;
    while (fn.kind === 'apply') {
      args.unshift(...(fn.arg.kind === 'tuple' ? fn.arg.items : [fn.arg]));
      fn = fn.fn;
    }
    const shapes = args.map((a) => this.expr(a, names, locals));
    if (fn.kind !== 'name' || locals.has(fn.name)) return UNKNOWN;
    const b = names.get(fn.name);
    if (b?.kind === 'host') {
      const [first] = shapes;
      switch (b.name) {
        case 'domain': case 'range': case 'fencerel': return first ?? UNKNOWN;
        case 'singlestep': {
          // The steps of an order that grows by extension grow with it (a partial execution's are its certain steps,
          // fewer than its steps: see host.ts; so never constant).
          if (!first) return UNKNOWN;
          if (first.empty) return EMPTY;
          return first.growth === Growth.Constant || (first.growth === Growth.Monotone && this.isOrder(args[0]!, names)) ? MONOTONE : UNKNOWN;
        }
        // It reads the values of the execution.
        case 'different-values': return first?.empty ? EMPTY : UNKNOWN;
        case 'map': return shapes.length === 2 && shapes[1]!.empty ? EMPTY : shapes.every((s) => s.growth === Growth.Constant) ? CONSTANT : UNKNOWN;
        case 'cross': return first?.empty ? EMPTY : first?.growth === Growth.Constant ? CONSTANT : UNKNOWN;
        default: return UNKNOWN;
      }
    }
    if (b?.kind === 'fun' && b.params.length === shapes.length && this.depth < 32) {
      const inner = new Map<string, Shape>();
      b.params.forEach((p, i) => inner.set(p, shapes[i]!));
      this.depth++;
      try {
        return this.expr(b.body, b.names, inner);
      } finally {
        this.depth--;
      }
    }
    return UNKNOWN;
  }
}
