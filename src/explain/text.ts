/**
 * Explanations as plain text, for the terminal and for mailing lists
 * (lines kept within 72 columns where the content allows).
 */

import type { BarrierReport } from './barriers.js';
import type { Counterfactual, Verdict } from './counterfactuals.js';
import type { OutcomeExplanation } from './outcome.js';

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
      if (f.violation.edges.length > 0) out.push('     The cycle:');
      for (const e of f.violation.edges) out.push(wrap(`${e.sentence} [${e.label}]`, '         ', '       - '));
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
