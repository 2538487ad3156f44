/**
 * Review reports: a walkthrough of one test that a reviewer can paste into
 * a review: the verdict, why, the barriers and what each is needed for, and
 * a diagram. Markdown (with Mermaid) for web review tools; plain text
 * (ASCII diagram, 72 columns) for mailing lists, where Markdown does not render.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { executionAscii, executionFlowchart } from '../diagram/index.js';
import { barrierReports, type BarrierReport } from '../explain/barriers.js';
import { counterfactuals, type Counterfactual, type Verdict } from '../explain/counterfactuals.js';
import { explainOutcome, type OutcomeExplanation } from '../explain/outcome.js';
import type { CycleFocus } from '../explain/focus.js';
import { barriersText, explanationText, outcomePhrase, verdictSentence, verdictWords, wrap } from '../explain/text.js';
import { orderingAdvice } from '../explain/advice.js';
import { buildProgram } from '../events/program.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { herdText } from '../verdict/herd.js';

export type ReportFormat = 'md' | 'text';

export type ReportSection = 'verdict' | 'why' | 'diagram' | 'barriers' | 'whatif' | 'herd';

export const ALL_SECTIONS: readonly ReportSection[] = ['verdict', 'why', 'diagram', 'barriers', 'whatif', 'herd'];

export interface ReportOptions {
  readonly format?: ReportFormat;
  readonly model?: MemoryModel;
  /** Which parts to include, in report order (default: all). */
  readonly sections?: readonly ReportSection[];
  /** The heading level of the title (default 1; the sections are one level below). */
  readonly level?: number;
  /** The primitive under discussion: the forbidden executions' cycles run through it where they can. */
  readonly focus?: CycleFocus;
}

interface Parts {
  readonly ex: OutcomeExplanation;
  readonly barriers: readonly BarrierReport[];
  readonly cf: { readonly original: Verdict; readonly primitives: readonly Counterfactual[] };
  /** With no ordering primitive: what would order each kind of pair. */
  readonly advice: readonly string[];
}

function gather(test: LitmusTest, model: MemoryModel, sections: ReadonlySet<ReportSection>, focus: CycleFocus | undefined): Parts {
  const needsWhatIf = sections.has('whatif');
  const barriers = sections.has('barriers') || needsWhatIf ? barrierReports(test) : [];
  return {
    ex: explainOutcome(test, { model, ...(focus ? { focus } : {}) }),
    barriers,
    advice: barriers.length === 0 && (sections.has('barriers') || needsWhatIf) ? orderingAdvice(buildProgram(test)) : [],
    cf: needsWhatIf ? counterfactuals(test, { model, reports: barriers }) : { original: { observation: 'Never', positive: 0, negative: 0 }, primitives: [] },
  };
}

/** The execution a diagram should show: the witness, or else the first forbidden one with its cycle. */
function diagramSubject(ex: OutcomeExplanation) {
  if (ex.witness) return { x: ex.witness.execution, highlight: [] as const, caption: `an allowed execution ${outcomePhrase(ex)}` };
  const f = ex.forbidden[0];
  if (f) return { x: f.execution, highlight: f.violation.edges, caption: `a forbidden execution ${outcomePhrase(ex)}: the ${f.violation.axiom.name} cycle in red` };
  return null;
}

export function reviewReport(test: LitmusTest, options: ReportOptions = {}): string {
  const model = options.model ?? lkmm;
  const sections = new Set(options.sections ?? ALL_SECTIONS);
  const parts = gather(test, model, sections, options.focus);
  return (options.format ?? 'md') === 'md' ? markdown(model, parts, sections, options.level ?? 1) : plainText(model, parts, sections);
}

function markdown(model: MemoryModel, { ex, barriers, cf, advice }: Parts, sections: ReadonlySet<ReportSection>, level: number): string {
  const r = ex.result;
  const h = (n: number): string => '#'.repeat(Math.min(6, level + n));
  const out: string[] = [];
  out.push(`${h(0)} ${r.name}`, '');
  if (sections.has('verdict')) {
    out.push(`**${model.title}:** ${verdictSentence(ex, (c) => `\`${c}\``, (w) => `**${w}**`)}.`, '');
  }
  if (sections.has('why')) out.push(`${h(1)} Why`, '', '```text', explanationText(ex, { verdict: !sections.has('verdict') }).trimEnd(), '```', '');
  const subject = sections.has('diagram') ? diagramSubject(ex) : null;
  if (subject) {
    out.push(`${h(1)} Diagram`, '', `${subject.caption[0]!.toUpperCase()}${subject.caption.slice(1)}.`, '', '```mermaid', executionFlowchart(subject.x, { highlight: subject.highlight, model }).trimEnd(), '```', '');
  }
  if (sections.has('barriers')) {
    out.push(`${h(1)} Barriers, each on its own CPU`, '');
    if (barriers.length === 0) {
      out.push('No ordering primitives: on each CPU, every access may be reordered with the others. What would order each kind of pair, on its own CPU:', '');
      for (const line of advice) out.push(`- ${line}`);
    } else out.push('| CPU | line | primitive | orders | pairs on its CPU | cumulativity |', '| --- | --- | --- | --- | --- | --- |');
    for (const b of barriers) {
      const pairs = b.orders.length > 0 ? b.orders.map((p) => `${p.before} (${p.beforeLine}) → ${p.after} (${p.afterLine})`).join('<br>') : b.ordersNothing ? `*${b.ordersNothing}*` : '—';
      out.push(`| P${b.thread} | ${b.line} | \`${b.primitive}\` | ${b.rule} | ${pairs} | ${b.cumulativity || '—'} |`);
    }
    out.push('');
  }
  if (sections.has('whatif')) {
    out.push(`${h(1)} What if`, '', `As written: ${verdictWords(cf.original)}.`, '');
    if (cf.primitives.length === 0) out.push('No primitive to remove or replace.');
    else out.push('| CPU | line | primitive | removed | alternatives | assessment |', '| --- | --- | --- | --- | --- | --- |');
    for (const c of cf.primitives) {
      const alts = c.alternatives.map((a) => `${a.primitive}: ${a.verdict.observation}`).join('<br>') || '—';
      out.push(`| P${c.thread} | ${c.line} | \`${c.primitive}\` | ${c.removed ? c.removed.observation : '—'} | ${alts} | ${c.assessment} |`);
    }
    out.push('');
  }
  if (sections.has('herd')) out.push(`${h(1)} herd7-compatible output`, '', '```text', herdText(r).trimEnd(), '```', '');
  return out.join('\n');
}

function plainText(model: MemoryModel, { ex, barriers, cf, advice }: Parts, sections: ReadonlySet<ReportSection>): string {
  const r = ex.result;
  const out: string[] = [];
  const rule = '-'.repeat(72);
  out.push(`${r.name} under the ${model.title}`, rule);
  if (sections.has('verdict')) {
    const sentence = verdictSentence(ex);
    out.push(wrap(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`));
  }
  if (sections.has('why')) out.push('', explanationText(ex, { verdict: !sections.has('verdict') }).trimEnd());
  const subject = sections.has('diagram') ? diagramSubject(ex) : null;
  if (subject) out.push('', rule, wrap(`Diagram: ${subject.caption}.`), '', executionAscii(subject.x, { highlight: subject.highlight }).trimEnd());
  if (sections.has('barriers') || sections.has('whatif')) out.push('', rule, barriersText(barriers, sections.has('whatif') ? cf : null, advice).trimEnd());
  if (sections.has('herd')) out.push('', rule, herdText(r).trimEnd());
  out.push('');
  return out.join('\n');
}
