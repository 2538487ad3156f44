import type { CondTerm, Prop } from './ast.js';

/** The operands of every atom of a proposition, left to right. */
export function termsOf(p: Prop, into: CondTerm[] = []): CondTerm[] {
  switch (p.kind) {
    case 'atom': into.push(p.left, p.right); break;
    case 'not': termsOf(p.operand, into); break;
    case 'and': case 'or': case 'implies': termsOf(p.left, into); termsOf(p.right, into); break;
    default: break;
  }
  return into;
}
