/**
 * Barriers in isolation: for every ordering primitive of a test (fences,
 * release and acquire accesses, fully ordered RMWs, locks, RCU, and the
 * dependencies that order), the pairs of accesses on its own CPU that it
 * orders, by which rule, and whether it is cumulative. A fence with no
 * access on one side orders nothing, and this says so.
 *
 * This looks at each thread alone, as a reviewer would read it: which of
 * this CPU's accesses does the primitive keep in order? What other CPUs
 * then see follows from how primitives on different CPUs pair up, which is
 * what `check` and the counterfactuals answer.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { buildProgram, type Program } from '../events/program.js';
import type { ThreadRun } from '../events/semantics.js';
import { checkProgram, renamedInto } from '../verdict/check.js';
import { EventSet, Relation } from '../relations/algebra.js';
import type { Candidate } from '../executions/candidate.js';
import { buildSkeleton, type Event } from '../executions/skeleton.js';
import { lkmm } from '../models/lkmm.js';
import { Env } from '../models/model.js';

export type BarrierKind =
  | 'fence' | 'release' | 'acquire' | 'full-rmw' | 'lock' | 'unlock'
  | 'rcu-read' | 'grace-period' | 'dependency' | 'compiler-barrier';

export interface OrderedPair {
  readonly before: string;
  readonly after: string;
  readonly beforeLine: number;
  readonly afterLine: number;
}

export interface BarrierReport {
  readonly thread: number;
  readonly line: number;
  readonly col: number;
  /** The primitive as written (`smp_wmb`), or the dependency's kind (`address dependency`). */
  readonly primitive: string;
  readonly kind: BarrierKind;
  /** The rule by which it orders: "earlier writes before later writes". */
  readonly rule: string;
  /** Whether, and how, it orders other CPUs' writes that its CPU has seen. */
  readonly cumulativity: string;
  readonly orders: readonly OrderedPair[];
  /** When it orders nothing: why, in plain words. */
  readonly ordersNothing: string | null;
}

interface KindInfo {
  readonly kind: BarrierKind;
  readonly rule: string;
  readonly cumulativity: string;
}

const FULL_CUMULATIVE = 'cumulative: writes of other CPUs that this CPU saw before it reach every CPU before this CPU\'s later accesses; a strong fence';
const NOT_CUMULATIVE = 'not cumulative: it orders this CPU\'s own accesses only';

const FENCES: Readonly<Record<string, KindInfo & { relation: string }>> = {
  mb: { kind: 'fence', relation: 'mb', rule: 'every earlier access before every later access', cumulativity: FULL_CUMULATIVE },
  wmb: { kind: 'fence', relation: 'wmb', rule: 'earlier writes before later writes', cumulativity: 'orders the propagation of this CPU\'s earlier writes before its later writes, to every CPU; not A-cumulative (other CPUs\' writes it saw are not ordered)' },
  rmb: { kind: 'fence', relation: 'rmb', rule: 'earlier reads before later reads', cumulativity: NOT_CUMULATIVE },
  'sync-rcu': { kind: 'grace-period', relation: 'gp', rule: 'every earlier access before every later access, and waits for every RCU read-side critical section that started before it', cumulativity: FULL_CUMULATIVE },
  'before-atomic': { kind: 'fence', relation: 'mb', rule: 'every earlier access before the next atomic RMW and what follows it', cumulativity: FULL_CUMULATIVE },
  'after-atomic': { kind: 'fence', relation: 'mb', rule: 'the previous atomic RMW and what precedes it before every later access', cumulativity: FULL_CUMULATIVE },
  'after-spinlock': { kind: 'fence', relation: 'mb', rule: 'the previous spin_lock() and what precedes it before every later access', cumulativity: FULL_CUMULATIVE },
  'after-unlock-lock': { kind: 'fence', relation: 'mb', rule: 'accesses before a preceding spin_unlock() before every access after it, across the unlock+lock pair', cumulativity: FULL_CUMULATIVE },
  'after-srcu-read-unlock': { kind: 'fence', relation: 'mb', rule: 'the previous srcu_read_unlock() and what precedes it before every later access', cumulativity: FULL_CUMULATIVE },
};

export function barrierReports(test: LitmusTest): BarrierReport[] {
  const program = buildProgram(test);
  const runsOf = runsThatOccur(program);
  const reports = new Map<string, { report: Omit<BarrierReport, 'orders' | 'ordersNothing'>; pairs: Map<string, OrderedPair>; nothing: string | null }>();
  const firstRuns = runsOf.map((runs) => runs[0]!);
  runsOf.forEach((runs, t) => {
    for (const run of runs) {
      const sk = buildSkeleton(program.locations, program.initial, firstRuns.map((r, u) => (u === t ? run : r)));
      const empty = Relation.empty(sk.n);
      const x: Candidate = { skeleton: sk, rf: empty, co: empty, values: new Array(sk.n).fill(null), finalValues: new Map(), registers: [] };
      const env = new Env(lkmm, x);
      for (const e of sk.events) {
        if (e.thread !== t) continue;
        for (const found of primitivesAt(env, e)) {
          const key = `${t}:${found.line}:${found.col}:${found.primitive}`;
          let entry = reports.get(key);
          if (!entry) {
            entry = { report: { thread: t, line: found.line, col: found.col, primitive: found.primitive, kind: found.info.kind, rule: found.info.rule, cumulativity: found.info.cumulativity }, pairs: new Map(), nothing: null };
            reports.set(key, entry);
          }
          for (const [a, b] of found.pairs.pairs()) {
            const p = pairOf(sk.events[a]!, sk.events[b]!);
            entry.pairs.set(`${p.beforeLine}:${p.before}>${p.afterLine}:${p.after}`, p);
          }
          if (found.pairs.isEmpty() && entry.nothing === null) entry.nothing = found.whyNothing;
        }
      }
    }
  });
  return [...reports.values()]
    .map(({ report, pairs, nothing }) => ({ ...report, orders: [...pairs.values()], ordersNothing: pairs.size === 0 ? nothing ?? 'it orders no pair of accesses on its CPU' : null }))
    .sort((a, b) => a.thread - b.thread || a.line - b.line || a.col - b.col);
}

/**
 * Per thread, the runs that some allowed execution uses: a run that assumes
 * something no execution provides (a branch never taken, a pointer that never
 * holds that address) says nothing about what a barrier orders. A thread with
 * no such run (the test allows nothing) keeps all its runs.
 */
function runsThatOccur(program: Program): ThreadRun[][] {
  // Run indices per thread. With threads counted by orbit, a run one of them takes, every one it may be renamed into takes in some renaming.
  const seen = program.runs.map(() => new Set<number>());
  const partners = renamedInto(program);
  checkProgram(program, {
    onAllowed: (x) => x.skeleton.runs.forEach((run, t) => {
      const index = program.runs[t]!.indexOf(run);
      for (const u of partners[t]!) seen[u]!.add(index);
    }),
  });
  return program.runs.map((runs, t) => (seen[t]!.size > 0 ? runs.filter((_, i) => seen[t]!.has(i)) : [...runs]));
}

function access(e: Event): string {
  const what = e.kind === 'W' || e.kind === 'UL' || e.kind === 'LKW' ? 'write' : 'read';
  return `${what} of ${e.location}`;
}

function pairOf(a: Event, b: Event): OrderedPair {
  return { before: access(a), after: access(b), beforeLine: a.origin?.line ?? 0, afterLine: b.origin?.line ?? 0 };
}

interface Found {
  readonly primitive: string;
  readonly line: number;
  readonly col: number;
  readonly info: KindInfo;
  readonly pairs: Relation;
  readonly whyNothing: string;
}

/** The ordering primitives an event stands for, with the pairs each orders on the event's CPU. */
function primitivesAt(env: Env, e: Event): Found[] {
  const sk = env.x.skeleton;
  const n = sk.n;
  const po = sk.po;
  const M = sk.sets.M;
  const origin = e.origin;
  if (!origin) return [];
  const at = (info: KindInfo, pairs: Relation, whyNothing: string, primitive = origin.primitive): Found =>
    ({ primitive, line: origin.line, col: origin.col, info, pairs, whyNothing });
  const around = Relation.where(n, (i, j) => po.has(i, e.id) && po.has(e.id, j));
  const results: Found[] = [];

  if (e.kind === 'F' || e.kind === 'SRCU') {
    const tag = e.kind === 'SRCU' ? 'sync-rcu' : [...e.tags][0]!;
    const fence = FENCES[tag];
    if (fence) {
      const pairs = env.r(fence.relation).inter(around);
      results.push(at(fence, pairs, emptySides(sk.events, po, e, tag)));
    } else if (tag === 'barrier') {
      results.push(at({ kind: 'compiler-barrier', rule: 'nothing between CPUs; it only keeps the compiler from moving accesses across it', cumulativity: NOT_CUMULATIVE }, Relation.empty(n), 'barrier() only restrains the compiler: CPUs may still reorder'));
    } else if (tag === 'rcu-lock' || tag === 'rcu-unlock') {
      const edge = tag === 'rcu-lock' ? 'starts' : 'ends';
      results.push(at({ kind: 'rcu-read', rule: `nothing on its own CPU: it ${edge} an RCU read-side critical section, which a grace period on another CPU waits for`, cumulativity: '' }, Relation.empty(n), ''));
    }
    return results;
  }
  const acquire = env.s('Acquire');
  const release = env.s('Release');
  if (acquire.has(e.id)) {
    const lock = e.kind === 'LKR';
    results.push(at(
      { kind: lock ? 'lock' : 'acquire', rule: `the ${lock ? 'lock acquisition' : 'load'} before every later access of its CPU`, cumulativity: NOT_CUMULATIVE },
      env.r('acq-po').restrictDomain(singleton(n, e.id)),
      'no access follows it on its CPU'));
  }
  if (release.has(e.id)) {
    const unlock = e.kind === 'UL';
    results.push(at(
      { kind: unlock ? 'unlock' : 'release', rule: `every earlier access of its CPU before the ${unlock ? 'unlock' : 'store'}`, cumulativity: 'A-cumulative: writes of other CPUs that this CPU saw before it reach every CPU before the released store' },
      env.r('po-rel').restrictRange(singleton(n, e.id)),
      'no access precedes it on its CPU'));
  }
  if (env.s('Mb').has(e.id) && e.kind === 'R') {
    const w = [...env.r('rmw').successors(e.id)][0];
    const touches = Relation.where(n, (i, j) => i === e.id || j === e.id || i === w || j === w || (po.has(i, e.id) && w !== undefined && po.has(w, j)));
    results.push(at({ kind: 'full-rmw', rule: 'a fully ordered RMW: every earlier access before it, and it before every later access', cumulativity: FULL_CUMULATIVE },
      env.r('mb').inter(touches).between(M, M), 'no other access on its CPU'));
  }
  // Dependencies from this read that preserved program order keeps.
  if (e.kind === 'R') {
    const ppo = env.r('ppo');
    const deps: Array<[string, string, Relation]> = [
      ['address dependency', 'the read before an access whose address it computes', env.r('addr').inter(ppo)],
      ['data dependency', 'the read before a write of a value computed from it', env.r('data').inter(ppo)],
      ['control dependency', 'the read before a write inside an if that tests it', env.r('ctrl').inter(ppo).restrictRange(sk.sets.W)],
    ];
    for (const [name, rule, rel] of deps) {
      const pairs = rel.restrictDomain(singleton(n, e.id));
      if (!pairs.isEmpty()) results.push(at({ kind: 'dependency', rule, cumulativity: NOT_CUMULATIVE }, pairs, '', name));
    }
  }
  return results;
}

function singleton(n: number, id: number): EventSet {
  return EventSet.of(n, [id]);
}

/** Why a fence orders nothing: which side lacks an access of the kind it orders. */
function emptySides(events: readonly Event[], po: Relation, f: Event, tag: string): string {
  const isWrite = (e: Event): boolean => e.kind === 'W' || e.kind === 'LKW' || e.kind === 'UL';
  const isRead = (e: Event): boolean => e.kind === 'R' || e.kind === 'LKR' || e.kind === 'LF' || e.kind === 'RL' || e.kind === 'RU';
  const kind = tag === 'wmb' ? { test: isWrite, word: 'write' } : tag === 'rmb' ? { test: isRead, word: 'read' } : { test: (e: Event) => isRead(e) || isWrite(e), word: 'access' };
  const before = events.some((e) => po.has(e.id, f.id) && kind.test(e));
  const after = events.some((e) => po.has(f.id, e.id) && kind.test(e));
  const name = `${f.origin?.primitive ?? tag}()`;
  if (!before && !after) return `${name} has no ${kind.word} on either side on P${f.thread}: it orders nothing`;
  if (!after) return `${name} has no later ${kind.word} on P${f.thread}: it orders nothing`;
  if (!before) return `${name} has no earlier ${kind.word} on P${f.thread}: it orders nothing`;
  return `${name} orders no pair of accesses on P${f.thread}`;
}
