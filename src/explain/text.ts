/**
 * Explanations as plain text, for the terminal and for mailing lists
 * (lines kept within 72 columns where the content allows).
 */

import type { BarrierReport } from './barriers.js';
import type { Counterfactual, Verdict } from './counterfactuals.js';
import type { OutcomeExplanation } from './outcome.js';
import type { ExplainedEdge, ViolationStep } from './types.js';
import { eventPhrase } from './describe.js';

const WIDTH = 72;

/** Wraps a paragraph to the width, indenting continuation lines. */
export function wrap(text: string, indent = '', first = indent, width = WIDTH): string {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + w;
    } else {
      line = empty ? line + w : `${line} ${w}`;
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines.join('\n');
}

/**
 * The verdict as a sentence (without its capital or full stop). For
 * `exists` and `~exists`: whether the outcome can happen. For `forall`,
 * whose outcome is the condition failing: whether the condition holds in
 * every allowed execution, so that "Always" never reads as the bad outcome
 * always happening. `code` and `strong` mark up the parts (Markdown, JSX).
 */
export function verdictSentence(ex: OutcomeExplanation, code: (s: string) => string = (s) => s, strong: (s: string) => string = (s) => s): string {
  const r = ex.result;
  if (r.quantifier === 'forall') {
    const condition = ex.outcome.replace(/^not \((.*)\)$/, '$1');
    const total = r.positive + r.negative;
    const counts = `${r.observation} (${r.positive} of ${total} allowed execution${total === 1 ? '' : 's'} satisfy it)`;
    return `the condition ${code(condition)} ${strong(ex.witness ? 'fails in some allowed execution' : 'holds in every allowed execution')}: ${counts}`;
  }
  return `the outcome ${code(ex.outcome)} ${strong(ex.witness ? 'can happen' : 'cannot happen')}: ${verdictWords(r)}`;
}

/** How a diagram's caption names what it shows: `with the outcome`, or for `forall`, `where the condition fails`. */
export function outcomePhrase(ex: OutcomeExplanation): string {
  return ex.result.quantifier === 'forall' ? 'where the condition fails' : 'with the outcome';
}

/** Relations of a strong fence, as the explanations name the edges. */
const STRONG_FENCES = new Set(['mb', 'gp', 'strong-fence', 'strong-fence0', 'rcu-fence']);

/**
 * What one step of an hb or pb cycle is, in the terms of the relation's
 * definition: `ppo`, `rfe`, `prop, both ends on one CPU` for hb;
 * `prop (fre) ; strong fence (smp_mb) ; hb (...)` for pb. Null for other
 * relations, or when the step does not show its parts.
 */
export function stepKind(relation: string, edges: readonly ExplainedEdge[]): string | null {
  const labels = (es: readonly ExplainedEdge[]): string => es.map((e) => e.label).join(' ; ');
  if (relation === 'hb') {
    if (edges.length === 1) return edges[0]!.relation === 'rf' ? 'rfe' : 'ppo';
    return 'prop, both ends on one CPU';
  }
  if (relation === 'pb') {
    const i = edges.findIndex((e) => STRONG_FENCES.has(e.relation));
    if (i < 0) return null;
    const parts = [i > 0 ? `prop (${labels(edges.slice(0, i))})` : 'prop (empty)', `strong fence (${edges[i]!.label})`];
    if (i + 1 < edges.length) parts.push(`hb (${labels(edges.slice(i + 1))})`);
    return parts.join(' ; ');
  }
  return null;
}

/** The lines that tell a violation's edges: flat for a cycle of single orderings, else step by step. */
function violationLines(x: OutcomeExplanation['forbidden'][number]): string[] {
  const { axiom, edges, steps } = x.violation;
  const events = x.execution.skeleton.events;
  const phrase = (id: number): string => eventPhrase(x.execution, events[id]!);
  const edgeLines = (es: readonly ExplainedEdge[], indent = '       '): string[] => es.map((e) => wrap(`${e.sentence} [${e.label}]`, `${indent}  `, `${indent}- `));
  const relation = axiom.relation.replace(/-rel$/, '');
  if (edges.length === 0) return [];
  if (axiom.test === 'acyclic' && steps.every((s) => s.edges.length === 1)) return ['     The cycle:', ...edgeLines(edges)];
  if (axiom.test === 'acyclic') {
    const out = [`     The cycle, in ${steps.length} ${relation} step${steps.length === 1 ? '' : 's'}:`];
    steps.forEach((s: ViolationStep, i) => {
      const kind = stepKind(relation, s.edges);
      out.push(wrap(`${relation} ${i + 1}, from ${phrase(s.from)} to ${phrase(s.to)}${kind ? `: ${kind}` : ''}`, '         ', '       '), ...edgeLines(s.edges, '         '));
    });
    return out;
  }
  const step = steps[0]!;
  const head = axiom.test === 'irreflexive' ? `The ${relation} step from ${phrase(step.from)} back to itself:` : `The pair in ${relation}, ${phrase(step.from)} and ${phrase(step.to)}:`;
  return [wrap(head, '       ', '     '), ...edgeLines(edges)];
}

export function verdictWords(v: Verdict): string {
  const total = v.positive + v.negative;
  return `${v.observation} (${v.positive} of ${total} allowed execution${total === 1 ? '' : 's'})`;
}

/**
 * The explanation as text. With `verdict: false`, it leaves out its first
 * lines (the test's condition and the verdict), for a caller that states
 * the verdict itself.
 */
export function explanationText(ex: OutcomeExplanation, options: { verdict?: boolean } = {}): string {
  const r = ex.result;
  const out: string[] = [];
  if (options.verdict ?? true) {
    out.push(`Test ${r.name}: ${r.quantifier} (${ex.outcome.replace(/^not \((.*)\)$/, '$1')})`);
    const sentence = verdictSentence(ex);
    out.push(wrap(`${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`, '  ', ''));
  }
  if (ex.witness) {
    out.push('');
    out.push('Why it can happen: one allowed execution, in an order the model permits:');
    ex.witness.story.forEach((s, i) => out.push(wrap(s.sentence, '      ', `  ${String(i + 1).padStart(2)}. `)));
  }
  if (ex.forbiddenCount > 0) {
    out.push('');
    const shown = ex.forbidden.length < ex.forbiddenCount ? `; ${ex.forbidden.length} distinct reason${ex.forbidden.length === 1 ? '' : 's'} shown` : '';
    const count = ex.forbiddenCountComplete ? String(ex.forbiddenCount) : `at least ${ex.forbiddenCount} (counted among the first ${ex.candidatesExamined} candidate executions)`;
    out.push(wrap(`Executions ${outcomePhrase(ex)} that the model forbids: ${count}${shown}.`, '  ', ''));
    ex.forbidden.forEach((f, i) => {
      const a = f.violation.axiom;
      out.push(wrap(`#${i + 1} breaks ${a.name} (${a.test} ${a.relation.replace(/-rel$/, '')}): ${a.doc}.`, '     ', '  '));
      out.push(...violationLines(f));
    });
  } else if (!ex.witness) {
    out.push('');
    out.push('No candidate execution ends with this outcome: the code cannot produce it.');
  }
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}

export function barriersText(reports: readonly BarrierReport[], cf: { original: Verdict; primitives: readonly Counterfactual[] } | null, advice: readonly string[] = []): string {
  const out: string[] = [];
  if (reports.length === 0) {
    out.push(wrap('No ordering primitives: on each CPU, every access may be reordered with the others.', '  ', ''));
    if (advice.length > 0) {
      out.push('', 'What would order each kind of pair, on its own CPU:');
      for (const line of advice) out.push(wrap(line, '    ', '  '));
    }
    if (cf) out.push('', wrap(`The test as written: ${verdictWords(cf.original)}; no primitive to remove or replace.`, '  ', ''));
    return `${out.join('\n')}\n`;
  }
  out.push('Ordering primitives, each on its own CPU:');
  for (const b of reports) {
    out.push('');
    const head = `P${b.thread} line ${b.line}: ${b.primitive}${b.kind === 'dependency' ? '' : '()'}  [${b.kind}]`;
    if (b.kind === 'rcu-read') {
      // A critical section's ends order nothing on their own CPU: one line each.
      out.push(`P${b.thread} line ${b.line}: ${b.primitive}(): ${b.primitive.endsWith('unlock') ? 'end' : 'start'} of a read-side critical section`);
      continue;
    }
    out.push(head);
    out.push(wrap(`orders ${b.rule}`, '    ', '  '));
    if (b.ordersNothing) out.push(wrap(`here: ${b.ordersNothing}`, '    ', '  '));
    for (const p of b.orders) out.push(`    ${p.before} (line ${p.beforeLine}) -> ${p.after} (line ${p.afterLine})`);
    if (b.cumulativity) out.push(wrap(b.cumulativity, '    ', '  '));
  }
  if (cf) {
    out.push('');
    out.push(wrap(`Counterfactuals (the test as written: ${verdictWords(cf.original)}):`, '  ', ''));
    for (const c of cf.primitives) {
      out.push('');
      out.push(`P${c.thread} line ${c.line}: ${c.primitive}`);
      out.push(wrap(c.assessment, '    ', '  '));
      if (c.removed) out.push(`    removed: ${verdictWords(c.removed)}`);
      for (const a of c.alternatives) out.push(`    ${a.direction === 'weaker' ? 'weaker' : 'stronger'} ${a.primitive}: ${verdictWords(a.verdict)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
