/**
 * Helpers for Jupyter notebooks running the tslab TypeScript kernel.
 *
 *   import * as tslab from 'tslab';
 *   import { notebook } from 'barrier-lab';
 *   const { litmus, show, showBarriers, expectVerdict } = notebook(tslab.display);
 *
 *   const mp = litmus`
 *   C MP
 *   {}
 *   P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
 *   P1(int *x, int *y) { int r0 = READ_ONCE(*y); smp_rmb(); int r1 = READ_ONCE(*x); }
 *   exists (1:r0=1 /\ 1:r1=0)`;
 *   await show(mp, { expect: 'Never' });   // verdict, explanation, diagram; throws if not Never
 *
 * Output is Markdown, and each diagram is an `image/svg+xml` output drawn
 * by Mermaid ahead of time (in headless Chromium, by src/cli/mermaid-svg.ts,
 * loaded only under Node), followed by its Mermaid source in a collapsed
 * Markdown block: the diagram shows in any notebook viewer (GitHub,
 * nbconvert's HTML, VS Code, JupyterLab) without trusting the notebook, and
 * the documentation site publishes the same SVG. Where no renderer is
 * available (a display without `svg()`, or a browser), the diagram stays a
 * ```mermaid block in the Markdown. Nothing here depends on tslab itself:
 * any object with `markdown()`, `text()` and optionally `svg()` will do.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { litmusSource, parseLitmus } from '../litmus/parser.js';
import { focusOnCall } from '../explain/focus.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { reviewReport, type ReportSection } from '../report/report.js';
import { check, type CheckResult } from '../verdict/check.js';

/** What a notebook kernel offers for rich output (tslab's `display` has these). */
export interface NotebookDisplay {
  markdown(text: string): void;
  text(text: string): void;
  /** An `image/svg+xml` output; without it, diagrams stay Mermaid source in the Markdown. */
  svg?(text: string): void;
}

/** Draws a Mermaid source as SVG text (standalone, light theme). */
export type SvgRenderer = (source: string) => Promise<string>;

export interface NotebookOptions {
  /**
   * How diagrams become SVG: a renderer, `'auto'` (the default: under Node,
   * Mermaid in headless Chromium, from the package's src/cli/mermaid-svg.ts),
   * or `'none'` (diagrams stay ```mermaid blocks).
   */
  readonly svg?: SvgRenderer | 'auto' | 'none';
}

export type Observation = CheckResult['observation'];

export interface ShowOptions {
  /** The verdict the cell expects: a different one throws, so a stale claim fails the run. */
  readonly expect?: Observation;
  /** Also expect these flags, exactly (e.g. ['data-race']). */
  readonly flags?: readonly string[];
  readonly model?: MemoryModel;
  /** Which parts to show (default: verdict, why, diagram). */
  readonly sections?: readonly ReportSection[];
  /**
   * The primitive under discussion, `{ cpu: 1, primitive: 'smp_mb' }` (its
   * first call on that CPU), and optionally the one it replaced
   * (`insteadOf: 'smp_wmb'`): a forbidden execution's cycle is chosen to run
   * through it, and through a pair of accesses the replaced one would not order.
   */
  readonly through?: { readonly cpu: number; readonly primitive: string; readonly insteadOf?: string };
}


/** Thrown when a cell's stated verdict disagrees with the checker. */
export class VerdictMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerdictMismatch';
  }
}

let cellCount = 0;

/**
 * Parses a litmus test written in a template literal (common leading indentation removed).
 * The text is taken raw, as typed: `/\` and `\/` in a condition need no escaping, so a
 * test copied from a `.litmus` file works unchanged.
 */
export function litmus(strings: TemplateStringsArray, ...values: unknown[]): LitmusTest {
  const raw = strings.raw.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim().length > 0).map((l) => l.length - l.trimStart().length));
  const text = lines.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n');
  cellCount++;
  return parseLitmus(text, `cell-${cellCount}.litmus`);
}

/** Checks a test and throws when it disagrees with what the cell expects. */
export function expectVerdict(test: LitmusTest, expected: Observation, options: { model?: MemoryModel; flags?: readonly string[] } = {}): CheckResult {
  const result = check(test, { model: options.model ?? lkmm });
  if (result.observation !== expected) {
    throw new VerdictMismatch(`${result.name}: expected ${expected}, the ${(options.model ?? lkmm).title} says ${result.observation} (${result.positive} of ${result.positive + result.negative})`);
  }
  if (options.flags) checkFlags(result, options.flags);
  return result;
}

function checkFlags(result: CheckResult, flags: readonly string[]): void {
  const want = [...flags].sort().join(', ');
  const got = [...result.flags].sort().join(', ');
  if (want !== got) throw new VerdictMismatch(`${result.name}: expected flags {${want}}, got {${got}}`);
}

/** The summary line of the collapsed block that carries the test `show()` checked, under its heading. */
export const LITMUS_SOURCE_SUMMARY = 'The litmus test';

/**
 * The test as checked, collapsed: in a notebook it shows what a test loaded
 * from a file or made by code contains; the site shows it open, as the
 * page's litmus code block (scripts/site/notebooks.mjs).
 */
export function litmusSourceBlock(text: string): string {
  const body = text.replace(/^\n+/, '').replace(/\s+$/, '');
  const ticks = '`'.repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `<details>\n<summary>${LITMUS_SOURCE_SUMMARY}</summary>\n\n${ticks}c\n${body}\n${ticks}\n\n</details>`;
}

/** The summary line of the collapsed block that carries a diagram's Mermaid source, under its SVG. */
export const MERMAID_SOURCE_SUMMARY = 'Mermaid source';

const MERMAID_FENCE = /^```mermaid\n([\s\S]*?)\n```$/gm;

/** The Markdown block that follows a diagram's SVG output: its source, collapsed, as a ```mermaid fence. */
export function mermaidSourceBlock(source: string): string {
  return `<details>\n<summary>${MERMAID_SOURCE_SUMMARY}</summary>\n\n\`\`\`mermaid\n${source.replace(/\n+$/, '')}\n\`\`\`\n\n</details>`;
}

/**
 * The renderer under Node: the Chromium-based one of src/cli/, imported only
 * when a diagram is first drawn, by a path that bundlers leave alone (the
 * library must load in a browser, where there is no such module).
 */
async function nodeRenderer(): Promise<SvgRenderer | null> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return null;
  const specifier = '../cli/mermaid-svg.js';
  try {
    const mod = (await import(/* webpackIgnore: true */ specifier)) as { renderMermaidSvg: SvgRenderer; sharedMermaidRenderer(): Promise<unknown> };
    await mod.sharedMermaidRenderer(); // fails here when Chromium or Mermaid is missing
    return mod.renderMermaidSvg;
  } catch (e) {
    console.error(`barrier-lab: diagrams stay Mermaid source, no SVG renderer: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return null;
  }
}

/**
 * Emits Markdown through `display`, each ```mermaid block of it turned into
 * an SVG output and its collapsed source; the Markdown between diagrams
 * stays in order around them.
 */
async function emitWithDiagrams(display: NotebookDisplay, markdown: string, render: () => Promise<SvgRenderer | null>): Promise<void> {
  const fences = [...markdown.matchAll(MERMAID_FENCE)];
  const svgOut = display.svg?.bind(display);
  const renderer = fences.length > 0 && svgOut ? await render() : null;
  if (!renderer || !svgOut) {
    display.markdown(markdown);
    return;
  }
  // Draw everything first, so that a failure leaves no half-shown output.
  const svgs: string[] = [];
  for (const f of fences) svgs.push(await renderer(f[1]!));
  let at = 0;
  fences.forEach((f, i) => {
    const before = markdown.slice(at, f.index).trim();
    if (before) display.markdown(before);
    svgOut(svgs[i]!);
    display.markdown(mermaidSourceBlock(f[1]!));
    at = f.index! + f[0].length;
  });
  const rest = markdown.slice(at).trim();
  if (rest) display.markdown(rest);
}

export function notebook(display: NotebookDisplay, options: NotebookOptions = {}) {
  const choice = options.svg ?? 'auto';
  let loaded: Promise<SvgRenderer | null> | null = null;
  const renderer = (): Promise<SvgRenderer | null> => {
    if (choice === 'none') return Promise.resolve(null);
    if (typeof choice === 'function') return Promise.resolve(choice);
    loaded ??= nodeRenderer();
    return loaded;
  };
  return {
    litmus,
    expectVerdict,
    /**
     * The verdict, why, and a diagram (and more with `sections`); checks `expect` (and
     * `flags`) first, and throws at once when they do not hold. The diagram is drawn
     * asynchronously: `await show(...)`, so the outputs belong to the cell. Resolves to
     * nothing, so that a notebook kernel has no value to print after the outputs;
     * `expectVerdict()` returns the result when a cell needs it.
     */
    show(test: LitmusTest, options: ShowOptions = {}): Promise<void> {
      const model = options.model ?? lkmm;
      const result = options.expect ? expectVerdict(test, options.expect, { model }) : check(test, { model });
      if (options.flags) checkFlags(result, options.flags);
      const focus = options.through ? focusOnCall(test, options.through.cpu, options.through.primitive, options.through.insteadOf) : undefined;
      const lines = reviewReport(test, { model, sections: options.sections ?? ['verdict', 'why', 'diagram'], level: 3, ...(focus ? { focus } : {}) }).split('\n');
      // The report's verdict line does not mention flags; a notebook should (data races above all).
      const verdictLine = lines.findIndex((l) => l.startsWith(`**${model.title}:**`));
      if (verdictLine >= 0 && result.flags.length > 0) {
        lines.splice(verdictLine + 1, 0, '', `Flagged: ${result.flags.map((f) => `\`${f}\``).join(', ')} (raised by some allowed execution).`);
      }
      const source = litmusSource(test);
      if (source !== undefined) lines.splice(lines[0]?.startsWith('#') ? 1 : 0, 0, '', litmusSourceBlock(source), '');
      return emitWithDiagrams(display, lines.join('\n'), renderer);
    },
    /** What each barrier orders on its own CPU, and the counterfactuals. */
    showBarriers(test: LitmusTest, options: { model?: MemoryModel } = {}): void {
      display.markdown(reviewReport(test, { model: options.model ?? lkmm, sections: ['barriers', 'whatif'], level: 3 }));
    },
    /** herd7's output, as text. */
    showHerd(test: LitmusTest, options: { model?: MemoryModel } = {}): void {
      display.markdown(reviewReport(test, { model: options.model ?? lkmm, sections: ['herd'], level: 3 }));
    },
  };
}
