/**
 * The model pages' generated parts, read from the model's own source: a
 * definition as written in src/models/lkmm.ts (or base.ts, for what every
 * model shares), with the definitions it reads linked; the page listing
 * every definition in the model's order; and a forbidden cycle told step
 * by step in the axiom's own relation (each hb, pb or rb edge and the
 * orderings it is made of). Nothing here is written by hand, so the pages
 * cannot drift from the code.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = ['src/models/lkmm.ts', 'src/models/base.ts'];
const DEFINER = /(?:m\.(?:let|fixed|internal)|tagSet|fenceSet|kindSet)\(\s*'([^']+)'/g;
const AXIOM = /m\.axiom\(\s*'(\w+)',\s*'([^']+)',\s*'([^']+)'/g;

/** The statement that starts at `at` in `text`: up to the `)` that closes its first `(`, and the `;` after. */
function statementAt(text, at) {
  let depth = 0;
  let quote = null;
  for (let i = text.indexOf('(', at); i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(at, text[i + 1] === ';' ? i + 2 : i + 1);
  }
  throw new Error(`unbalanced statement at ${at}`);
}

/** The one-line helpers of a model file (`const aCumul = (e, r) => ...;`), by name. */
function helpersOf(text) {
  return new Map([...text.matchAll(/^const (\w+) = \((?:e|env)\b.*;$/gm)].map((m) => [m[1], m[0]]));
}

/** Every definition's source statement, by name, with its file and line; a helper it calls comes first. */
export function modelSources(root) {
  const out = new Map();
  for (const file of SOURCES) {
    const text = readFileSync(join(root, file), 'utf8');
    const helpers = helpersOf(text);
    for (const m of text.matchAll(DEFINER)) {
      if (out.has(m[1])) continue;
      const line = text.slice(0, m.index).split('\n').length;
      const code = statementAt(text, m.index);
      const used = [...helpers].filter(([name]) => new RegExp(`\\b${name}\\(`).test(code)).map(([, def]) => def);
      out.set(m[1], { file, line, code: [...used, code].join('\n') });
    }
    for (const m of text.matchAll(AXIOM)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.set(`axiom:${m[3]}`, { file, line, code: statementAt(text, m.index) });
    }
  }
  return out;
}

/** The anchor of a definition on the definitions page (`hb*` has a `*`, which ids cannot). */
export function anchorOf(name) {
  return name.replace(/\*/g, '-star').replace(/[^A-Za-z0-9-]/g, '-');
}

/** The definitions a statement reads, in order of first use. */
export function partsOf(code) {
  const names = [...code.matchAll(/\be\.[rs]\('([^']+)'\)/g)].map((m) => m[1]);
  return [...new Set(names)];
}

/**
 * A definition for a model page: what it holds (the model's one line), the
 * code that defines it, and the definitions it reads, each linked to its
 * page (`pageOf(name)`, a relative URL or null) or to its entry in the list.
 */
export function definitionBlock(name, { model, sources, pageOf, definitionsPage = './definitions.mdx' }) {
  const def = model.definitions.find((d) => d.name === name);
  const source = sources.get(name);
  if (!def || !source) throw new Error(`the model has no definition named '${name}'`);
  const link = (n) => `[\`${n}\`](${pageOf(n) ?? `${definitionsPage}#${anchorOf(n)}`})`;
  const parts = partsOf(source.code);
  const out = [`**\`${name}\`**: ${def.doc}.`, '', fenceTs(source), ''];
  if (parts.length) out.push(`It reads ${parts.map(link).join(', ')}.`, '');
  return out.join('\n');
}

function fenceTs(source) {
  return `\`\`\`ts title="${source.file}, line ${source.line}"\n${source.code}\n\`\`\``;
}

/** Every definition and axiom of the model, in its order, each with its code (the definitions page). */
export function definitionsList(model, sources, pageOf) {
  const out = [];
  for (const def of model.definitions) {
    const source = sources.get(def.name);
    if (!source || !def.doc) continue; // the flags' helper sets carry no meaning of their own
    const page = pageOf(def.name);
    out.push(`### \`${def.name}\` {#${anchorOf(def.name)}}`, '', `${def.doc}.${page ? ` See [its page](${page}).` : ''}`, '', fenceTs(source), '');
  }
  out.push('## Axioms', '');
  for (const axiom of model.axioms) {
    const source = sources.get(`axiom:${axiom.name}`);
    out.push(`### ${axiom.name} {#axiom-${anchorOf(axiom.name)}}`, '', `\`${axiom.test} ${axiom.relation}\`: ${axiom.doc}.`, '');
    if (source) out.push(fenceTs(source), '');
  }
  return out.join('\n');
}

/** The orderings of a step as labels, with each grace period the chain passes through named. */
function madeOf(execution, edges) {
  const events = execution.skeleton.events;
  const isGracePeriod = (id) => /^synchronize_/.test(events[id]?.origin?.primitive ?? '');
  return edges.flatMap((e, i) => [`\`${e.label}\``, ...(isGracePeriod(e.to) && edges[i + 1]?.from === e.to ? ['**grace period**'] : [])]).join(' ; ');
}

/**
 * A forbidden cycle told in the axiom's own relation: one row per step (an
 * hb, pb or rb edge), its ends, and the orderings it is made of, in order;
 * for hb and pb, which part of the relation's definition each step is.
 */
export function stepsTable(execution, violation, { eventPhrase, stepKind, esc }) {
  const { axiom, steps } = violation;
  const events = execution.skeleton.events;
  const relation = axiom.relation.replace(/-rel$/, '');
  const what = axiom.test === 'acyclic' ? `a cycle of ${steps.length} ${relation} step${steps.length === 1 ? '' : 's'}` : axiom.test === 'irreflexive' ? `one ${relation} step from an event back to itself` : `a pair in ${relation}`;
  const kinds = steps.map((s) => stepKind(relation, s.edges));
  const withKind = kinds.every((k) => k !== null);
  const out = [`*The ${axiom.name} axiom (\`${axiom.test} ${axiom.relation}\`) fails on ${what}; each step is made of these orderings:*`, ''];
  out.push(withKind ? '| step | from | to | made of | as |' : '| step | from | to | made of |', withKind ? '| :-: | --- | --- | --- | --- |' : '| :-: | --- | --- | --- |');
  steps.forEach((s, i) => {
    const cells = [`${relation} ${i + 1}`, esc(eventPhrase(execution, events[s.from])), esc(eventPhrase(execution, events[s.to])), madeOf(execution, s.edges)];
    if (withKind) cells.push(esc(kinds[i]));
    out.push(`| ${cells.join(' | ')} |`);
  });
  return out.join('\n');
}
