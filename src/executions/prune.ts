/**
 * Pruning while reads choose their writes: rules that reject a partial
 * choice only when every completion of it is forbidden, so the allowed
 * executions (and the counts) stay those of the full product.
 *
 * Both rules here are axioms that every model of the project keeps
 * (`defineCoherence` in `src/models/base.ts`), and the enumerator applies
 * them only when the model declares them:
 *
 * - coherence: `po-loc | rf | co | fr` is acyclic. Adding a read's rf edge
 *   and its fr edges (to the writes after its source in co, all fixed once co
 *   is chosen) only adds edges, and edges are never removed when further
 *   reads are chosen; a cycle found on a partial choice is in every
 *   completion.
 * - atomicity: `rmw & (fre ; coe)` is empty. For an RMW (r, w) it holds
 *   exactly when no write of another thread lies strictly between r's source
 *   and w in co, which is known as soon as r's source is chosen.
 */

import { bitMatrixHasCycle, type Relation } from '../relations/algebra.js';
import type { Skeleton } from './skeleton.js';

/**
 * The graph `po-loc | rf | co | fr` of one coherence order, with the rf and
 * fr edges of the reads chosen so far. One buffer per depth of the choice,
 * so backtracking is free: depth d+1 starts as a copy of depth d.
 */
export class CoherenceGraph {
  private readonly w: number;
  private readonly size: number;
  private readonly buffers: Uint32Array;

  constructor(
    private readonly n: number,
    depths: number,
  ) {
    this.w = Math.max(1, Math.ceil(n / 32));
    this.size = n * this.w;
    this.buffers = new Uint32Array(this.size * (depths + 1));
  }

  /** Depth 0: program order per location, co, and the rf edges fixed by co (lock reads). */
  reset(poLoc: Relation, co: Relation, fixedRf: ReadonlyArray<readonly [number, number]>): void {
    const b = this.buffers;
    for (let k = 0; k < this.size; k++) b[k] = poLoc.bits[k]! | co.bits[k]!;
    for (const [w, r] of fixedRf) this.addRead(0, w, r, co);
  }

  /** Adds, at depth d, the edges of a relation (a location's coherence order). */
  addEdges(d: number, r: Relation): void {
    const base = d * this.size;
    for (let k = 0; k < this.size; k++) this.buffers[base + k]! |= r.bits[k]!;
  }

  /** Copies depth d into depth d + 1. */
  descend(d: number): void {
    this.buffers.copyWithin((d + 1) * this.size, d * this.size, (d + 1) * this.size);
  }

  /** Adds, at depth d, r's rf edge from w and its fr edges: to every write after w in co. */
  addRead(d: number, w: number, r: number, co: Relation): void {
    const base = d * this.size;
    const b = this.buffers;
    b[base + w * this.w + (r >>> 5)]! |= 1 << (r & 31);
    const row = base + r * this.w;
    const from = w * this.w;
    for (let k = 0; k < this.w; k++) b[row + k]! |= co.bits[from + k]!;
  }

  /** Whether the graph at depth d has a cycle. */
  cyclic(d: number): boolean {
    return bitMatrixHasCycle(this.buffers, d * this.size, this.n, this.w);
  }
}

/**
 * For each read of an RMW pair, its write; atomicity then says which
 * sources the read may take under one coherence order (see above).
 */
export function rmwWriteOfRead(sk: Skeleton): Map<number, number> {
  const out = new Map<number, number>();
  for (const [r, w] of sk.rmw.pairs()) out.set(r, w);
  return out;
}

/** Whether a write of another thread than `thread` lies strictly between `source` and `write` in `order`. */
export function interveningForeignWrite(order: readonly number[], source: number, write: number, threadOf: (e: number) => number, thread: number): boolean {
  const from = order.indexOf(source);
  const to = order.indexOf(write);
  if (from < 0 || to < 0) return false;
  for (let k = from + 1; k < to; k++) if (threadOf(order[k]!) !== thread) return true;
  return false;
}
