/**
 * What kinds of primitive and construct a test uses, read from its syntax
 * tree: the differential runner counts its tests per kind, so that a run
 * says what it covered.
 */

import type { Expr, LitmusTest, Stmt, ThreadCode } from '../litmus/ast.js';
import { lookupPrimitive } from '../litmus/primitives.js';

export const TEST_KINDS = [
  'fences', 'smp_mb__*()', 'release/acquire', 'xchg', 'cmpxchg', 'atomic_*() ops', 'spinlocks', 'RCU', 'SRCU',
  'plain accesses', 'pointers', 'address dependencies', 'data dependencies', 'control dependencies',
  'filter', 'locations', 'exists', '~exists', 'forall', '2 CPUs', '3 CPUs', '4 CPUs', '5+ CPUs',
] as const;

export type TestKind = (typeof TEST_KINDS)[number];

export function testKinds(test: LitmusTest): Set<TestKind> {
  const kinds = new Set<TestKind>();
  for (const thread of test.threads) threadKinds(thread, kinds);
  if (test.init.some((e) => e.value?.kind === 'address')) kinds.add('pointers');
  if (test.filter) kinds.add('filter');
  if (test.locations.length > 0) kinds.add('locations');
  kinds.add(test.condition.quantifier);
  const cpus = test.threads.length;
  kinds.add(cpus <= 2 ? '2 CPUs' : cpus === 3 ? '3 CPUs' : cpus === 4 ? '4 CPUs' : '5+ CPUs');
  return kinds;
}

function threadKinds(thread: ThreadCode, kinds: Set<TestKind>): void {
  const registers = new Set<string>();
  const mentionsRegister = (e: Expr): boolean => {
    switch (e.kind) {
      case 'name': return registers.has(e.name);
      case 'int': return false;
      case 'deref': return mentionsRegister(e.address);
      case 'addressOf': return mentionsRegister(e.target);
      case 'unary': return mentionsRegister(e.operand);
      case 'binary': return mentionsRegister(e.left) || mentionsRegister(e.right);
      case 'conditional': return mentionsRegister(e.test) || mentionsRegister(e.then) || mentionsRegister(e.otherwise);
      case 'call': return e.args.some(mentionsRegister);
    }
  };
  /** An expression; `address` when it is a location argument (its own `*` is the access, not a plain one). */
  const expr = (e: Expr, address = false): void => {
    switch (e.kind) {
      case 'deref':
        if (!address) kinds.add('plain accesses');
        if (mentionsRegister(e.address)) kinds.add('address dependencies');
        return expr(e.address, true);
      case 'call': {
        call(e);
        return;
      }
      case 'unary': return expr(e.operand);
      case 'binary': expr(e.left); return expr(e.right);
      case 'conditional': expr(e.test); expr(e.then); return expr(e.otherwise);
      case 'addressOf': return expr(e.target, true);
      default: return;
    }
  };
  const call = (e: Extract<Expr, { kind: 'call' }>): void => {
    const p = lookupPrimitive(e.callee);
    const shape = p?.shape;
    if (shape) {
      switch (shape.kind) {
        case 'fence':
          if (shape.tag === 'mb' || shape.tag === 'rmb' || shape.tag === 'wmb' || shape.tag === 'barrier') kinds.add('fences');
          else if (shape.tag.startsWith('rcu') || shape.tag === 'sync-rcu') kinds.add('RCU');
          else kinds.add('smp_mb__*()');
          break;
        case 'load': case 'store':
          if (shape.srcu) kinds.add('SRCU');
          if (shape.ordering === 'acquire' || shape.ordering === 'release') kinds.add('release/acquire');
          if (shape.kind === 'store' && e.args[1] && mentionsRegister(e.args[1])) kinds.add('data dependencies');
          break;
        case 'xchg': kinds.add('xchg'); break;
        case 'cmpxchg': kinds.add('cmpxchg'); break;
        case 'atomic': case 'addUnless': kinds.add('atomic_*() ops'); break;
        case 'lock': case 'unlock': case 'trylock': case 'isLocked': kinds.add('spinlocks'); break;
        case 'syncSrcu': kinds.add('SRCU'); break;
      }
      if ((shape.kind === 'xchg' || shape.kind === 'cmpxchg' || shape.kind === 'atomic') && (shape.ordering === 'acquire' || shape.ordering === 'release')) kinds.add('release/acquire');
    }
    e.args.forEach((a, i) => {
      if (i === 0 && (shape?.kind === 'load' || shape?.kind === 'store')) {
        if (mentionsRegister(a)) kinds.add('address dependencies');
        expr(a, true);
      } else expr(a);
    });
  };
  const stmt = (s: Stmt): void => {
    switch (s.kind) {
      case 'decl':
        registers.add(s.name);
        if (s.init) expr(s.init);
        return;
      case 'assign':
        if (s.target.kind === 'name') registers.add(s.target.name);
        else {
          expr(s.target);
          if (mentionsRegister(s.value)) kinds.add('data dependencies');
        }
        return expr(s.value);
      case 'expr': return expr(s.expr);
      case 'if':
        kinds.add('control dependencies');
        expr(s.test);
        stmt(s.then);
        if (s.otherwise) stmt(s.otherwise);
        return;
      case 'block': return s.body.forEach(stmt);
      case 'empty': return;
    }
  };
  for (const p of thread.params) if (/\*\s*\*/.test(p.type.text)) kinds.add('pointers');
  thread.body.forEach(stmt);
}
