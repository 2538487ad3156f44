/**
 * Everything the playground shows about one litmus test, computed by the
 * same library the command line uses (from dist/, no server), as plain data
 * so that it can cross from the worker that computes it to the page. The
 * allowed executions stay with the caller (they are not plain data): the
 * page asks for one of them to be drawn by its number (`drawExecution`).
 */
import {
  parseLitmus, check, explainOutcome, explanationText, barrierReports, counterfactuals,
  executionFlowchart, witnessSequence, herdText, verdictWords, verdictSentence, outcomePhrase,
  executionsByState, showValue,
} from '../../../dist/index.js';

/** Tests with more allowed executions than this list their final states only. */
export const MAX_LISTED_EXECUTIONS = 1000;

/** `{ analysis, executions }`: the plain-data analysis, and the allowed executions it numbers (empty when too many). */
export function analyse(text) {
  const test = parseLitmus(text, 'playground.litmus');
  const result = check(test);
  const ex = explainOutcome(test);
  const barriers = barrierReports(test);
  const cf = counterfactuals(test, { reports: barriers });
  const diagrams = [];
  if (ex.witness) {
    diagrams.push({ caption: `An allowed execution ${outcomePhrase(ex)}`, text: executionFlowchart(ex.witness.execution) });
    diagrams.push({ caption: 'The same execution as a sequence diagram', text: witnessSequence(ex.witness.execution) });
  } else if (ex.forbidden[0]) {
    const f = ex.forbidden[0];
    diagrams.push({ caption: `A forbidden execution ${outcomePhrase(ex)}: the ${f.violation.axiom.name} cycle in red`, text: executionFlowchart(f.execution, { highlight: f.violation.edges }) });
  }
  // Every allowed execution, numbered from 1 in herd7's order of final states.
  const listed = result.allowed <= MAX_LISTED_EXECUTIONS;
  const groups = listed ? executionsByState(check(test, { keepExecutions: true })) : result.states.map((state) => ({ state, executions: [] }));
  const executions = [];
  const states = groups.map(({ state, executions: xs }) => ({
    // As herd7 prints a state: `1:r0=1; 1:r1=0;`.
    text: state.values.map(([label, value]) => `${label}=${showValue(value)};`).join(' '),
    executions: state.executions,
    satisfies: state.satisfies,
    numbers: xs.map((x) => {
      executions.push(x);
      return executions.length;
    }),
  }));
  const analysis = {
    observation: result.observation,
    verdictWords: verdictWords(result),
    sentence: verdictSentence(ex),
    outcomePhrase: outcomePhrase(ex),
    flags: Array.from(result.flags),
    outcome: ex.outcome,
    canHappen: Boolean(ex.witness),
    // Array.from, not a spread: Docusaurus compiles site/src/ in Babel's loose mode, where
    // `[...set]` becomes `[].concat(set)`, an array holding the Set ("[object Set]").
    axioms: Array.from(new Set(ex.forbidden.map((f) => f.violation.axiom.name))),
    explanation: explanationText(ex),
    diagrams,
    states,
    allowed: result.allowed,
    listed,
    barriers: barriers.map((b) => ({
      thread: b.thread, line: b.line, col: b.col, primitive: b.primitive, rule: b.rule, cumulativity: b.cumulativity, ordersNothing: b.ordersNothing,
      orders: b.orders.map((p) => ({ before: p.before, beforeLine: p.beforeLine, after: p.after, afterLine: p.afterLine })),
    })),
    whatIf: cf.primitives.map((c) => ({
      thread: c.thread, line: c.line, col: c.col, primitive: c.primitive, assessment: c.assessment,
      removed: c.removed ? c.removed.observation : null,
      alternatives: c.alternatives.map((a) => ({ primitive: a.primitive, observation: a.verdict.observation })),
    })),
    herd: herdText(result),
  };
  return { analysis, executions };
}

/** Execution number `n` (from 1) of `executions`, as a Mermaid diagram. */
export function drawExecution(executions, n) {
  const x = executions[n - 1];
  if (!x) throw new Error(`no allowed execution number ${n}`);
  return executionFlowchart(x);
}
