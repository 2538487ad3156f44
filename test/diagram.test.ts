import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram, candidates, check, parseLitmus, type Candidate } from '../src/index.js';
import { executionAscii, executionDiagram, executionFlowchart, executionOrder, orderingEdges, witnessSequence } from '../src/diagram/index.js';
import { explainOutcome } from '../src/explain/index.js';
import { readGrid } from './block-grid.js';
import { mermaidId, mermaidText } from '../src/diagram/escape.js';
import { lkmm } from '../src/models/lkmm.js';
import { tso } from '../src/models/tso.js';
import { allowedWith, forbiddenMp, MP_RELEASE_ADDR, SB } from './diagram-fixtures.js';
import { validateMermaid } from './mermaid-validate.js';

const MP_DIAGRAM = `---
config:
  themeCSS: "path[id$='-P0_0-P0_2']{stroke:#d62728 !important;} path[id$='-P1_0-P1_2']{stroke:#d62728 !important;} path[id$='-P0_2-P1_0']{stroke:#d62728 !important;} path[id$='-P1_2-P0_0']{stroke:#d62728 !important;} .edge-thickness-thick{stroke:#d62728 !important;stroke-width:3.5px !important;}"
---
block-beta
  columns 10
  diagram_title["MP+wmb+rmb"]:10
  init_x["x = 0"]:4 space:2 space:4
  cpu_P0["P0"]:4 space:2 cpu_P1["P1"]:4
  P0_0["W x=1<br/>line 7"]:4 space:2 P1_0["R y=1<br/>line 17"]:4
  space:4 space:2 space:4
  space:4 space:2 P1_2["R x=0<br/>line 19 · init"]:4
  P0_2["W y=1<br/>line 9"]:4 space:2 space:4
  legend_0["columns: one CPU each<br/>rows: program order, downwards"]:5 legend_1["dashed tiles: initial values<br/>that some read takes"]:5
  legend_2["thick red: the cycle that<br/>makes the outcome impossible"]:5 legend_3["rfe: reads the value<br/>another CPU's write stored"]:5
  legend_4["fre: reads a value<br/>that this write then overwrites"]:5 legend_5["smp_rmb(): orders loads before<br/>it with loads after it"]:5
  legend_6["smp_wmb(): orders stores before<br/>it with stores after it"]:5 space:5
  P0_0 == "smp_wmb()" ==> P0_2
  P1_0 == "smp_rmb()" ==> P1_2
  P0_2 == "rfe" ==> P1_0
  P1_2 == "fre" ==> P0_0
  classDef access_cycle fill:#e8eefb,stroke:#d62728,stroke-width:3px,color:#111111
  classDef init fill:#ffffff,stroke:#8c8c8c,stroke-dasharray:4 3,color:#222222
  classDef cpu fill:#37474f,stroke:#37474f,color:#ffffff,font-weight:bold
  classDef legend fill:#fffdf2,stroke:#cfc39a,color:#222222
  classDef title fill:#fafafa,stroke:#fafafa,color:#111111,font-weight:bold
  class P0_0,P0_2,P1_0,P1_2 access_cycle
  class init_x init
  class cpu_P0,cpu_P1 cpu
  class legend_0,legend_1,legend_2,legend_3,legend_4,legend_5,legend_6 legend
  class diagram_title title
`;

const MP_ASCII = `MP+wmb+rmb

P0           | P1
-------------+--------------
7: W x=1     | 17: R y=1
8: smp_wmb() | 18: smp_rmb()
9: W y=1     | 19: R x=0

final: x=1, y=1, 1:r0=1, 1:r1=0

edges:
  init:W x=0 --rf--> P1:R x=0
  P0:W y=1 --rfe--> P1:R y=1
  P1:R x=0 --fre--> P0:W x=1

cycle:
  P0:W x=1 --smp_wmb--> P0:W y=1
  P0:W y=1 --rfe--> P1:R y=1
  P1:R y=1 --smp_rmb--> P1:R x=0
  P1:R x=0 --fre--> P0:W x=1
`;

const SB_SEQUENCE = `---
title: "SB"
---
sequenceDiagram
  participant P0
  participant P1
  box rgb(245,245,245) memory
    participant loc_x as x
    participant loc_y as y
  end
  Note over loc_x,loc_y: initially x = 0, y = 0
  loc_x-->>P1: R x=0 (line 18, ahead of line 17) from init
  P0->>loc_x: W x=1 (line 9)
  loc_y-->>P0: R y=0 (line 10) from init
  P1->>loc_y: W y=1 (line 17)
  Note over P0: r0=0
  Note over P1: r1=0
  Note over loc_x,loc_y: finally x = 1, y = 1
`;

/** The diagrams of the project's own litmus tests: the forbidden execution of each (with its cycle) or its first allowed one. */
function ownDiagrams(): Array<{ file: string; text: string; cycle: boolean; closed: boolean }> {
  const dirs = ['../litmus/patterns/', '../litmus/swiotlb/'].map((d) => new URL(d, import.meta.url));
  return dirs.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort().map((file) => {
    const test = parseLitmus(readFileSync(new URL(file, dir), 'utf8'), file);
    const ex = explainOutcome(test);
    const forbidden = ex.forbidden[0];
    const x = forbidden?.execution ?? ex.witness?.execution ?? [...candidates(buildProgram(test))][0]!;
    const highlight = forbidden?.violation.edges;
    const closed = forbidden?.violation.axiom.test !== 'empty';
    return { file, text: executionDiagram(x, { title: test.name, ...(highlight ? { highlight } : {}) }), cycle: highlight !== undefined, closed };
  }));
}

describe('the diagram of an execution', () => {
  it('draws MP+wmb+rmb\'s forbidden execution: CPUs side by side, the cycle thick and red', async () => {
    const { x, cycle } = forbiddenMp();
    const text = executionDiagram(x, { title: 'MP+wmb+rmb', highlight: cycle });
    expect(text).toBe(MP_DIAGRAM);
    expect(executionFlowchart(x, { title: 'MP+wmb+rmb', highlight: cycle })).toBe(text);
    expect(await validateMermaid(text)).toBe('block');
  });

  const diagrams = ownDiagrams();

  it('puts each CPU in its own column, P0 leftmost, and each CPU\'s events in program order downwards', () => {
    expect(diagrams.length).toBeGreaterThan(50);
    for (const { file, text } of diagrams) {
      const grid = readGrid(text);
      const headers = [...grid.at].filter(([id]) => id.startsWith('cpu_P'));
      // Headers in one row, one per column, each column 4 units wide and 2 to 4 apart (wider for a long label between them).
      expect(new Set(headers.map(([, p]) => p.row)).size, file).toBe(1);
      const pitch = headers.length > 1 ? headers[1]![1].start : 6;
      expect([6, 7, 8], file).toContain(pitch);
      headers.forEach(([id, p], k) => {
        expect(id, file).toBe(`cpu_P${k}`);
        expect(p.start, file).toBe(pitch * k);
      });
      for (const [id, p] of grid.at) {
        const m = /^P(\d+)_(\d+)$/.exec(id);
        if (!m) continue;
        expect(p.start, `${file} ${id}`).toBe(pitch * Number(m[1]));
        expect(p.row, `${file} ${id}`).toBeGreaterThan(headers[0]![1].row);
      }
      for (let k = 0; k < headers.length; k++) {
        const rows = [...grid.at].filter(([id]) => id.startsWith(`P${k}_`)).sort(([a], [b]) => Number(a.split('_')[1]) - Number(b.split('_')[1])).map(([, p]) => p.row);
        expect(rows, `${file} P${k}`).toEqual([...rows].sort((a, b) => a - b));
        expect(new Set(rows).size, `${file} P${k}`).toBe(rows.length);
      }
      // Every row covers the whole width.
      for (const row of grid.rows) expect(row.reduce((sum, c) => sum + c.span, 0), file).toBe(grid.units);
    }
  });

  it('puts the labels of two edges between the same blocks, one each way, on one line with their arrows', () => {
    const test = parseLitmus(readFileSync(new URL('../litmus/patterns/counter+locks.litmus', import.meta.url), 'utf8'), 'counter+locks.litmus');
    const f = explainOutcome(test).forbidden[0]!;
    const text = executionFlowchart(f.execution, { highlight: f.violation.edges });
    expect(text).toContain('  P1_2 == "unlock-lock →<br/>← fre" ==> P0_3\n  P0_3 ==> P1_2\n');
  });

  it('draws a forbidden execution\'s cycle (or offending path) thick and nothing else', () => {
    const cyclic = diagrams.filter((d) => d.cycle);
    expect(cyclic.length).toBeGreaterThan(20);
    for (const { file, text, closed } of cyclic) {
      const grid = readGrid(text);
      const thick = grid.edges.filter((e) => e.kind === 'thick');
      expect(thick.length, file).toBeGreaterThanOrEqual(2);
      // The thick edges go round: every block they touch has one coming in and one going out (an emptiness
      // axiom's offending pair may be a path instead, open at its two ends). A critical section taken whole is
      // outlined rather than drawn: it leads from its unlock back to its lock.
      const into = new Set(thick.map((e) => e.to));
      const outOf = new Set(thick.map((e) => e.from));
      const isLock = (t: string): boolean => t.startsWith('rcu_read_lock()') || t.includes('srcu-lock');
      const isUnlock = (t: string): boolean => t.startsWith('rcu_read_unlock()') || t.includes('srcu-unlock');
      for (const id of [...(grid.classes.get('rcu_cycle') ?? []), ...(grid.classes.get('srcu_cycle') ?? [])]) {
        if (isLock(grid.at.get(id)!.text)) into.add(id);
        if (isUnlock(grid.at.get(id)!.text)) outOf.add(id);
      }
      const touched = new Set([...into, ...outOf].filter((id) => grid.at.has(id) && (thick.some((e) => e.from === id || e.to === id))));
      const open = [...touched].filter((id) => !into.has(id) || !outOf.has(id));
      if (closed) expect(open, file).toEqual([]);
      else expect(open.length, file).toBeLessThanOrEqual(2);
      const outlined = [...grid.classes].filter(([name]) => name.endsWith('_cycle')).flatMap(([, ids]) => ids).sort();
      // Outlined: the ends of the cycle's steps, which are among the blocks the thick edges touch (a step along program order may pass others).
      // (A tinted run between two outlined blocks of a section is outlined with them, and so is a section taken whole.)
      for (const id of outlined) expect(touched.has(id) || id.startsWith('fill_') || /^(rcu|srcu)_/.test([...grid.classes].find(([, ids]) => ids.includes(id))![0]), `${file} ${id}`).toBe(true);
      for (const e of thick.filter((t) => t.from.split('_')[0] !== t.to.split('_')[0])) expect(outlined, file).toEqual(expect.arrayContaining([e.from, e.to]));
    }
  });

  it('explains in its legend every label and barrier it shows', () => {
    for (const { file, text } of diagrams) expectLegendExplains(file, text);
  });

  it('without a highlight, labels program order with what orders it: acquire, release, dependencies', async () => {
    const y = allowedWith(MP_RELEASE_ADDR, { '1:r0': 'b', '1:r1': 1 });
    const grid = readGrid(executionDiagram(y));
    expect(grid.edges).toEqual([
      { from: 'P0_0', to: 'P0_1', label: 'release', kind: 'plain' },
      { from: 'P1_0', to: 'P1_1', label: 'addr', kind: 'plain' },
      { from: 'P0_0', to: 'P1_1', label: 'rfe', kind: 'plain' },
      { from: 'P0_1', to: 'P1_0', label: 'rfe', kind: 'plain' },
    ]);
    expect(grid.at.get('P0_1')!.text).toBe('W#91;release#93; p=b<br/>line 11');
    expect(executionDiagram(y, { ordering: false })).not.toContain('"addr"');
    expect(await validateMermaid(executionDiagram(y))).toBe('block');
  });

  it('shows coherence between CPUs, only immediate successors, and reads from another CPU as green, read-then-overwritten as dotted', () => {
    const text2w = `C 2+2W
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 2); WRITE_ONCE(*x, 3); }
exists (x=1 /\\ y=1)
`;
    const test = parseLitmus(text2w, '2+2W.litmus');
    const x = [...candidates(buildProgram(test))].find((c) => c.finalValues.get('x') === 1 && c.finalValues.get('y') === 1)!;
    const text = executionDiagram(x);
    // co x: init, P1 x=2, P1 x=3, P0 x=1; co y: init, P0 y=2, P1 y=1.
    expect(readGrid(text).edges.filter((e) => e.from.slice(0, 2) !== e.to.slice(0, 2))).toEqual([
      { from: 'P0_1', to: 'P1_0', label: 'coe', kind: 'plain' },
      { from: 'P1_2', to: 'P0_0', label: 'coe', kind: 'plain' },
    ]);
    expect(text).toContain("path[id$='-P0_1-P1_0']{stroke:#2f7fd8 !important;}");
    expect(text).not.toContain('init_');
    const mp = readGrid(executionDiagram(forbiddenMp().x));
    expect(mp.edges.find((e) => e.label === 'fre')!.kind).toBe('dotted');
  });

  it('draws a spinlock as one tile and its critical section as a tinted run; the unlock\'s rf and co to the next lock as one arrow', () => {
    const { text } = diagrams.find((d) => d.file === 'MP+locks+locks.litmus')!;
    const grid = readGrid(text);
    expect([...grid.at.values()].filter((p) => p.text.startsWith('spin_lock(l)')).length).toBe(2);
    expect(grid.edges.filter((e) => e.from === 'P0_4' && e.to === 'P1_0')).toEqual([{ from: 'P0_4', to: 'P1_0', label: 'rfe', kind: 'thick' }]);
    // The lock tint covers P0's whole section, row by row, from spin_lock() down to spin_unlock().
    const locked = new Set(grid.classes.get('lock') ?? []);
    const first = grid.at.get('P0_0')!.row;
    const last = grid.at.get('P0_4')!.row;
    for (let r = first; r <= last; r++) {
      const cell = grid.rows[r]!.find((c) => c.start === 0)!;
      expect(cell.id !== null && (locked.has(cell.id) || /^P0_/.test(cell.id)), `row ${r}`).toBe(true);
    }
  });

  it('draws RCU read-side critical sections as tinted runs and a grace period as a tile of its own', () => {
    const { text } = diagrams.find((d) => d.file === 'RCU+rscs+sync.litmus')!;
    const grid = readGrid(text);
    const gp = (grid.classes.get('gp') ?? grid.classes.get('gp_cycle'))!;
    expect(gp.map((id) => grid.at.get(id)!.text)).toEqual([expect.stringMatching(/^synchronize_rcu\(\)<br\/>line \d+ · grace period$/)]);
    const rcu = [...(grid.classes.get('rcu') ?? []), ...(grid.classes.get('rcu_cycle') ?? [])];
    expect(rcu.map((id) => grid.at.get(id)!.text).filter((t) => t.startsWith('rcu_read_'))).toEqual([
      expect.stringMatching(/^rcu_read_lock\(\)/),
      expect.stringMatching(/^rcu_read_unlock\(\)/),
    ]);
  });

  it('keeps a barrier that orders nothing after it as a grey tile', () => {
    const { text } = diagrams.find((d) => d.file === 'v1-three-cpus.litmus')!;
    const grid = readGrid(text);
    expect(grid.at.get('P0_1')!.text).toBe('smp_wmb()<br/>line 39 · orders nothing after it');
    expect(grid.classes.get('fence')).toEqual(['P0_1']);
    expect(grid.edges.find((e) => e.to === 'P0_1')).toEqual({ from: 'P0_0', to: 'P0_1', label: '', kind: 'plain' });
  });

  it('escapes titles and keeps block ids stable and valid', async () => {
    const { x } = forbiddenMp();
    const text = executionDiagram(x, { title: 'MP "quoted" #1; <b>[x]</b>' });
    expect(readGrid(text).at.get('diagram_title')!.text).toBe('MP #quot;quoted#quot; #35;1#59; #lt;b#gt;#91;x#93;#lt;/b#gt;');
    expect(await validateMermaid(text)).toBe('block');
  });
});


describe('Mermaid text', () => {
  it('escapes what would end a label or start an entity', () => {
    expect(mermaidText('a "b" [c] {d} |e| #f; <g> & `h` 50%')).toBe('a #quot;b#quot; #91;c#93; #123;d#125; #124;e#124; #35;f#59; #lt;g#gt; #amp; #96;h#96; 50#37;');
    expect(mermaidText('two\nlines')).toBe('two lines');
  });

  it('makes ids of letters, digits and underscores that are not keywords', () => {
    expect(mermaidId('P0')).toBe('P0');
    expect(mermaidId('loc_a.b')).toBe('loc_a_b');
    expect(mermaidId('end')).toBe('n_end');
    expect(mermaidId('0x')).toBe('n_0x');
  });

  it('survives hostile labels in Mermaid\'s parser', async () => {
    const label = 'x"];A-->B;%%#<script>|[{';
    const { x } = forbiddenMp();
    const flow = executionDiagram(x, { title: label, highlight: [{ from: 2, to: 4, relation: 'ppo', label, sentence: '' }] });
    expect(await validateMermaid(flow)).toBe('block');
    expect(await validateMermaid(witnessSequence(allowedWith(SB, { '0:r0': 0, '1:r1': 0 }), { title: label }))).toBe('sequence');
  });
});

describe('the sequence diagram of a witness', () => {
  it('draws SB\'s r0=0, r1=0 witness with the reordered read marked', async () => {
    const text = witnessSequence(allowedWith(SB, { '0:r0': 0, '1:r1': 0 }), { title: 'SB' });
    expect(text).toBe(SB_SEQUENCE);
    expect(await validateMermaid(text)).toBe('sequence');
  });

  it('shows fences as notes and where each read comes from', async () => {
    const text = witnessSequence(allowedWith(MP_RELEASE_ADDR, { '1:r0': 'b', '1:r1': 1 }));
    expect(text).toContain('  P0->>loc_p: W#91;release#93; p=b (line 11)\n  loc_p-->>P1: R p=b (line 19) from P0 line 11\n');
    const { x } = forbiddenMp();
    expect(witnessSequence(x)).toContain('  Note over P0: smp_wmb() (line 8)\n');
    expect(await validateMermaid(text)).toBe('sequence');
  });

  it('orders LB\'s cyclic witness by rf first, so every read follows its write', () => {
    const lb = `C LB
{}
P0(int *x, int *y)
{
	int r0;
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*y, 1);
}
P1(int *x, int *y)
{
	int r1;
	r1 = READ_ONCE(*y);
	WRITE_ONCE(*x, 1);
}
exists (0:r0=1 /\\ 1:r1=1)
`;
    const x = allowedWith(lb, { '0:r0': 1, '1:r1': 1 });
    // Events: 0-1 init; P0: 2 R x, 3 W y; P1: 4 R y, 5 W x. po ∪ rf is a cycle:
    // rf keeps 5 before 2 and 3 before 4, po then keeps 2 before 3 but not 4 before 5.
    expect(executionOrder(x, lkmm)).toEqual([5, 2, 3, 4]);
    const text = witnessSequence(x);
    expect(text).toContain('  P1->>loc_x: W x=1 (line 13, ahead of line 12)\n  loc_x-->>P0: R x=1 (line 6) from P1 line 13\n');
  });
});

describe('the plain-text rendering', () => {
  it('draws MP+wmb+rmb\'s forbidden execution and its cycle', () => {
    const { x, cycle } = forbiddenMp();
    expect(executionAscii(x, { title: 'MP+wmb+rmb', highlight: cycle })).toBe(MP_ASCII);
  });

  it('lists ordering edges when asked', () => {
    const { x } = forbiddenMp();
    expect(executionAscii(x, { ordering: true })).toContain('edges:\n  P0:W x=1 --smp_wmb--> P0:W y=1\n  P1:R y=1 --smp_rmb--> P1:R x=0\n  init:W x=0 --rf--> P1:R x=0\n');
  });

  it('lists the CPUs one after another when they do not fit in 72 columns', () => {
    const wide = `C wide
{}
P0(int *x) { smp_mb__after_srcu_read_unlock(); WRITE_ONCE(*x, 1); }
P1(int *x) { smp_mb__after_srcu_read_unlock(); WRITE_ONCE(*x, 2); }
P2(int *x) { smp_mb__after_srcu_read_unlock(); WRITE_ONCE(*x, 3); }
exists (x=1)
`;
    const x = [...candidates(buildProgram(parseLitmus(wide, 'wide.litmus')))][0]!;
    const text = executionAscii(x);
    expect(text.startsWith('P0:\n  3: smp_mb__after_srcu_read_unlock()\n  3: W x=1\nP1:\n')).toBe(true);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(72);
  });
});

describe('diagrams of the kernel conformance tests', () => {
  const dir = new URL('../../shared/conformance/kernel/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  for (const file of files) {
    it(`${file}: the block diagram and the sequence diagram parse; the text fits in 72 columns`, async () => {
      const test = parseLitmus(readFileSync(new URL(file, dir), 'utf8'), file);
      const result = check(test, { keepExecutions: true });
      const x: Candidate = result.executions![0] ?? [...candidates(buildProgram(test))][0]!;
      const diagram = executionDiagram(x, { title: result.name });
      expect(await validateMermaid(diagram)).toBe('block');
      expectLegendExplains(file, diagram);
      expect(await validateMermaid(witnessSequence(x, { title: result.name }))).toBe('sequence');
      for (const line of executionAscii(x, { title: result.name, ordering: true }).split('\n')) expect(line.length).toBeLessThanOrEqual(72);
      for (const allowed of result.executions!) expectReadsAfterTheirWrites(allowed);
    });
  }
});

/** Every edge label, bracketed annotation and tint of a block diagram has an entry in its legend. */
function expectLegendExplains(file: string, text: string): void {
  const grid = readGrid(text);
  const legend = (grid.classes.get('legend') ?? []).map((id) => grid.at.get(id)!.text.replace(/#91;/g, '[').replace(/#93;/g, ']'));
  const explained = (word: string): boolean => legend.some((l) => l.startsWith(`${word}:`) || l.startsWith(`${word} (`) || l.startsWith(`${word}():`));
  // A line that carries two edges, one each way, has both labels, each with the arrow of its way (`rfe →<br/>← fre`).
  const labels = grid.edges.flatMap((e) => e.label.split(/[;,] |<br\/>/)).map((l) => l.replace(/^← | →$/g, '')).filter((l) => l !== '').map((l) => l.replace(/\(\)$/, ''));
  for (const label of labels) expect(explained(label), `${file}: ${label}`).toBe(true);
  for (const [, p] of grid.at) {
    for (const a of p.text.match(/#91;[a-z-]+#93;/g) ?? []) expect(explained(a.replace('#91;', '[').replace('#93;', ']')), `${file}: ${a}`).toBe(true);
  }
  if (grid.classes.has('rcu')) expect(legend.some((l) => l.startsWith('green tiles')), file).toBe(true);
  if (grid.classes.has('lock')) expect(legend.some((l) => l.startsWith('yellow tiles')), file).toBe(true);
}

/** In the sequence order, every read comes after the write it reads from, and before the write that overwrites it. */
function expectReadsAfterTheirWrites(x: Candidate): void {
  const position = new Map(executionOrder(x, lkmm).map((id, i) => [id, i]));
  const placed = (id: number): boolean => position.has(id);
  for (const [w, r] of x.rf.pairs()) if (placed(w)) expect(position.get(w)!).toBeLessThan(position.get(r)!);
  for (const [a, b] of x.co.pairs()) if (placed(a)) expect(position.get(a)!).toBeLessThan(position.get(b)!);
}

describe('the diagram module', () => {
  it('has no Node-only imports (it runs in a browser)', () => {
    const dir = new URL('../src/diagram/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const source = readFileSync(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/from '(node:|fs|path|url|os|child_process)/);
      expect(source, file).not.toMatch(/\bprocess\./);
    }
  });
});
