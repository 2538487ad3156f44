/**
 * Checks on a parsed test that herd7 makes too, before anything runs: each
 * refuses a test herd7 refuses, with a located message that says why. (The
 * parser itself refuses what herd7's grammar does, a location given two
 * initial values among them.)
 *
 * - The final condition names only locations the test has otherwise: a
 *   parameter of some thread, or something the initial state mentions (as
 *   a location or as an address). A name seen only in the condition is
 *   almost always a typo.
 * - The filter does not ask, in its top-level conjunction, for one register
 *   or location to hold two different values: it could never hold.
 */

import type { CondTerm, LitmusTest, Prop, ValueLit } from './ast.js';
import { LitmusError } from './errors.js';

export function checkTest(test: LitmusTest): void {
  checkConditionLocations(test);
  if (test.filter) checkFilterSatisfiable(test, test.filter);
}

function checkConditionLocations(test: LitmusTest): void {
  const known = new Set<string>();
  const literal = (v: ValueLit): void => {
    if (v.kind === 'address') known.add(v.location);
  };
  for (const entry of test.init) {
    if (entry.kind === 'location') known.add(entry.location);
    if (entry.value) literal(entry.value);
  }
  for (const thread of test.threads) for (const p of thread.params) known.add(p.name);
  const check = (t: CondTerm): void => {
    const name = t.kind === 'location' ? t.location : t.kind === 'value' && t.value.kind === 'address' ? t.value.location : null;
    if (name !== null && !known.has(name)) {
      throw new LitmusError(test.file, t.pos, `the condition names '${name}', which no thread takes as a parameter and the initial state does not mention`, `pass '${name}' to a thread, or give it an initial value`);
    }
  };
  visitTerms(test.condition.prop, check);
}

function visitTerms(p: Prop, visit: (t: CondTerm) => void): void {
  switch (p.kind) {
    case 'atom': visit(p.left); visit(p.right); return;
    case 'not': visitTerms(p.operand, visit); return;
    case 'and': case 'or': case 'implies': visitTerms(p.left, visit); visitTerms(p.right, visit); return;
    default: return;
  }
}

/** How an operand of an equality reads, to compare two atoms: `0:r1`, `[x]`, `1`, `&x`. */
function termKey(t: CondTerm): string {
  switch (t.kind) {
    case 'register': return `${t.thread}:${t.register}`;
    case 'location': return `[${t.location}]`;
    case 'value': return t.value.kind === 'int' ? String(t.value.value) : t.value.location;
  }
}

function checkFilterSatisfiable(test: LitmusTest, filter: Prop): void {
  const wanted = new Map<string, string>();
  const visit = (p: Prop): void => {
    if (p.kind === 'and') {
      visit(p.left);
      visit(p.right);
      return;
    }
    if (p.kind !== 'atom' || p.op !== '=' || p.left.kind === 'value' || p.right.kind !== 'value') return;
    const what = termKey(p.left);
    const value = termKey(p.right);
    const earlier = wanted.get(what);
    if (earlier !== undefined && earlier !== value) {
      throw new LitmusError(test.file, p.pos, `the filter asks ${what} to be both ${earlier} and ${value}: no execution can pass it`);
    }
    wanted.set(what, value);
  };
  visit(filter);
}
