/**
 * Reading herd7's model language: the kernel's own model files parse
 * (read from ../shared/reference/herd7/lkmm, never copied here), operators
 * group as herd7 groups them, and what is not supported is refused with
 * its location.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCat } from '../src/models/cat/parser.js';
import { showExpr, type Instruction } from '../src/models/cat/ast.js';

const LKMM = fileURLToPath(new URL('../../shared/reference/herd7/lkmm/', import.meta.url));

/** The value of the one definition in a one-line model. */
const grouped = (text: string): string => {
  const [first] = parseCat(`let a = ${text}`, 'inline.cat').instructions;
  if (first?.kind !== 'let') throw new Error('not a definition');
  return showExpr(first.bindings[0]!.value);
};

const errorOf = (text: string): string => {
  try {
    parseCat(text, 'bad.cat');
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
  return 'no error';
};

const summary = (i: Instruction): string => {
  switch (i.kind) {
    case 'let': return `let ${i.rec ? 'rec ' : ''}${i.bindings.map((b) => b.name).join(' and ')}`;
    case 'check': return `${i.flag ? 'flag ' : ''}${i.negated ? '~' : ''}${i.test} as ${i.name}`;
    case 'include': return `include ${i.file}`;
    case 'with': return `with ${i.name}`;
    case 'enum': return `enum ${i.name} ${i.tags.length}`;
    case 'instructions': return `instructions ${i.event}[${i.enumName}]`;
    case 'show': return `show ${i.names.join(',')}`;
  }
};

describe("the kernel's model files", () => {
  it('are at hand beside the repository', () => {
    expect(existsSync(`${LKMM}/linux-kernel.cat`)).toBe(true);
  });

  it('linux-kernel.cat: its title, its include, and its axioms in order', () => {
    const cat = parseCat(readFileSync(`${LKMM}/linux-kernel.cat`, 'utf8'), 'linux-kernel.cat');
    expect(cat.title).toBe('Linux-kernel memory consistency model');
    expect(summary(cat.instructions[0]!)).toBe('include lock.cat');
    const checks = cat.instructions.filter((i) => i.kind === 'check').map(summary);
    expect(checks).toEqual([
      'acyclic as coherence',
      'empty as atomic',
      'acyclic as happens-before',
      'acyclic as propagation',
      'irreflexive as rcu',
      'flag ~empty as mixed-accesses',
      'empty as plain-coherence',
      'flag ~empty as data-race',
    ]);
    const order = cat.instructions.find((i) => i.kind === 'let' && i.bindings[0]!.name === 'rcu-order');
    expect(order && summary(order)).toBe('let rec rcu-order');
  });

  it('linux-kernel.bell: enumerations, the events they tag, and a local recursive definition', () => {
    const bell = parseCat(readFileSync(`${LKMM}/linux-kernel.bell`, 'utf8'), 'linux-kernel.bell');
    expect(bell.instructions.slice(0, 6).map(summary)).toEqual(['enum Accesses 5', 'instructions R[Accesses]', 'instructions W[Accesses]', 'instructions RMW[Accesses]', 'enum Barriers 12', 'instructions F[Barriers]']);
    const rscs = bell.instructions.find((i) => i.kind === 'let' && i.bindings[0]!.name === 'rcu-rscs');
    expect(rscs?.kind === 'let' && rscs.bindings[0]!.value.kind === 'let' && rscs.bindings[0]!.value.rec).toBe(true);
  });

  it('lock.cat: functions, map, and the choices made with `with ... from`', () => {
    const lock = parseCat(readFileSync(`${LKMM}/lock.cat`, 'utf8'), 'lock.cat');
    expect(lock.instructions.filter((i) => i.kind === 'with' || i.kind === 'include').map(summary)).toEqual(['include cross.cat', 'with rfe-lf', 'with rf-ru', 'include cos-opt.cat']);
    const pair = lock.instructions.find((i) => i.kind === 'let' && i.bindings[0]!.name === 'pair-to-relation');
    expect(pair?.kind === 'let' && showExpr(pair.bindings[0]!.value)).toBe('(fun p -> (p ++ 0))');
  });
});

describe('grouping', () => {
  it('binds the operators from | (loosest) to the cartesian product', () => {
    expect(grouped('a | b ++ c ; d \\ e & f * g')).toBe('(a | (b ++ (c ; (d \\ (e & (f * g))))))');
    expect(grouped('a \\ b \\ c')).toBe('((a \\ b) \\ c)');
  });

  it('reads * as a closure unless an operand follows it', () => {
    expect(grouped('(rf ; rmw)* ; po')).toBe('(((rf ; rmw)*) ; po)');
    expect(grouped('(Plain * M) | (M * Plain)')).toBe('((Plain * M) | (M * Plain))');
    expect(grouped('hb* ; pb* ; [Marked]')).toBe('(((hb*) ; (pb*)) ; [Marked])');
  });

  it('gives postfix operators and application the tightest hold', () => {
    expect(grouped('rf^-1 ; co?')).toBe('((rf^-1) ; (co?))');
    expect(grouped('~M | IW')).toBe('((~M) | IW)');
    expect(grouped('fencerel(Rmb) ; [R4rmb]')).toBe('(fencerel(Rmb) ; [R4rmb])');
    expect(grouped('map f (g e) | x')).toBe('(map(f)(g(e)) | x)');
  });

  it('reads names with dashes, tags, sets, conditionals and try', () => {
    expect(grouped('po-unlock-lock-po & int')).toBe('(po-unlock-lock-po & int)');
    expect(grouped("(LKW * {e}) & loc")).toBe('((LKW * {e}) & loc)');
    expect(grouped('if "lkmmv2" then 0 else _')).toBe('(if "lkmmv2" then 0 else _)');
    expect(grouped('try RL with emptyset')).toBe('(try RL with emptyset)');
  });
});

describe('errors', () => {
  it('locates a missing operand, an unclosed comment and bracket', () => {
    expect(errorOf('let a = b |\nlet c = d')).toBe("bad.cat:2:1: expected an expression, found 'let'");
    expect(errorOf('let a = b\n(* open')).toBe('bad.cat:2:1: this comment is never closed');
    expect(errorOf('let a = [b')).toBe("bad.cat:1:11: expected ']' closing '[', found the end of the file");
  });

  it('refuses what it does not support, at its place', () => {
    expect(errorOf('let a = b\nprocedure p() = acyclic a end')).toBe("bad.cat:2:1: 'procedure' is not supported");
    expect(errorOf('acyclic a as\n')).toBe('bad.cat:2:1: expected a name for the check, found the end of the file');
  });
});
