/**
 * One execution as plain text for mailing lists, within 72 columns: a
 * column per CPU with its events in program order (each with its source
 * line), the final state, the rf/co/fr edges of `edges.ts` as
 * `P0:W y=1 --rfe--> P1:R y=1` lines, and a highlighted cycle the same way.
 * When the CPUs do not fit side by side, they are listed one after another.
 */

import { showValue } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { ExplainedEdge } from '../explain/types.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { communicationEdges, orderingEdges } from './edges.js';
import { eventText, qualifiedText, sourceLine, threadEvents, threadName, threadsOf } from './labels.js';

export interface AsciiOptions {
  /** The first line (the test's name, usually). */
  readonly title?: string;
  /** Edges listed as the cycle, with their labels. */
  readonly highlight?: readonly ExplainedEdge[];
  /** List the model's ordering edges within each thread too (default false). */
  readonly ordering?: boolean;
  /** The model whose ordering edges are listed (default the LKMM). */
  readonly model?: MemoryModel;
}

export const ASCII_WIDTH = 72;
const COLUMN_GAP = ' | ';

export function executionAscii(x: Candidate, options: AsciiOptions = {}): string {
  const out: string[] = [];
  if (options.title !== undefined) out.push(options.title, '');
  out.push(...threadColumns(x), '');
  out.push(...wrap('final:', finalState(x)), '');
  const name = eventNames(x);
  const communication = communicationEdges(x);
  const communicating = [...communication, ...(options.highlight ?? [])].flatMap((e) => [e.from, e.to]);
  const edges = [...(options.ordering ? orderingEdges(x, options.model ?? lkmm, communicating) : []), ...communication];
  out.push('edges:');
  if (edges.length === 0) out.push('  (none)');
  for (const e of edges) out.push(...edgeLines(name(e.from), e.label, name(e.to)));
  const cycle = options.highlight ?? [];
  if (cycle.length > 0) {
    out.push('', 'cycle:');
    for (const e of cycle) out.push(...edgeLines(name(e.from), e.label, name(e.to)));
  }
  return out.join('\n') + '\n';
}

/** The CPUs side by side when they fit in 72 columns, else one after another. */
function threadColumns(x: Candidate): string[] {
  const threads = threadsOf(x);
  const columns = threads.map((t) => [threadName(t), ...threadEvents(x, t).map((e) => cellText(x, e.id))]);
  const widths = columns.map((c) => Math.max(...c.map((s) => s.length)));
  const total = widths.reduce((a, b) => a + b, 0) + COLUMN_GAP.length * Math.max(0, columns.length - 1);
  if (total > ASCII_WIDTH) {
    return columns.flatMap(([header, ...cells]) => [`${header}:`, ...cells.map((c) => `  ${c}`)]);
  }
  const rows = Math.max(...columns.map((c) => c.length));
  const row = (i: number): string => columns.map((c, k) => (c[i] ?? '').padEnd(widths[k]!)).join(COLUMN_GAP).trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join(COLUMN_GAP.replace(/ /g, '-').replace('|', '+'));
  return [row(0), rule, ...Array.from({ length: rows - 1 }, (_, i) => row(i + 1))];
}

/** `18: W x=1`: the source line, then the event. */
function cellText(x: Candidate, id: number): string {
  const line = sourceLine(x.skeleton.events[id]!);
  return `${line === null ? '?' : line}: ${eventText(x, id)}`;
}

/** Final values of the locations, then the registers as herd7 names them (`1:r0=1`). */
function finalState(x: Candidate): string[] {
  const memory = [...x.finalValues].map(([l, v]) => `${l}=${showValue(v)}`);
  const registers = threadsOf(x).flatMap((t) => [...(x.registers[t] ?? new Map())].map(([r, v]) => `${t}:${r}=${showValue(v)}`));
  return [...memory, ...registers];
}

/** Names for events in edge lines: `P0:W x=1`, with `(line 18)` added when a thread has two events with that name. */
function eventNames(x: Candidate): (id: number) => string {
  const count = new Map<string, number>();
  for (const e of x.skeleton.events) count.set(qualifiedText(x, e.id), (count.get(qualifiedText(x, e.id)) ?? 0) + 1);
  return (id) => {
    const text = qualifiedText(x, id);
    const line = sourceLine(x.skeleton.events[id]!);
    return (count.get(text) ?? 0) > 1 && line !== null ? `${text} (line ${line})` : text;
  };
}

/** `  A --label--> B`, broken after the arrow when longer than 72 columns. */
function edgeLines(from: string, label: string, to: string): string[] {
  const line = `  ${from} --${label}--> ${to}`;
  return line.length <= ASCII_WIDTH ? [line] : [`  ${from} --${label}-->`, `      ${to}`];
}

/** `head item, item, ...` filled to 72 columns, continuation lines indented. */
function wrap(head: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let current = head;
  items.forEach((item, i) => {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (current.length + 1 + piece.length > ASCII_WIDTH && current.trim().length > 0 && current !== head) {
      lines.push(current);
      current = ' '.repeat(head.length);
    }
    current += ` ${piece}`;
  });
  lines.push(current);
  return lines;
}
