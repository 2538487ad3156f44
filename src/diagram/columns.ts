/**
 * The layout of an execution diagram: one column per CPU, its items in
 * program order top to bottom, on a grid of uniform rows (what Mermaid's
 * block diagrams draw). Edges between columns are straight lines from
 * block to block, so the layout moves blocks down, a row at a time, until
 * no line crosses a block it does not join and no two labels overlap.
 *
 * Geometry follows Mermaid's block diagram: every column unit has the same
 * width (the widest block's share), every row the same height, 8 px apart;
 * a block spans a whole number of units. The text widths are estimates,
 * which is all the layout needs: it keeps a margin around everything.
 */

/** One block of a CPU's column. */
export interface ColumnItem {
  readonly id: string;
  /** Its text, one string per line (two at most: every row has the height of the tallest block). */
  readonly lines: readonly string[];
  /** Whether a tinted run joins it to the item above (both are in one critical section). */
  readonly joined?: boolean;
}

/** An edge drawn as a straight line between the centres of two blocks, labelled at its midpoint. */
export interface LaidEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** Whether the label may be left off when it cannot be placed clear of other things (the line's colour says the same). */
  readonly optionalLabel?: boolean;
}

export interface LayoutInput {
  /** The items of each column, in program order. */
  readonly columns: ReadonlyArray<readonly ColumnItem[]>;
  /** Blocks placed above the columns (initial values, headers): rows of `[column, item]`. */
  readonly above: ReadonlyArray<ReadonlyArray<readonly [number, ColumnItem]>>;
  /** Edges between items of different columns, and between consecutive items of one column. */
  readonly edges: readonly LaidEdge[];
  /** Blocks below the columns, full rows of one block per column slot (the legend). */
  readonly below: readonly ColumnItem[];
}

export interface Layout {
  /** Units a column spans, and units between two columns. */
  readonly span: number;
  readonly gap: number;
  readonly units: number;
  /** The row of each column's items, by item id. */
  readonly row: ReadonlyMap<string, number>;
  /** Rows used by the blocks above the columns. */
  readonly firstRow: number;
  /** The first row after the columns' items. */
  readonly endRow: number;
  /** The edges (by index) whose optional label is best left off: it would sit on a block, a line or another label. */
  readonly unlabelled: ReadonlySet<number>;
}

export const COLUMN_SPAN = 4;
/** Units between two columns: at least this many, more when a label between columns needs the room (up to MAX_COLUMN_GAP). */
export const COLUMN_GAP = 2;
export const MAX_COLUMN_GAP = 4;

/** Mermaid's block diagram: space between cells, a block's padding, and the height of a two-line block. */
const SPACING = 8;
const BLOCK_PADDING = 36;
const ROW_HEIGHT = 64;
const CHAR_WIDTH = 8.4;
const LABEL_HEIGHT = 24;
/** Room kept around blocks and labels, in px. */
const MARGIN = 6;
/** How many moves the layout makes at most. */
const MAX_MOVES = 80;

/** Something that makes the diagram hard to read, the blocks that could move to mend it, and how bad it is. */
interface Conflict {
  readonly weight: number;
  readonly blocks: readonly string[];
  /** The edges whose labels are in the way, if labels are. */
  readonly labels?: readonly number[];
}

interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function textWidth(text: string): number {
  return text.length * CHAR_WIDTH;
}

/** What the layout weighs: how bad each kind of conflict is, a label left off, and a row of height. */
const COST = { lineOverBlock: 4, labelOverBlock: 4, labelOverLabel: 3, labelOverLine: 2, droppedLabel: 1.5, row: 0.25 } as const;

/**
 * Lays the columns out: each column's items two rows apart at first, then,
 * one move at a time, the move that most lowers the cost: a block (and the
 * rest of its column) moved down, or an optional label left off. Then
 * blocks are pulled back up where that costs nothing.
 */
export function layoutColumns(input: LayoutInput): Layout {
  const span = COLUMN_SPAN;
  const count = input.columns.length;
  const firstRow = input.above.length;
  const row = new Map<string, number>();
  const columnOf = new Map<string, number>();
  input.columns.forEach((items, c) => items.forEach((item, i) => {
    row.set(item.id, firstRow + 2 * i);
    columnOf.set(item.id, c);
  }));
  // A unit is as wide as the widest block needs for its share (a legend block spans half the diagram);
  // the gap between columns is as wide as the widest label between them and some room to slide it along its
  // line, clear of both columns and of the lines that cross it.
  const blocks = [...input.columns.flat(), ...input.above.flat().map(([, item]) => item)];
  const share = (item: ColumnItem, units: number): number => (Math.max(...item.lines.map(textWidth)) + BLOCK_PADDING - SPACING * (units - 1)) / units;
  const unitWith = (gap: number): number => {
    const ls = legendSpan(count, count * span + Math.max(0, count - 1) * gap);
    return Math.max(24, ...blocks.map((item) => share(item, span)), ...input.below.map((item) => share(item, ls)));
  };
  const across = input.edges.filter((e) => e.label !== '' && columnOf.has(e.from) && columnOf.has(e.to) && columnOf.get(e.from) !== columnOf.get(e.to));
  const widestAcross = Math.max(0, ...across.map((e) => Math.max(...e.label.split('\n').map(textWidth))));
  let gap = COLUMN_GAP;
  let unit = unitWith(gap);
  for (let tries = 0; tries < 3; tries++) {
    const wanted = Math.min(MAX_COLUMN_GAP, Math.max(COLUMN_GAP, Math.ceil((widestAcross + 6 * MARGIN) / (unit + SPACING))));
    if (wanted === gap) break;
    gap = wanted;
    unit = unitWith(gap);
  }
  const units = count * span + Math.max(0, count - 1) * gap;
  const fixed = new Map<string, Rect>();
  input.above.forEach((items, r) => items.forEach(([c, item]) => fixed.set(item.id, cell(c, r))));
  // The tinted run between two items of one critical section is as solid as a block.
  const runs = input.columns.flatMap((items) => items.flatMap((item, i) => (item.joined && i > 0 ? [[items[i - 1]!.id, item.id] as const] : [])));

  function cell(column: number, r: number): Rect {
    const x0 = column * (span + gap) * (unit + SPACING);
    const y0 = r * (ROW_HEIGHT + SPACING);
    return { x0, y0, x1: x0 + span * unit + (span - 1) * SPACING, y1: y0 + ROW_HEIGHT };
  }
  const rectOf = (id: string): Rect => fixed.get(id) ?? cell(columnOf.get(id)!, row.get(id)!);
  const centre = (r: Rect): [number, number] => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];
  const dropped = new Set<number>();

  /** The conflicts of the current rows: a line over a block, or a label over a block, a line or another label. */
  function conflicts(): Conflict[] {
    const found: Conflict[] = [];
    const obstacles: Array<{ rect: Rect; ids: readonly string[] }> = [
      ...[...row.keys(), ...fixed.keys()].map((id) => ({ rect: rectOf(id), ids: [id] })),
      ...runs.map(([a, b]) => {
        const top = rectOf(a);
        const bottom = rectOf(b);
        return { rect: { x0: top.x0, y0: top.y1, x1: top.x1, y1: bottom.y0 }, ids: [a, b] };
      }),
    ];
    const labels: Array<{ rect: Rect; edge: LaidEdge; index: number }> = [];
    const segments = input.edges.map((e) => [...centre(rectOf(e.from)), ...centre(rectOf(e.to))] as const);
    for (const [index, e] of input.edges.entries()) {
      const [ax, ay, bx, by] = segments[index]!;
      for (const o of obstacles) {
        // An edge does not cross its own ends, nor the run it is drawn along.
        if (o.ids.length === 1 ? o.ids[0] === e.from || o.ids[0] === e.to : o.ids.includes(e.from) && o.ids.includes(e.to)) continue;
        if (segmentHitsRect(ax, ay, bx, by, grow(o.rect, o.ids.length === 1 ? MARGIN : -1))) found.push({ weight: COST.lineOverBlock, blocks: [...o.ids, e.from, e.to] });
      }
      if (e.label === '' || dropped.has(index)) continue;
      // A label may have several lines (`\n`): as wide as the widest, as tall as all.
      const labelLines = e.label.split('\n');
      const w = Math.max(...labelLines.map(textWidth)) + 12;
      const h = LABEL_HEIGHT * labelLines.length;
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      const rect = { x0: mx - w / 2, y0: my - h / 2, x1: mx + w / 2, y1: my + h / 2 };
      for (const o of obstacles) {
        if (o.ids.length === 2 && o.ids.includes(e.from) && o.ids.includes(e.to)) continue;
        if (overlaps(rect, grow(o.rect, MARGIN / 2))) found.push({ weight: COST.labelOverBlock, blocks: [...o.ids, e.from, e.to], labels: [index] });
      }
      // A label on another edge's line would seem to name that edge (unless the two meet at a block anyway).
      input.edges.forEach((other, k) => {
        if (other === e || [other.from, other.to].some((id) => id === e.from || id === e.to)) return;
        const [ox, oy, px, py] = segments[k]!;
        if (segmentHitsRect(ox, oy, px, py, rect)) found.push({ weight: COST.labelOverLine, blocks: [e.from, e.to, other.from, other.to], labels: [index] });
      });
      for (const other of labels) {
        if (overlaps(rect, grow(other.rect, MARGIN / 2))) found.push({ weight: COST.labelOverLabel, blocks: [e.from, e.to, other.edge.from, other.edge.to], labels: [index, other.index] });
      }
      labels.push({ rect, edge: e, index });
    }
    return found;
  }

  /** Moves an item, and every later item of its column, down by some rows (up, when negative). */
  const push = (id: string, by: number): void => {
    const c = columnOf.get(id);
    if (c === undefined) return;
    const from = row.get(id)!;
    for (const item of input.columns[c]!) if (row.get(item.id)! >= from) row.set(item.id, row.get(item.id)! + by);
  };
  const height = (): number => Math.max(firstRow, ...[...row.values()].map((r) => r + 1));
  const cost = (): number => conflicts().reduce((sum, c) => sum + c.weight, 0) + dropped.size * COST.droppedLabel + height() * COST.row;

  let current = cost();
  for (let moves = 0; moves < MAX_MOVES; moves++) {
    const found = conflicts();
    if (found.length === 0) break;
    const best: { apply: (() => void) | null; cost: number } = { apply: null, cost: Infinity };
    const consider = (apply: () => void, undo: () => void): void => {
      apply();
      const after = cost();
      undo();
      if (after < best.cost) Object.assign(best, { apply, cost: after });
    };
    const tried = new Set<string>();
    for (const conflict of found) {
      for (const id of conflict.blocks) {
        if (tried.has(id) || !columnOf.has(id)) continue;
        tried.add(id);
        for (let by = 1; by <= 3; by++) consider(() => push(id, by), () => push(id, -by));
      }
      for (const label of conflict.labels ?? []) {
        if (input.edges[label]!.optionalLabel && !dropped.has(label)) consider(() => dropped.add(label), () => dropped.delete(label));
      }
    }
    if (best.apply === null || best.cost >= current) break;
    best.apply();
    current = best.cost;
  }
  // Then pull blocks back up where that costs nothing, so that the diagram is no taller than it needs to be.
  for (const items of input.columns) {
    items.forEach((item, i) => {
      const floor = i === 0 ? firstRow : row.get(items[i - 1]!.id)! + 2;
      while (row.get(item.id)! > floor) {
        push(item.id, -1);
        const after = cost();
        if (after <= current) current = after;
        else {
          push(item.id, 1);
          break;
        }
      }
    });
  }
  return { span, gap, units, row, firstRow, endRow: height(), unlabelled: dropped };
}

/** Units a legend block spans: half the diagram (all of it for one CPU). */
export function legendSpan(columns: number, units: number): number {
  return columns <= 1 ? units : Math.floor(units / 2);
}

function grow(r: Rect, by: number): Rect {
  return { x0: r.x0 - by, y0: r.y0 - by, x1: r.x1 + by, y1: r.y1 + by };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Whether the segment (ax, ay)-(bx, by) passes through the rectangle (Liang–Barsky clipping). */
function segmentHitsRect(ax: number, ay: number, bx: number, by: number, r: Rect): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q >= 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return clip(-dx, ax - r.x0) && clip(dx, r.x1 - ax) && clip(-dy, ay - r.y0) && clip(dy, r.y1 - ay) && t0 < t1;
}
