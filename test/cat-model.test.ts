/**
 * Model files run as models: the kernel's own linux-kernel.cfg, .bell,
 * .cat and lock.cat (read from ../shared/reference/herd7/lkmm, never
 * copied) give the same results as the built-in LKMM; a model's text
 * decides which of its relations grow with rf and co; mistakes in a model
 * are located.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catModel, type CatSource } from '../src/models/cat/compile.js';
import { parseConfig } from '../src/models/cat/config.js';
import { primitivesFromMacros } from '../src/models/cat/macros.js';
import { PRIMITIVES } from '../src/litmus/primitives.js';
import { parseLitmus } from '../src/litmus/parser.js';
import { check } from '../src/verdict/check.js';
import { herdText } from '../src/verdict/herd.js';
import { lkmm } from '../src/models/lkmm.js';
import { buildProgram } from '../src/events/program.js';
import { candidates } from '../src/executions/enumerate.js';
import type { MemoryModel } from '../src/models/model.js';
import { modelDifference, modelDifferenceText } from '../src/explain/model-diff.js';
import { explainOutcome } from '../src/explain/outcome.js';

const KERNEL = fileURLToPath(new URL('../../shared/reference/herd7/lkmm/', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));
const kernelFile = (name: string): CatSource => ({ file: join(KERNEL, name), text: readFileSync(join(KERNEL, name), 'utf8') });
const include = (name: string): CatSource | null => (existsSync(join(KERNEL, name)) ? kernelFile(name) : null);

function kernelModel(variants: readonly string[] = ['lkmmv2']): MemoryModel {
  return catModel({ cat: kernelFile('linux-kernel.cat'), bell: kernelFile('linux-kernel.bell'), variants, include });
}

const KERNEL_MODEL = kernelModel();

/** herd7's report of a test under a model, without its timing line. */
function report(file: string, model: MemoryModel): string {
  const test = parseLitmus(readFileSync(file, 'utf8'), file);
  return herdText(check(test, { model })).replace(/^Time .*\n/m, '');
}

/** A model of one cat text, read with no bell (the host's names only). */
const inline = (text: string): MemoryModel => catModel({ cat: { file: 'inline.cat', text } });

/** The first line of the error `read` throws on a text, or 'no error'. */
const firstErrorLine = (read: (text: string) => unknown) => (text: string): string => {
  try {
    read(text);
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  return 'no error';
};

const errorOf = firstErrorLine(inline);

describe("the kernel's model files", () => {
  it('read as the axioms and flags of the model, in the files\' order', () => {
    expect(KERNEL_MODEL.name).toBe('linux-kernel.cat');
    expect(KERNEL_MODEL.title).toBe('Linux-kernel memory consistency model');
    expect(KERNEL_MODEL.axioms.map((a) => `${a.test} ${a.relation} as ${a.name}`)).toEqual([
      'empty lock-nest-rel as lock-nest',
      'empty nested-is-locked-rel as nested-is-locked',
      'empty unmatched-locks-rel as unmatched-locks',
      'acyclic coherence-rel as coherence',
      'empty atomic-rel as atomic',
      'acyclic hb as happens-before',
      'acyclic pb as propagation',
      'irreflexive rb as rcu',
      'empty plain-coherence-rel as plain-coherence',
    ]);
    expect(KERNEL_MODEL.flags.map((f) => f.name)).toEqual([
      'unmatched-rcu-lock', 'unmatched-rcu-unlock', 'unmatched-srcu-lock', 'unmatched-srcu-unlock', 'multiple-srcu-matches',
      'invalid-sleep', 'srcu-bad-value-match', 'this-model-requires-variant-higher-than-lkmmv1', 'mixed-lock-accesses',
      'unpaired-LKW', 'unpaired-LKR', 'lock-final', 'unmatched-unlock', 'mixed-accesses', 'data-race',
    ]);
    // A name defined again keeps its plain name for its last definition: rf is lock.cat's, with the lock reads merged.
    const names = KERNEL_MODEL.definitions.map((d) => d.name);
    expect(names.filter((n) => n === 'rf' || n.startsWith('rf@'))).toEqual(['rf@1', 'rf@2', 'rf']);
    expect(names.filter((n) => n === 'fence' || n.startsWith('fence@'))).toEqual(['fence@1', 'fence']);
  });

  it('let the enumeration prune by their coherence and atomicity, and by partial executions', () => {
    expect(KERNEL_MODEL.coherence?.map((a) => a.name)).toEqual(['coherence', 'atomic']);
    // lock.cat gives lock reads their rf from singlestep(co): monotone as the host computes it on partial executions.
    expect(KERNEL_MODEL.monotone).toBe(true);
  });

  it("give the built-in model's results on the kernel's litmus tests", () => {
    const dir = join(CORPUS, 'kernel');
    const files = readdirSync(dir).filter((f) => f.endsWith('.litmus')).map((f) => join(dir, f));
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) expect(report(file, KERNEL_MODEL), file).toBe(report(file, lkmm));
  });

  it('give its results on locks, trylock, spin_is_locked, nested RCU and SRCU', () => {
    const tests = [
      'litmus-archive/manual/atomic/C-trylock2.litmus',
      'litmus-archive/manual/atomic/C-lock-write1.litmus',
      'herdtools-catalogue/MP+polockonce+poacquiresilsil.litmus',
      'herdtools-catalogue/spinlock-is-locked-self.litmus',
      'litmus-archive/manual/kernel/C-srcu-nest-3.litmus',
      'litmus-archive/manual/kernel/C-srcu-observed-1.litmus',
      // Nested read-side critical sections: the bell matches them by a recursive definition evaluated in order.
      'litmus-archive/auto/C-RW-GR3+RW-R.litmus',
      'litmus-archive/manual/kernel/C-RomanPenyaev-list-rcu-rr.litmus',
    ];
    for (const t of tests) expect(report(join(CORPUS, t), KERNEL_MODEL), t).toBe(report(join(CORPUS, t), lkmm));
  });

  it('raise their variant flag without lkmmv2, as herd7 does', () => {
    const file = join(CORPUS, 'kernel/MP+poonceonces.litmus');
    expect(report(file, kernelModel([]))).toContain('Flag this-model-requires-variant-higher-than-lkmmv1');
    expect(report(file, KERNEL_MODEL)).not.toContain('Flag');
  });

  it('are named by the cfg', () => {
    const cfg = parseConfig(readFileSync(join(KERNEL, 'linux-kernel.cfg'), 'utf8'), 'linux-kernel.cfg');
    expect(cfg).toEqual({ model: 'linux-kernel.cat', bell: 'linux-kernel.bell', macros: 'linux-kernel.def', variants: ['lkmmv2'] });
  });

  it('define in their macro file, body by body, exactly the primitives of barrier-lab\'s table', () => {
    const defined = primitivesFromMacros(readFileSync(join(KERNEL, 'linux-kernel.def'), 'utf8'), 'linux-kernel.def', PRIMITIVES);
    expect(defined.size).toBeGreaterThan(100);
    const differing = [...defined.values()].filter((p) => JSON.stringify(p.shape) !== JSON.stringify(PRIMITIVES.get(p.name)?.shape) || p.arity !== PRIMITIVES.get(p.name)?.arity);
    expect(differing.map((p) => p.name)).toEqual([]);
  });
});

describe('growth in rf and co, read from the text', () => {
  it('is monotone through union, sequence, closures and differences of constants', () => {
    expect(inline('acyclic po | rf | co as a').monotone).toBe(true);
    expect(inline('let r = (rf ; po)+ \\ id\nirreflexive r ; co as a').monotone).toBe(true);
    expect(inline('empty rmw & (fre ; coe) as atomic').monotone).toBe(true);
  });

  it('is unknown past a difference or complement of what rf and co give, or singlestep of what is not an order', () => {
    expect(inline('acyclic po \\ rf as a').monotone).toBe(false);
    expect(inline('empty ~(rf^-1) & po as a').monotone).toBe(false);
    expect(inline('acyclic singlestep(rf ; po) as a').monotone).toBe(false);
    expect(inline('acyclic singlestep(co) as a').monotone).toBe(true);
    expect(inline('acyclic singlestep((co | po)+) as a').monotone).toBe(true);
  });

  it('may hold only on skeletons without locks', () => {
    const model = inline('acyclic po | ([LKW] ; (po \\ rf)) as a');
    expect(model.monotone).toBe(false);
    const skeletonOf = (text: string) => candidates(buildProgram(parseLitmus(text, 't.litmus'))).next().value!.skeleton;
    expect(model.monotoneOn?.(skeletonOf('C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n'))).toBe(true);
    expect(model.monotoneOn?.(skeletonOf('C t\n{}\nP0(spinlock_t *l) { spin_lock(l); spin_unlock(l); }\nexists (l=0)\n'))).toBe(false);
  });

  it('settles recursive definitions from empty: a matching by difference of constants is constant', () => {
    const text = 'let m = let rec u = W \\ domain(m2) and m2 = m2 | ([u] ; po ; [R]) in m2\nacyclic m | rf as a';
    expect(inline(text).monotone).toBe(true);
  });

  it('recognises coherence as the enumeration prunes by it, through a union definition', () => {
    expect(inline('let com = rf | co | fr\nacyclic po-loc | com as coherence\nempty rmw & (fre ; coe) as atomic').coherence?.map((a) => a.name)).toEqual(['coherence', 'atomic']);
    expect(inline('acyclic po-loc | rf | co as coherence\nempty rmw & (fre ; coe) as atomic').coherence).toBeUndefined();
  });
});

describe('mistakes in a model file', () => {
  it('are located where they are', () => {
    expect(errorOf('let a = po\nacyclic a | missing as b')).toBe("inline.cat:2:13: 'missing' is not defined");
    expect(errorOf('include "nowhere.cat"')).toBe("inline.cat:1:1: cannot find 'nowhere.cat'");
    expect(errorOf('let a = po\n~acyclic po as a')).toBe("inline.cat:2:1: expected an instruction (let, include, acyclic, flag, ...), found '~'");
    expect(errorOf('flag acyclic po as a')).toBe("inline.cat:1:1: a flag is supported as 'flag ~empty ... as NAME', not 'flag acyclic'");
  });

  it('a `with` over anything but rf and co choices is refused when it is reached', () => {
    const model = inline('with x from {po, rf}\nacyclic x as a');
    const file = join(CORPUS, 'kernel/MP+poonceonces.litmus');
    expect(() => check(parseLitmus(readFileSync(file, 'utf8'), file), { model })).toThrow("inline.cat:1:13: 'with x from' needs the coherence orders or cross(...), not a set of values");
  });

  it('names not defined inside try are its business', () => {
    expect(errorOf('let a = try missing with po\nacyclic a as b')).toBe('no error');
  });
});

describe('reviewing a change to the model', () => {
  // Linux v5.17 made an unlock followed by a lock on the same CPU order accesses (po | rf); before, only rf.
  const current = kernelFile('linux-kernel.cat');
  const line = 'let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po';
  const before = catModel({ name: 'before', cat: { file: 'before.cat', text: current.text.replace(line, 'let po-unlock-lock-po = po ; [UL] ; rf ; [LKR] ; po') }, bell: kernelFile('linux-kernel.bell'), variants: ['lkmmv2'], include });
  const test = (name: string) => parseLitmus(readFileSync(join(CORPUS, 'kernel', name), 'utf8'), name);

  it('finds the tests whose verdict changes, with the execution and cycle that show why', () => {
    expect(current.text).toContain(line);
    const d = modelDifference(test('MP+unlocklockonceonce+fencermbonceonce.litmus'), before, KERNEL_MODEL)!;
    expect([d.before.observation, d.before.positive, d.before.negative, d.after.observation, d.after.positive, d.after.negative]).toEqual(['Sometimes', 1, 3, 'Never', 0, 3]);
    expect(d.disagreements.map((g) => [g.allowedBy, g.axiom, g.cycle.map((e) => e.label).join(' ')])).toEqual([['before', 'happens-before', 'smp_rmb fre unlock-lock rfe']]);
    expect(modelDifferenceText(d).split('\n')[0]).toBe('MP+unlocklockonceonce+fencermbonceonce: Sometimes 1/4 -> Never 0/3');
  });

  it('says nothing of a test the change leaves alone', () => {
    expect(modelDifference(test('MP+polocks.litmus'), before, KERNEL_MODEL)).toBeNull();
  });
});

describe('primitives from a macro file', () => {
  const read = (text: string) => primitivesFromMacros(text, 'extra.def', PRIMITIVES);

  it('reads each body into a shape, through herd7\'s operations or primitives defined before', () => {
    const d = read('my_load_acquire(X) __load{ACQUIRE}(*X)\nmy_read(X) READ_ONCE(*X)\nmy_fence() { __fence{after-atomic}; }\nmy_dec_is_zero(X) __atomic_op_return{MB}(X,-,1) == 0\n');
    expect(Object.fromEntries([...d].map(([n, p]) => [n, p.shape]))).toEqual({
      my_load_acquire: { kind: 'load', ordering: 'acquire', argument: 'pointer' },
      my_read: { kind: 'load', ordering: 'once', argument: 'pointer' },
      my_fence: { kind: 'fence', tag: 'after-atomic' },
      my_dec_is_zero: { kind: 'atomic', op: '-', ordering: 'mb', returns: 'new', constant: 1, test: '==0' },
    });
    expect(d.get('my_read')!.summary).toBe('defined in extra.def:2');
  });

  it('refuses a body no shape describes, where it is', () => {
    const errorOf = firstErrorLine(read);
    expect(errorOf('ok(X) __load{ONCE}(X)\n  odd(X) __frob{ONCE}(X)')).toBe("extra.def:2:3: the body of 'odd' is not supported: '__frob' is neither one of herd7's operations nor a primitive defined before");
    expect(errorOf('swapped(X,V) { __store{ONCE}(V,X); }')).toBe("extra.def:1:1: the body of 'swapped' is not supported: __store takes the macro's two arguments in order");
  });

  it('let a test call a primitive the model\'s macro file adds', () => {
    const model = catModel({ cat: kernelFile('linux-kernel.cat'), bell: kernelFile('linux-kernel.bell'), variants: ['lkmmv2'], include, macros: { file: 'extra.def', text: `${kernelFile('linux-kernel.def').text}\nmy_load_acquire(X) __load{ACQUIRE}(*X)\n` } });
    const mp = (load: string) => parseLitmus(`C MP\n{}\nP0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }\nP1(int *x, int *y) { int r0; int r1; r0 = ${load}(y); r1 = READ_ONCE(*x); }\nexists (1:r0=1 /\\ 1:r1=0)\n`, 'mp.litmus');
    expect(herdText(check(mp('my_load_acquire'), { model })).replace(/^Time .*\n/m, '')).toBe(herdText(check(mp('smp_load_acquire'), { model: lkmm })).replace(/^Time .*\n/m, ''));
    expect(() => check(mp('my_load_acquire'), { model: lkmm })).toThrow("mp.litmus:4:43: unknown primitive 'my_load_acquire'");
  });
});

describe('explanations under a model of the user\'s', () => {
  it('name its axiom and tell its cycle with the orderings it defines', () => {
    const sc = inline('"sc by hand"\nlet com = rf | co | fr\nacyclic po | com as sc');
    const file = join(CORPUS, 'kernel/SB+poonceonces.litmus');
    const ex = explainOutcome(parseLitmus(readFileSync(file, 'utf8'), file), { model: sc });
    expect(ex.result.observation).toBe('Never');
    const violation = ex.forbidden[0]!.violation;
    expect([violation.axiom.name, violation.axiom.doc]).toEqual(['sc', 'as inline.cat:3 states it']);
    expect(violation.edges.map((e) => e.label)).toEqual(['po', 'fre', 'po', 'fre']);
  });
});
