import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram, candidates, check, parseLitmus, type Candidate } from '../src/index.js';
import { executionAscii, executionFlowchart, executionOrder, orderingEdges, witnessSequence } from '../src/diagram/index.js';
import { mermaidId, mermaidText } from '../src/diagram/escape.js';
import { lkmm } from '../src/models/lkmm.js';
import { tso } from '../src/models/tso.js';
import { allowedWith, forbiddenMp, MP_RELEASE_ADDR, SB } from './diagram-fixtures.js';
import { validateMermaid } from './mermaid-validate.js';

const MP_FLOWCHART = `---
title: "MP+wmb+rmb"
---
flowchart TB
  subgraph P0["P0"]
    direction TB
    P0_0["W x=1<br/>line 7"]
    P0_1(["smp_wmb()<br/>line 8"])
    P0_2["W y=1<br/>line 9"]
  end
  subgraph P1["P1"]
    direction TB
    P1_0["R y=1<br/>line 17"]
    P1_1(["smp_rmb()<br/>line 18"])
    P1_2["R x=0<br/>line 19"]
  end
  subgraph init["init"]
    direction TB
    init_x["x = 0"]
  end
  legend["green: reads-from (rf)<br/>thick red: the cycle"]
  P0_0 ~~~ P0_1
  P0_1 ~~~ P0_2
  P1_0 ~~~ P1_1
  P1_1 ~~~ P1_2
  P0_0 ==>|"smp_wmb"| P0_2
  P1_0 ==>|"smp_rmb"| P1_2
  init_x -->|"rf"| P1_2
  P0_2 ==>|"rfe"| P1_0
  P1_2 ==>|"fre"| P0_0
  classDef access fill:#eef3fb,stroke:#5b7bb3,color:#111
  classDef fence fill:#f4f4f4,stroke:#9e9e9e,color:#444,font-size:12px
  classDef init fill:#ffffff,stroke:#9e9e9e,stroke-dasharray:3 3,color:#444
  classDef cycle stroke:#d62728,stroke-width:2.5px
  classDef legend fill:#fffdf2,stroke:#d6cca0,color:#333,font-size:12px
  class P0_0,P0_2,P1_0,P1_2 access
  class P0_1,P1_1 fence
  class init_x init
  class legend legend
  class P0_0,P0_2,P1_0,P1_2 cycle
  linkStyle 6 stroke:#2e7d32,stroke-width:1.5px,color:#2e7d32
  linkStyle 4,5,7,8 stroke:#d62728,stroke-width:3.5px,color:#d62728
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

/** The link lines of a flowchart, in order (their `linkStyle` indices). */
function linkLines(flowchart: string): string[] {
  return flowchart.split('\n').filter((l) => /^\s+\S+ (~~~|-->|-\.->|==>)/.test(l)).map((l) => l.trim());
}

/** The link indices a `linkStyle` line with this stroke colour applies to. */
function styledLinks(flowchart: string, colour: string): number[] {
  const line = flowchart.split('\n').find((l) => l.includes('linkStyle') && l.includes(`stroke:${colour}`));
  return line ? line.trim().split(' ')[1]!.split(',').map(Number) : [];
}

describe('the flowchart of an execution', () => {
  it('draws MP+wmb+rmb\'s forbidden execution with its cycle highlighted', async () => {
    const { x, cycle } = forbiddenMp();
    const text = executionFlowchart(x, { title: 'MP+wmb+rmb', highlight: cycle });
    expect(text).toBe(MP_FLOWCHART);
    expect(await validateMermaid(text)).toBe('flowchart-v2');
  });

  it('styles exactly the highlighted links red, whatever comes before them', () => {
    const { x, cycle } = forbiddenMp();
    for (const ordering of [true, false]) {
      const text = executionFlowchart(x, { highlight: cycle, ordering });
      const links = linkLines(text);
      const red = styledLinks(text, '#d62728').map((i) => links[i]);
      expect(red.sort()).toEqual(['P0_0 ==>|"smp_wmb"| P0_2', 'P0_2 ==>|"rfe"| P1_0', 'P1_0 ==>|"smp_rmb"| P1_2', 'P1_2 ==>|"fre"| P0_0']);
      expect(styledLinks(text, '#2e7d32').map((i) => links[i])).toEqual(['init_x -->|"rf"| P1_2']);
    }
  });

  it('without a highlight, labels ordering edges with their cause and colours rf, co, fr', async () => {
    const { x } = forbiddenMp();
    const text = executionFlowchart(x);
    const links = linkLines(text);
    expect(links.filter((l) => !l.includes('~~~'))).toEqual([
      'P0_0 -.->|"smp_wmb"| P0_2',
      'P1_0 -.->|"smp_rmb"| P1_2',
      'init_x -->|"rf"| P1_2',
      'P0_2 -->|"rfe"| P1_0',
      'P1_2 -->|"fre"| P0_0',
    ]);
    expect(styledLinks(text, '#777').map((i) => links[i])).toEqual(['P0_0 -.->|"smp_wmb"| P0_2', 'P1_0 -.->|"smp_rmb"| P1_2']);
    expect(styledLinks(text, '#ef6c00').map((i) => links[i])).toEqual(['P1_2 -->|"fre"| P0_0']);
    expect(text).toContain('legend["green: reads-from (rf)<br/>orange: from-reads (fr)<br/>dotted: ordered within the CPU, by the label"]');
    await validateMermaid(text);
  });

  it('adds a highlighted edge that is not drawn otherwise, and shows the initial write it needs', async () => {
    const { x } = forbiddenMp();
    // An hb edge from P1's read of x to its read of y does not coincide with a drawn edge.
    const text = executionFlowchart(x, { highlight: [{ from: 7, to: 5, relation: 'hb', label: 'prop', sentence: '' }, { from: 1, to: 5, relation: 'co', label: 'made up', sentence: '' }] });
    const links = linkLines(text);
    expect(styledLinks(text, '#d62728').map((i) => links[i])).toEqual(['P1_2 ==>|"prop"| P1_0', 'init_y ==>|"made up"| P1_0']);
    expect(text).toContain('init_y["y = 0"]');
    await validateMermaid(text);
  });

  it('shows coherence between threads, only immediate successors', async () => {
    const text2w = `C 2+2W
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 2); }
P1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 2); WRITE_ONCE(*x, 3); }
exists (x=1 /\\ y=1)
`;
    const test = parseLitmus(text2w, '2+2W.litmus');
    const x = [...candidates(buildProgram(test))].find((c) => c.finalValues.get('x') === 1 && c.finalValues.get('y') === 1)!;
    const text = executionFlowchart(x, { ordering: false });
    // co x: init, P1 x=2, P1 x=3, P0 x=1; co y: init, P0 y=2, P1 y=1.
    expect(linkLines(text).filter((l) => !l.includes('~~~'))).toEqual(['P0_1 -->|"coe"| P1_0', 'P1_2 -->|"coe"| P0_0']);
    expect(text).not.toContain('subgraph init');
    await validateMermaid(text);
  });

  it('labels acquire, release and address dependencies, and omits the ordering of accesses that do not communicate', () => {
    const y = allowedWith(MP_RELEASE_ADDR, { '1:r0': 'b', '1:r1': 1 });
    const text = executionFlowchart(y);
    expect(linkLines(text).filter((l) => l.includes('-.->'))).toEqual(['P0_0 -.->|"release"| P0_1', 'P1_0 -.->|"addr"| P1_1']);
    expect(text).toContain('P0_1["W#91;release#93; p=b<br/>line 11"]');
    const mb = `C SB+mb+acquire
{}
P0(int *x, int *y, int *z) { int r0; WRITE_ONCE(*x, 1); smp_mb(); WRITE_ONCE(*z, 1); r0 = smp_load_acquire(y); }
P1(int *x, int *y) { int r1; WRITE_ONCE(*y, 1); smp_mb(); r1 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r1=0)
`;
    const test = parseLitmus(mb, 'SB+mb.litmus');
    const x = [...candidates(buildProgram(test))][0]!;
    const ordering = orderingEdges(x, lkmm).map((e) => `${e.from}->${e.to} ${e.label}`);
    // Events: 0-2 init, P0: 3 W x, 4 mb, 5 W z, 6 R y; P1: 7 W y, 8 mb, 9 R x. W x to R y only through W z? No: smp_mb orders both.
    expect(ordering).toEqual(['3->5 smp_mb', '3->6 smp_mb', '7->9 smp_mb']);
    // Only the accesses that communicate with other threads: W z is left out.
    expect(orderingEdges(x, lkmm, [3, 6, 7, 9]).map((e) => `${e.from}->${e.to} ${e.label}`)).toEqual(['3->6 smp_mb', '7->9 smp_mb']);
    // TSO names no causes: its ppo is po minus store-to-load, and smp_mb() is an MFENCE (implied-fence).
    expect(orderingEdges(x, tso).map((e) => `${e.from}->${e.to} ${e.label}`)).toEqual(['3->5 ppo', '3->6 implied-fence', '7->9 implied-fence']);
  });

  it('labels a chain through an access that is not shown with its steps', () => {
    const text = `C chain
{}
P0(int *x, int *y, int *z) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); smp_wmb(); WRITE_ONCE(*z, r1); }
exists (0:r0=0)
`;
    const x = [...candidates(buildProgram(parseLitmus(text, 'chain.litmus')))][0]!;
    // Events: 0-2 init, 3 R x, 4 R y, 5 wmb, 6 W z. R x is ordered before nothing; R y before W z by data.
    expect(orderingEdges(x, lkmm).map((e) => `${e.from}->${e.to} ${e.label}`)).toEqual(['4->6 data']);
    const chain = `C chain2
{}
P0(int *x, int *y, int *z) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, r0); smp_wmb(); WRITE_ONCE(*z, 1); }
exists (0:r0=0)
`;
    const y = [...candidates(buildProgram(parseLitmus(chain, 'chain2.litmus')))][0]!;
    // Events: 0-2 init, 3 R x, 4 W y, 5 wmb, 6 W z. Neither a data dependency nor smp_wmb() orders
    // R x before W z; the two together do.
    expect(orderingEdges(y, lkmm).map((e) => `${e.from}->${e.to} ${e.label}`)).toEqual(['3->4 data', '4->6 smp_wmb']);
    expect(orderingEdges(y, lkmm, [3, 6]).map((e) => `${e.from}->${e.to} ${e.label}`)).toEqual(['3->6 data; smp_wmb']);
  });

  it('escapes titles and keeps node ids stable and valid', async () => {
    const { x } = forbiddenMp();
    const text = executionFlowchart(x, { title: 'MP "quoted" #1; <b>[x]</b>' });
    expect(text.split('\n')[1]).toBe('title: "MP \\"quoted\\" #1; <b>[x]</b>"');
    expect(await validateMermaid(text)).toBe('flowchart-v2');
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
    const flow = executionFlowchart(x, { title: label, highlight: [{ from: 2, to: 4, relation: 'ppo', label, sentence: '' }] });
    expect(await validateMermaid(flow)).toBe('flowchart-v2');
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
    it(`${file}: the flowchart and the sequence diagram parse; the text fits in 72 columns`, async () => {
      const test = parseLitmus(readFileSync(new URL(file, dir), 'utf8'), file);
      const result = check(test, { keepExecutions: true });
      const x: Candidate = result.executions![0] ?? [...candidates(buildProgram(test))][0]!;
      expect(await validateMermaid(executionFlowchart(x, { title: result.name }))).toBe('flowchart-v2');
      expect(await validateMermaid(witnessSequence(x, { title: result.name }))).toBe('sequence');
      for (const line of executionAscii(x, { title: result.name, ordering: true }).split('\n')) expect(line.length).toBeLessThanOrEqual(72);
      for (const allowed of result.executions!) expectReadsAfterTheirWrites(allowed);
    });
  }
});

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
