/**
 * The tokenizer for herd7's C litmus format.
 *
 * A litmus file mixes two languages, and the lexer has a mode for each:
 *
 * - `litmus`: the initial state, the text between threads, `locations`,
 *   `filter` and the final condition. Comments are OCaml's `(* ... *)`
 *   (nesting) as well as C's `/* ... *\/` and `// ...`; the condition
 *   operators `/\`, `\/`, `=>` and `<>` are tokens.
 * - `c`: thread code (parameter lists and bodies). Only C comments exist
 *   there, because `(*` is ordinary C: `READ_ONCE(*x)`.
 *
 * The parser switches modes with `setMode`; tokens already looked ahead are
 * then re-read in the new mode. The header (`C NAME`, the doc string, the
 * `key=value` lines) is line-based and read with the raw methods at the end.
 *
 * The lexer uses no Node APIs so that it also runs in a browser.
 */
import type { Pos } from './ast.js';
import { LitmusError } from './errors.js';

export type LexMode = 'litmus' | 'c';

export type TokenKind = 'ident' | 'int' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token (empty at end of file). */
  readonly text: string;
  /** The value of an `int` token; 0 for other kinds. */
  readonly value: number;
  readonly pos: Pos;
}

export type CommentStyle = '(*' | '/*' | '//';

export interface Comment {
  readonly style: CommentStyle;
  /** The text between the delimiters, trimmed. */
  readonly text: string;
  readonly pos: Pos;
}

/** A piece of raw text read by the line-based header methods. */
export interface RawText {
  readonly text: string;
  readonly pos: Pos;
}

/** Punctuators of both modes, longest first so that the first match wins. */
const COMMON_PUNCT = [
  '<<=', '>>=',
  '==', '!=', '<=', '>=', '<<', '>>', '&&', '||', '++', '--', '->',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '{', '}', '(', ')', '[', ']', ';', ',', ':', '=', '~', '!', '&', '*',
  '-', '+', '<', '>', '/', '%', '^', '|', '?', '.',
];

/** The condition operators, tried before the common punctuators in litmus mode. */
const LITMUS_PUNCT = ['/\\', '\\/', '=>', '<>'];

const PUNCT_BY_MODE: Record<LexMode, readonly string[]> = {
  litmus: [...LITMUS_PUNCT, ...COMMON_PUNCT],
  c: COMMON_PUNCT,
};

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isHexDigit(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

function isSpace(c: string): boolean {
  return isBlank(c) || c === '\n';
}

/** Shows a character in a message: `'@'`, or `U+0007` when it is not printable. */
export function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f || (code > 0x7e && code < 0xa0)) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${c}'`;
}

/** Shortens a long piece of source text for a message. */
export function clip(text: string, max = 30): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}

export class Lexer {
  /** Every comment skipped so far, in source order. */
  readonly comments: Comment[] = [];

  private offset = 0;
  private line = 1;
  private col = 1;
  private currentMode: LexMode = 'litmus';
  private readonly lookahead: Token[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    // A byte-order mark is not part of the text (columns still start at 1).
    if (text.startsWith('\uFEFF')) this.offset = 1;
  }

  /** The position of the scanning cursor (after any looked-ahead token). */
  here(): Pos {
    return { line: this.line, col: this.col, offset: this.offset };
  }

  // -------------------------------------------------------------------------
  // Token interface
  // -------------------------------------------------------------------------

  /** Looks at the token `k` places ahead without consuming it. */
  peek(k = 0): Token {
    while (this.lookahead.length <= k) {
      this.lookahead.push(this.scan());
    }
    return this.lookahead[k]!;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead.shift();
    return token;
  }

  /** Changes mode; looked-ahead tokens are forgotten and read again in the new mode. */
  setMode(mode: LexMode): void {
    if (mode === this.currentMode) return;
    this.rewind();
    this.currentMode = mode;
  }

  private rewind(): void {
    const first = this.lookahead[0];
    if (first === undefined) return;
    this.moveTo(first.pos);
    this.lookahead.length = 0;
  }

  private moveTo(pos: Pos): void {
    this.offset = pos.offset;
    this.line = pos.line;
    this.col = pos.col;
  }

  // -------------------------------------------------------------------------
  // Scanning
  // -------------------------------------------------------------------------

  private fail(pos: Pos, reason: string, hint: string | null = null): never {
    throw new LitmusError(this.file, pos, reason, hint);
  }

  private char(k = 0): string {
    return this.text.charAt(this.offset + k);
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.offset);
  }

  private advance(n = 1): void {
    for (let i = 0; i < n && this.offset < this.text.length; i++) {
      if (this.text.charCodeAt(this.offset) === 10) {
        this.line++;
        this.col = 1;
      } else {
        this.col++;
      }
      this.offset++;
    }
  }

  private token(kind: TokenKind, start: Pos, value = 0): Token {
    return { kind, text: this.text.slice(start.offset, this.offset), value, pos: start };
  }

  private scan(): Token {
    this.skipTrivia();
    const start = this.here();
    const c = this.char();
    if (c === '') return { kind: 'eof', text: '', value: 0, pos: start };
    if (isIdentStart(c)) return this.scanIdent(start);
    if (isDigit(c)) return this.scanNumber(start);
    for (const p of PUNCT_BY_MODE[this.currentMode]) {
      if (this.startsWith(p)) {
        this.advance(p.length);
        return this.token('punct', start);
      }
    }
    return this.unknownChar(start, c);
  }

  private unknownChar(start: Pos, c: string): never {
    const full = String.fromCodePoint(this.text.codePointAt(this.offset) ?? 0);
    if (c === '"' || c === "'") {
      this.fail(start, `unexpected quote ${showChar(c)}: strings and character literals are not supported here`);
    }
    if (c === '\\' && this.currentMode === 'c') {
      this.fail(start, `unknown character '\\' in thread code`, 'the operators /\\ and \\/ belong in the final condition');
    }
    this.fail(start, `unknown character ${showChar(full)}`);
  }

  private scanIdent(start: Pos): Token {
    while (isIdentPart(this.char())) this.advance();
    return this.token('ident', start);
  }

  private scanNumber(start: Pos): Token {
    const hex = this.char() === '0' && (this.char(1) === 'x' || this.char(1) === 'X');
    if (hex) {
      this.advance(2);
      if (!isHexDigit(this.char())) this.fail(start, `malformed hexadecimal number '${this.text.slice(start.offset, this.offset)}'`);
      while (isHexDigit(this.char())) this.advance();
    } else {
      while (isDigit(this.char())) this.advance();
    }
    const digits = this.text.slice(start.offset, this.offset);
    if (isIdentPart(this.char())) this.badNumberSuffix(start);
    if (!hex && digits.length > 1 && digits.startsWith('0')) {
      this.fail(start, `number '${clip(digits)}' has a leading zero`, 'C would read it as octal; write it without the leading zero, or in hexadecimal (0x...)');
    }
    return this.token('int', start, this.numberValue(digits, start));
  }

  private badNumberSuffix(start: Pos): never {
    while (isIdentPart(this.char())) this.advance();
    const text = this.text.slice(start.offset, this.offset);
    this.fail(start, `malformed number '${clip(text)}'`, 'integers are written in decimal or hexadecimal, without suffixes like U or L');
  }

  private numberValue(digits: string, start: Pos): number {
    const big = BigInt(digits);
    if (big > MAX_SAFE) {
      this.fail(start, `integer ${clip(digits)} is too large (the limit is 2^53 - 1 = ${Number.MAX_SAFE_INTEGER})`);
    }
    return Number(big);
  }

  // -------------------------------------------------------------------------
  // Whitespace and comments
  // -------------------------------------------------------------------------

  /** Skips whitespace and comments before a header item (forgets looked-ahead tokens). */
  skipHeaderTrivia(): void {
    this.rewind();
    this.skipTrivia();
  }

  /** Skips whitespace and comments (of the kinds the current mode knows), recording the comments. */
  private skipTrivia(): void {
    for (;;) {
      const c = this.char();
      if (isSpace(c)) {
        this.advance();
      } else if (this.currentMode === 'litmus' && this.startsWith('(*')) {
        this.skipOcamlComment();
      } else if (this.startsWith('/*')) {
        this.skipBlockComment();
      } else if (this.startsWith('//')) {
        this.skipLineComment();
      } else {
        return;
      }
    }
  }

  private record(style: CommentStyle, start: Pos, inner: string): void {
    const last = this.comments[this.comments.length - 1];
    // After a rewind the same comment may be skipped twice: keep it once.
    if (last !== undefined && last.pos.offset >= start.offset) return;
    this.comments.push({ style, text: inner.trim(), pos: start });
  }

  /** `(* ... *)`, which nests as in OCaml. */
  private skipOcamlComment(): void {
    const start = this.here();
    this.advance(2);
    let depth = 1;
    while (depth > 0) {
      if (this.offset >= this.text.length) this.fail(start, 'unterminated comment (* started here', 'close it with *)');
      if (this.startsWith('(*')) {
        depth++;
        this.advance(2);
      } else if (this.startsWith('*)')) {
        depth--;
        this.advance(2);
      } else {
        this.advance();
      }
    }
    this.record('(*', start, this.text.slice(start.offset + 2, this.offset - 2));
  }

  private skipBlockComment(): void {
    const start = this.here();
    const end = this.text.indexOf('*/', this.offset + 2);
    if (end < 0) this.fail(start, 'unterminated comment /* started here', 'close it with */');
    this.advance(end + 2 - this.offset);
    this.record('/*', start, this.text.slice(start.offset + 2, end));
  }

  private skipLineComment(): void {
    const start = this.here();
    let end = this.text.indexOf('\n', this.offset);
    if (end < 0) end = this.text.length;
    this.advance(end - this.offset);
    this.record('//', start, this.text.slice(start.offset + 2, end));
  }

  // -------------------------------------------------------------------------
  // Raw, line-based reading for the header
  // -------------------------------------------------------------------------

  /** The character at the cursor ('' at end of file); forgets looked-ahead tokens. */
  peekChar(): string {
    this.rewind();
    return this.char();
  }

  /** Skips spaces and tabs (not newlines). */
  skipBlanks(): void {
    this.rewind();
    while (isBlank(this.char())) this.advance();
  }

  /** Skips whitespace only, no comments. */
  skipSpaces(): void {
    this.rewind();
    while (isSpace(this.char())) this.advance();
  }

  /** Reads a run of non-whitespace characters (possibly empty). */
  readWord(): RawText {
    this.rewind();
    const start = this.here();
    while (this.char() !== '' && !isSpace(this.char())) this.advance();
    return { text: this.text.slice(start.offset, this.offset), pos: start };
  }

  /** Reads up to the end of the line, consuming the newline; the text is trimmed at the end. */
  readRestOfLine(): RawText {
    this.rewind();
    const start = this.here();
    let end = this.text.indexOf('\n', this.offset);
    if (end < 0) end = this.text.length;
    this.advance(end - this.offset);
    const text = this.text.slice(start.offset, end).trimEnd();
    this.advance();
    return { text, pos: start };
  }

  /** Reads a `"..."` string on one line, returning its contents. */
  readQuoted(): RawText {
    this.rewind();
    const start = this.here();
    this.advance();
    const end = this.text.indexOf('"', this.offset);
    const newline = this.text.indexOf('\n', this.offset);
    if (end < 0 || (newline >= 0 && newline < end)) {
      this.fail(start, 'unterminated string " started here', 'the doc string must end with " on the same line');
    }
    const text = this.text.slice(this.offset, end);
    this.advance(end + 1 - this.offset);
    return { text, pos: start };
  }
}
