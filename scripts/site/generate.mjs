#!/usr/bin/env node
/**
 * Generates the documentation site's pages from hand-written templates
 * (site/content/) and the repository's litmus tests, through the library
 * in dist/ (run `npm run build` first). Every verdict, explanation, table
 * and diagram on the site is computed here, at build time; the templates
 * carry prose and placeholders only:
 *
 *   {{litmus PATH [expect=Never|Sometimes|Always] [axiom=NAME] [through=P1:smp_mb [insteadof=smp_wmb]] [sequence] [whatif] [nobarriers]}}
 *       the test at PATH (repo-relative): its code, verdict, explanation,
 *       a diagram (the witness, or the forbidden cycle in red), the barrier
 *       table; `expect` and `axiom` are checked, and the build fails when
 *       the checker disagrees; `through` picks the forbidden cycle through
 *       that CPU's call of the primitive (and, with `insteadof`, through a
 *       pair of accesses the replaced primitive would not order)
 *       [steps]: the forbidden cycle as a table of the axiom's steps (hb, pb, rb)
 *   {{definition NAME}}  the model's definition of NAME (src/models/), its parts linked
 *   {{definitions}}  every definition and axiom of the model, in order
 *   {{cli-help}}  {{primitives}}  {{exports}}  {{cheat-sheet}}
 *
 * Each rendered test leaves a marker `{/* verdict: PATH OBSERVATION P N *\/}`
 * that test/site-pages.test.ts compares with the checker.
 *
 * Writes site/docs/generated/ (the docs tree) and site/src/generated/
 * (data for the playground). Usage: node scripts/site/generate.mjs
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fence, joinSource, notebookToMarkdown } from './notebooks.mjs';
import { SiteDiagrams } from './diagrams.mjs';
import { playgroundLink } from '../../site/src/playground/share.js';
import { definitionBlock, definitionsList, modelSources, stepsTable } from './model.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const lib = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
const { parseLitmus, check, explainOutcome, explanationText, barrierReports, counterfactuals, executionFlowchart, witnessSequence, verdictWords, verdictSentence, outcomePhrase, herdText } = lib;

/** Text safe in MDX prose and table cells. */
export function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\{/g, '&#123;').replace(/\}/g, '&#125;').replace(/\|/g, '\\|');
}

/** The test's code without its header comment (the page has its own words). */
export function litmusBody(text) {
  const start = text.indexOf('(*');
  const end = start < 0 ? -1 : text.indexOf('*)', start);
  const body = start < 0 || end < 0 ? text : text.slice(0, start) + text.slice(end + 2);
  return body.replace(/\n{3,}/g, '\n\n').trim();
}

const PLACEHOLDER = /^\{\{litmus\s+(\S+)((?:\s+[^\s}]+)*)\s*\}\}\s*$/;

function parseOptions(rest) {
  const opts = {};
  for (const word of rest.trim().split(/\s+/).filter(Boolean)) {
    const [k, v] = word.split('=');
    opts[k] = v ?? true;
  }
  return opts;
}

/**
 * `through=P1:smp_mb` (and `insteadof=smp_wmb`): the forbidden cycle shown
 * runs through that CPU's call of the primitive the page is about.
 */
function throughOption(opts, test, context) {
  if (opts.insteadof && !opts.through) throw new Error(`${context}: insteadof= goes with through=`);
  if (!opts.through) return {};
  const m = /^P(\d+):(\w+)$/.exec(opts.through);
  if (!m) throw new Error(`${context}: through= takes CPU:PRIMITIVE, such as P1:smp_mb, not '${opts.through}'`);
  return { focus: lib.focusOnCall(test, Number(m[1]), m[2], typeof opts.insteadof === 'string' ? opts.insteadof : undefined) };
}

/** The link under each litmus test on the site: the playground, opened on the test. */
export function openInPlayground(text) {
  return `[Open in the playground](${playgroundLink(text)})`;
}

/** The name after `C` on a litmus test's first line. */
function litmusName(text) {
  return /^\s*C\s+(\S+)/.exec(text)?.[1] ?? 'test';
}

/** A notebook's title: its first heading, as Markdown (the index's link text). */
function notebookTitle(nb, file) {
  const first = nb.cells.find((c) => c.cell_type === 'markdown');
  return (first ? /^#\s+(.+)$/m.exec(joinSource(first.source))?.[1]?.trim() : undefined) ?? file;
}

function verdictBadge(observation) {
  return `<span className={"verdict verdict-${observation.toLowerCase()}"}>${observation}</span>`;
}

/**
 * Renders one litmus test; returns the MDX and its verdict record. Its
 * diagrams go through `diagrams` (a SiteDiagrams), as figures of `page`.
 */
export async function renderLitmus(path, opts, context, diagrams, page = context) {
  const file = join(ROOT, path);
  if (!existsSync(file)) throw new Error(`${context}: no litmus file ${path}`);
  const text = readFileSync(file, 'utf8');
  // The page shows the test without its header comment, and line numbers in
  // the explanation and diagrams must match what it shows: check what it shows.
  const body = litmusBody(text);
  const test = parseLitmus(body, basename(path));
  const result = check(test);
  const ex = explainOutcome(test, throughOption(opts, test, context));
  if (opts.expect && opts.expect !== result.observation) {
    throw new Error(`${context}: ${path} is expected to be ${opts.expect}, the checker says ${result.observation}`);
  }
  const axioms = [...new Set(ex.forbidden.map((f) => f.violation.axiom.name))];
  if (opts.axiom && !axioms.includes(opts.axiom)) {
    throw new Error(`${context}: ${path} is expected to be forbidden by ${opts.axiom}, the checker names ${axioms.join(', ') || 'no axiom'}`);
  }
  const out = [];
  out.push(`### \`${result.name}\` ${verdictBadge(result.observation)}`, '');
  out.push(`{/* verdict: ${path} ${result.observation} ${result.positive} ${result.negative} */}`, '');
  const flags = result.flags.length ? ` Flags: ${result.flags.map((f) => `\`${f}\``).join(', ')}.` : '';
  const by = !ex.witness && axioms.length ? ` Candidate executions ${outcomePhrase(ex)} break ${axioms.map((a) => `**${a}**`).join(', ')}.` : '';
  const sentence = verdictSentence(ex, (c) => `\`${c}\``, (w) => `**${w}**`);
  out.push(`${sentence[0].toUpperCase()}${sentence.slice(1)}.${by}${flags}`, '');
  out.push(fence(`c title="${path}" showLineNumbers`, body), '');
  out.push(openInPlayground(text), '');
  out.push('<details>', `<summary>Why: the checker's explanation</summary>`, '', fence('text', explanationText(ex).trimEnd()), '', '</details>', '');
  if (opts.steps) {
    if (!ex.forbidden[0]) throw new Error(`${context}: ${path}: steps= needs a forbidden execution, and the checker finds none`);
    out.push(stepsTable(ex.forbidden[0].execution, ex.forbidden[0].violation, { eventPhrase: lib.eventPhrase, stepKind: lib.stepKind, esc }), '');
  }
  const subject = ex.witness ? { x: ex.witness.execution, highlight: [], caption: `An allowed execution ${outcomePhrase(ex)}.` } : ex.forbidden[0] ? { x: ex.forbidden[0].execution, highlight: ex.forbidden[0].violation.edges, caption: `A forbidden execution ${outcomePhrase(ex)}: the ${ex.forbidden[0].violation.axiom.name} cycle in red.` } : null;
  let drawn = 0;
  if (subject) {
    out.push(`*${subject.caption}*`, '', await diagrams.figure(executionFlowchart(subject.x, { highlight: subject.highlight }), { page }), '');
    drawn++;
    if (opts.sequence && ex.witness) {
      out.push('*The same execution as a sequence of events between the CPUs and memory.*', '', await diagrams.figure(witnessSequence(ex.witness.execution), { page }), '');
      drawn++;
    }
  } else {
    out.push('*No candidate execution has this outcome at all, so there is nothing to draw.*', '');
  }
  const reports = barrierReports(test);
  if (!opts.nobarriers) {
    if (reports.length) {
      out.push('*Each ordering primitive of the test, on its own CPU:*', '');
      out.push('| CPU | line | primitive | orders | pairs on its CPU | cumulativity |', '| --- | --- | --- | --- | --- | --- |');
      for (const b of reports) {
        const pairs = b.orders.length ? b.orders.map((p) => esc(`${p.before} (${p.beforeLine}) → ${p.after} (${p.afterLine})`)).join('<br/>') : b.ordersNothing ? `*${esc(b.ordersNothing)}*` : '—';
        out.push(`| P${b.thread} | ${b.line} | \`${b.primitive}\` | ${esc(b.rule)} | ${pairs} | ${esc(b.cumulativity) || '—'} |`);
      }
      out.push('');
    }
  }
  if (opts.whatif) {
    const cf = counterfactuals(test, { reports });
    if (cf.primitives.length) {
      out.push('<details>', '<summary>What if: each primitive removed, weakened or strengthened</summary>', '');
      out.push('| CPU | line | primitive | removed | alternatives | assessment |', '| --- | --- | --- | --- | --- | --- |');
      for (const c of cf.primitives) {
        const alts = c.alternatives.map((a) => `${esc(a.primitive)}: ${a.verdict.observation}`).join('<br/>') || '—';
        out.push(`| P${c.thread} | ${c.line} | \`${c.primitive}\` | ${c.removed ? c.removed.observation : '—'} | ${alts} | ${esc(c.assessment)} |`);
      }
      out.push('', '</details>', '');
    }
  }
  return { mdx: out.join('\n'), record: { path, observation: result.observation, positive: result.positive, negative: result.negative, diagrams: drawn, herd: herdText(result) } };
}

const MODEL_SOURCES = modelSources(ROOT);
/** Relations that are told on another relation's page. */
const MODEL_PAGE_OF = { rfe: 'rf', rfi: 'rf', coe: 'co', coi: 'co', fre: 'fr', fri: 'fr', 'hb*': 'hb', 'pb*': 'pb', 'rcu-link': 'rcu-order', 'rcu-fence': 'rcu-order', 'data-race-rel': 'data-races', 'plain-coherence-rel': 'plain-coherence', 'coherence-rel': 'coherence', 'atomic-rel': 'atomic' };

/** The site page of a model definition, or null when it has none (then the definitions list has it). */
function modelPageOf(name) {
  const page = MODEL_PAGE_OF[name] ?? name;
  return existsSync(join(ROOT, 'site/content/model', `${page}.md`)) ? `/docs/model/${page}` : null;
}

/** The arithmetic of the atomic_t families, which `atomic_*()` stands for in the cheat sheet. */
const OPS = ['add', 'sub', 'inc', 'dec', 'and', 'or', 'xor', 'andnot'];

/** Names with the family's operation replaced by `*` where two or more share the rest (`atomic_fetch_*_relaxed`). */
export function familyNames(names) {
  const family = new RegExp(`^(atomic_(?:fetch_)?)(${[...OPS].sort((a, b) => b.length - a.length).join('|')})(_return)?(_relaxed|_acquire|_release)?$`);
  const keyOf = (n) => {
    const m = family.exec(n);
    return m ? `${m[1]}*${m[3] ?? ''}${m[4] ?? ''}` : n;
  };
  const count = new Map();
  for (const n of names) count.set(keyOf(n), (count.get(keyOf(n)) ?? 0) + 1);
  return [...new Set(names.map((n) => (count.get(keyOf(n)) > 1 ? keyOf(n) : n)))];
}

/** The cheat sheet's two tables, from the library's rows (src/explain/cheatsheet.ts; test/cheatsheet.test.ts checks each claim). */
function cheatSheet() {
  const mark = (b) => (b === null ? 'n/a' : b ? '✓' : '—');
  const names = (list) => list.map((n) => `\`${n}()\``).join(', ');
  const out = ['### Barriers: placed between two accesses', '', '| written as | what it is | R→R | R→W | W→R | W→W | beyond its CPU |', '| --- | --- | :-: | :-: | :-: | :-: | --- |'];
  for (const r of lib.barrierRows()) {
    const others = r.primitives.filter((n) => !r.usage.between.includes(`${n}(`));
    const written = `\`${r.usage.between}\`${others.length ? `<br/>(also ${names(others)})` : ''}`;
    out.push(`| ${written} | ${esc(r.title)} | ${lib.ACCESS_PAIRS.map((p) => mark(r.orders[p])).join(' | ')} | ${r.cumulativity} |`);
  }
  out.push('', '### Ordered accesses: each one end of the pairs it orders', '', '| primitives | what they are | earlier loads → it | earlier stores → it | it → later loads | it → later stores | A-cumulative |', '| --- | --- | :-: | :-: | :-: | :-: | :-: |');
  for (const r of lib.accessRows()) {
    const note = r.note ? `<br/>*${esc(r.note)}*` : '';
    const families = familyNames(r.primitives);
    const listed = families.length < r.primitives.length ? `${families.map((n) => `\`${n}()\``).join(', ')}<br/>(${r.primitives.length} primitives; \`*\` is the operation: ${esc(OPS.join(', '))}, where the family has it)` : names(r.primitives);
    out.push(`| ${listed}${note} | ${esc(r.title)} | ${mark(r.earlierLoads)} | ${mark(r.earlierStores)} | ${mark(r.laterLoads)} | ${mark(r.laterStores)} | ${mark(r.aCumulative)} |`);
  }
  out.push('', `Not in these tables (each has its own rules, on its page): ${names(lib.primitivesNotTabulated())}.`);
  return out.join('\n');
}

function cliHelp() {
  const cli = join(ROOT, 'dist/cli/barrier-lab.js');
  return fence('text', execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).trimEnd());
}

function primitivesTable() {
  const cli = join(ROOT, 'dist/cli/barrier-lab.js');
  const lines = execFileSync(process.execPath, [cli, 'primitives'], { encoding: 'utf8' }).trimEnd().split('\n');
  const rows = ['| primitive | what the model makes of it |', '| --- | --- |'];
  for (const line of lines) {
    const m = line.match(/^(\S+)\s+(.*)$/);
    if (m) rows.push(`| \`${m[1]}\` | ${esc(m[2])} |`);
  }
  return rows.join('\n');
}

/** The library's exports, by module, read from src/index.ts (the list the package exports). */
function exportsTable() {
  const src = readFileSync(join(ROOT, 'src/index.ts'), 'utf8');
  const dts = readFileSync(join(ROOT, 'dist/index.d.ts'), 'utf8');
  const rows = ['| module | exports |', '| --- | --- |'];
  for (const line of src.split('\n')) {
    const m = line.match(/^export\s+(type\s+)?(\*|\{([^}]*)\})\s+from\s+'\.\/(.+)\.js';/);
    if (!m) continue;
    const names = m[3] ? m[3].split(',').map((s) => s.trim()).filter(Boolean).map((s) => `\`${s.replace(/^type\s+/, '')}\``).join(', ') : '*everything in the module*';
    rows.push(`| \`src/${m[4]}.ts\` | ${esc(names).replace(/\\\|/g, '|')} |`);
  }
  if (!dts.includes('parseLitmus')) throw new Error('dist/index.d.ts does not export parseLitmus: build first');
  return rows.join('\n');
}

function litmusFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...litmusFiles(p));
    else if (e.name.endsWith('.litmus')) out.push(p);
  }
  return out.sort();
}

/** Expands the placeholders of one template (`page` names it for the diagrams' ids). */
export async function expandTemplate(text, context, diagrams, page = context) {
  const records = [];
  const lines = text.split('\n');
  const out = [];
  for (const line of lines) {
    const m = line.match(PLACEHOLDER);
    if (m) {
      const { mdx, record } = await renderLitmus(m[1], parseOptions(m[2] ?? ''), context, diagrams, page);
      out.push(mdx);
      records.push(record);
    } else if (line.trim() === '{{cli-help}}') out.push(cliHelp());
    else if (line.trim() === '{{primitives}}') out.push(primitivesTable());
    else if (line.trim() === '{{exports}}') out.push(exportsTable());
    else if (line.trim() === '{{cheat-sheet}}') out.push(cheatSheet());
    else if (line.trim() === '{{definitions}}') out.push(definitionsList(lib.lkmm, MODEL_SOURCES, modelPageOf));
    else if (/^\{\{definition [^\s}]+\}\}$/.test(line.trim())) out.push(definitionBlock(line.trim().slice(13, -2), { model: lib.lkmm, sources: MODEL_SOURCES, pageOf: modelPageOf, definitionsPage: '/docs/model/definitions' }));
    else if (line.includes('{{')) throw new Error(`${context}: unknown placeholder: ${line.trim()}`);
    else out.push(line);
  }
  return { text: out.join('\n'), records };
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

/**
 * Generates everything. `outDir` receives the docs tree, `dataDir` the
 * playground's data module, `staticDir` the standalone diagram files
 * (served as /diagrams/ID.svg); `renderer` draws the diagrams (see
 * scripts/site/diagrams.mjs). Returns every rendered test, for the tests.
 */
export async function generate({ outDir = join(ROOT, 'site/docs/generated'), dataDir = join(ROOT, 'site/src/generated'), notebooksDir = join(ROOT, 'notebooks'), staticDir = join(ROOT, 'site/generated-static'), renderer } = {}) {
  if (!renderer) throw new Error('generate() needs a diagram renderer');
  const contentDir = join(ROOT, 'site/content');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  rmSync(staticDir, { recursive: true, force: true });
  const diagrams = new SiteDiagrams({ renderer, staticDir });
  const pages = [];
  for (const file of walk(contentDir)) {
    const rel = relative(contentDir, file);
    const target = join(outDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.md') && !file.endsWith('.mdx')) {
      writeFileSync(target, readFileSync(file));
      continue;
    }
    const { text, records } = await expandTemplate(readFileSync(file, 'utf8'), `site/content/${rel}`, diagrams);
    const out = target.replace(/\.md$/, '.mdx');
    writeFileSync(out, text);
    pages.push({ template: `site/content/${rel}`, page: relative(outDir, out), records });
  }

  // The swiotlb walkthrough: the executed notebooks, as they were run.
  const nbOut = join(outDir, 'swiotlb');
  mkdirSync(nbOut, { recursive: true });
  const notebooks = existsSync(notebooksDir) ? readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort() : [];
  writeFileSync(join(nbOut, '_category_.json'), JSON.stringify({ label: 'The swiotlb walkthrough', position: 4, link: { type: 'doc', id: 'swiotlb/index' } }, null, 2));
  for (const [i, name] of notebooks.entries()) {
    const nb = JSON.parse(readFileSync(join(notebooksDir, name), 'utf8'));
    const rewriteLink = (url) => {
      const [path, hash] = url.split('#');
      if (path.endsWith('.ipynb')) return notebooks.includes(path) ? `./${path.replace(/\.ipynb$/, '.md')}${hash ? `#${hash}` : ''}` : null;
      if (path === 'README.md') return '/docs/swiotlb';
      return null; // a repository file: no page of its own on the site
    };
    const page = `notebooks/${name}`;
    const figure = (source, recordedLight) => diagrams.figure(source, { page, format: 'md', recordedLight });
    const litmus = (text) => `${fence(`c title="${litmusName(text)}.litmus" showLineNumbers`, text)}\n\n${openInPlayground(text)}`;
    const md = await notebookToMarkdown(nb, { sidebarPosition: i + 1, source: `notebooks/${name}`, rewriteLink, figure, forSite: true, litmus });
    writeFileSync(join(nbOut, `${name.replace(/\.ipynb$/, '')}.md`), md);
    pages.push({ template: `notebooks/${name}`, page: `swiotlb/${name.replace(/\.ipynb$/, '.md')}`, title: notebookTitle(nb, name), records: [] });
  }
  const list = pages.filter((p) => p.template.startsWith('notebooks/')).map((p) => `- [${p.title}](./${basename(p.page)})`).join('\n');
  writeFileSync(join(nbOut, 'index.md'), `---\ntitle: The swiotlb walkthrough\nsidebar_position: 0\n---\n\n# The swiotlb walkthrough\n\nIn September 2023 a swiotlb patch went through several rounds of review about which \`smp_wmb()\`, \`smp_rmb()\` and \`smp_mb()\` it needed. The pages below replay that discussion; each is generated from an executed notebook in \`notebooks/\`, with the outputs it recorded when it ran.\n\n${list || '*No executed notebooks were found in `notebooks/` when this site was built.*'}\n`);
  // The playground's examples: every litmus test in the repository.
  mkdirSync(dataDir, { recursive: true });
  const examples = [...litmusFiles(join(ROOT, 'litmus')), ...litmusFiles(join(ROOT, 'site/litmus'))].map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
  const initial = 'litmus/swiotlb/v1-three-cpus.litmus';
  if (!examples.some((e) => e.path === initial)) throw new Error(`${initial} is missing`);
  writeFileSync(join(dataDir, 'examples.js'), `// Generated by scripts/site/generate.mjs: do not edit.\nexport const INITIAL = ${JSON.stringify(initial)};\nexport const EXAMPLES = ${JSON.stringify(examples, null, 1)};\n`);
  return pages;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const { cachedMermaidRenderer } = await import(pathToFileURL(join(ROOT, 'dist/cli/mermaid-cache.js')).href);
  const renderer = cachedMermaidRenderer({ cacheDir: join(ROOT, 'node_modules/.cache/barrier-lab-diagrams') });
  let pages;
  try {
    pages = await generate({ renderer });
  } finally {
    await renderer.close();
  }
  const tests = pages.reduce((n, p) => n + p.records.length, 0);
  const s = renderer.stats;
  console.log(`site: ${pages.length} pages, ${tests} litmus renderings, in ${Date.now() - started} ms`);
  console.log(`site: diagrams: ${s.requested} drawn (${s.cached} from the cache, ${s.renders} by Mermaid in Chromium in ${s.ms} ms, browser start ${s.launchMs} ms)${s.recoloured ? `, ${s.recoloured} labels recoloured for contrast` : ''}`);
}
