/**
 * Counterfactuals: the test re-checked with each ordering primitive removed,
 * weakened or strengthened, to say which barriers the verdict depends on.
 *
 *   needed            removing it changes the verdict
 *   not needed        removing it changes nothing
 *   weaken to X       a weaker primitive gives the same verdict
 *   strengthen to Y   a stronger primitive forbids an outcome the test allows
 */

import type { Expr, LitmusTest } from '../litmus/ast.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { check, type CheckResult } from '../verdict/check.js';
import { barrierReports, type BarrierReport, type OrderedPair } from './barriers.js';
import { callSites, replaceCall, type CallSite } from './mutate.js';

export interface Verdict {
  readonly observation: 'Never' | 'Sometimes' | 'Always';
  readonly positive: number;
  readonly negative: number;
}

export interface Alternative {
  readonly primitive: string;
  /** Whether the alternative orders less (`weaker`) or more (`stronger`) than the original. */
  readonly direction: 'weaker' | 'stronger';
  readonly verdict: Verdict;
  readonly changes: boolean;
}

export interface Counterfactual {
  readonly thread: number;
  readonly line: number;
  readonly col: number;
  readonly primitive: string;
  /** The pairs of accesses on its CPU that it orders (from the barrier report). */
  readonly orders: readonly OrderedPair[];
  /** The verdict with the primitive removed; null for accesses that cannot simply be removed. */
  readonly removed: Verdict | null;
  readonly alternatives: readonly Alternative[];
  /** One line: needed / not needed / can be weakened to X / strengthen to Y. */
  readonly assessment: string;
}

/** How a primitive may be swapped: its alternatives, each weaker or stronger, and whether it may go. */
interface Swaps {
  readonly removable: boolean;
  readonly alternatives: ReadonlyArray<readonly [name: string, direction: 'weaker' | 'stronger']>;
}

const FENCE_SWAPS: Readonly<Record<string, Swaps>> = {
  smp_mb: { removable: true, alternatives: [['smp_wmb', 'weaker'], ['smp_rmb', 'weaker']] },
  smp_wmb: { removable: true, alternatives: [['smp_mb', 'stronger']] },
  smp_rmb: { removable: true, alternatives: [['smp_mb', 'stronger']] },
  barrier: { removable: true, alternatives: [['smp_mb', 'stronger']] },
  smp_mb__before_atomic: { removable: true, alternatives: [] },
  smp_mb__after_atomic: { removable: true, alternatives: [] },
  smp_mb__after_spinlock: { removable: true, alternatives: [] },
  smp_mb__after_unlock_lock: { removable: true, alternatives: [] },
  smp_mb__after_srcu_read_unlock: { removable: true, alternatives: [] },
  synchronize_rcu: { removable: true, alternatives: [['smp_mb', 'weaker']] },
  synchronize_rcu_expedited: { removable: true, alternatives: [['smp_mb', 'weaker']] },
};

/** Accesses: swapped for a marked access of another strength; the argument form follows the primitive. */
const ACCESS_SWAPS: Readonly<Record<string, Swaps>> = {
  smp_store_release: { removable: false, alternatives: [['WRITE_ONCE', 'weaker']] },
  smp_load_acquire: { removable: false, alternatives: [['READ_ONCE', 'weaker']] },
  rcu_assign_pointer: { removable: false, alternatives: [['WRITE_ONCE', 'weaker']] },
  smp_store_mb: { removable: false, alternatives: [['WRITE_ONCE', 'weaker']] },
  WRITE_ONCE: { removable: false, alternatives: [['smp_store_release', 'stronger'], ['smp_store_mb', 'stronger']] },
  READ_ONCE: { removable: false, alternatives: [['smp_load_acquire', 'stronger']] },
};

function rmwSwaps(name: string): Swaps | null {
  const m = /^(atomic_)?(xchg|cmpxchg)(_relaxed|_acquire|_release)?$/.exec(name);
  if (!m) return null;
  const base = `${m[1] ?? ''}${m[2]}`;
  const suffix = m[3] ?? '';
  const strength: Record<string, number> = { _relaxed: 0, _acquire: 1, _release: 1, '': 2 };
  const alternatives = ['', '_relaxed', '_acquire', '_release']
    .filter((s) => s !== suffix)
    .map((s) => [`${base}${s}`, strength[s]! < strength[suffix]! || (strength[s] === strength[suffix]) ? 'weaker' : 'stronger'] as const);
  return { removable: false, alternatives };
}

/** Lvalue primitives take `*p`, pointer primitives take `p`. */
const LVALUE = new Set(['READ_ONCE', 'WRITE_ONCE', 'rcu_dereference', 'rcu_assign_pointer', 'smp_store_mb']);

/** The call rewritten as another primitive, converting the location argument's form; null if it cannot be. */
function swapCall(call: Extract<Expr, { kind: 'call' }>, to: string): Expr | null {
  const [first, ...rest] = call.args;
  if (first === undefined) return { ...call, callee: to };
  const fromLvalue = LVALUE.has(call.callee);
  const toLvalue = LVALUE.has(to);
  let location: Expr = first;
  if (fromLvalue && !toLvalue) {
    if (first.kind !== 'deref') return null;
    location = first.address;
  } else if (!fromLvalue && toLvalue) {
    location = { kind: 'deref', address: first, pos: first.pos };
  }
  return { ...call, callee: to, args: [location, ...rest] };
}

function verdictOf(r: CheckResult): Verdict {
  return { observation: r.observation, positive: r.positive, negative: r.negative };
}

function swapsFor(site: CallSite): Swaps | null {
  return FENCE_SWAPS[site.call.callee] ?? ACCESS_SWAPS[site.call.callee] ?? rmwSwaps(site.call.callee);
}

export interface CounterfactualOptions {
  readonly model?: MemoryModel;
  /** Include plain READ_ONCE()/WRITE_ONCE() only when strengthening them changes the verdict (default true). */
  readonly quietAccesses?: boolean;
  /** The test's barrier reports, when the caller already has them (they give each primitive's `orders`). */
  readonly reports?: readonly BarrierReport[];
}

export function counterfactuals(test: LitmusTest, options: CounterfactualOptions = {}): { original: Verdict; primitives: Counterfactual[] } {
  const model = options.model ?? lkmm;
  const quiet = options.quietAccesses ?? true;
  const original = verdictOf(check(test, { model }));
  const reports = options.reports ?? barrierReports(test);
  const out: Counterfactual[] = [];
  for (const site of callSites(test)) {
    const swaps = swapsFor(site);
    if (!swaps) continue;
    const run = (variant: LitmusTest): Verdict => verdictOf(check(variant, { model }));
    const same = (v: Verdict): boolean => v.observation === original.observation;
    const removed = swaps.removable && site.isStatement ? run(replaceCall(test, site.call.pos, null)) : null;
    const alternatives: Alternative[] = [];
    for (const [name, direction] of swaps.alternatives) {
      const swapped = swapCall(site.call, name);
      if (!swapped) continue;
      const verdict = run(replaceCall(test, site.call.pos, swapped));
      alternatives.push({ primitive: name, direction, verdict, changes: !same(verdict) });
    }
    const isPlainAccess = site.call.callee === 'READ_ONCE' || site.call.callee === 'WRITE_ONCE';
    if (quiet && isPlainAccess && !alternatives.some((a) => a.changes)) continue;
    const pos = site.call.calleePos;
    const orders = reports.find((r) => r.thread === site.thread && r.line === pos.line && r.col === pos.col)?.orders ?? [];
    out.push({
      thread: site.thread,
      line: pos.line,
      col: pos.col,
      primitive: site.call.callee,
      orders,
      removed,
      alternatives,
      assessment: assess(original, removed, alternatives),
    });
  }
  return { original, primitives: out };
}

function assess(original: Verdict, removed: Verdict | null, alternatives: readonly Alternative[]): string {
  const parts: string[] = [];
  if (removed) {
    if (removed.observation !== original.observation) parts.push(`needed: without it the outcome is ${removed.observation} instead of ${original.observation}`);
    else if (original.observation === 'Never') parts.push('not needed: the outcome stays forbidden without it');
    else if (removed.positive === original.positive && removed.negative === original.negative) parts.push(`removing it changes nothing: the outcome is ${original.observation} with or without it, with the same counts`);
    else parts.push(`without it the verdict holds (${original.observation}) but the counts move: ${removed.positive} of ${removed.positive + removed.negative} allowed executions have the outcome instead of ${original.positive} of ${original.positive + original.negative}`);
  }
  const weaker = alternatives.filter((a) => a.direction === 'weaker' && !a.changes).map((a) => a.primitive);
  if (weaker.length > 0 && !(removed && removed.observation === original.observation)) parts.push(`can be weakened to ${weaker.join(' or ')}`);
  const weakerBreaks = alternatives.filter((a) => a.direction === 'weaker' && a.changes).map((a) => a.primitive);
  if (weakerBreaks.length > 0 && weaker.length === 0) parts.push(`cannot be weakened to ${weakerBreaks.join(' or ')}`);
  const fixes = alternatives.filter((a) => a.direction === 'stronger' && a.changes && a.verdict.observation === 'Never').map((a) => a.primitive);
  if (fixes.length > 0 && original.observation !== 'Never') parts.push(`must be strengthened to ${fixes.join(' or ')} to forbid the outcome`);
  if (parts.length === 0) parts.push('no change of this primitive alters the verdict');
  return parts.join('; ');
}
