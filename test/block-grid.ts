/**
 * Reads back the grid of a Mermaid block diagram as the execution diagrams
 * write it: the rows of cells with their unit offsets, the edges with
 * their labels and kind, and the classes. The tests check the geometry a
 * reader sees (columns in CPU order, program order downwards) on this.
 */

export interface GridCell {
  /** The block's id, or null for a space. */
  readonly id: string | null;
  readonly text: string;
  /** The first unit it covers, and how many. */
  readonly start: number;
  readonly span: number;
}

export interface GridEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly kind: 'plain' | 'thick' | 'dotted';
}

export interface Grid {
  readonly units: number;
  readonly rows: GridCell[][];
  readonly edges: GridEdge[];
  /** Block ids by class name. */
  readonly classes: Map<string, string[]>;
  /** Where each block is: its row index and first unit. */
  readonly at: Map<string, { row: number; start: number; text: string }>;
}

const CELL = /([A-Za-z_][A-Za-z0-9_]*)\["([^"]*)"\]:(\d+)|space:(\d+)/g;
const EDGE = /^\s+(\S+) (?:(-->|==>|-\.->)|(--|==|-\.) "([^"]*)" (?:-->|==>|\.->)) (\S+)$/;

export function readGrid(text: string): Grid {
  const lines = text.split('\n');
  const units = Number(/^\s+columns (\d+)$/m.exec(text)?.[1] ?? NaN);
  const rows: GridCell[][] = [];
  const edges: GridEdge[] = [];
  const classes = new Map<string, string[]>();
  for (const line of lines) {
    const edge = EDGE.exec(line);
    if (edge) {
      const arrow = edge[2] ?? edge[3]!;
      edges.push({ from: edge[1]!, to: edge[5]!, label: edge[4] ?? '', kind: arrow.startsWith('==') ? 'thick' : arrow.startsWith('-.') ? 'dotted' : 'plain' });
      continue;
    }
    const cls = /^\s+class (\S+) (\S+)$/.exec(line);
    if (cls) {
      classes.set(cls[2]!, cls[1]!.split(','));
      continue;
    }
    if (!/^\s+(?:[A-Za-z_][A-Za-z0-9_]*\[|space:)/.test(line)) continue;
    const row: GridCell[] = [];
    let start = 0;
    for (const m of line.matchAll(CELL)) {
      const span = Number(m[3] ?? m[4]);
      row.push({ id: m[1] ?? null, text: m[2] ?? '', start, span });
      start += span;
    }
    rows.push(row);
  }
  const at = new Map<string, { row: number; start: number; text: string }>();
  rows.forEach((row, r) => row.forEach((c) => c.id !== null && at.set(c.id, { row: r, start: c.start, text: c.text })));
  return { units, rows, edges, classes, at };
}
