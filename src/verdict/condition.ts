/**
 * Final conditions: what a test observes, how a final state satisfies a
 * proposition, and how herd7 prints both.
 */

import type { CondTerm, LitmusTest, Prop } from '../litmus/ast.js';
import { LitmusError } from '../litmus/errors.js';
import { termsOf } from '../litmus/terms.js';
import { address, sameValue, showValue, type Value } from '../events/types.js';

/** Something a final state records: a register of a thread, or a location. */
export type Observable =
  | { readonly kind: 'register'; readonly thread: number; readonly register: string }
  | { readonly kind: 'location'; readonly location: string };

export function observableLabel(o: Observable): string {
  return o.kind === 'register' ? `${o.thread}:${o.register}` : `[${o.location}]`;
}

/** herd7's order: registers by thread then name, then locations by name. */
function compareObservables(a: Observable, b: Observable): number {
  if (a.kind !== b.kind) return a.kind === 'register' ? -1 : 1;
  if (a.kind === 'register' && b.kind === 'register') {
    return a.thread - b.thread || (a.register < b.register ? -1 : a.register > b.register ? 1 : 0);
  }
  const la = (a as { location: string }).location;
  const lb = (b as { location: string }).location;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** The registers and locations a test observes: those of `locations [...]` and the condition (not the filter's, as in herd7). */
export function observables(test: LitmusTest): Observable[] {
  const found = new Map<string, Observable>();
  const term = (t: CondTerm): void => {
    if (t.kind === 'register') {
      if (!test.threads.some((th) => th.id === t.thread)) {
        throw new LitmusError(test.file, t.pos, `the condition names ${t.thread}:${t.register}, but there is no thread P${t.thread}`);
      }
      found.set(`${t.thread}:${t.register}`, { kind: 'register', thread: t.thread, register: t.register });
    } else if (t.kind === 'location') {
      found.set(`[${t.location}]`, { kind: 'location', location: t.location });
    }
  };
  test.locations.forEach(term);
  termsOf(test.condition.prop).forEach(term);
  return [...found.values()].sort(compareObservables);
}

/** Reads a register or location of a final state. */
export type StateLookup = (o: Observable) => Value;

function termValue(t: CondTerm, lookup: StateLookup): Value {
  switch (t.kind) {
    case 'register': return lookup({ kind: 'register', thread: t.thread, register: t.register });
    case 'location': return lookup({ kind: 'location', location: t.location });
    case 'value': return t.value.kind === 'int' ? t.value.value : address(t.value.location);
  }
}

export function evaluate(p: Prop, lookup: StateLookup): boolean {
  switch (p.kind) {
    case 'true': return true;
    case 'false': return false;
    case 'not': return !evaluate(p.operand, lookup);
    case 'and': return evaluate(p.left, lookup) && evaluate(p.right, lookup);
    case 'or': return evaluate(p.left, lookup) || evaluate(p.right, lookup);
    case 'implies': return !evaluate(p.left, lookup) || evaluate(p.right, lookup);
    case 'atom': {
      const same = sameValue(termValue(p.left, lookup), termValue(p.right, lookup));
      return p.op === '=' ? same : !same;
    }
  }
}

/**
 * A proposition turned into a function of a final state's observed values
 * (in the order of `observed`), the terms resolved to positions once: what
 * a test with hundreds of thousands of allowed executions evaluates on
 * each. A register or location not observed (a filter may name one) is
 * read with `lookup`.
 */
export function compileProp(p: Prop, observed: readonly Observable[]): (values: readonly Value[], lookup: StateLookup) => boolean {
  const position = new Map(observed.map((o, i) => [observableLabel(o), i]));
  const term = (t: CondTerm): ((values: readonly Value[], lookup: StateLookup) => Value) => {
    if (t.kind === 'value') {
      const v = t.value.kind === 'int' ? t.value.value : address(t.value.location);
      return () => v;
    }
    const o: Observable = t.kind === 'register' ? { kind: 'register', thread: t.thread, register: t.register } : { kind: 'location', location: t.location };
    const i = position.get(observableLabel(o));
    return i === undefined ? (_values, lookup) => lookup(o) : (values) => values[i]!;
  };
  const compile = (q: Prop): ((values: readonly Value[], lookup: StateLookup) => boolean) => {
    switch (q.kind) {
      case 'true': return () => true;
      case 'false': return () => false;
      case 'not': {
        const a = compile(q.operand);
        return (v, l) => !a(v, l);
      }
      case 'and': {
        const [a, b] = [compile(q.left), compile(q.right)];
        return (v, l) => a(v, l) && b(v, l);
      }
      case 'or': {
        const [a, b] = [compile(q.left), compile(q.right)];
        return (v, l) => a(v, l) || b(v, l);
      }
      case 'implies': {
        const [a, b] = [compile(q.left), compile(q.right)];
        return (v, l) => !a(v, l) || b(v, l);
      }
      case 'atom': {
        const [a, b] = [term(q.left), term(q.right)];
        const equal = q.op === '=';
        return (v, l) => sameValue(a(v, l), b(v, l)) === equal;
      }
    }
  };
  return compile(p);
}

// -- printing, as herd7 does ---------------------------------------------------

function showTerm(t: CondTerm): string {
  switch (t.kind) {
    case 'register': return `${t.thread}:${t.register}`;
    case 'location': return `[${t.location}]`;
    case 'value': return showValue(t.value.kind === 'int' ? t.value.value : address(t.value.location));
  }
}

/**
 * A proposition as herd7 prints it. herd7's own parenthesising: under `/\`
 * an `\/` or `=>` is wrapped, under `\/` an `=>`, under `=>` an `/\` or
 * `\/` (and never another `=>`, though it binds to the right).
 */
export function showProp(p: Prop): string {
  const wrap = (q: Prop, kinds: ReadonlyArray<Prop['kind']>): string => (kinds.includes(q.kind) ? `(${showProp(q)})` : showProp(q));
  switch (p.kind) {
    case 'true': return 'true';
    case 'false': return 'false';
    case 'not': return `not (${showProp(p.operand)})`;
    case 'and': return `${wrap(p.left, ['or', 'implies'])} /\\ ${wrap(p.right, ['or', 'implies'])}`;
    case 'or': return `${wrap(p.left, ['implies'])} \\/ ${wrap(p.right, ['implies'])}`;
    case 'implies': return `${wrap(p.left, ['and', 'or'])} => ${wrap(p.right, ['and', 'or'])}`;
    case 'atom': {
      const text = `${showTerm(p.left)}=${showTerm(p.right)}`;
      return p.op === '=' ? text : `not (${text})`;
    }
  }
}
