/**
 * The tokenizer for herd7's C litmus format.
 *
 * A litmus file mixes two languages, and the lexer has a mode for each:
 *
 * - `litmus`: the initial state and the final section (`locations`,
 *   `filter`, the condition). As in herd7, the only comments there are
 *   OCaml's `(* ... *)` (nesting); C comments are refused with a message.
 *   The condition operators `/\`, `\/`, `=>` and `<>` are tokens, a `-`
 *   glued to digits is part of the number, and numbers are 32-bit values
 *   (hexadecimal ones from 0x80000000 up read as negative, as herd7 does).
 * - `c`: the threads, from the `}` of the initial state to the keyword that
 *   starts the final section. Only C comments exist there, because `(*` is
 *   ordinary C: `READ_ONCE(*x)`. herd7 finds the final section by looking
 *   for its keywords anywhere in that text, comments included, so a C
 *   comment that contains one of them (`// nothing exists here`) is refused.
 *
 * The parser switches modes with `setMode`; tokens already looked ahead are
 * then re-read in the new mode. The header (`C NAME`, the doc string, the
 * `key=value` lines) is line-based and read with the raw methods at the end;
 * between them every kind of comment is skipped.
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

/**
 * The words with which herd7 recognises the start of the final section of a
 * C test (`~exists` is `~` and `exists`). In the threads they may not appear,
 * not even in a comment; `cases` is one too, though no test may use it.
 */
export const SECTION_WORDS: ReadonlySet<string> = new Set([
  'exists', 'forall', 'final', 'observed', 'Observed', 'locations', 'filter', 'cases',
]);

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

/** The range of herd7's values in the initial state and the condition (32-bit). */
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const UINT32_MAX = 2n ** 32n - 1n;

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

/** A character of the words herd7 looks for when it splits a test (letters start them). */
function isSplitterWordPart(c: string): boolean {
  return isIdentPart(c) || c === '/' || c === '.' || c === '-';
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
    if (c === '-' && this.currentMode === 'litmus') return this.scanNegative(start);
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

  /**
   * A number. Leading zeros do not make it octal: herd7 reads `010` as ten,
   * in thread code as elsewhere. In litmus mode the value must fit in 32
   * bits, and a hexadecimal one from 0x80000000 up reads as negative.
   */
  private scanNumber(start: Pos, negative = false): Token {
    const hex = this.char() === '0' && (this.char(1) === 'x' || this.char(1) === 'X');
    if (hex && negative) {
      this.fail(start, 'a negative number must be written in decimal here', "herd7 reads '-0x...' as '-0' followed by a name");
    }
    if (hex) {
      this.advance(2);
      if (!isHexDigit(this.char())) this.fail(start, `malformed hexadecimal number '${this.text.slice(start.offset, this.offset)}'`);
      while (isHexDigit(this.char())) this.advance();
    } else {
      while (isDigit(this.char())) this.advance();
    }
    const digits = this.text.slice(start.offset, this.offset);
    if (isIdentPart(this.char())) this.badNumberSuffix(start);
    const value = this.currentMode === 'litmus' ? this.int32Value(digits, hex, start) : this.numberValue(digits, start);
    return this.token('int', start, value);
  }

  /** `-` in litmus mode: herd7 knows it only as the sign glued to a decimal number. */
  private scanNegative(start: Pos): Token {
    if (!isDigit(this.char(1))) {
      this.fail(start, "unexpected '-': here a minus sign must be followed directly by the digits of a number");
    }
    this.advance();
    return this.scanNumber(start, true);
  }

  private badNumberSuffix(start: Pos): never {
    while (isIdentPart(this.char())) this.advance();
    const text = this.text.slice(start.offset, this.offset);
    this.fail(start, `malformed number '${clip(text)}'`, 'integers are written in decimal or hexadecimal, without suffixes like U or L');
  }

  /** A value of the initial state or the condition: 32 bits, as in herd7. */
  private int32Value(digits: string, hex: boolean, start: Pos): number {
    const big = BigInt(digits);
    const fits = hex ? big <= UINT32_MAX : big >= INT32_MIN && big <= INT32_MAX;
    if (!fits) {
      this.fail(start, `integer ${clip(digits)} does not fit in 32 bits`, 'values in the initial state and the condition go from -2147483648 to 2147483647 (or 0x0 to 0xffffffff)');
    }
    return Number(big > INT32_MAX ? big - 2n ** 32n : big);
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

  /** Skips whitespace and comments of every kind before a header item (forgets looked-ahead tokens). */
  skipHeaderTrivia(): void {
    this.rewind();
    this.skipTrivia(true);
  }

  /**
   * Skips whitespace and comments, recording the comments: in the header
   * every kind, otherwise those of the current mode. A C comment in litmus
   * mode is an error.
   */
  private skipTrivia(header = false): void {
    const ocaml = header || this.currentMode === 'litmus';
    const c = header || this.currentMode === 'c';
    for (;;) {
      if (isSpace(this.char())) {
        this.advance();
      } else if (ocaml && this.startsWith('(*')) {
        this.skipOcamlComment();
      } else if (this.startsWith('/*') || this.startsWith('//')) {
        if (!c) this.cCommentInLitmus();
        if (this.startsWith('/*')) this.skipBlockComment();
        else this.skipLineComment();
      } else {
        return;
      }
    }
  }

  private cCommentInLitmus(): never {
    const style = this.startsWith('/*') ? '/* */' : '//';
    return this.fail(this.here(), `a C comment (${style}) is not allowed in the initial state or the final section`, 'herd7 reads only (* ... *) comments there');
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
    this.checkSectionWords(start, end + 2);
    this.advance(end + 2 - this.offset);
    this.record('/*', start, this.text.slice(start.offset + 2, end));
  }

  private skipLineComment(): void {
    const start = this.here();
    let end = this.text.indexOf('\n', this.offset);
    if (end < 0) end = this.text.length;
    this.checkSectionWords(start, end);
    this.advance(end - this.offset);
    this.record('//', start, this.text.slice(start.offset + 2, end));
  }

  /**
   * In c mode, refuses a comment (from `start` to offset `end`) in which
   * herd7 would see the start of the final section. Like herd7, it reads
   * the text as words (a letter, then letters, digits, `_`, `/`, `.` and
   * `-`) and skips what is between double quotes.
   */
  private checkSectionWords(start: Pos, end: number): void {
    if (this.currentMode !== 'c') return;
    let i = start.offset;
    while (i < end) {
      const c = this.text.charAt(i);
      if (c === '"') {
        const close = this.text.indexOf('"', i + 1);
        i = close < 0 || close >= end ? end : close + 1;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        let j = i + 1;
        while (j < end && isSplitterWordPart(this.text.charAt(j))) j++;
        const word = this.text.slice(i, j);
        if (SECTION_WORDS.has(word)) this.sectionWordInComment(word, this.positionAt(start, i));
        i = j;
      } else {
        i++;
      }
    }
  }

  private sectionWordInComment(word: string, pos: Pos): never {
    return this.fail(pos, `the word '${word}' may not appear in a comment in the threads`, `herd7 would take it for the start of the final section; reword the comment`);
  }

  /** The position of `offset`, at or after `from`. */
  private positionAt(from: Pos, offset: number): Pos {
    let { line, col } = from;
    for (let i = from.offset; i < offset; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return { line, col, offset };
  }

  /** Whether only spaces and tabs (no newline, no comment) separate the two positions. */
  onlyBlanksBetween(from: Pos, to: Pos): boolean {
    for (let i = from.offset; i < to.offset; i++) {
      if (!isBlank(this.text.charAt(i))) return false;
    }
    return true;
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

  /** Reads the longest text at the cursor that `pattern` (anchored with `^`) matches, possibly empty. */
  readName(pattern: RegExp): RawText {
    this.rewind();
    const start = this.here();
    let end = this.text.indexOf('\n', this.offset);
    if (end < 0) end = this.text.length;
    const match = pattern.exec(this.text.slice(this.offset, end));
    const text = match === null ? '' : match[0];
    this.advance(text.length);
    return { text, pos: start };
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
