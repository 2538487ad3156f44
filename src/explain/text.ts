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

export function verdictWords(v: Verdict): string {
  const total = v.positive + v.negative;
  return `${v.observation} (${v.positive} of ${total} allowed execution${total === 1 ? '' : 's'})`;
}

export function explanationText(ex: OutcomeExplanation): string {
  const r = ex.result;
  const out: string[] = [];
  out.push(`Test ${r.name}: ${r.quantifier} (${ex.outcome.replace(/^not \((.*)\)$/, '$1')})`);
  out.push(wrap(`Outcome ${ex.outcome}: ${ex.witness ? 'can happen' : 'cannot happen'}. ${verdictWords(r)}.`, '  ', ''));
  if (ex.witness) {
    out.push('');
    out.push('Why it can happen: one allowed execution, in an order the model permits:');
    ex.witness.story.forEach((s, i) => out.push(wrap(s.sentence, '      ', `  ${String(i + 1).padStart(2)}. `)));
  }
  if (ex.forbiddenCount > 0) {
    out.push('');
    const shown = ex.forbidden.length < ex.forbiddenCount ? `; ${ex.forbidden.length} distinct reason${ex.forbidden.length === 1 ? '' : 's'} shown` : '';
    const count = ex.forbiddenCountComplete ? String(ex.forbiddenCount) : `at least ${ex.forbiddenCount} (counted among the first ${ex.candidatesExamined} candidate executions)`;
    out.push(wrap(`Executions with this outcome that the model forbids: ${count}${shown}.`, '  ', ''));
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
  return `${out.join('\n')}\n`;
}

export function barriersText(reports: readonly BarrierReport[], cf: { original: Verdict; primitives: readonly Counterfactual[] } | null): string {
  const out: string[] = [];
  out.push('Ordering primitives, each on its own CPU:');
  for (const b of reports) {
    out.push('');
    out.push(`P${b.thread} line ${b.line}: ${b.primitive}${b.kind === 'dependency' ? '' : '()'}  [${b.kind}]`);
    out.push(wrap(`orders ${b.rule}`, '    ', '  '));
    if (b.ordersNothing) out.push(wrap(`here: ${b.ordersNothing}`, '    ', '  '));
    for (const p of b.orders) out.push(`    ${p.before} (line ${p.beforeLine}) -> ${p.after} (line ${p.afterLine})`);
    out.push(wrap(b.cumulativity, '    ', '  '));
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
