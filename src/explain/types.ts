/**
 * What explanations are made of: labelled edges between events of one
 * execution, and cycles of them that show why an axiom fails.
 */

import type { Axiom } from '../models/model.js';

/** One step of an explanation: event `from` is ordered before event `to`. */
export interface ExplainedEdge {
  readonly from: number;
  readonly to: number;
  /**
   * The relation the edge belongs to, by its name in the model: a base
   * relation (`rf`, `co`, `fr`, `po-loc`, ...) or an ordering one (`ppo`,
   * `hb`, `pb`, `rb`, ...).
   */
  readonly relation: string;
  /** A short label for diagrams: `rfe`, `fre`, `smp_mb`, `addr`, `release`, ... */
  readonly label: string;
  /** One plain-English sentence, citing the code (`P1 line 12: smp_mb() orders ...`). */
  readonly sentence: string;
}

/** One step of a cycle in the axiom's own relation (one hb, pb or rb edge), and the orderings it is made of. */
export interface ViolationStep {
  readonly from: number;
  readonly to: number;
  /** The consecutive edges of `Violation.edges` that make up this step. */
  readonly edges: readonly ExplainedEdge[];
}

/** A cycle that breaks an acyclicity axiom (or the pair that breaks an emptiness axiom). */
export interface Violation {
  readonly axiom: Axiom;
  /** The edges around the cycle, each ending where the next begins. */
  readonly edges: readonly ExplainedEdge[];
  /**
   * The same edges grouped into the steps of the axiom's relation: for
   * `acyclic pb`, each pb edge of the cycle (a prop, a strong fence, then
   * hb), in order; an irreflexive or empty axiom's offence is one step.
   */
  readonly steps: readonly ViolationStep[];
}
