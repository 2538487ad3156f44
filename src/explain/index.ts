/** Explanations: why an outcome is forbidden or allowed, what each barrier orders, and what-ifs. */

export type { ExplainedEdge, Violation, ViolationStep } from './types.js';
export { violationOf } from './violations.js';
export { focusScore, focusOnCall, type CycleFocus } from './focus.js';
export { witnessStory, witnessOrder, type StoryStep } from './story.js';
export { explainOutcome, type OutcomeExplanation, type ForbiddenExecution, type Witness, type ExplainOptions } from './outcome.js';
export { barrierReports, type BarrierReport, type BarrierKind, type OrderedPair } from './barriers.js';
export { counterfactuals, type Counterfactual, type Alternative, type Verdict } from './counterfactuals.js';
export { callSites, replaceCall, type CallSite } from './mutate.js';
export { eventLabel, eventPhrase } from './describe.js';
export { orderingAdvice } from './advice.js';
export { barrierRows, accessRows, primitivesNotTabulated, ACCESS_PAIRS, type AccessPair, type BarrierRow, type AccessRow, type BarrierUsage, type Cumulativity } from './cheatsheet.js';
export { explanationText, barriersText, verdictWords, verdictSentence, outcomePhrase, stepKind, wrap } from './text.js';
