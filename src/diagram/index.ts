/**
 * Diagrams of executions: Mermaid flowcharts and sequence diagrams for web
 * pages and documentation, plain text for mailing lists. Browser-safe.
 */

export { executionDiagram, executionFlowchart, type FlowchartOptions } from './flowchart.js';
export { legendEntries, type LegendNeeds } from './legend.js';
export { witnessSequence, type SequenceOptions } from './sequence.js';
export { executionAscii, type AsciiOptions } from './ascii.js';
export { communicationEdges, orderingEdges, type DiagramEdge, type EdgeKind } from './edges.js';
export { executionOrder } from './order.js';
