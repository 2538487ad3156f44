/**
 * Rewriting a test's primitives: the calls of a test, and the same test
 * with one call replaced or removed. The counterfactuals are made of these.
 */

import type { Expr, LitmusTest, Pos, Stmt, ThreadCode } from '../litmus/ast.js';

export interface CallSite {
  readonly thread: number;
  readonly call: Extract<Expr, { kind: 'call' }>;
  /** Whether the call is a statement of its own (and so can be removed). */
  readonly isStatement: boolean;
}

/** Every call of a test, in thread and program order. */
export function callSites(test: LitmusTest): CallSite[] {
  const sites: CallSite[] = [];
  for (const thread of test.threads) {
    const visitExpr = (e: Expr, isStatement: boolean): void => {
      switch (e.kind) {
        case 'call': sites.push({ thread: thread.id, call: e, isStatement }); e.args.forEach((a) => visitExpr(a, false)); return;
        case 'deref': return visitExpr(e.address, false);
        case 'addressOf': return visitExpr(e.target, false);
        case 'unary': return visitExpr(e.operand, false);
        case 'binary': visitExpr(e.left, false); return visitExpr(e.right, false);
        case 'conditional': visitExpr(e.test, false); visitExpr(e.then, false); return visitExpr(e.otherwise, false);
        default: return;
      }
    };
    const visitStmt = (s: Stmt): void => {
      switch (s.kind) {
        case 'decl': if (s.init) visitExpr(s.init, false); return;
        case 'assign': visitExpr(s.target, false); return visitExpr(s.value, false);
        case 'expr': return visitExpr(s.expr, true);
        case 'if': visitExpr(s.test, false); visitStmt(s.then); if (s.otherwise) visitStmt(s.otherwise); return;
        case 'block': s.body.forEach(visitStmt); return;
        case 'empty': return;
      }
    };
    thread.body.forEach(visitStmt);
  }
  return sites;
}

const samePos = (a: Pos, b: Pos): boolean => a.offset === b.offset;

/**
 * The test with the call at `at` replaced by `replacement`, or removed when
 * `replacement` is null (only a call that is a statement of its own can be).
 */
export function replaceCall(test: LitmusTest, at: Pos, replacement: Expr | null): LitmusTest {
  const expr = (e: Expr): Expr => {
    switch (e.kind) {
      case 'call':
        if (samePos(e.pos, at) && replacement) return replacement;
        return { ...e, args: e.args.map(expr) };
      case 'deref': return { ...e, address: expr(e.address) };
      case 'addressOf': return { ...e, target: expr(e.target) };
      case 'unary': return { ...e, operand: expr(e.operand) };
      case 'binary': return { ...e, left: expr(e.left), right: expr(e.right) };
      case 'conditional': return { ...e, test: expr(e.test), then: expr(e.then), otherwise: expr(e.otherwise) };
      default: return e;
    }
  };
  const stmt = (s: Stmt): Stmt => {
    switch (s.kind) {
      case 'decl': return s.init ? { ...s, init: expr(s.init) } : s;
      case 'assign': return { ...s, target: expr(s.target), value: expr(s.value) };
      case 'expr':
        if (replacement === null && s.expr.kind === 'call' && samePos(s.expr.pos, at)) return { kind: 'empty', pos: s.pos };
        return { ...s, expr: expr(s.expr) };
      case 'if': return { ...s, test: expr(s.test), then: stmt(s.then), otherwise: s.otherwise ? stmt(s.otherwise) : null };
      case 'block': return { ...s, body: s.body.map(stmt) };
      case 'empty': return s;
    }
  };
  const thread = (t: ThreadCode): ThreadCode => ({ ...t, body: t.body.map(stmt) });
  return { ...test, threads: test.threads.map(thread) };
}
