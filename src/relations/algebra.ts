/**
 * A small relation algebra over the events of one candidate execution.
 *
 * Events are numbered 0..n-1. A set of events is a bitset; a relation is an
 * n×n bit matrix stored row by row (row i = the set of events that i is
 * related to). Litmus tests have few events, so every operation is a handful
 * of word operations per row.
 *
 * This is the vocabulary the models are written in: union, intersection,
 * difference, sequence (`r ; s`), inverse, reflexive and transitive
 * closures, the identity on a set (`[S]`) and cartesian products (`S * T`).
 * Values are immutable once built: every operation returns a new value.
 */

const WORD = 32;

export function wordsFor(n: number): number {
  return Math.max(1, Math.ceil(n / WORD));
}

function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A set of events, as a bitset. */
export class EventSet {
  readonly n: number;
  readonly words: Uint32Array;

  constructor(n: number, words?: Uint32Array) {
    this.n = n;
    this.words = words ?? new Uint32Array(wordsFor(n));
  }

  static empty(n: number): EventSet {
    return new EventSet(n);
  }

  static all(n: number): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) s.words[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  static of(n: number, members: Iterable<number>): EventSet {
    const s = new EventSet(n);
    for (const i of members) s.words[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  /** The events satisfying a predicate. */
  static where(n: number, test: (i: number) => boolean): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) if (test(i)) s.words[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  union(o: EventSet): EventSet {
    const w = new Uint32Array(this.words.length);
    for (let k = 0; k < w.length; k++) w[k] = this.words[k]! | o.words[k]!;
    return new EventSet(this.n, w);
  }

  inter(o: EventSet): EventSet {
    const w = new Uint32Array(this.words.length);
    for (let k = 0; k < w.length; k++) w[k] = this.words[k]! & o.words[k]!;
    return new EventSet(this.n, w);
  }

  diff(o: EventSet): EventSet {
    const w = new Uint32Array(this.words.length);
    for (let k = 0; k < w.length; k++) w[k] = this.words[k]! & ~o.words[k]!;
    return new EventSet(this.n, w);
  }

  complement(): EventSet {
    return EventSet.all(this.n).diff(this);
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.words.length; k++) if (this.words[k] !== 0) return false;
    return true;
  }

  size(): number {
    let c = 0;
    for (let k = 0; k < this.words.length; k++) c += popcount32(this.words[k]!);
    return c;
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let k = 0; k < this.words.length; k++) {
      let word = this.words[k]!;
      while (word !== 0) {
        const low = word & -word;
        yield k * WORD + (31 - Math.clz32(low));
        word ^= low;
      }
    }
  }

  toArray(): number[] {
    return [...this];
  }
}

/** A binary relation on events, as a bit matrix. */
export class Relation {
  readonly n: number;
  /** Words per row. */
  readonly w: number;
  readonly bits: Uint32Array;
  /** For `[S]` built by `identity`: S, so that `seq` can restrict instead of multiplying. */
  diagonal: EventSet | null = null;
  /** Whether `diagonal` holds every event (then `seq` with this relation changes nothing). */
  diagonalFull = false;
  /** Known to be transitive (a closure, or an order such as co): then `r+` is r itself. */
  transitive = false;

  constructor(n: number, bits?: Uint32Array) {
    this.n = n;
    this.w = wordsFor(n);
    this.bits = bits ?? new Uint32Array(this.n * this.w);
  }

  static empty(n: number): Relation {
    return new Relation(n);
  }

  static fromPairs(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = new Relation(n);
    for (const [a, b] of pairs) r.bits[a * r.w + (b >>> 5)]! |= 1 << (b & 31);
    return r;
  }

  /** The pairs (i, j) satisfying a predicate. */
  static where(n: number, test: (i: number, j: number) => boolean): Relation {
    const r = new Relation(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (test(i, j)) r.bits[i * r.w + (j >>> 5)]! |= 1 << (j & 31);
    }
    return r;
  }

  /** `[S]`: the identity restricted to a set. */
  static identity(s: EventSet): Relation {
    const r = new Relation(s.n);
    for (let i = 0; i < s.n; i++) {
      const bit = 1 << (i & 31);
      if ((s.words[i >>> 5]! & bit) !== 0) r.bits[i * r.w + (i >>> 5)]! |= bit;
    }
    r.diagonal = s;
    r.diagonalFull = s.size() === s.n;
    return r;
  }

  /** `S * T`: every pair from S to T. */
  static product(s: EventSet, t: EventSet): Relation {
    const r = new Relation(s.n);
    for (let i = 0; i < s.n; i++) if (s.has(i)) r.bits.set(t.words, i * r.w);
    return r;
  }

  has(i: number, j: number): boolean {
    return (this.bits[i * this.w + (j >>> 5)]! & (1 << (j & 31))) !== 0;
  }

  /** Row i: the events i is related to. */
  successors(i: number): EventSet {
    return new EventSet(this.n, this.bits.slice(i * this.w, (i + 1) * this.w));
  }

  *pairs(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.n; i++) {
      for (let k = 0; k < this.w; k++) {
        let word = this.bits[i * this.w + k]!;
        while (word !== 0) {
          const low = word & -word;
          yield [i, k * WORD + (31 - Math.clz32(low))];
          word ^= low;
        }
      }
    }
  }

  union(o: Relation): Relation {
    const b = new Uint32Array(this.bits.length);
    for (let k = 0; k < b.length; k++) b[k] = this.bits[k]! | o.bits[k]!;
    return new Relation(this.n, b);
  }

  inter(o: Relation): Relation {
    const b = new Uint32Array(this.bits.length);
    for (let k = 0; k < b.length; k++) b[k] = this.bits[k]! & o.bits[k]!;
    return new Relation(this.n, b);
  }

  diff(o: Relation): Relation {
    const b = new Uint32Array(this.bits.length);
    for (let k = 0; k < b.length; k++) b[k] = this.bits[k]! & ~o.bits[k]!;
    return new Relation(this.n, b);
  }

  /** `r^-1` */
  inverse(): Relation {
    const { n, w } = this;
    const r = new Relation(n);
    for (let i = 0; i < n; i++) {
      const iw = i >>> 5;
      const ib = 1 << (i & 31);
      for (let k = 0; k < w; k++) {
        let word = this.bits[i * w + k]!;
        while (word !== 0) {
          const low = word & -word;
          const j = k * WORD + (31 - Math.clz32(low));
          word ^= low;
          r.bits[j * w + iw]! |= ib;
        }
      }
    }
    return r;
  }

  /** `r ; s`: i is related to k when i r j and j s k for some j. */
  seq(o: Relation): Relation {
    // Values are immutable, so `[all] ; s` can be s itself.
    if (this.diagonal) return this.diagonalFull ? o : o.restrictDomain(this.diagonal);
    if (o.diagonal) return o.diagonalFull ? this : this.restrictRange(o.diagonal);
    const { n, w } = this;
    const out = new Uint32Array(n * w);
    if (w === 1) {
      // One word per row: the common case (up to 32 events).
      seqOneWordRows(out, this.bits, o.bits, n);
      return new Relation(n, out);
    }
    if (w === 2) {
      // Two words per row (up to 64 events).
      const a = this.bits;
      const b = o.bits;
      for (let i = 0; i < n; i++) {
        let lo = 0;
        let hi = 0;
        for (let k = 0; k < 2; k++) {
          let word = a[2 * i + k]!;
          while (word !== 0) {
            const low = word & -word;
            const j = 2 * (k * WORD + (31 - Math.clz32(low)));
            lo |= b[j]!;
            hi |= b[j + 1]!;
            word ^= low;
          }
        }
        out[2 * i] = lo;
        out[2 * i + 1] = hi;
      }
      return new Relation(n, out);
    }
    for (let i = 0; i < n; i++) {
      const ri = i * w;
      for (let k = 0; k < w; k++) {
        let word = this.bits[ri + k]!;
        while (word !== 0) {
          const low = word & -word;
          const j = k * WORD + (31 - Math.clz32(low));
          word ^= low;
          const rj = j * w;
          for (let m = 0; m < w; m++) out[ri + m]! |= o.bits[rj + m]!;
        }
      }
    }
    return new Relation(n, out);
  }

  /** `[S] ; r` */
  restrictDomain(s: EventSet): Relation {
    const b = new Uint32Array(this.bits.length);
    for (let i = 0; i < this.n; i++) {
      if (!s.has(i)) continue;
      for (let k = 0; k < this.w; k++) b[i * this.w + k] = this.bits[i * this.w + k]!;
    }
    return new Relation(this.n, b);
  }

  /** `r ; [S]` */
  restrictRange(s: EventSet): Relation {
    const b = new Uint32Array(this.bits.length);
    for (let i = 0; i < this.n; i++) {
      for (let k = 0; k < this.w; k++) b[i * this.w + k] = this.bits[i * this.w + k]! & s.words[k]!;
    }
    return new Relation(this.n, b);
  }

  /** `[S] ; r ; [T]` */
  between(s: EventSet, t: EventSet): Relation {
    return this.restrictDomain(s).restrictRange(t);
  }

  /** `r?`: r with the identity added. */
  opt(): Relation {
    const r = new Relation(this.n, this.bits.slice());
    for (let i = 0; i < this.n; i++) r.bits[i * r.w + (i >>> 5)]! |= 1 << (i & 31);
    return r;
  }

  /** `r+`: the transitive closure (Warshall's algorithm on bit rows). */
  plus(): Relation {
    if (this.transitive) return this;
    const { n, w } = this;
    const b = this.bits.slice();
    for (let k = 0; k < n; k++) {
      const rk = k * w;
      const kw = k >>> 5;
      const kb = 1 << (k & 31);
      for (let i = 0; i < n; i++) {
        const ri = i * w;
        if ((b[ri + kw]! & kb) !== 0) for (let m = 0; m < w; m++) b[ri + m]! |= b[rk + m]!;
      }
    }
    return new Relation(n, b).markTransitive();
  }

  /** Records that this relation is transitive (its maker knows); returns it. */
  markTransitive(): Relation {
    this.transitive = true;
    return this;
  }

  /** `r*`: the reflexive-transitive closure. */
  star(): Relation {
    // Often empty (no dependency carried through memory, say): then just the identity, which composes cheaply.
    if (this.isEmpty()) return Relation.identity(EventSet.all(this.n));
    return this.plus().opt();
  }

  /** `r \ id` */
  withoutIdentity(): Relation {
    const r = new Relation(this.n, this.bits.slice());
    for (let i = 0; i < this.n; i++) r.bits[i * r.w + (i >>> 5)]! &= ~(1 << (i & 31));
    return r;
  }

  /**
   * The relation restricted to a few events and renumbered 0..k-1 in the
   * order given: for computing on a small matrix what only involves them.
   */
  project(ids: readonly number[]): Relation {
    const small = new Relation(ids.length);
    ids.forEach((a, i) => ids.forEach((b, j) => {
      if (this.has(a, b)) small.bits[i * small.w + (j >>> 5)]! |= 1 << (j & 31);
    }));
    return small;
  }

  /** The inverse of `project`: a relation on k events put back among n, event i of it being `ids[i]`. */
  static embed(small: Relation, ids: readonly number[], n: number): Relation {
    const r = new Relation(n);
    for (const [i, j] of small.pairs()) r.bits[ids[i]! * r.w + (ids[j]! >>> 5)]! |= 1 << (ids[j]! & 31);
    return r;
  }

  /** `r & id`, as a set: the events related to themselves. */
  reflexiveEvents(): EventSet {
    return EventSet.where(this.n, (i) => this.has(i, i));
  }

  domain(): EventSet {
    const s = new EventSet(this.n);
    for (let i = 0; i < this.n; i++) {
      for (let k = 0; k < this.w; k++) {
        if (this.bits[i * this.w + k] !== 0) {
          s.words[i >>> 5]! |= 1 << (i & 31);
          break;
        }
      }
    }
    return s;
  }

  range(): EventSet {
    const s = new EventSet(this.n);
    for (let i = 0; i < this.n; i++) for (let k = 0; k < this.w; k++) s.words[k]! |= this.bits[i * this.w + k]!;
    return s;
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }

  isIrreflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false;
    return true;
  }

  /** No cycle: depth-first search on the bit rows, with no allocation beyond two small arrays. */
  isAcyclic(): boolean {
    return !hasCycle(this);
  }

  size(): number {
    let c = 0;
    for (let k = 0; k < this.bits.length; k++) c += popcount32(this.bits[k]!);
    return c;
  }

  equals(o: Relation): boolean {
    if (o.n !== this.n) return false;
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== o.bits[k]) return false;
    return true;
  }
}

/**
 * `out = a ; b` for bit matrices of up to 32 events (one word per row), in
 * a buffer the caller owns: for loops that compose many times (a fixed
 * point) without allocating.
 */
export function seqOneWordRows(out: Uint32Array, a: Uint32Array, b: Uint32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    let word = a[i]!;
    let acc = 0;
    while (word !== 0) {
      const low = word & -word;
      acc |= b[31 - Math.clz32(low)]!;
      word ^= low;
    }
    out[i] = acc;
  }
}

/**
 * A shortest cycle of a relation, as the list of events on it (the edge from
 * the last back to the first closes it), or null when the relation is acyclic.
 */
export function findCycle(r: Relation): number[] | null {
  return hasCycle(r) ? shortestCycle(r) : null;
}

/**
 * Whether a relation has a cycle: an iterative depth-first search that walks
 * each row's bits in place (`cursor` is the next column to look at), so the
 * check allocates nothing per edge. It runs once per axiom per candidate.
 */
function hasCycle(r: Relation): boolean {
  return bitMatrixHasCycle(r.bits, 0, r.n, r.w);
}

/**
 * The same check on a bit matrix stored at `base` in `bits` (n rows of w
 * words), for callers that keep matrices in buffers of their own.
 */
export function bitMatrixHasCycle(bits: Uint32Array, base: number, n: number, w: number): boolean {
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const stack = new Int32Array(n);
  const cursor = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    let depth = 0;
    stack[0] = root;
    cursor[root] = 0;
    state[root] = 1;
    while (depth >= 0) {
      const u = stack[depth]!;
      const row = base + u * w;
      let next = -1;
      for (let j = cursor[u]!; j < n; ) {
        const word = bits[row + (j >>> 5)]! >>> (j & 31);
        if (word === 0) {
          j = (j | 31) + 1;
          continue;
        }
        j += 31 - Math.clz32(word & -word);
        if (j >= n) break;
        if (state[j] === 1) return true;
        if (state[j] === 0) {
          next = j;
          cursor[u] = j + 1;
          break;
        }
        j++;
      }
      if (next < 0) {
        state[u] = 2;
        depth--;
      } else {
        state[next] = 1;
        cursor[next] = 0;
        stack[++depth] = next;
      }
    }
  }
  return false;
}

/** Breadth-first search from every event back to itself; the shortest cycle found. */
function shortestCycle(r: Relation): number[] | null {
  let best: number[] | null = null;
  for (let start = 0; start < r.n; start++) {
    const path = cycleThrough(r, start);
    if (path !== null && (best === null || path.length < best.length)) best = path;
    if (best !== null && best.length === 1) break;
  }
  return best;
}

/** A shortest cycle of r through `start` (its events, `start` first), or null when there is none. */
export function cycleThrough(r: Relation, start: number): number[] | null {
  const parent = new Int32Array(r.n).fill(-1);
  const queue = [start];
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (const v of r.successors(u)) {
      if (v === start) {
        const path = [u];
        while (path[0] !== start) path.unshift(parent[path[0]!]!);
        return path;
      }
      if (parent[v] === -1 && v !== start) {
        parent[v] = u;
        queue.push(v);
      }
    }
  }
  return null;
}
