/**
 * barrier-lab's library API. Everything here runs in a browser as well as in Node.
 *
 *   const test = parseLitmus(text, 'MP.litmus');
 *   const result = check(test);            // the LKMM by default
 *   console.log(herdText(result));
 */

export type * from './litmus/ast.js';
export { parseLitmus, litmusSource } from './litmus/parser.js';
export { LitmusError } from './litmus/errors.js';
export { PRIMITIVES, lookupPrimitive, type Primitive } from './litmus/primitives.js';
export { buildProgram, type Program } from './events/program.js';
export { showValue, type Value } from './events/types.js';
export { candidates } from './executions/enumerate.js';
export type { Candidate } from './executions/candidate.js';
export type { Event, Skeleton } from './executions/skeleton.js';
export { EventSet, Relation } from './relations/algebra.js';
export { checkModel, Env, type MemoryModel, type Axiom, type Flag, type ModelVerdict } from './models/model.js';
export { lkmm } from './models/lkmm.js';
export { check, checkProgram, CheckLimitError, type CheckOptions, type CheckResult, type FinalState } from './verdict/check.js';
export { herdText, conditionText } from './verdict/herd.js';
export { executionsByState, type StateExecutions } from './verdict/states.js';
export { checkJson, executionJson, type CheckJson, type ExecutionJson } from './verdict/json.js';
export { MODELS, sc, tso } from './models/index.js';
export { catModel, type CatModelOptions, type CatSource } from './models/cat/compile.js';
export { parseConfig, type ModelConfig } from './models/cat/config.js';
export { primitivesFromMacros } from './models/cat/macros.js';
export { parseCat, CatError } from './models/cat/parser.js';
export { modelDifference, modelDifferenceText, type ModelDifference, type Disagreement } from './explain/model-diff.js';
export * from './explain/index.js';
export { reviewReport, ALL_SECTIONS, type ReportFormat, type ReportOptions, type ReportSection } from './report/report.js';
export { notebook, litmus, expectVerdict, mermaidSourceBlock, MERMAID_SOURCE_SUMMARY, litmusSourceBlock, LITMUS_SOURCE_SUMMARY, VerdictMismatch, type NotebookDisplay, type NotebookOptions, type ShowOptions, type SvgRenderer } from './notebook/index.js';
export { diagramId, mermaidConfig, themeSource, DIAGRAM_THEMES, THEME_BACKGROUND, type DiagramTheme, type MermaidSettings } from './mermaid/config.js';
export { contrast, parseColor, repairColor, MIN_CONTRAST, type Rgba } from './mermaid/color.js';
export * from './diagram/index.js';
