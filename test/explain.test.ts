import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { barrierReports, barriersText, counterfactuals, explainOutcome, explanationText, focusOnCall, orderingAdvice } from '../src/explain/index.js';
import { buildProgram, candidates, checkModel, lkmm, parseLitmus } from '../src/index.js';
import { finalValue } from '../src/verdict/check.js';
import { evaluate } from '../src/verdict/condition.js';
import { FAMILIES } from '../src/bench/families.js';

const load = (path: string) => parseLitmus(readFileSync(new URL(`../litmus/${path}`, import.meta.url), 'utf8'), path);

describe('explaining the swiotlb v1 bug (three CPUs)', () => {
  const v1 = load('swiotlb/v1-three-cpus.litmus');

  it('says the bad outcome is allowed, with a witness', () => {
    const ex = explainOutcome(v1);
    expect(ex.result.observation).toBe('Sometimes');
    expect(ex.witness).not.toBeNull();
    expect(ex.witness!.story.map((s) => s.sentence)).toContain(
      "P2 reads pools=oldpool (line 66) from the initial value; P0's write of pools=newpool (line 38) had not reached P2 yet.",
    );
  });

  it("reports that P1's smp_wmb() must become smp_mb() to forbid it", () => {
    const cf = counterfactuals(v1);
    const wmb = cf.primitives.find((p) => p.thread === 1 && p.primitive === 'smp_wmb')!;
    expect(wmb.alternatives).toEqual([{ primitive: 'smp_mb', direction: 'stronger', verdict: { observation: 'Never', positive: 0, negative: 7 }, changes: true }]);
    // Without it the verdict stays Sometimes, but more executions have the outcome: the counts move, and the text says so.
    expect(wmb.assessment).toBe('without it the verdict holds (Sometimes) but the counts move: 3 of 10 allowed executions have the outcome instead of 1 of 8; must be strengthened to smp_mb to forbid the outcome');
  });

  it('reports that the smp_wmb() with no later access on its CPU orders nothing', () => {
    const trailing = barrierReports(v1).find((b) => b.thread === 0 && b.primitive === 'smp_wmb')!;
    expect(trailing.orders).toEqual([]);
    expect(trailing.ordersNothing).toBe('smp_wmb() has no later write on P0: it orders nothing');
    const cf = counterfactuals(v1).primitives.find((p) => p.thread === 0 && p.primitive === 'smp_wmb')!;
    expect(cf.assessment).toBe('removing it changes nothing: the outcome is Sometimes with or without it, with the same counts');
  });

  it('says so when a test has no ordering primitive, and what would order each kind of pair', () => {
    const sb = load('patterns/SB+once+once.litmus');
    const text = barriersText(barrierReports(sb), counterfactuals(sb), orderingAdvice(buildProgram(sb)));
    expect(text.split('\n').slice(0, 4)).toEqual([
      'No ordering primitives: on each CPU, every access may be reordered with',
      '  the others.',
      '',
      'What would order each kind of pair, on its own CPU:',
    ]);
    expect(orderingAdvice(buildProgram(sb))).toEqual([
      'P0: write of x (line 19) then read of y (line 20): only smp_mb() between them (a full fence: nothing weaker orders a write before a later read)',
      'P1: write of y (line 27) then read of x (line 28): only smp_mb() between them (a full fence: nothing weaker orders a write before a later read)',
    ]);
    expect(text).toContain('The test as written: Sometimes (1 of 4 allowed executions); no primitive\n  to remove or replace.');
  });

  it('gives each end of an RCU read-side critical section one line', () => {
    const rcu = load('patterns/RCU+rscs+sync.litmus');
    const lines = barriersText(barrierReports(rcu), null).split('\n').filter((l) => l.includes('of a read-side critical section'));
    expect(lines).toEqual([
      'P0 line 23: rcu_read_lock(): start of a read-side critical section',
      'P0 line 26: rcu_read_unlock(): end of a read-side critical section',
    ]);
  });

  it("lists what P1's smp_wmb() orders on its own CPU", () => {
    const wmb = barrierReports(v1).find((b) => b.thread === 1 && b.primitive === 'smp_wmb')!;
    expect(wmb.orders).toEqual([{ before: 'write of flag', after: 'write of buf', beforeLine: 50, afterLine: 52 }]);
    expect(wmb.rule).toBe('earlier writes before later writes');
  });
});

describe('why an outcome is forbidden', () => {
  it('names the axiom and the cycle, citing the code', () => {
    const ex = explainOutcome(load('patterns/SB+mb+mb.litmus'));
    expect(ex.witness).toBeNull();
    expect(ex.forbiddenCount).toBe(1);
    const v = ex.forbidden[0]!.violation;
    expect(v.axiom.name).toBe('propagation');
    expect(v.edges.map((e) => e.label)).toEqual(['fre', 'smp_mb', 'fre', 'smp_mb']);
    expect(v.edges[1]!.sentence).toBe('P1 line 30: smp_mb() orders the write of y (line 29) before the read of x (line 31)');
  });

  it('explains MP with smp_wmb()/smp_rmb() by happens-before', () => {
    const ex = explainOutcome(load('patterns/MP+wmb+rmb.litmus'));
    const v = ex.forbidden[0]!.violation;
    expect(v.axiom.name).toBe('happens-before');
    expect(v.edges.map((e) => e.label).sort()).toEqual(['fre', 'rfe', 'smp_rmb', 'smp_wmb']);
    expect(explanationText(ex)).toContain('breaks happens-before (acyclic hb)');
  });

  it('explains a lost atomic increment by the atomic axiom', () => {
    const v = explainOutcome(load('patterns/atomic_inc+atomic_inc.litmus')).forbidden[0]!.violation;
    expect(v.axiom.name).toBe('atomic');
    expect(v.edges.map((e) => e.label)).toEqual(['fre', 'coe']);
  });
});

describe('the cycle that makes the point', () => {
  const v3 = load('swiotlb/v3-three-cpus-mb.litmus');
  const labels = (focus?: { thread: number; line: number; insteadOf?: string }) =>
    explainOutcome(v3, focus ? { focus } : {}).forbidden.map((f) => f.violation.edges.map((e) => e.label).join(' '));

  it('shows first, by default, the shortest cycle: the one v1\'s smp_wmb() already forbade', () => {
    expect(labels()[0]).toBe('smp_rmb fre smp_mb rfe');
  });

  it('given the smp_mb() that replaced smp_wmb(), shows first the cycle through a pair smp_wmb() does not order', () => {
    const [first] = labels({ thread: 1, line: 39, insteadOf: 'smp_wmb' });
    expect(first).toBe('fre rfe smp_mb rfe smp_rmb');
    const step = explainOutcome(v3, { focus: { thread: 1, line: 39, insteadOf: 'smp_wmb' } }).forbidden[0]!.violation.edges.find((e) => e.label === 'smp_mb')!;
    expect(step.sentence).toBe('P1 line 39: smp_mb() orders the read of pools (line 35) before the write of buf (line 40)');
  });

  it('finds the line of a CPU\'s call by the primitive\'s name, and refuses a CPU without one', () => {
    expect(focusOnCall(v3, 1, 'smp_mb', 'smp_wmb')).toEqual({ thread: 1, line: 39, insteadOf: 'smp_wmb' });
    expect(focusOnCall(v3, 2, 'smp_rmb')).toEqual({ thread: 2, line: 51 });
    expect(() => focusOnCall(v3, 0, 'smp_mb')).toThrow('v3-three-cpus-mb.litmus: P0 has no call of smp_mb()');
  });

  it('prefers a cycle through the line in focus, and keeps the shortest when none runs there', () => {
    const mp = load('patterns/MP+wmb+rmb.litmus');
    const plain = explainOutcome(mp).forbidden[0]!.violation.edges.map((e) => e.label);
    expect(explainOutcome(mp, { focus: { thread: 0, line: 1 } }).forbidden[0]!.violation.edges.map((e) => e.label)).toEqual(plain);
  });
});

describe('an RCU cycle, in the steps the rcu axiom counts', () => {
  it('tells the critical section, the link to the grace period and the grace period, with their lines', () => {
    const v = explainOutcome(load('patterns/RCU+rscs+sync.litmus')).forbidden[0]!.violation;
    expect(v.axiom.name).toBe('rcu');
    expect(v.edges.map((e) => e.label)).toEqual(['po', 'critical section', 'po', 'fre', 'po', 'po', 'rfe']);
    expect(v.edges.map((e) => e.sentence)).toEqual([
      "P0's read of x=1 (line 24) is inside P0's read-side critical section (lines 23-26), before its end",
      "the whole of P0's read-side critical section (lines 23-26) counts as one step: the next steps start from its rcu_read_lock() (line 23)",
      'P0 runs rcu_read_lock() (line 23) before the read of y (line 25) (program order)',
      "P0's read of y=0 (line 25) reads a value older than P1's write of y=1 (line 31): that write had not reached P0",
      'P1 runs the write of y (line 31) before synchronize_rcu() (line 32) (program order)',
      "P1's grace period (line 32) ends before P1's write of x=1 (line 33)",
      "P0's read of x=1 (line 24) reads the value of P1's write of x=1 (line 33)",
    ]);
    // The steps join up: each ends where the next begins, and the last where the first began.
    v.edges.forEach((e, i) => expect(v.edges[(i + 1) % v.edges.length]!.from).toBe(e.to));
  });
});

describe('explaining a large test', () => {
  const big = parseLitmus(FAMILIES.find((f) => f.name === 'cs-spin_lock')!.generate(5).text, 'cs5.litmus');

  it('bounds the search for forbidden executions and says the count is a lower bound', () => {
    const ex = explainOutcome(big, { maxCandidates: 2000 });
    expect(ex.result.observation).toBe('Never');
    expect([ex.forbiddenCountComplete, ex.candidatesExamined]).toEqual([false, 2000]);
    expect(ex.forbidden.length).toBeGreaterThan(0);
    expect(explanationText(ex).replace(/\s+/g, ' ')).toContain(`Executions with the outcome that the model forbids: at least ${ex.forbiddenCount} (counted among the first 2000 candidate executions)`);
  });

  it('counts every forbidden execution of a small test', () => {
    const ex = explainOutcome(load('patterns/SB+mb+mb.litmus'));
    expect([ex.forbiddenCountComplete, ex.candidatesExamined]).toEqual([true, 4]);
  });
});

describe('the witness of an allowed outcome', () => {
  it('is the first allowed execution with the outcome in the full enumeration, found by the pruned one', () => {
    for (const path of ['swiotlb/v1-three-cpus.litmus', 'patterns/SB+once+once.litmus', 'patterns/IRIW+once+once.litmus', 'patterns/MP+cmpxchg-fail+rmb.litmus', 'patterns/RCU+rscs+once.litmus']) {
      const test = load(path);
      const program = buildProgram(test);
      const first = [...candidates(program, { everyCandidate: true })].find(
        (x) => evaluate(test.condition.prop, (o) => finalValue(x, o)) && checkModel(lkmm, x, false).allowed,
      );
      const ex = explainOutcome(test);
      expect(ex.witness?.execution.rf.equals(first!.rf), path).toBe(true);
      expect(ex.witness?.execution.co.equals(first!.co), path).toBe(true);
    }
  });
});

describe('a forbidden cycle in the steps of its axiom', () => {
  const steps = (path: string) => {
    const v = explainOutcome(load(path)).forbidden[0]!.violation;
    // The steps partition the cycle's edges, in order, each step ending where the next begins.
    expect(v.steps.flatMap((s) => s.edges)).toEqual(v.edges);
    v.steps.forEach((s, i) => {
      expect(s.edges[0]!.from).toBe(s.from);
      expect(s.edges[s.edges.length - 1]!.to).toBe(s.to);
      expect(v.steps[(i + 1) % v.steps.length]!.from).toBe(s.to);
    });
    return `${v.axiom.relation}: ${v.steps.map((s) => s.edges.map((e) => e.label).join(' ; ')).join(' | ')}`;
  };

  it('splits a pb cycle into its pb edges: prop, then a strong fence', () => {
    expect(steps('patterns/SB+mb+mb.litmus')).toBe('pb: fre ; smp_mb | fre ; smp_mb');
    expect(steps('patterns/IRIW+mb+mb.litmus')).toBe('pb: fre ; rfe ; smp_mb | fre ; rfe ; smp_mb');
  });

  it('splits an hb cycle into ppo, rfe and prop steps', () => {
    expect(steps('patterns/MP+wmb+rmb.litmus')).toBe('hb: smp_rmb | fre ; smp_wmb ; rfe');
    expect(steps('patterns/WRC+once+release+acquire.litmus')).toBe('hb: acquire | fre ; rfe ; release ; rfe');
  });

  it('tells an rb step through its critical section and grace period as one step', () => {
    expect(steps('patterns/RCU+rscs+sync.litmus')).toBe('rb: po ; critical section ; po ; fre ; po ; po ; rfe');
  });
});

describe('the explanation tells a compound cycle step by step', () => {
  const text = (path: string) => explanationText(explainOutcome(load(path)));

  it('names each pb step and what it is made of', () => {
    const sb = text('patterns/SB+mb+mb.litmus');
    expect(sb).toContain('     The cycle, in 2 pb steps:\n       pb 1, from P0\'s read of y=0 (line 22) to P1\'s read of x=0 (line\n         31): prop (fre) ; strong fence (smp_mb)\n         - P0\'s read of y=0 (line 22) reads a value older than P1\'s\n');
  });

  it('keeps a cycle of single orderings flat, and says what an empty or irreflexive axiom found', () => {
    expect(text('patterns/CoRR.litmus')).toContain('     The cycle:\n       - P1\'s read of x=1');
    expect(text('patterns/atomic_inc+atomic_inc.litmus')).toContain('     The pair in atomic, P1\'s read of c=0 (line 25) and P1\'s write of\n       c=1 (line 25):\n');
    expect(text('patterns/RCU+rscs+sync.litmus')).toContain('     The rb step from P0\'s read of x=1 (line 24) back to itself:\n');
  });
});
