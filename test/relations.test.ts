import { describe, expect, it } from 'vitest';
import { EventSet, Relation, findCycle } from '../src/relations/algebra.js';

const pairsOf = (r: Relation): Array<[number, number]> => [...r.pairs()];

describe('EventSet', () => {
  it('supports union, intersection, difference and complement', () => {
    const a = EventSet.of(5, [0, 1, 2]);
    const b = EventSet.of(5, [2, 3]);
    expect(a.union(b).toArray()).toEqual([0, 1, 2, 3]);
    expect(a.inter(b).toArray()).toEqual([2]);
    expect(a.diff(b).toArray()).toEqual([0, 1]);
    expect(a.complement().toArray()).toEqual([3, 4]);
    expect(a.size()).toBe(3);
  });

  it('works across word boundaries', () => {
    const s = EventSet.of(70, [0, 31, 32, 63, 64, 69]);
    expect(s.toArray()).toEqual([0, 31, 32, 63, 64, 69]);
    expect(s.complement().size()).toBe(64);
  });
});

describe('Relation', () => {
  const r = Relation.fromPairs(4, [[0, 1], [1, 2]]);

  it('composes with seq', () => {
    expect(pairsOf(r.seq(r))).toEqual([[0, 2]]);
  });

  it('inverts', () => {
    expect(pairsOf(r.inverse())).toEqual([[1, 0], [2, 1]]);
  });

  it('computes the transitive and reflexive-transitive closures', () => {
    expect(pairsOf(r.plus())).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(r.star().size()).toBe(3 + 4);
  });

  it('restricts domain and range like [S] ; r ; [T]', () => {
    const s = EventSet.of(4, [1]);
    expect(pairsOf(r.restrictDomain(s))).toEqual([[1, 2]]);
    expect(pairsOf(r.restrictRange(s))).toEqual([[0, 1]]);
    expect(pairsOf(r.between(EventSet.of(4, [0]), EventSet.of(4, [2])))).toEqual([]);
  });

  it('builds identities and products', () => {
    expect(pairsOf(Relation.identity(EventSet.of(3, [0, 2])))).toEqual([[0, 0], [2, 2]]);
    expect(pairsOf(Relation.product(EventSet.of(3, [0]), EventSet.of(3, [1, 2])))).toEqual([[0, 1], [0, 2]]);
  });

  it('reports domain, range, emptiness and reflexivity', () => {
    expect(r.domain().toArray()).toEqual([0, 1]);
    expect(r.range().toArray()).toEqual([1, 2]);
    expect(Relation.empty(3).isEmpty()).toBe(true);
    expect(r.opt().isIrreflexive()).toBe(false);
    expect(r.opt().withoutIdentity().equals(r)).toBe(true);
  });

  it('finds a shortest cycle, or none', () => {
    expect(r.isAcyclic()).toBe(true);
    expect(findCycle(r)).toBeNull();
    const cyclic = Relation.fromPairs(5, [[0, 1], [1, 2], [2, 3], [3, 0], [2, 0]]);
    expect(cyclic.isAcyclic()).toBe(false);
    expect(findCycle(cyclic)).toEqual([0, 1, 2]);
    expect(findCycle(Relation.fromPairs(3, [[1, 1]]))).toEqual([1]);
  });
});
