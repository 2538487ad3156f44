/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Edge labels clear of other lines. Mermaid puts an edge's label at the
 * middle of its line; in an execution diagram a line from P0 to P2 has its
 * middle on P1's column, right on P1's program-order line, where the label
 * seems to name that line instead. After Mermaid has drawn, each label
 * that sits on another edge's line, on a block, or on a label already
 * placed slides along its own line to the nearest place that is clear, or
 * failing that sits just beside its line (it stays where it was when no
 * place is clear).
 *
 * Browser-only (it measures the drawn SVG), free of Node imports.
 */

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Where along its line a label may go, nearest the middle first. */
const STOPS = [0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8];
/** Room kept around a label, in px. */
const MARGIN = 2;
/** Distance between the points a line is sampled at, in px. */
const STEP = 3;

function boxOf(el: Element): Box {
  const r = el.getBoundingClientRect();
  return { x0: r.left - MARGIN, y0: r.top - MARGIN, x1: r.right + MARGIN, y1: r.bottom + MARGIN };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

function inside(x: number, y: number, b: Box): boolean {
  return x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1;
}

/** The two block ids an edge joins, from its `data-id` (`…-1-P1_3-P2_0`). */
function endsOf(dataId: string): readonly string[] {
  return dataId.split('-').slice(-2);
}

/** Points along a path, in client coordinates. */
function samples(path: SVGPathElement): Array<[number, number]> {
  const ctm = path.getScreenCTM();
  if (!ctm) return [];
  const length = path.getTotalLength();
  const out: Array<[number, number]> = [];
  for (let at = 0; at <= length; at += STEP) {
    const p = path.getPointAtLength(at);
    out.push([ctm.a * p.x + ctm.c * p.y + ctm.e, ctm.b * p.x + ctm.d * p.y + ctm.f]);
  }
  return out;
}

/** Slides labels off other lines, blocks and labels. Returns how many moved. */
export function clearEdgeLabels(svg: SVGSVGElement): number {
  const paths = [...svg.querySelectorAll<SVGPathElement>('path[data-edge="true"][data-id]')];
  const lines = paths.map((path) => ({ path, id: path.getAttribute('data-id')!, ends: endsOf(path.getAttribute('data-id')!), points: samples(path) }));
  const blocks = [...svg.querySelectorAll('g.node')].map((node) => ({ id: node.id, box: boxOf(node) }));
  const placed: Box[] = [];
  let moved = 0;
  for (const outer of svg.querySelectorAll<SVGGElement>('g.edgeLabel')) {
    const inner = outer.querySelector('g.label[data-id]');
    const text = outer.textContent?.trim() ?? '';
    if (!inner || text === '') continue;
    const labelId = inner.getAttribute('data-id')!;
    const own = lines.find((l) => l.id === labelId || l.id.endsWith(`-${labelId}`));
    if (!own) continue;
    const ends = own.ends;
    const clear = (box: Box): boolean =>
      !lines.some((l) => l !== own && !l.ends.some((e) => ends.includes(e)) && l.points.some(([x, y]) => inside(x, y, box))) &&
      !blocks.some((b) => overlaps(b.box, box)) &&
      !placed.some((p) => overlaps(p, box));
    const original = outer.getAttribute('transform');
    let box = boxOf(outer);
    if (!clear(box)) {
      const length = own.path.getTotalLength();
      const half = outer.getBBox().height / 2 + 2;
      let found = false;
      // On its line first, nearest the middle; failing that, just beside its line, on either side.
      for (const side of [0, 1, -1]) {
        for (const t of side === 0 ? STOPS.slice(1) : STOPS) {
          const p = own.path.getPointAtLength(t * length);
          const q = own.path.getPointAtLength(Math.min(length, t * length + 1));
          const r = own.path.getPointAtLength(Math.max(0, t * length - 1));
          const dx = q.x - r.x;
          const dy = q.y - r.y;
          const norm = Math.hypot(dx, dy) || 1;
          // A label beside a line goes off it along the normal, by as far as a near-horizontal line needs.
          const off = side === 0 ? 0 : side * half * Math.min(3, norm / Math.max(Math.abs(dx), 0.3));
          outer.setAttribute('transform', `translate(${p.x + (-dy / norm) * off}, ${p.y + (dx / norm) * off})`);
          const candidate = boxOf(outer);
          if (clear(candidate)) {
            box = candidate;
            found = true;
            moved++;
            break;
          }
        }
        if (found) break;
      }
      if (!found) {
        if (original === null) outer.removeAttribute('transform');
        else outer.setAttribute('transform', original);
        box = boxOf(outer);
      }
    }
    placed.push(box);
  }
  return moved;
}
