import { describe, expect, it } from 'vitest';
import { layoutColumns, type ColumnItem } from '../src/diagram/columns.js';

const item = (id: string): ColumnItem => ({ id, lines: [id, 'line 1'] });

describe('the column layout of execution diagrams', () => {
  it('puts a lone column\'s items two rows apart, in order', () => {
    const layout = layoutColumns({ columns: [[item('a0'), item('a1'), item('a2')]], above: [], below: [], edges: [{ from: 'a0', to: 'a1', label: '' }, { from: 'a1', to: 'a2', label: '' }] });
    expect([...layout.row]).toEqual([['a0', 0], ['a1', 2], ['a2', 4]]);
    expect({ span: layout.span, gap: layout.gap, units: layout.units, endRow: layout.endRow }).toEqual({ span: 4, gap: 2, units: 4, endRow: 5 });
  });

  it('moves MP\'s blocks apart until the labels of the two crossing lines no longer meet', () => {
    const layout = layoutColumns({
      columns: [[item('a0'), item('a1')], [item('b0'), item('b1')]],
      above: [[[0, item('h0')], [1, item('h1')]]],
      below: [],
      edges: [
        { from: 'a0', to: 'a1', label: 'smp_wmb()' },
        { from: 'b0', to: 'b1', label: 'smp_rmb()' },
        { from: 'a1', to: 'b0', label: 'rfe' },
        { from: 'b1', to: 'a0', label: 'fre' },
      ],
    });
    // Both labels would sit where the lines cross, halfway down; a1 moves a row further down than b1.
    expect([...layout.row]).toEqual([['a0', 1], ['a1', 4], ['b0', 1], ['b1', 3]]);
    expect(layout.firstRow).toBe(1);
    expect(layout.unlabelled.size).toBe(0);
  });

  it('keeps a line from the third column to the first clear of the second column\'s blocks', () => {
    const layout = layoutColumns({
      columns: [[item('a0')], [item('b0'), item('b1')], [item('c0'), item('c1')]],
      above: [],
      below: [],
      edges: [
        { from: 'b0', to: 'b1', label: '' },
        { from: 'c0', to: 'c1', label: '' },
        { from: 'c1', to: 'a0', label: 'fre', optionalLabel: true },
      ],
    });
    // Straight from c1 (row 2) up to a0 (row 0), the line passes the middle column at row 1: b0 moves below it.
    expect([...layout.row]).toEqual([['a0', 0], ['b0', 2], ['b1', 4], ['c0', 0], ['c1', 2]]);
  });

  it('leaves off an optional label that cannot be placed clear of another line', () => {
    // a0 to c0 runs along row 0 straight through b0's column; its label would sit on b's program-order line.
    const layout = layoutColumns({
      columns: [[item('a0')], [item('b0'), item('b1'), item('b2'), item('b3')], [item('c0')]],
      above: [],
      below: [],
      edges: [
        { from: 'b0', to: 'b1', label: '' },
        { from: 'b1', to: 'b2', label: '' },
        { from: 'b2', to: 'b3', label: '' },
        { from: 'a0', to: 'c0', label: 'coe', optionalLabel: true },
        { from: 'c0', to: 'a0', label: 'fre' },
      ],
    });
    expect([...layout.unlabelled].map((i) => ['b0-b1', 'b1-b2', 'b2-b3', 'a0-c0', 'c0-a0'][i])).toEqual(['a0-c0']);
  });
});
