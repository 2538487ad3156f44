/**
 * One candidate execution as a Mermaid flowchart: a box per CPU with its
 * events top to bottom in program order, the initial values that some read
 * reads, and the edges of `edges.ts` between them. A highlighted cycle (the
 * edges of a `Violation`) is drawn thick and red with its own labels.
 *
 * Mermaid's layout puts every link's target below its source, so CPUs that
 * communicate stack along their edges (a writer above the CPU that reads
 * it) rather than stand side by side, and a cycle reads as a loop. (Drawing
 * an edge against that direction does not work: Mermaid has no arrowhead at
 * the start of a one-way link, and routing such edges over the top of the
 * diagram tangled them.)
 *
 * Node ids come from the thread and the program-order index (`P0_2`) or
 * the location (`init_x`), so diagrams of related executions diff well.
 * All links are written after the nodes, one per line, so that a link's
 * index for `linkStyle` is its position in that list.
 */

import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import type { ExplainedEdge } from '../explain/types.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { communicationEdges, orderingEdges, type EdgeKind } from './edges.js';
import { mermaidId, mermaidLines, mermaidText, yamlString } from './escape.js';
import { eventText, initialValueText, isMemoryAccess, sourceLine, threadEvents, threadName, threadsOf } from './labels.js';

export interface FlowchartOptions {
  /** Shown above the diagram (the test's name, usually). */
  readonly title?: string;
  /** Edges to draw thick and red with their labels: a violating cycle. */
  readonly highlight?: readonly ExplainedEdge[];
  /** Draw the model's ordering edges within each thread (default true). */
  readonly ordering?: boolean;
  /** The model whose ordering edges are drawn (default the LKMM). */
  readonly model?: MemoryModel;
}

type LinkStyle = 'po' | EdgeKind | 'highlight';

interface Link {
  readonly from: number;
  readonly to: number;
  style: LinkStyle;
  label: string | null;
}

const ARROWS: Readonly<Record<LinkStyle, string>> = {
  po: '~~~',
  rf: '-->',
  co: '-->',
  fr: '-->',
  ordering: '-.->',
  highlight: '==>',
};

const LINK_STYLES: Readonly<Record<Exclude<LinkStyle, 'po'>, string>> = {
  rf: 'stroke:#2e7d32,stroke-width:1.5px,color:#2e7d32',
  co: 'stroke:#1565c0,stroke-width:1.5px,color:#1565c0',
  fr: 'stroke:#ef6c00,stroke-width:1.5px,color:#ef6c00',
  ordering: 'stroke:#777,stroke-width:1px,color:#555',
  highlight: 'stroke:#d62728,stroke-width:3.5px,color:#d62728',
};

const LEGEND: Readonly<Record<Exclude<LinkStyle, 'po'>, string>> = {
  rf: 'green: reads-from (rf)',
  co: 'blue: coherence order (co)',
  fr: 'orange: from-reads (fr)',
  ordering: 'dotted: ordered within the CPU, by the label',
  highlight: 'thick red: the cycle',
};

const CLASS_DEFS = [
  'classDef access fill:#eef3fb,stroke:#5b7bb3,color:#111',
  'classDef fence fill:#f4f4f4,stroke:#9e9e9e,color:#444,font-size:12px',
  'classDef init fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:3 3,color:#444',
  'classDef cycle stroke:#d62728,stroke-width:2.5px',
  'classDef legend fill:#fffdf2,stroke:#d6cca0,color:#333,font-size:12px',
];

export function executionFlowchart(x: Candidate, options: FlowchartOptions = {}): string {
  const events = x.skeleton.events;
  const links = chooseLinks(x, options);
  const initWrites = [...new Set(links.flatMap((l) => [l.from, l.to]).filter((id) => events[id]!.thread < 0))].sort((a, b) => a - b);
  const ids = nodeIds(x, initWrites);
  const out: string[] = [];
  if (options.title !== undefined) out.push('---', `title: ${yamlString(options.title)}`, '---');
  out.push('flowchart TB');

  const classes = new Map<string, string[]>();
  const addClass = (name: string, id: string): void => {
    const members = classes.get(name) ?? [];
    members.push(id);
    classes.set(name, members);
  };
  for (const t of threadsOf(x)) {
    out.push(`  subgraph ${mermaidId(threadName(t))}["${threadName(t)}"]`, '    direction TB');
    const own = threadEvents(x, t);
    if (own.length === 0) out.push(`    ${mermaidId(threadName(t))}_none["no events"]`);
    for (const e of own) {
      out.push(`    ${node(x, e, ids.get(e.id)!)}`);
      addClass(isMemoryAccess(e) ? 'access' : 'fence', ids.get(e.id)!);
    }
    out.push('  end');
  }
  if (initWrites.length > 0) {
    out.push('  subgraph init["init"]', '    direction TB');
    for (const id of initWrites) {
      out.push(`    ${ids.get(id)}["${mermaidText(initialValueText(x, id))}"]`);
      addClass('init', ids.get(id)!);
    }
    out.push('  end');
  }
  const drawn = new Set(links.map((l) => l.style));
  const legend = (Object.keys(LEGEND) as Array<keyof typeof LEGEND>).filter((s) => drawn.has(s)).map((s) => LEGEND[s]);
  if (legend.length > 0) {
    out.push(`  legend["${mermaidLines(legend)}"]`);
    addClass('legend', 'legend');
  }

  for (const l of links) {
    const label = l.label === null ? '' : `|"${mermaidText(l.label)}"|`;
    out.push(`  ${ids.get(l.from)} ${ARROWS[l.style]}${label} ${ids.get(l.to)}`);
  }
  for (const id of new Set((options.highlight ?? []).flatMap((h) => [h.from, h.to]))) addClass('cycle', ids.get(id)!);

  out.push(...CLASS_DEFS.map((c) => `  ${c}`));
  for (const [name, members] of classes) out.push(`  class ${members.join(',')} ${name}`);
  for (const style of Object.keys(LINK_STYLES) as Array<keyof typeof LINK_STYLES>) {
    const indices = links.flatMap((l, i) => (l.style === style ? [i] : []));
    if (indices.length > 0) out.push(`  linkStyle ${indices.join(',')} ${LINK_STYLES[style]}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The links, in the order they are written: program order (invisible, to
 * keep each thread's events in order), then ordering, rf, co and fr edges;
 * a highlighted edge takes over the link it coincides with, or is added.
 */
function chooseLinks(x: Candidate, options: FlowchartOptions): Link[] {
  const links: Link[] = [];
  for (const t of threadsOf(x)) {
    const own = threadEvents(x, t);
    for (let i = 1; i < own.length; i++) links.push({ from: own[i - 1]!.id, to: own[i]!.id, style: 'po', label: null });
  }
  const communication = communicationEdges(x);
  const communicating = [...communication, ...(options.highlight ?? [])].flatMap((e) => [e.from, e.to]);
  const ordering = options.ordering ?? true ? orderingEdges(x, options.model ?? lkmm, communicating) : [];
  for (const e of [...ordering, ...communication]) links.push({ from: e.from, to: e.to, style: e.kind, label: e.label });
  for (const h of options.highlight ?? []) {
    const same = links.find((l) => l.from === h.from && l.to === h.to && l.style !== 'po');
    if (same) {
      same.style = 'highlight';
      same.label = h.label;
    } else {
      links.push({ from: h.from, to: h.to, style: 'highlight', label: h.label });
    }
  }
  return links;
}

/** `P0_2` for a thread's event, `init_x` for an initial write; distinct for distinct events. */
function nodeIds(x: Candidate, initWrites: readonly number[]): Map<number, string> {
  const ids = new Map<number, string>();
  const taken = new Set<string>();
  const claim = (event: number, wanted: string): void => {
    let id = wanted;
    for (let k = 2; taken.has(id); k++) id = `${wanted}_${k}`;
    taken.add(id);
    ids.set(event, id);
  };
  for (const e of x.skeleton.events) if (e.thread >= 0) claim(e.id, `${mermaidId(threadName(e.thread))}_${e.index}`);
  for (const id of initWrites) claim(id, mermaidId(`init_${x.skeleton.events[id]!.location}`));
  return ids;
}

/** A node: a box for an access, a small rounded one for a fence, each with its source line. */
function node(x: Candidate, e: Event, id: string): string {
  const line = sourceLine(e);
  const text = mermaidLines(line === null ? [eventText(x, e.id)] : [eventText(x, e.id), `line ${line}`]);
  return isMemoryAccess(e) ? `${id}["${text}"]` : `${id}(["${text}"])`;
}
