/**
 * Everything the playground shows about one litmus test, computed by the
 * same library the command line uses (from dist/, no server), as plain data
 * so that it can cross from the worker that computes it to the page.
 */
import {
  parseLitmus, check, explainOutcome, explanationText, barrierReports, counterfactuals,
  executionFlowchart, witnessSequence, herdText, verdictWords, verdictSentence, outcomePhrase,
} from '../../../dist/index.js';

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
  return {
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
}
