/**
 * Reads a cat model file (`.cat`, `.bell`) into its syntax tree. Written
 * from the language as herd7's documentation describes it, for the
 * constructs the kernel's model files use; anything else is refused with
 * its location (`FILE:line:col: ... not supported`).
 *
 * Binary operators, loosest first: `|`, `++`, `;`, `\`, `&`, `*` (the
 * cartesian product of two sets); then `~` (complement); then the postfix
 * `*`, `+`, `?`, `^-1`; then function application, by juxtaposition
 * (`map f s`) or with parentheses (`domain(rmw)`). A `*` followed by
 * something that can start an expression is the product, otherwise the
 * reflexive-transitive closure. Every binary operator groups to the left.
 */

import { LitmusError } from '../../litmus/errors.js';
import type { BinaryOp, Binding, CatFile, CheckTest, Condition, Expr, Instruction, Pos } from './ast.js';

/** A problem in a model file, located and reported like a problem in a litmus test. */
export class CatError extends LitmusError {}

type TokenKind = 'name' | 'tag' | 'string' | 'zero' | 'punct' | 'eof';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: Pos;
}

const KEYWORDS = new Set(['let', 'rec', 'and', 'in', 'as', 'include', 'acyclic', 'irreflexive', 'empty', 'flag', 'with', 'from', 'enum', 'instructions', 'show', 'unshow', 'if', 'then', 'else', 'try', 'fun', 'procedure', 'call', 'forall', 'do', 'end', 'match', 'begin', 'not']);
const PUNCTUATION = ['^-1', '||', '++', '->', '|', ';', '\\', '&', '*', '+', '?', '~', '[', ']', '{', '}', '(', ')', ',', '=', '^'];
const NOT_SUPPORTED = new Set(['procedure', 'call', 'forall', 'do', 'end', 'match', 'begin']);

function lex(file: string, text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const here = (offset: number): Pos => ({ line, col: offset - lineStart + 1, offset });
  const advanceLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (text[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      advanceLines(i, i + 1);
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (text.startsWith('(*', i)) {
      const start = here(i);
      let depth = 0;
      let k = i;
      while (k < text.length) {
        if (text.startsWith('(*', k)) {
          depth++;
          k += 2;
        } else if (text.startsWith('*)', k)) {
          depth--;
          k += 2;
          if (depth === 0) break;
        } else k++;
      }
      if (depth !== 0) throw new CatError(file, start, 'this comment is never closed', "a comment runs from '(*' to its matching '*)'");
      advanceLines(i, k);
      i = k;
      continue;
    }
    const start = here(i);
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0 || text.slice(i + 1, end).includes('\n')) throw new CatError(file, start, 'this string is never closed');
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    const name = /^'?[A-Za-z_][A-Za-z0-9_\-]*/.exec(text.slice(i, i + 200));
    if (name) {
      // A name may contain '-' but does not end with it (`a-` before `->`).
      let word = name[0];
      while (word.endsWith('-')) word = word.slice(0, -1);
      tokens.push({ kind: word.startsWith("'") ? 'tag' : 'name', text: word.startsWith("'") ? word.slice(1) : word, pos: start });
      i += word.length;
      continue;
    }
    if (c === '0' && !/[0-9]/.test(text[i + 1] ?? '')) {
      tokens.push({ kind: 'zero', text: '0', pos: start });
      i++;
      continue;
    }
    const p = PUNCTUATION.find((q) => text.startsWith(q, i));
    if (p) {
      tokens.push({ kind: 'punct', text: p, pos: start });
      i += p.length;
      continue;
    }
    throw new CatError(file, start, `unexpected character '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '', pos: here(i) });
  return tokens;
}

/** Parses one cat file. */
export function parseCat(text: string, file: string): CatFile {
  const tokens = lex(file, text);
  let at = 0;
  const peek = (k = 0): Token => tokens[Math.min(at + k, tokens.length - 1)]!;
  const next = (): Token => tokens[at++]!;
  const is = (text: string, k = 0): boolean => {
    const t = peek(k);
    return (t.kind === 'punct' || t.kind === 'name') && t.text === text;
  };
  const keyword = (t: Token): boolean => t.kind === 'name' && KEYWORDS.has(t.text);
  const shown = (t: Token): string => (t.kind === 'eof' ? 'the end of the file' : t.kind === 'string' ? `"${t.text}"` : t.kind === 'tag' ? `'${t.text}` : `'${t.text}'`);
  const fail = (t: Token, what: string, hint: string | null = null): never => {
    if (t.kind === 'name' && NOT_SUPPORTED.has(t.text)) throw new CatError(file, t.pos, `'${t.text}' is not supported`, 'barrier-lab reads the cat constructs the kernel\'s model files use');
    throw new CatError(file, t.pos, `${what}, found ${shown(t)}`, hint);
  };
  const expect = (text: string, what: string): Token => (is(text) ? next() : fail(peek(), `expected ${what}`));
  const identifier = (what: string): Token => {
    const t = peek();
    if (t.kind !== 'name' || keyword(t)) return fail(t, `expected ${what}`);
    return next();
  };

  /** Whether a token can begin an operand (so that a `*` before it is the product, not the closure). */
  const startsExpr = (t: Token): boolean =>
    (t.kind === 'name' && !keyword(t)) || t.kind === 'tag' || t.kind === 'zero' || (t.kind === 'punct' && ['(', '[', '{', '~'].includes(t.text));
  /** The same, for an argument applied by juxtaposition: no `let`, `if`, ... and no `~` (which reads as an operator there). */
  const startsArgument = (t: Token): boolean =>
    (t.kind === 'name' && !keyword(t)) || t.kind === 'tag' || t.kind === 'zero' || (t.kind === 'punct' && ['(', '[', '{'].includes(t.text));

  const LEVELS: readonly BinaryOp[] = ['|', '++', ';', '\\', '&', '*'];

  function expression(): Expr {
    const t = peek();
    if (t.kind === 'name' && t.text === 'let') return letExpression();
    if (t.kind === 'name' && t.text === 'if') return ifExpression();
    if (t.kind === 'name' && t.text === 'try') {
      next();
      const body = expression();
      expect('with', "'with' after the expression to try");
      return { kind: 'try', body, fallback: expression(), pos: t.pos };
    }
    if (t.kind === 'name' && t.text === 'fun') {
      next();
      const params = parameters();
      expect('->', "'->' after the function's parameters");
      return { kind: 'fun', params, body: expression(), pos: t.pos };
    }
    return binary(0);
  }

  function binary(level: number): Expr {
    if (level === LEVELS.length) return prefix();
    const op = LEVELS[level]!;
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (!(t.kind === 'punct' && t.text === op)) return left;
      // A '*' not followed by an expression closes what precedes it (postfix, handled below).
      if (op === '*' && !startsExpr(peek(1))) return left;
      next();
      const right = binary(level + 1);
      left = { kind: 'binary', op, left, right, pos: t.pos };
    }
  }

  function prefix(): Expr {
    const t = peek();
    if (t.kind === 'punct' && t.text === '~') {
      next();
      return { kind: 'unary', op: 'complement', operand: prefix(), pos: t.pos };
    }
    return postfix();
  }

  function postfix(): Expr {
    let e = application();
    for (;;) {
      const t = peek();
      if (t.kind !== 'punct') return e;
      if (t.text === '*' && !startsExpr(peek(1))) e = { kind: 'unary', op: 'star', operand: e, pos: t.pos };
      else if (t.text === '+') e = { kind: 'unary', op: 'plus', operand: e, pos: t.pos };
      else if (t.text === '?') e = { kind: 'unary', op: 'opt', operand: e, pos: t.pos };
      else if (t.text === '^-1') e = { kind: 'unary', op: 'inverse', operand: e, pos: t.pos };
      else return e;
      next();
    }
  }

  function application(): Expr {
    let e = primary();
    while (startsArgument(peek())) {
      const arg = primary();
      e = { kind: 'apply', fn: e, arg, pos: arg.pos };
    }
    return e;
  }

  function primary(): Expr {
    const t = next();
    switch (t.kind) {
      case 'zero': return { kind: 'empty', pos: t.pos };
      case 'tag': return { kind: 'tag', name: t.text, pos: t.pos };
      case 'string': return { kind: 'string', value: t.text, pos: t.pos };
      case 'name':
        if (t.text === '_') return { kind: 'universe', pos: t.pos };
        if (keyword(t)) return fail(t, 'expected an expression');
        return { kind: 'name', name: t.text, pos: t.pos };
      case 'punct': {
        if (t.text === '(') {
          if (is(')')) {
            next();
            return { kind: 'tuple', items: [], pos: t.pos };
          }
          const items = [expression()];
          while (is(',')) {
            next();
            items.push(expression());
          }
          expect(')', "')'");
          return items.length === 1 ? items[0]! : { kind: 'tuple', items, pos: t.pos };
        }
        if (t.text === '[') {
          const operand = expression();
          expect(']', "']' closing '['");
          return { kind: 'identity', operand, pos: t.pos };
        }
        if (t.text === '{') {
          const items: Expr[] = [];
          if (!is('}')) {
            items.push(expression());
            while (is(',')) {
              next();
              items.push(expression());
            }
          }
          expect('}', "'}' closing '{'");
          return { kind: 'set', items, pos: t.pos };
        }
        return fail(t, 'expected an expression');
      }
      default:
        return fail(t, 'expected an expression');
    }
  }

  /** `x`, `x y`, `(x, y)`: a function's parameters. */
  function parameters(): string[] {
    if (is('(')) {
      next();
      const names: string[] = [];
      if (!is(')')) {
        names.push(identifier('a parameter name').text);
        while (is(',')) {
          next();
          names.push(identifier('a parameter name').text);
        }
      }
      expect(')', "')' after the parameters");
      return names;
    }
    const names: string[] = [];
    while (peek().kind === 'name' && !keyword(peek())) names.push(next().text);
    return names;
  }

  /** `name [params] = expr`; a binding with parameters is a function. */
  function binding(): Binding {
    const name = identifier('a name to define');
    const params = is('=') ? null : parameters();
    expect('=', `'=' after '${name.text}'`);
    const value = expression();
    return { name: name.text, value: params === null ? value : { kind: 'fun', params, body: value, pos: name.pos }, pos: name.pos };
  }

  function bindings(): { rec: boolean; list: Binding[] } {
    const rec = is('rec');
    if (rec) next();
    const list = [binding()];
    while (is('and')) {
      next();
      list.push(binding());
    }
    return { rec, list };
  }

  function letExpression(): Expr {
    const t = next();
    const { rec, list } = bindings();
    expect('in', "'in' after the local definitions");
    return { kind: 'let', rec, bindings: list, body: expression(), pos: t.pos };
  }

  function condition(): Condition {
    let left = conditionAtom();
    while (is('||') || is('&')) {
      const t = next();
      const right = conditionAtom();
      left = { kind: t.text === '||' ? 'or' : 'and', left, right, pos: t.pos };
    }
    return left;
  }

  function conditionAtom(): Condition {
    const t = peek();
    if (t.kind === 'string') {
      next();
      return { kind: 'variant', name: t.text, pos: t.pos };
    }
    if (t.kind === 'name' && t.text === 'not') {
      next();
      return { kind: 'not', operand: conditionAtom(), pos: t.pos };
    }
    if (t.kind === 'punct' && t.text === '(') {
      next();
      const c = condition();
      expect(')', "')'");
      return c;
    }
    return fail(t, 'expected a variant\'s name in quotes');
  }

  function ifExpression(): Expr {
    const t = next();
    const cond = condition();
    expect('then', "'then' after the condition");
    const then = expression();
    expect('else', "'else': a conditional expression needs both branches");
    return { kind: 'if', cond, then, otherwise: expression(), pos: t.pos };
  }

  function check(flag: boolean, start: Pos): Instruction {
    let negated = false;
    if (is('~')) {
      next();
      negated = true;
    }
    const t = next();
    if (!(t.kind === 'name' && (t.text === 'acyclic' || t.text === 'irreflexive' || t.text === 'empty'))) return fail(t, "expected 'acyclic', 'irreflexive' or 'empty'");
    const expr = expression();
    let name: string | null = null;
    if (is('as')) {
      next();
      name = identifier('a name for the check').text;
    }
    return { kind: 'check', test: t.text as CheckTest, negated, flag, expr, name, pos: start };
  }

  function instruction(): Instruction {
    const t = peek();
    if (t.kind !== 'name') return fail(t, 'expected an instruction (let, include, acyclic, flag, ...)');
    switch (t.text) {
      case 'let': {
        next();
        const { rec, list } = bindings();
        if (is('in')) return fail(peek(), "a top-level 'let' takes no 'in'");
        return { kind: 'let', rec, bindings: list, pos: t.pos };
      }
      case 'include': {
        next();
        const f = next();
        if (f.kind !== 'string') return fail(f, 'expected a file name in quotes after include');
        return { kind: 'include', file: f.text, pos: t.pos };
      }
      case 'flag':
        next();
        return check(true, t.pos);
      case 'acyclic':
      case 'irreflexive':
      case 'empty':
        return check(false, t.pos);
      case 'with': {
        next();
        const name = identifier('the name the choice is given').text;
        expect('from', "'from' after the name");
        return { kind: 'with', name, from: expression(), pos: t.pos };
      }
      case 'enum': {
        next();
        const name = identifier("the enumeration's name").text;
        expect('=', "'=' after the enumeration's name");
        const tags: string[] = [];
        do {
          if (tags.length > 0) next();
          const tag = next();
          if (tag.kind !== 'tag') return fail(tag, "expected a tag ('name)");
          tags.push(tag.text);
        } while (is('||'));
        return { kind: 'enum', name, tags, pos: t.pos };
      }
      case 'instructions': {
        next();
        const event = identifier('an event kind (R, W, RMW, F, ...)').text;
        expect('[', "'[' before the enumeration's name");
        const enumName = identifier("an enumeration's name").text;
        expect(']', "']'");
        return { kind: 'instructions', event, enumName, pos: t.pos };
      }
      case 'show':
      case 'unshow': {
        next();
        const names: string[] = [];
        // `show e as name` names a shown expression; `show a, b` lists names.
        const e = expression();
        if (is('as')) {
          next();
          names.push(identifier('a name').text);
        } else {
          if (e.kind === 'name') names.push(e.name);
          while (is(',')) {
            next();
            names.push(identifier('a name to show').text);
          }
        }
        return { kind: 'show', names, pos: t.pos };
      }
      default:
        return fail(t, 'expected an instruction (let, include, acyclic, flag, ...)');
    }
  }

  let title: string | null = null;
  if (peek().kind === 'string') title = next().text;
  const instructions: Instruction[] = [];
  while (peek().kind !== 'eof') instructions.push(instruction());
  return { file, title, instructions };
}
