/**
 * One candidate execution as a Mermaid block diagram: a column per CPU,
 * P0 to Pn left to right, its events in program order top to bottom, the
 * initial values in a row above. Program order is drawn as arrows down
 * each column, labelled with the barriers that sit between the two
 * accesses; rf, co and fr edges run between columns. RCU read-side and
 * spinlock critical sections are tinted runs of tiles in their column,
 * opened and closed by tiles naming `rcu_read_lock()` / `spin_lock()` and
 * their ends; a grace period is a tile where it sits. A highlighted cycle
 * (the edges of a `Violation`) is drawn thick and red, its events outlined
 * in red. A legend at the bottom names every label the diagram uses.
 *
 * Why a block diagram: it is the one Mermaid diagram that places blocks on
 * a grid the source decides, so the CPUs always stand side by side in
 * order (flowchart layouts stack CPUs along their rf and fr edges). Its
 * edges are straight lines: `columns.ts` moves blocks down until no line
 * crosses a block and no labels overlap.
 *
 * Block ids come from the thread and the program-order index (`P0_2`),
 * the location (`init_x`) or the CPU (`cpu_P0`), so diagrams of related
 * executions diff well, and tests find the columns by their headers.
 */

import { isRead } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import type { ExplainedEdge } from '../explain/types.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { layoutColumns, legendSpan, type ColumnItem, type LaidEdge } from './columns.js';
import { communicationEdges, orderingEdges } from './edges.js';
import { mermaidId, mermaidLines } from './escape.js';
import { fenceName, eventText, initialValueText, sourceLine, threadEvents, threadName, threadsOf } from './labels.js';
import { legendEntries, type LegendNeeds } from './legend.js';

export interface FlowchartOptions {
  /** Shown above the diagram (the test's name, usually). */
  readonly title?: string;
  /** Edges to draw thick and red with their labels: a violating cycle. */
  readonly highlight?: readonly ExplainedEdge[];
  /** Label program-order arrows with what else keeps the accesses in order: dependencies, acquire, release (default true). Barriers are always shown. */
  readonly ordering?: boolean;
  /** The model whose orderings label the arrows (default the LKMM). */
  readonly model?: MemoryModel;
}

type Section = 'rcu' | 'srcu' | 'lock';
type Tint = 'access' | 'rcu' | 'srcu' | 'lock' | 'gp' | 'fence';

interface Item extends ColumnItem {
  readonly thread: number;
  readonly events: number[];
  /** The critical sections it is in, outermost first (the tile that opens or closes one is in it). */
  readonly sections: readonly Section[];
  readonly tint: Tint;
}

type EdgeStyle = 'po' | 'rf' | 'co' | 'fr' | 'cycle';

interface Edge {
  readonly from: Item;
  readonly to: Item;
  style: EdgeStyle;
  labels: string[];
}

/**
 * The label each edge shows. Two edges between the same two blocks, one
 * each way, are drawn on one line, where their labels would sit on each
 * other: the first carries both, each with an arrow that points the way
 * its edge goes on the page (`unlock-lock →` over `← fre`), the second none.
 */
function shownLabels(edges: readonly Edge[]): string[] {
  const shown = edges.map((e) => e.labels.join(', '));
  edges.forEach((e, i) => {
    const j = edges.findIndex((r, k) => k > i && r.from === e.to && r.to === e.from);
    if (j < 0 || shown[i] === '' || shown[j] === '') return;
    const rightwards = e.from.thread < e.to.thread ? shown[i] : shown[j];
    const leftwards = e.from.thread < e.to.thread ? shown[j] : shown[i];
    shown[i] = `${rightwards} →\n← ${leftwards}`;
    shown[j] = '';
  });
  return shown;
}

/** Fill, border and text colours of each kind of block, readable on light and dark pages alike (the text colour is set). */
const TINTS: Readonly<Record<Tint | 'init' | 'cpu' | 'legend' | 'title', string>> = {
  access: 'fill:#e8eefb,stroke:#5b7bb3,color:#111111',
  rcu: 'fill:#e2f2df,stroke:#4f8f45,color:#111111',
  srcu: 'fill:#eee5f7,stroke:#7f5aa8,color:#111111',
  lock: 'fill:#fff1cc,stroke:#b38a12,color:#111111',
  gp: 'fill:#ffdcc2,stroke:#c8601a,color:#111111',
  fence: 'fill:#f2f2f2,stroke:#8c8c8c,color:#111111',
  init: 'fill:#ffffff,stroke:#8c8c8c,stroke-dasharray:4 3,color:#222222',
  cpu: 'fill:#37474f,stroke:#37474f,color:#ffffff,font-weight:bold',
  legend: 'fill:#fffdf2,stroke:#cfc39a,color:#222222',
  title: 'fill:#fafafa,stroke:#fafafa,color:#111111,font-weight:bold',
};

const CYCLE_BORDER = 'stroke:#d62728,stroke-width:3px';

/** Line colours by kind, set through the diagram's CSS (a block diagram has no per-edge styles). */
const STROKES: Readonly<Record<EdgeStyle, string>> = {
  po: '#8a8a8a',
  rf: '#2e9d42',
  co: '#2f7fd8',
  fr: '#e8821e',
  cycle: '#d62728',
};

export function executionFlowchart(x: Candidate, options: FlowchartOptions = {}): string {
  return executionDiagram(x, options);
}

export function executionDiagram(x: Candidate, options: FlowchartOptions = {}): string {
  const threads = threadsOf(x);
  const events = x.skeleton.events;
  const readsInit = new Set<number>();
  const communication = communicationEdges(x);
  for (const e of communication) if (events[e.from]!.thread < 0) readsInit.add(e.to);

  // The columns, and program order between consecutive items with the barriers between them.
  const columns: Item[][] = [];
  const poEdges: Edge[] = [];
  const itemOf = new Map<number, Item>();
  const fencesUsed = new Set<string>();
  for (const t of threads) {
    const built = columnItems(x, t, readsInit);
    columns.push(built.items);
    for (const item of built.items) for (const id of item.events) itemOf.set(id, item);
    built.between.forEach((fences, i) => {
      fences.forEach((f) => fencesUsed.add(f));
      poEdges.push({ from: built.items[i]!, to: built.items[i + 1]!, style: 'po', labels: fences });
    });
    // Barriers with no arrow to sit on (before the first access, after the last) stay with the events they follow or lead.
    for (const [id, item] of built.attached) itemOf.set(id, item);
  }
  const itemNear = (id: number): Item | undefined => itemOf.get(id) ?? nearestItem(x, events[id]!, itemOf);

  /**
   * Puts a label on the program-order arrows from event a's item down to
   * event b's: on the arrow of the barrier it names, else next to what
   * causes it (a release at the end, anything else at the start). With
   * style `cycle`, the whole path is drawn as part of the cycle.
   */
  function labelPath(a: number, b: number, label: string, style: 'po' | 'cycle'): void {
    const from = itemNear(a);
    const to = itemNear(b);
    if (!from || !to || from.thread !== to.thread) return;
    const column = columns[threads.indexOf(from.thread)] ?? [];
    const ia = column.indexOf(from);
    const ib = column.indexOf(to);
    if (ia < 0 || ib <= ia) return;
    const path = poEdges.filter((p) => column.indexOf(p.from) >= ia && column.indexOf(p.to) <= ib);
    if (style === 'cycle') path.forEach((p) => (p.style = 'cycle'));
    const names = (p: Edge): boolean => p.labels.some((l) => l === label || l === `${label}()`);
    // Program order needs no label on a program-order arrow, nor a grace period on the arrows around its own tile.
    const tile = (p: Edge): boolean => [p.from, p.to].some((item) => item.lines[0]!.startsWith(`${label}(`));
    if (label === 'po' || path.some(names) || path.some(tile)) return;
    const carrier = label === 'release' ? path[path.length - 1] : path[0];
    carrier?.labels.push(label);
  }

  // rf, co and fr between columns.
  const crossEdges: Edge[] = [];
  for (const e of communication) {
    const a = itemNear(e.from);
    const b = itemNear(e.to);
    if (!a || !b || a.thread === b.thread || events[e.from]!.thread < 0) continue;
    // A lock's tile stands for two events: its rf and co edges from one unlock become one arrow.
    const same = crossEdges.find((c) => c.from === a && c.to === b);
    if (same) same.labels.push(e.label);
    else crossEdges.push({ from: a, to: b, style: e.kind === 'ordering' ? 'po' : e.kind, labels: [e.label] });
  }

  // What keeps accesses in order besides barriers (dependencies, acquire, release), on the program-order arrows between them.
  if (options.ordering ?? true) {
    const communicating = new Set(communication.flatMap((e) => [e.from, e.to]));
    for (const o of orderingEdges(x, options.model ?? lkmm, communicating)) {
      for (const step of o.label.split('; ')) labelPath(o.from, o.to, step, 'po');
    }
  }

  // The cycle: program-order paths within a column, edges between columns.
  const inCycle = new Set<Item>();
  let sectionsTaken = false;
  for (const h of options.highlight ?? []) {
    const a = itemNear(h.from);
    const b = itemNear(h.to);
    if (!a || !b) continue;
    inCycle.add(a);
    inCycle.add(b);
    const column = columns[threads.indexOf(a.thread)] ?? [];
    const ia = column.indexOf(a);
    const ib = column.indexOf(b);
    if (a.thread === b.thread && ia >= 0 && ib > ia) {
      labelPath(h.from, h.to, h.label, 'cycle');
      continue;
    }
    // A critical section taken whole (from its unlock back to its lock): the section is outlined, lock to unlock.
    if (h.relation === 'rcu-rscsi' && a.thread === b.thread && ib >= 0 && ia > ib) {
      for (let i = ib; i <= ia; i++) inCycle.add(column[i]!);
      sectionsTaken = true;
      continue;
    }
    if (a === b) continue;
    const same = crossEdges.find((c) => c.from === a && c.to === b);
    if (same) {
      same.style = 'cycle';
      same.labels = [h.label];
    } else {
      crossEdges.push({ from: a, to: b, style: 'cycle', labels: [h.label] });
    }
  }

  // Initial values in a row above (those some read takes), then the CPU headers.
  const initItems: ColumnItem[] = [...new Set([...readsInit].map((r) => events[r]!.location!))]
    .sort()
    .map((loc) => ({ id: mermaidId(`init_${loc}`), lines: [initialValueText(x, x.skeleton.initialWrite.get(loc)!)] }));
  const headers = threads.map((t) => ({ id: `cpu_${mermaidId(threadName(t))}`, lines: [threadName(t)] }));
  const perRow = Math.max(1, threads.length);
  const above: Array<Array<readonly [number, ColumnItem]>> = [];
  for (let i = 0; i < initItems.length; i += perRow) above.push(initItems.slice(i, i + perRow).map((item, k) => [k, item] as const));
  above.push(headers.map((h, k) => [k, h] as const));

  const edges = [...poEdges, ...crossEdges];
  const needs: LegendNeeds = {
    labels: new Set([...edges.flatMap((e) => e.labels), ...(sectionsTaken ? ['critical section'] : [])]),
    colours: new Set(edges.map((e) => e.style).filter((s) => s !== 'cycle')),
    fences: fencesUsed,
    annotations: new Set(columns.flat().flatMap((item) => (item.lines[0]!.match(/\[[a-z-]+\]/g) ?? []).map((m) => m.slice(1, -1)))),
    tints: new Set(columns.flat().map((item) => item.tint)),
    locks: columns.flat().some((item) => item.lines[0]!.startsWith('spin_')),
    init: initItems.length > 0,
    cycle: (options.highlight ?? []).length > 0,
  };
  const legend = legendEntries(needs).map((lines, i) => ({ id: `legend_${i}`, lines }));
  const shown = shownLabels(edges);
  const laid: LaidEdge[] = edges.map((e, i) => ({ from: e.from.id, to: e.to.id, label: shown[i]!, optionalLabel: e.style === 'rf' || e.style === 'co' || e.style === 'fr' }));
  const layout = layoutColumns({ columns, above, edges: laid, below: legend });

  // The grid, row by row: every row spans all units (a column, a gap, a column, ...).
  const out: string[] = [];
  const strokes = edges.map((e) => `path[id$='-${e.from.id}-${e.to.id}']{stroke:${STROKES[e.style]} !important;}`);
  const css = [
    ...new Set(strokes),
    `.edge-thickness-thick{stroke:${STROKES.cycle} !important;stroke-width:3.5px !important;}`,
  ].join(' ');
  out.push('---', 'config:', `  themeCSS: ${JSON.stringify(css)}`, '---');
  out.push('block-beta', `  columns ${layout.units}`);
  const block = (id: string, lines: readonly string[], units: number): string => `${id}["${mermaidLines(lines)}"]:${units}`;
  const row = (cells: string[]): void => {
    out.push(`  ${cells.join(' ')}`);
  };
  if (options.title !== undefined) row([block('diagram_title', [options.title], layout.units)]);
  const slotRow = (slots: ReadonlyArray<readonly [number, ColumnItem]>): void => {
    const cells: string[] = [];
    for (let c = 0; c < threads.length; c++) {
      const found = slots.find(([k]) => k === c);
      cells.push(found ? block(found[1].id, found[1].lines, layout.span) : `space:${layout.span}`);
      if (c < threads.length - 1) cells.push(`space:${layout.gap}`);
    }
    row(cells);
  };
  for (const slots of above) slotRow(slots);
  const fillers: Array<{ id: string; section: Section; cycle: boolean }> = [];
  for (let r = layout.firstRow; r < layout.endRow; r++) {
    const cells: string[] = [];
    columns.forEach((items, c) => {
      const here = items.find((item) => layout.row.get(item.id) === r);
      if (here) cells.push(block(here.id, here.lines, layout.span));
      else {
        // Between two items of one critical section, a plain tile of its colour keeps the section in one piece.
        const before = [...items].reverse().find((item) => layout.row.get(item.id)! < r);
        const after = items.find((item) => layout.row.get(item.id)! > r);
        const shared = before && after ? commonSection(before, after) : null;
        if (shared) {
          const id = `fill_${c}_${r}`;
          fillers.push({ id, section: shared, cycle: inCycle.has(before!) && inCycle.has(after!) });
          cells.push(block(id, [' '], layout.span));
        } else cells.push(`space:${layout.span}`);
      }
      if (c < columns.length - 1) cells.push(`space:${layout.gap}`);
    });
    row(cells);
  }
  const perLegend = legendSpan(threads.length, layout.units);
  const legendPerRow = Math.floor(layout.units / perLegend);
  for (let i = 0; i < legend.length; i += legendPerRow) {
    const cells = legend.slice(i, i + legendPerRow).map((l) => block(l.id, l.lines, perLegend));
    const used = cells.length * perLegend;
    if (used < layout.units) cells.push(`space:${layout.units - used}`);
    row(cells);
  }

  for (const [index, e] of edges.entries()) {
    const label = layout.unlabelled.has(index) ? '' : shown[index]!;
    const text = label === '' ? '' : `"${mermaidLines(label.split('\n'))}"`;
    if (e.style === 'cycle') out.push(`  ${e.from.id} ${text ? `== ${text} ==>` : '==>'} ${e.to.id}`);
    else if (e.style === 'fr') out.push(`  ${e.from.id} ${text ? `-. ${text} .->` : '-.->'} ${e.to.id}`);
    else out.push(`  ${e.from.id} ${text ? `-- ${text} -->` : '-->'} ${e.to.id}`);
  }

  // Colours: one class per kind of block, a red-bordered twin for the blocks of the cycle.
  const classes = new Map<string, string[]>();
  const assign = (name: string, id: string): void => {
    classes.set(name, [...(classes.get(name) ?? []), id]);
  };
  for (const item of columns.flat()) assign(`${item.tint}${inCycle.has(item) ? '_cycle' : ''}`, item.id);
  for (const f of fillers) assign(`${f.section}${f.cycle ? '_cycle' : ''}`, f.id);
  for (const item of initItems) assign('init', item.id);
  for (const h of headers) assign('cpu', h.id);
  for (const l of legend) assign('legend', l.id);
  if (options.title !== undefined) assign('title', 'diagram_title');
  for (const name of classes.keys()) {
    const [base, cycle] = name.split('_');
    const style = TINTS[base as keyof typeof TINTS];
    out.push(`  classDef ${name} ${cycle ? `${style.replace(/stroke:[^,]+/, CYCLE_BORDER)}` : style}`);
  }
  for (const [name, ids] of classes) out.push(`  class ${ids.join(',')} ${name}`);
  return out.join('\n') + '\n';
}

/**
 * A CPU's column: its accesses, and tiles for what opens and closes a
 * critical section and for grace periods; `between[i]` names the barriers
 * between item i and item i + 1. A barrier with no such arrow (before the
 * first item, after the last) becomes a tile of its own.
 */
function columnItems(x: Candidate, thread: number, readsInit: ReadonlySet<number>): { items: Item[]; between: string[][]; attached: Map<number, Item> } {
  const items: Item[] = [];
  const between: string[][] = [];
  const attached = new Map<number, Item>();
  const sections: Section[] = [];
  let pending: Array<{ name: string; event: Event }> = [];
  const own = threadEvents(x, thread);
  const id = (e: Event): string => `${mermaidId(threadName(thread))}_${e.index}`;
  const line = (e: Event): string => `line ${sourceLine(e) ?? '?'}`;
  const add = (e: Event, lines: string[], tint: Tint, evs: number[] = [e.id]): Item => {
    if (items.length > 0) between.push(pending.map((p) => p.name));
    else for (const p of pending) attached.set(p.event.id, { id: '', lines: [], thread, events: [], sections: [], tint: 'fence' });
    const item: Item = { id: id(e), lines, thread, events: evs, sections: [...sections], tint };
    for (const p of pending) if (items.length === 0) attached.set(p.event.id, item);
    pending = [];
    items.push(item);
    return item;
  };
  for (let i = 0; i < own.length; i++) {
    const e = own[i]!;
    if (e.kind === 'F') {
      if (e.tags.has('rcu-lock')) {
        sections.push('rcu');
        add(e, ['rcu_read_lock()', line(e)], 'rcu');
      } else if (e.tags.has('rcu-unlock')) {
        add(e, ['rcu_read_unlock()', line(e)], sections.includes('rcu') ? 'rcu' : 'fence');
        const at = sections.lastIndexOf('rcu');
        if (at >= 0) sections.splice(at, 1);
      } else if (e.tags.has('sync-rcu')) {
        add(e, [`${e.origin?.primitive ?? 'synchronize_rcu'}()`, `${line(e)} · grace period`], 'gp');
      } else {
        pending.push({ name: `${fenceName(e)}()`, event: e });
      }
      continue;
    }
    if (e.kind === 'SRCU') {
      add(e, [`${e.origin?.primitive ?? 'synchronize_srcu'}(${e.location ?? ''})`, `${line(e)} · grace period`], 'gp');
      continue;
    }
    if (e.kind === 'LKR' && own[i + 1]?.kind === 'LKW') {
      sections.push('lock');
      add(e, [`spin_lock(${e.location})`, line(e)], 'lock', [e.id, own[i + 1]!.id]);
      i++;
      continue;
    }
    if (e.kind === 'UL') {
      add(e, [`spin_unlock(${e.location})`, line(e)], sections.includes('lock') ? 'lock' : 'access');
      const at = sections.lastIndexOf('lock');
      if (at >= 0) sections.splice(at, 1);
      continue;
    }
    if (e.tags.has('srcu-lock')) sections.push('srcu');
    const text = eventText(x, e.id);
    const tint: Tint = sections.length > 0 ? sections[sections.length - 1]! : 'access';
    add(e, [text, readsInit.has(e.id) ? `${line(e)} · init` : line(e)], tint);
    if (e.tags.has('srcu-unlock')) {
      const at = sections.lastIndexOf('srcu');
      if (at >= 0) sections.splice(at, 1);
    }
  }
  // Barriers after the last item: a tile of their own, so that they still show.
  if (pending.length > 0) {
    const first = pending[0]!.event;
    const trailing = pending;
    pending = [];
    const tile = add(first, [trailing.map((p) => p.name).join(', '), `${line(first)} · orders nothing after it`], 'fence', trailing.map((p) => p.event.id));
    for (const p of trailing) attached.set(p.event.id, tile);
  }
  const joined = items.map((item, i) => ({ ...item, joined: i > 0 && commonSection(items[i - 1]!, item) !== null }));
  const rebuilt = new Map(items.map((item, i) => [item, joined[i]!]));
  return {
    items: joined,
    between,
    attached: new Map([...attached].filter(([, item]) => item.id !== '').map(([id, item]) => [id, rebuilt.get(item)!])),
  };
}

/** The innermost critical section two items of one column are both in. */
function commonSection(a: Item, b: Item): Section | null {
  let shared: Section | null = null;
  for (let i = 0; i < Math.min(a.sections.length, b.sections.length); i++) {
    if (a.sections[i] !== b.sections[i]) break;
    shared = a.sections[i]!;
  }
  return shared;
}

/** The item standing for an event that has none of its own (a barrier): the next item of its thread, or the last one. */
function nearestItem(x: Candidate, e: Event, itemOf: ReadonlyMap<number, Item>): Item | undefined {
  const own = threadEvents(x, e.thread);
  const after = own.filter((o) => o.index > e.index).map((o) => itemOf.get(o.id)).find((i) => i !== undefined);
  return after ?? [...own].reverse().map((o) => itemOf.get(o.id)).find((i) => i !== undefined);
}

export { isRead };
