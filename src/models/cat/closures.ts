/**
 * A definition's expression turned into closures, once: the fast path of
 * evaluating a model on every candidate execution. Names are looked up when
 * the closures are made (a definition becomes a direct read of the Env),
 * operators become calls of the relation algebra, and what reads the
 * skeleton alone is remembered per skeleton. Anything else (functions of
 * the model, `let ... in`, `try`, sets of values) is left to the tree
 * evaluator (`evaluate.ts`), which gives every construct its meaning: the
 * closures only do faster what it does, with the same short cuts.
 */

import { EventSet, Relation } from '../../relations/algebra.js';
import type { Env } from '../model.js';
import type { Expr, Pos } from './ast.js';
import { addElement, describe, evaluate, isEmptyValue, setOperation, type CatFunction, type CatValue, type EvaluationContext, type Scope } from './evaluate.js';
import { CatError } from './parser.js';

export type Compiled = (env: Env) => CatValue;

export interface ClosureContext {
  readonly file: string;
  /** The value of a name bound to a definition, or null when the name is bound to something else. */
  readonly definition: (name: string) => ((env: Env) => CatValue) | null;
  /** A host function by name (`domain`, `fencerel`, ...), or null when the name is not one. */
  readonly hostFunction: (name: string) => ((env: Env) => CatFunction) | null;
  /** The operations that read the skeleton alone (remembered per skeleton). */
  readonly kept: ReadonlySet<Expr>;
  /** The per-skeleton memo of those operations, and the context the tree evaluator needs. */
  readonly context: (env: Env) => EvaluationContext & { readonly memo: { readonly values: Map<Expr, CatValue> } };
  /** The scope the tree evaluator reads names from. */
  readonly scope: (env: Env) => Scope;
}

export function compileExpression(e: Expr, cc: ClosureContext): Compiled {
  const made = compileNode(e, cc);
  if (!cc.kept.has(e)) return made;
  return (env) => {
    const memo = cc.context(env).memo.values;
    const known = memo.get(e);
    if (known !== undefined) return known;
    const v = made(env);
    memo.set(e, v);
    return v;
  };
}

function compileNode(e: Expr, cc: ClosureContext): Compiled {
  const fail = (pos: Pos, reason: string): never => {
    throw new CatError(cc.file, pos, reason);
  };
  const asSet = (v: CatValue, env: Env, pos: Pos, what: string): EventSet => {
    if (v instanceof EventSet) return v;
    if (!(v instanceof Relation) && v.kind === 'empty') return EventSet.empty(env.n);
    // `{e}`, e an event: a set written out from events.
    if (!(v instanceof Relation) && v.kind === 'values' && v.items.every((x) => x instanceof EventSet)) return v.items.reduce<EventSet>((a, x) => a.union(x as EventSet), EventSet.empty(env.n));
    return fail(pos, `${what} must be a set of events, not ${describe(v)}`);
  };
  const asRelation = (v: CatValue, env: Env, pos: Pos, what: string): Relation => {
    if (v instanceof Relation) return v;
    if (!(v instanceof EventSet) && v.kind === 'empty') return Relation.empty(env.n);
    return fail(pos, `${what} must be a relation, not ${describe(v)}`);
  };
  const tree: Compiled = (env) => evaluate(e, cc.scope(env), cc.context(env));
  switch (e.kind) {
    case 'name': {
      const read = cc.definition(e.name);
      return read ?? tree;
    }
    case 'empty': return () => EMPTY;
    case 'universe': return (env) => EventSet.all(env.n);
    case 'identity': {
      const operand = compileExpression(e.operand, cc);
      return (env) => Relation.identity(asSet(operand(env), env, e.operand.pos, 'what [ ] holds'));
    }
    case 'unary': {
      const operand = compileExpression(e.operand, cc);
      if (e.op === 'complement') {
        return (env) => {
          const v = operand(env);
          return v instanceof Relation ? Relation.where(env.n, (i, j) => !v.has(i, j)) : asSet(v, env, e.pos, "the operand of '~'").complement();
        };
      }
      const what = `the operand of '${e.op === 'inverse' ? '^-1' : e.op === 'star' ? '*' : e.op === 'plus' ? '+' : '?'}'`;
      switch (e.op) {
        case 'star': return (env) => asRelation(operand(env), env, e.pos, what).star();
        case 'plus': return (env) => asRelation(operand(env), env, e.pos, what).plus();
        case 'opt': return (env) => asRelation(operand(env), env, e.pos, what).opt();
        case 'inverse': return (env) => asRelation(operand(env), env, e.pos, what).inverse();
      }
    }
    // eslint-disable-next-line no-fallthrough
    case 'binary': {
      // `[S] ; r` and `r ; [S]` restrict r, with no identity relation built (as evaluate.ts does).
      if (e.op === ';' && e.left.kind === 'identity') {
        const set = compileExpression(e.left.operand, cc);
        const right = compileExpression(e.right, cc);
        return (env) => {
          const s = asSet(set(env), env, e.left.pos, 'what [ ] holds');
          if (s.isEmpty()) return Relation.empty(env.n);
          return asRelation(right(env), env, e.right.pos, "the right of ';'").restrictDomain(s);
        };
      }
      if (e.op === ';' && e.right.kind === 'identity') {
        const set = compileExpression(e.right.operand, cc);
        const left = compileExpression(e.left, cc);
        return (env) => {
          const s = asSet(set(env), env, e.right.pos, 'what [ ] holds');
          if (s.isEmpty()) return Relation.empty(env.n);
          return asRelation(left(env), env, e.left.pos, "the left of ';'").restrictRange(s);
        };
      }
      const left = compileExpression(e.left, cc);
      const right = compileExpression(e.right, cc);
      const op = e.op;
      const cuts = op !== '|' && op !== '++';
      const rightKept = cuts && op !== '\\' && cc.kept.has(e.right);
      return (env) => {
        if (rightKept) {
          // A right side already remembered is looked at first: empty, it decides.
          const known = cc.context(env).memo.values.get(e.right);
          if (known !== undefined && isEmptyValue(known)) return op === '&' ? known : Relation.empty(env.n);
        }
        const a = left(env);
        // An empty left side of '&', ';', '\' or '*' decides the result; the right side is not computed.
        if (cuts && isEmptyValue(a)) return op === ';' || op === '*' ? Relation.empty(env.n) : a;
        const b = right(env);
        switch (op) {
          case '|': case '&': case '\\': return setOperation(op, a, b, e.pos, cc.context(env), fail);
          case ';': return asRelation(a, env, e.left.pos, "the left of ';'").seq(asRelation(b, env, e.right.pos, "the right of ';'"));
          case '*': return Relation.product(asSet(a, env, e.left.pos, "the left of '*'"), asSet(b, env, e.right.pos, "the right of '*'"));
          case '++': return addElement(a, b, e.pos, cc.context(env), fail);
        }
      };
    }
    case 'apply': {
      // A host function applied to all its arguments at once (`domain(rmw)`, `fencerel(Mb)`).
      if (e.fn.kind !== 'name') return tree;
      const host = cc.hostFunction(e.fn.name);
      if (!host) return tree;
      const args = (e.arg.kind === 'tuple' ? e.arg.items : [e.arg]).map((a) => compileExpression(a, cc));
      return (env) => {
        const fn = host(env);
        if (fn.arity !== args.length) return tree(env);
        return fn.call(args.map((a) => a(env)), e.pos);
      };
    }
    default: return tree;
  }
}

const EMPTY: CatValue = { kind: 'empty' };
