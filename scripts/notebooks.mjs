#!/usr/bin/env node
// Runs the tslab notebooks in notebooks/ with real Jupyter.
//
//   node scripts/notebooks.mjs            execute every notebook, write it back with its outputs
//   node scripts/notebooks.mjs --check    execute into a temp dir; fail if a committed notebook's
//                                         outputs differ from the fresh run (stale notebook)
//   node scripts/notebooks.mjs --setup    only prepare: build, link, register the kernel
//   node scripts/notebooks.mjs NB.ipynb   only the named notebooks (either mode)
//
// Preparation, each step only if needed: build dist/ (when a source is newer), link
// node_modules/barrier-lab to the repository (so that notebooks import 'barrier-lab' as a
// user would), register the tslab kernel with Jupyter. Outputs are normalised (no
// execution timestamps) so that a fresh run reproduces them exactly; execution counts are
// kept: a fresh kernel numbers the code cells 1, 2, 3, ... in order, as they are committed.
// Diagrams are SVG outputs drawn by Mermaid in headless Chromium (show() in src/notebook/),
// so the run needs /usr/bin/chromium (or $CHROMIUM) too.
// Needs Debian's jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nbDir = join(root, 'notebooks');
const bin = join(root, 'node_modules', '.bin');
const args = process.argv.slice(2);
const check = args.includes('--check');
const setupOnly = args.includes('--setup');
const only = args.filter((a) => !a.startsWith('--')).map((a) => basename(a));

// The tslab kernel is registered inside the project (node_modules/.cache/jupyter), not
// system-wide; Jupyter finds it there through JUPYTER_PATH, which every run below sets.
const kernelPrefix = join(root, 'node_modules', '.cache', 'jupyter');
const jupyterPath = [join(kernelPrefix, 'share', 'jupyter'), process.env.JUPYTER_PATH].filter(Boolean).join(':');
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1', TZ: 'UTC' };
const python = process.env.NOTEBOOK_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const jupyter = process.env.JUPYTER ?? (existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter');

function fail(message) {
  console.error(`notebooks: ${message}`);
  process.exit(1);
}

function run(cmd, argv, options = {}) {
  return spawnSync(cmd, argv, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function build() {
  const built = join(root, 'dist', 'index.js');
  const stale = !existsSync(built) || newestMtime(join(root, 'src')) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('notebooks: building dist/ (npm run build)');
  const r = run('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) fail('the build failed');
}

function link() {
  const target = join(root, 'node_modules', 'barrier-lab');
  if (!existsSync(join(root, 'node_modules'))) fail('node_modules/ is missing: run npm ci first');
  let st = null;
  try { st = lstatSync(target); } catch { /* absent */ }
  if (st?.isSymbolicLink() && resolve(dirname(target), readlinkSync(target)) === root) return;
  if (st) fail(`node_modules/barrier-lab exists and is not a link to this repository; remove it and rerun`);
  symlinkSync('..', target, 'dir');
  console.log('notebooks: linked node_modules/barrier-lab -> .. (notebooks import the built package)');
}

function kernel() {
  const list = run(jupyter, ['kernelspec', 'list', '--json']);
  if (list.error || list.status !== 0) {
    fail(`cannot run '${jupyter} kernelspec list': install Jupyter first:\n  apt-get update && apt-get install -y jupyter-client jupyter-nbconvert python3-nbclient python3-ipykernel`);
  }
  if (JSON.parse(list.stdout).kernelspecs?.tslab?.resource_dir?.startsWith(kernelPrefix)) return;
  console.log(`notebooks: registering the tslab kernel in ${relative(root, kernelPrefix)} (not system-wide)`);
  const r = run(join(bin, 'tslab'), ['install', `--python=${python}`, `--prefix=${kernelPrefix}`], { stdio: 'inherit' });
  if (r.status !== 0) fail('tslab install failed');
}

// ---- normalisation ---------------------------------------------------------

const lines = (v) => (Array.isArray(v) ? v.join('') : v ?? '');

/**
 * The notebook as committed: no timing metadata, sorted keys. With `count`, code cells get
 * the execution counts a fresh kernel gives them: 1, 2, 3, ... for each code cell that runs
 * (Jupyter skips empty ones), in order. (tslab states the count only in its execute reply,
 * which nbconvert does not record, so the run writes them here.)
 */
function normalise(nb, { count = false } = {}) {
  nb.metadata = { kernelspec: nb.metadata.kernelspec, language_info: nb.metadata.language_info };
  if (!nb.metadata.language_info) delete nb.metadata.language_info;
  for (const cell of nb.cells) {
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.ExecuteTime;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
    }
  }
  if (count) {
    let n = 0;
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      cell.execution_count = lines(cell.source).trim() ? ++n : null;
      for (const out of cell.outputs ?? []) if ('execution_count' in out) out.execution_count = cell.execution_count;
    }
  }
  return nb;
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** nbformat's own layout: sorted keys, one-space indent, trailing newline. */
const serialise = (nb) => `${JSON.stringify(sortKeys(nb), null, 1)}\n`;

/** A cell's execution count and outputs as comparable text. */
function outputsText(cell) {
  return [`[execution_count ${cell.execution_count ?? 'none'}]`, ...(cell.outputs ?? []).map((o) => {
    if (o.output_type === 'stream') return `[${o.name}]\n${lines(o.text)}`;
    if (o.output_type === 'error') return `[error] ${o.ename}: ${o.evalue}`;
    const count = 'execution_count' in o ? ` ${o.execution_count}` : '';
    return Object.keys(o.data ?? {}).sort().map((k) => `[${o.output_type}${count} ${k}]\n${lines(o.data[k])}`).join('\n');
  })].join('\n');
}

// ---- execution -------------------------------------------------------------

/** Executes one notebook into outDir; returns the executed notebook, or fails naming the cell. */
function execute(file, outDir) {
  const name = basename(file);
  const base = ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=900', '--ExecutePreprocessor.kernel_name=tslab', `--output-dir=${outDir}`, '--output', name];
  const r = run(jupyter, [...base, file], { cwd: nbDir });
  if (r.status === 0) return JSON.parse(readFileSync(join(outDir, name), 'utf8'));
  // tslab reports a thrown error on stderr with an empty error reply, so nbconvert's own
  // message says little: rerun keeping the errors and show the failing cell's output.
  const failedSource = /An error occurred while executing the following cell:\n-+\n([\s\S]*?)\n-+\n/.exec(r.stderr ?? '')?.[1];
  const again = run(jupyter, [...base, '--allow-errors', file], { cwd: nbDir });
  let detail = (r.stderr ?? '').split('\n').filter((l) => !/Debugger warning|frozen modules|PYDEVD|Debugging will proceed/.test(l)).slice(-25).join('\n');
  if (again.status === 0 && failedSource !== undefined) {
    const nb = JSON.parse(readFileSync(join(outDir, name), 'utf8'));
    const index = nb.cells.findIndex((c) => c.cell_type === 'code' && lines(c.source).trim() === failedSource.trim());
    if (index >= 0) {
      const cell = nb.cells[index];
      const err = (cell.outputs ?? []).filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
      const message = err.map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : lines(o.text))).join('\n').trim() || '(no message)';
      const headline = message.split('\n').find((l) => /^\w*(Error|Mismatch)\b/.test(l) || /^\d+:\d+ - /.test(l)) ?? message.split('\n')[0];
      fail(`notebooks/${name}, cell ${index + 1} (id ${cell.id ?? '?'}) failed: ${headline}\n  the cell:\n${indent(lines(cell.source))}\n  its error output:\n${indent(message)}`);
    }
  }
  fail(`notebooks/${name}: a cell failed\n${detail}`);
}

const indent = (s) => s.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');

function compare(name, committed, fresh) {
  const problems = [];
  if (committed.cells.length !== fresh.cells.length) problems.push(`cell count ${committed.cells.length} committed, ${fresh.cells.length} fresh`);
  const n = Math.min(committed.cells.length, fresh.cells.length);
  for (let i = 0; i < n; i++) {
    const a = committed.cells[i];
    const b = fresh.cells[i];
    if (a.cell_type !== 'code') continue;
    const ta = outputsText(a);
    const tb = outputsText(b);
    if (ta === tb) continue;
    const la = ta.split('\n');
    const lb = tb.split('\n');
    let k = 0;
    while (k < la.length && k < lb.length && la[k] === lb[k]) k++;
    problems.push(`cell ${i + 1} (id ${a.id ?? '?'}): outputs differ at output line ${k + 1}\n      committed: ${la[k] ?? '(end)'}\n      fresh:     ${lb[k] ?? '(end)'}`);
  }
  if (problems.length) console.error(`notebooks/${name} is stale:\n  ${problems.join('\n  ')}`);
  return problems.length === 0;
}

// ---- main ------------------------------------------------------------------

build();
link();
kernel();
if (setupOnly) {
  console.log('notebooks: ready; to open them in Jupyter with the project\'s kernel:');
  console.log(`  JUPYTER_PATH=${relative(root, join(kernelPrefix, 'share', 'jupyter'))} PATH=node_modules/.bin:$PATH jupyter lab notebooks/`);
  process.exit(0);
}

const files = readdirSync(nbDir).filter((f) => /^\d.*\.ipynb$/.test(f)).filter((f) => only.length === 0 || only.includes(f)).sort();
if (files.length === 0) fail('no notebooks to run');
const outDir = mkdtempSync(join(tmpdir(), 'barrier-lab-notebooks-'));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
let stale = 0;
{
  for (const f of files) {
    const started = Date.now();
    const fresh = normalise(execute(join(nbDir, f), outDir), { count: true });
    const committedText = readFileSync(join(nbDir, f), 'utf8');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (check) {
      const ok = compare(f, normalise(JSON.parse(committedText)), fresh);
      if (!ok) stale++;
      console.log(`notebooks/${f}: ${ok ? 'up to date' : 'STALE'} (${seconds}s)`);
    } else {
      const text = serialise(fresh);
      if (text !== committedText) writeFileSync(join(nbDir, f), text);
      console.log(`notebooks/${f}: ran ${fresh.cells.filter((c) => c.cell_type === 'code').length} cells${text !== committedText ? ', updated' : ', unchanged'} (${seconds}s)`);
    }
  }
}
if (stale) fail(`${stale} notebook(s) differ from a fresh run: run 'npm run notebooks' and commit the result`);
