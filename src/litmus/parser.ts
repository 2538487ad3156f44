/**
 * A hand-written recursive-descent parser for herd7's C litmus format.
 *
 * `parseLitmus` turns the text of a test into the tree of `ast.ts`, or throws
 * a `LitmusError` that says where and what is wrong. It gives no meaning to
 * names: which calls are kernel primitives and which identifiers are
 * registers is decided by a later stage.
 *
 * Layout of a test, and the section of this file that reads each part:
 *
 *     C NAME                      header
 *     "doc"  key=value  (* *)     header
 *     { x=1; int *p=&x; }         initial state
 *     P0(int *x) { ... }          threads (C code)
 *     locations [x; 0:r1]         final section
 *     filter PROP                 final section
 *     exists PROP;                final section
 *
 * The grammar is herd7's, checked against herd7 itself: what herd7 accepts
 * is accepted with the same meaning, and in the header, the initial state
 * and the final section what it refuses is refused too. Thread code is a
 * larger subset of C than herd7's (`!`, `&&`, `?:`, hexadecimal numbers,
 * several declarators, empty statements...), on purpose.
 *
 * Nesting (parentheses, blocks, `!`, `~`, ...) is limited to MAX_DEPTH so
 * that hostile input gives an error instead of overflowing the stack. Each
 * operator of a chain like `a + b + c` or `p /\ q /\ r` counts as a level
 * too, since it nests the tree one level deeper: the trees this parser
 * returns are never deeper than about MAX_DEPTH, so later stages may walk
 * them recursively.
 */
import type {
  BinaryOp, CondTerm, Condition, Expr, InitEntry, LitmusTest, Param, Pos,
  Prop, Quantifier, Stmt, ThreadCode, TypeName, UnaryOp, ValueLit,
} from './ast.js';
import { LitmusError } from './errors.js';
import { Lexer, SECTION_WORDS, clip, type Token } from './lexer.js';

/** The deepest nesting of expressions, statements or propositions accepted. */
export const MAX_DEPTH = 500;

/** Parses a C litmus test. Throws `LitmusError` (and nothing else) on malformed input. */
export function parseLitmus(text: string, file = '<input>'): LitmusTest {
  const parser = new Parser(text, file);
  try {
    const test = parser.parseTest();
    SOURCES.set(test, text);
    return test;
  } catch (error) {
    if (error instanceof LitmusError) throw error;
    throw parser.internalError(error);
  }
}

/** The text each test was parsed from; a test derived from another (a what-if variant) has none. */
const SOURCES = new WeakMap<LitmusTest, string>();

/** The text `test` was parsed from, exactly; undefined for a test built or changed by code. */
export function litmusSource(test: LitmusTest): string | undefined {
  return SOURCES.get(test);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/** Binary operators and their C precedence (higher binds tighter). */
const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ['||', 1], ['&&', 2], ['|', 3], ['^', 4], ['&', 5],
  ['==', 6], ['!=', 6], ['<', 7], ['<=', 7], ['>', 7], ['>=', 7],
  ['<<', 8], ['>>', 8], ['+', 9], ['-', 9], ['*', 10], ['/', 10], ['%', 10],
]);

const UNARY_OPS: ReadonlySet<string> = new Set(['!', '-', '~']);

/** Words that start a C type. Identifiers ending in `_t` (`atomic_t`, `spinlock_t`) are types too. */
const TYPE_WORDS: ReadonlySet<string> = new Set([
  'int', 'char', 'short', 'long', 'unsigned', 'signed', 'void', 'bool', '_Bool',
  'float', 'double', 'volatile', 'const',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
]);

/** Words followed by a tag that is part of the type: `struct srcu_struct`. */
const TAG_WORDS: ReadonlySet<string> = new Set(['struct', 'union', 'enum']);

/** C statements the memory model cannot express, with the reason given. */
const REFUSED_STATEMENTS: ReadonlyMap<string, string> = new Map([
  ['while', 'loops'], ['for', 'loops'], ['do', 'loops'],
  ['switch', 'switch statements'],
  ['goto', 'jumps'], ['return', 'jumps'], ['break', 'jumps'], ['continue', 'jumps'],
]);

/** C keywords that cannot be used as names in expressions. */
const C_KEYWORDS: ReadonlySet<string> = new Set([
  ...TYPE_WORDS, ...TAG_WORDS, ...REFUSED_STATEMENTS.keys(),
  'if', 'else', 'case', 'default', 'sizeof', 'typedef', 'static', 'extern', 'register', 'auto',
]);

const COMPOUND_ASSIGN: ReadonlySet<string> = new Set([
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=',
]);

const THREAD_NAME = /^P(0|[1-9][0-9]*)$/;

/** How herd7 writes a thread in the initial state and the condition (`P1:r0`, also `P01`). */
const THREAD_WORD = /^P[0-9]+$/;

/**
 * Keywords of herd7's language for the initial state and the final section
 * (some for other architectures), which therefore cannot name a location,
 * a register or a type there.
 */
const LITMUS_KEYWORDS: ReadonlySet<string> = new Set([
  'exists', 'forall', 'final', 'observed', 'Observed', 'locations', 'filter', 'with', 'and',
  'not', 'true', 'false', 'fault', 'Fault', 'tag', 'TAG', 'NOP', 'nop', 'PTE', 'TTD', 'PA',
  'pac', 'pacda', 'pacdb', 'pacia', 'pacib', 'attrs', 'Attrs', 'oa', 'parel1_t', 'PAREL1_T',
  'SS', 'SSCap', '_Atomic', 'ATOMIC_INIT',
]);

/**
 * The types herd7 knows the size of, and so accepts for a location or a
 * register given in the initial state (a pointer to any type is fine too).
 */
const SIZED_TYPES: ReadonlySet<string> = new Set([
  'char', 'short', 'int', 'long', 'int8_t', 'uint8_t', 'int16_t', 'uint16_t', 'int32_t', 'uint32_t',
  'int64_t', 'uint64_t', 'intptr_t', 'uintptr_t', 'atomic_t',
]);

/** The words that start the final section (`~exists` is checked apart). */
const FINAL_SECTION_START: ReadonlySet<string> = new Set([...SECTION_WORDS].filter((w) => w !== 'cases'));

/** The characters herd7 takes in a test name; the rest of the line is skipped. */
const TEST_NAME = /^[A-Za-z0-9_/.+[\]:-]+/;

/** Other architectures' litmus tests start with these words. */
const OTHER_ARCHS: ReadonlySet<string> = new Set([
  'X86', 'X86_64', 'AArch64', 'ARM', 'PPC', 'RISCV', 'MIPS', 'LISA', 'ASL', 'BPF',
]);

function normaliseType(tokens: readonly Token[]): string {
  let text = '';
  let previous = '';
  for (const token of tokens) {
    if (token.text === '*') text += previous === '*' ? '*' : ' *';
    else text += text === '' ? token.text : ` ${token.text}`;
    previous = token.text;
  }
  return text;
}

function describe(token: Token): string {
  return token.kind === 'eof' ? 'end of file' : `'${clip(token.text)}'`;
}

function at(pos: Pos): string {
  return `${pos.line}:${pos.col}`;
}

// ---------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------

class Parser {
  private readonly lexer: Lexer;
  private depth = 0;
  /** The thread whose code is being read, for messages. */
  private currentThread: { name: string; open: Pos } | null = null;
  /** Whether a thread (its parameters or its code) is being read. */
  private inThread = false;

  constructor(text: string, private readonly file: string) {
    this.lexer = new Lexer(text, file);
  }

  parseTest(): LitmusTest {
    const name = this.parseNameLine();
    const header = this.parseHeader();
    const init = this.parseInit();
    this.lexer.setMode('c');
    const threads = this.parseThreads();
    this.lexer.setMode('litmus');
    const { locations, filter, condition } = this.parseFinalSection();
    return {
      name, doc: header.doc, comments: header.comments,
      init, threads, locations, filter, condition, file: this.file,
    };
  }

  internalError(error: unknown): LitmusError {
    if (error instanceof RangeError) {
      return new LitmusError(this.file, this.lexer.here(), `nesting too deep (more than ${MAX_DEPTH} levels)`);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new LitmusError(this.file, this.lexer.here(), `internal error in the litmus parser: ${message}`, 'please report this test as a bug');
  }

  // -------------------------------------------------------------------------
  // Token helpers
  // -------------------------------------------------------------------------

  private peek(k = 0): Token {
    return this.lexer.peek(k);
  }

  private next(): Token {
    const token = this.lexer.next();
    if (this.inThread && token.kind === 'ident' && SECTION_WORDS.has(token.text)) this.sectionWordInThread(token);
    return token;
  }

  /** Is the token `k` ahead the punctuator or word `text`? */
  private is(text: string, k = 0): boolean {
    const token = this.peek(k);
    return (token.kind === 'punct' || token.kind === 'ident') && token.text === text;
  }

  private accept(text: string): Token | null {
    return this.is(text) ? this.next() : null;
  }

  /** Consumes `text` or fails with "expected 'text' CONTEXT, found ...". */
  private expect(text: string, context: string, hint: string | null = null): Token {
    const token = this.accept(text);
    if (token !== null) return token;
    return this.fail(this.peek().pos, `expected '${text}' ${context}, found ${describe(this.peek())}`, hint);
  }

  private expectIdent(what: string): Token {
    const token = this.peek();
    if (token.kind === 'ident') return this.next();
    return this.fail(token.pos, `expected ${what}, found ${describe(token)}`);
  }

  private fail(pos: Pos, reason: string, hint: string | null = null): never {
    throw new LitmusError(this.file, pos, reason, hint);
  }

  /** Runs `parse` one nesting level deeper, failing at `pos` past MAX_DEPTH. */
  private nested<T>(pos: Pos, parse: () => T): T {
    const saved = this.depth;
    this.deepen(pos);
    try {
      return parse();
    } finally {
      this.depth = saved;
    }
  }

  /** Goes one level deeper, failing at `pos` past MAX_DEPTH. */
  private deepen(pos: Pos): void {
    if (this.depth >= MAX_DEPTH) this.fail(pos, `nesting too deep (more than ${MAX_DEPTH} levels)`);
    this.depth++;
  }

  /** Runs `parse`, then restores the depth that a chain of operators inside it used. */
  private chain<T>(parse: () => T): T {
    const saved = this.depth;
    try {
      return parse();
    } finally {
      this.depth = saved;
    }
  }

  // -------------------------------------------------------------------------
  // Header: `C NAME`, doc string, comments, key=value lines
  // -------------------------------------------------------------------------

  /**
   * `C NAME`, at the very start of the file. The name is what herd7 takes:
   * the leading letters, digits and `_/.+-[]:` of the word (the rest of the
   * line is skipped with the header); `--` stands for the file's base name.
   */
  private parseNameLine(): string {
    const start = this.lexer.here();
    const first = this.lexer.peekChar();
    if (first === ' ' || first === '\t' || first === '\r' || first === '\n') {
      this.lexer.skipSpaces();
      if (this.lexer.peekChar() === '') this.fail(start, "the file is empty: a C litmus test starts with 'C NAME'");
      this.fail(start, "a C litmus test must start with 'C NAME' on its first line, with nothing before it");
    }
    const word = this.lexer.readWord();
    if (word.text === '') this.fail(word.pos, "the file is empty: a C litmus test starts with 'C NAME'");
    if (word.text !== 'C') this.badFirstWord(word.text, word.pos);
    this.lexer.skipBlanks();
    const name = this.lexer.readName(TEST_NAME);
    if (name.text === '') {
      const hint = "the first line is 'C NAME', e.g. 'C MP+pooncerelease+poacquireonce'; a name is made of letters, digits and _ / . + - [ ] :";
      this.fail(name.pos, "expected the test name after 'C'", hint);
    }
    return name.text === '--' ? this.fileBaseName() : name.text;
  }

  /** The file name without its directory and its last extension, as herd7 names a test called `--`. */
  private fileBaseName(): string {
    const base = this.file.slice(Math.max(this.file.lastIndexOf('/'), this.file.lastIndexOf('\\')) + 1);
    const dot = base.lastIndexOf('.');
    return dot > 0 ? base.slice(0, dot) : base;
  }

  private badFirstWord(word: string, pos: Pos): never {
    if (OTHER_ARCHS.has(word)) {
      this.fail(pos, `this is a litmus test for ${word}, not C`, 'barrier-lab reads only C litmus tests, which start with \'C NAME\'');
    }
    return this.fail(pos, `a C litmus test must start with 'C NAME', found '${clip(word)}'`);
  }

  /**
   * Everything up to the `{` of the initial state. Besides comments and the
   * doc string, herd7 skips the lines there (diy7 writes `Cycle=...`,
   * `Relax=...`), and so do we.
   */
  private parseHeader(): { doc: string | null; comments: string[] } {
    let doc: string | null = null;
    for (;;) {
      this.lexer.skipHeaderTrivia();
      const c = this.lexer.peekChar();
      if (c === '{') break;
      if (c === '') this.missingInit(this.lexer.here(), "expected the initial state '{ ... }', found end of file");
      if (c === '"' && doc === null) {
        doc = this.lexer.readQuoted().text;
        continue;
      }
      this.skipHeaderLine();
    }
    const comments = this.lexer.comments.filter((c) => c.style === '(*').map((c) => c.text);
    return { doc, comments };
  }

  private skipHeaderLine(): void {
    const line = this.lexer.readRestOfLine();
    if (/^(void\s+)?P[0-9]+\s*\(/.test(line.text)) {
      this.missingInit(line.pos, "the initial state '{ ... }' is missing before the threads");
    }
  }

  private missingInit(pos: Pos, reason: string): never {
    return this.fail(pos, reason, "write '{}' if every location starts at 0");
  }

  // -------------------------------------------------------------------------
  // Initial state
  // -------------------------------------------------------------------------

  /**
   * `{ entry; entry; ... }`. Entries are separated by one `;`; a last `;`
   * may be doubled, and `{ ; }` is empty, but other empty entries are not
   * allowed (herd7 refuses them).
   */
  private parseInit(): InitEntry[] {
    this.expect('{', 'to start the initial state');
    const entries: InitEntry[] = [];
    for (;;) {
      if (this.accept('}')) break;
      this.checkInitNotEnded();
      const semi = this.accept(';');
      if (semi !== null) {
        this.expectInitEnd(semi);
        break;
      }
      entries.push(this.parseInitEntry());
      if (this.accept('}')) break;
      this.checkInitNotEnded();
      if (!this.accept(';')) {
        this.fail(this.peek().pos, `expected ';' or '}' after an entry of the initial state, found ${describe(this.peek())}`);
      }
    }
    this.checkUniqueInit(entries);
    return entries;
  }

  private checkInitNotEnded(): void {
    if (this.peek().kind === 'eof') {
      this.fail(this.peek().pos, "the initial state is not closed: expected '}' before the end of file");
    }
  }

  /** After an empty entry (a `;` alone), only the closing `}` may come. */
  private expectInitEnd(semi: Token): void {
    if (this.accept('}')) return;
    this.checkInitNotEnded();
    this.fail(semi.pos, "unexpected ';' in the initial state", "entries are separated by one ';'; an extra ';' may only come just before the closing '}'");
  }

  /** herd7 refuses a location or a register given twice. */
  private checkUniqueInit(entries: readonly InitEntry[]): void {
    const seen = new Set<string>();
    for (const entry of entries) {
      const key = entry.kind === 'location' ? entry.location : `${entry.thread}:${entry.register}`;
      if (seen.has(key)) this.fail(entry.pos, `${key} appears twice in the initial state`);
      seen.add(key);
    }
  }

  /**
   * One entry, in the forms herd7 accepts:
   *
   *     x   x=1   x=y   [x]=1   0:r1=1   P0:r1=y   0:r1=&y    untyped
   *     int x   int x=1   int 0:r1=y   atomic_t v=ATOMIC_INIT(1)
   *     _Atomic int x=1
   *     int *p   int *p=&x   int *p=x   *p=&x   *x=1          pointers
   *
   * The value `y` (a bare name) is the address of the location y. A type is
   * a single word; `&` may only follow a pointer type, a lone `*` (which
   * stands for herd7's default type, `int *`) or an untyped register.
   */
  private parseInitEntry(): InitEntry {
    const { type, pointer } = this.parseInitType();
    const target = this.parseInitTarget();
    if (type !== null && (this.peek().kind === 'ident' || this.is('*'))) {
      this.fail(type.pos, `a type in the initial state is a single word (like int or intptr_t), found '${type.text} ${target.name}'`);
    }
    if (type !== null && !pointer) this.checkSized(type);
    let value: ValueLit | null = null;
    if (this.accept('=')) value = this.parseInitValue(type, pointer || (type === null && target.kind === 'register'));
    if (target.kind === 'register') {
      // A register declared without a value (`int 0:r1;`) starts at 0, as in herd7.
      value ??= { kind: 'int', value: 0, pos: target.pos };
      return { kind: 'register', type, thread: target.thread, register: target.name, value, pos: target.pos };
    }
    return { kind: 'location', type, location: target.name, value, pos: target.pos };
  }

  /** The optional type of an entry: `int`, `_Atomic int`, `int *` or a lone `*`. */
  private parseInitType(): { type: TypeName | null; pointer: boolean } {
    const token = this.peek();
    if (token.text === '*') {
      this.next();
      this.noSecondStar();
      return { type: { text: 'int *', pos: token.pos }, pointer: true };
    }
    if (token.kind !== 'ident' || !this.startsInitTarget(1)) return { type: null, pointer: false };
    const words = [this.next()];
    if (token.text === '_Atomic') words.push(this.expectLitmusName('a type after _Atomic'));
    else if (LITMUS_KEYWORDS.has(token.text)) this.litmusKeyword(token);
    const pointer = words.length === 1 && this.accept('*') !== null;
    if (pointer) this.noSecondStar();
    const text = words.map((w) => w.text).join(' ') + (pointer ? ' *' : '');
    return { type: { text, pos: token.pos }, pointer };
  }

  /** Does the token `k` ahead start what a type is followed by: a name, a register, `[` or `*`? */
  private startsInitTarget(k: number): boolean {
    const token = this.peek(k);
    return token.kind === 'ident' || token.kind === 'int' || token.text === '[' || token.text === '*';
  }

  private noSecondStar(): void {
    if (this.is('*')) this.fail(this.peek().pos, 'a pointer to a pointer cannot be given in the initial state', "herd7 takes one '*' there: write int *p = &x");
  }

  /** herd7 gives an initial value only to a location or a register of a type whose size it knows. */
  private checkSized(type: TypeName): void {
    const base = type.text.replace(/^_Atomic /, '');
    if (SIZED_TYPES.has(base)) return;
    const hint = 'the types allowed there are char, short, int, long, intN_t and uintN_t, intptr_t, uintptr_t, atomic_t, and pointers to any type; other locations are thread parameters (spinlock_t *l)';
    this.fail(type.pos, `herd7 does not know the size of type '${type.text}', so it cannot appear in the initial state`, hint);
  }

  /** `x`, `[x]`, `0:r1` or `P0:r1`. */
  private parseInitTarget(): { kind: 'location' | 'register'; name: string; thread: number; pos: Pos } {
    if (this.peek().kind === 'int' || this.startsRegister()) {
      const { thread, register, pos } = this.parseRegister();
      return { kind: 'register', name: register, thread, pos };
    }
    const name = this.parseLocationName('in the initial state');
    return { kind: 'location', name: name.text, thread: 0, pos: name.pos };
  }

  /** `x` or `[x]`. */
  private parseLocationName(context: string): Token {
    if (this.accept('[')) {
      const name = this.expectLitmusName(`a location name after '['`);
      this.expect(']', `after the location name '${name.text}'`);
      return name;
    }
    const token = this.peek();
    if (token.kind === 'ident') return this.expectLitmusName('a location');
    return this.fail(token.pos, `expected a location or a register (like x or 0:r1) ${context}, found ${describe(token)}`);
  }

  /** Is a register (`0:r1`, `P0:r1`) next? */
  private startsRegister(): boolean {
    const token = this.peek();
    return (token.kind === 'int' || (token.kind === 'ident' && THREAD_WORD.test(token.text))) && this.is(':', 1);
  }

  /** `0:r1` or `P0:r1`, at the thread number. */
  private parseRegister(): { thread: number; register: string; pos: Pos } {
    const thread = this.next();
    const number = thread.kind === 'int' ? thread.value : Number(thread.text.slice(1));
    if (number < 0) this.fail(thread.pos, `expected a thread number, found ${describe(thread)}`);
    this.expect(':', `after the thread number ${thread.text}`, "a register is written THREAD:NAME, like 0:r1");
    const register = this.expectLitmusName(`a register name after '${thread.text}:'`);
    return { thread: number, register: register.text, pos: thread.pos };
  }

  /**
   * A name of the litmus language: an identifier that is not one of its
   * keywords, nor a thread (`P1`).
   */
  private expectLitmusName(what: string): Token {
    const token = this.expectIdent(what);
    if (LITMUS_KEYWORDS.has(token.text)) this.litmusKeyword(token);
    if (THREAD_WORD.test(token.text)) {
      this.fail(token.pos, `'${clip(token.text)}' names a thread, not a location`, 'a register is written P1:r0 or 1:r0');
    }
    return token;
  }

  private litmusKeyword(token: Token): never {
    return this.fail(token.pos, `'${token.text}' is a keyword here and cannot name a location, a register or a type`);
  }

  /**
   * A number, `x` (the address of x), `&x` where `ampersand` allows it (after
   * a pointer type, or for an untyped register), or `ATOMIC_INIT(v)` after a
   * type.
   */
  private parseInitValue(type: TypeName | null, ampersand: boolean): ValueLit {
    const token = this.peek();
    if (token.kind === 'ident' && this.is('(', 1)) return this.parseInitCall(type);
    if (token.text === '&') {
      if (!ampersand) this.fail(token.pos, "'&' may only follow a pointer type in the initial state", `write the bare name, which is the address (x=y), or give a pointer type (int *x=&y)`);
      this.next();
    }
    return this.parseValue('an initial value (a number, a location name or &location)');
  }

  private parseInitCall(type: TypeName | null): ValueLit {
    const callee = this.next();
    if (callee.text !== 'ATOMIC_INIT') {
      this.fail(callee.pos, `unsupported initial value '${clip(callee.text)}(...)'`, 'the only macro understood in the initial state is ATOMIC_INIT(n)');
    }
    if (type === null || type.text.endsWith('*') || type.text.startsWith('_Atomic')) {
      this.fail(callee.pos, 'ATOMIC_INIT(...) needs a type before the location', 'write atomic_t v = ATOMIC_INIT(1)');
    }
    this.next();
    const value = this.parseValue('a value in ATOMIC_INIT(...)');
    this.expect(')', 'to close ATOMIC_INIT(');
    return { ...value, pos: callee.pos };
  }

  /** A value: a number, or a bare name that stands for that location's address. */
  private parseValue(what: string): ValueLit {
    const token = this.peek();
    if (token.kind === 'ident') {
      const name = this.expectLitmusName(what);
      return { kind: 'address', location: name.text, pos: name.pos };
    }
    if (token.kind !== 'int') this.fail(token.pos, `expected ${what}, found ${describe(token)}`);
    this.next();
    return { kind: 'int', value: token.value, pos: token.pos };
  }

  // -------------------------------------------------------------------------
  // Threads
  // -------------------------------------------------------------------------

  /**
   * The threads, read in c mode, up to the end of the file or the word that
   * starts the final section (see `startsFinalSection`).
   */
  private parseThreads(): ThreadCode[] {
    const threads: ThreadCode[] = [];
    while (this.startsThread()) {
      this.accept('void');
      this.checkThreadNumber(this.peek(), threads);
      threads.push(this.parseThread());
    }
    const token = this.peek();
    if (token.text === '(' && this.is('*', 1)) {
      this.fail(token.pos, 'a (* *) comment is not allowed among the threads', 'herd7 reads only C comments (/* */ and //) from the initial state to the final section');
    }
    if (threads.length === 0) {
      const reason = token.kind === 'eof' ? 'the test has no threads' : `expected the first thread P0 after the initial state, found ${describe(token)}`;
      this.fail(token.pos, reason, 'threads are written P0(int *x) { ... }');
    }
    if (token.kind !== 'eof' && !this.startsFinalSection()) this.noCondition(token);
    return threads;
  }

  /** `P3` or `void P3` (herd7 allows the C return type). */
  private startsThread(): boolean {
    const k = this.is('void') ? 1 : 0;
    const token = this.peek(k);
    return token.kind === 'ident' && THREAD_NAME.test(token.text);
  }

  /**
   * Is the next token the start of the final section? herd7 looks for one of
   * its words, or for `~` and `exists` with only spaces between them.
   */
  private startsFinalSection(): boolean {
    const token = this.peek();
    if (token.kind === 'ident') return FINAL_SECTION_START.has(token.text);
    if (token.text !== '~' || !this.is('exists', 1)) return false;
    const exists = this.peek(1);
    if (!this.lexer.onlyBlanksBetween({ ...token.pos, offset: token.pos.offset + 1 }, exists.pos)) {
      this.fail(token.pos, "'~' must be followed by 'exists' on the same line to start the final condition");
    }
    return true;
  }

  private checkThreadNumber(token: Token, threads: readonly ThreadCode[]): void {
    const id = Number(token.text.slice(1));
    const expected = threads.length;
    if (id === expected) return;
    if (id < expected) this.fail(token.pos, `thread ${token.text} is defined twice`);
    const order = 'threads must be numbered P0, P1, ... in order';
    if (expected === 0) this.fail(token.pos, `${order}; the first thread is ${clip(token.text)}, not P0`);
    this.fail(token.pos, `${order}; found ${clip(token.text)} after P${expected - 1}`);
  }

  private parseThread(): ThreadCode {
    const nameToken = this.next();
    const name = nameToken.text;
    this.inThread = true;
    this.expect('(', `after the thread name ${name}`, `a thread is written ${name}(int *x, int *y) { ... }`);
    const params = this.parseParams(name);
    const open = this.expect('{', `to start the code of ${name}`);
    this.currentThread = { name, open: open.pos };
    const body = this.parseStatementsUntilBrace(open.pos);
    this.currentThread = null;
    this.inThread = false;
    return { id: Number(name.slice(1)), params, body, pos: nameToken.pos };
  }

  private parseParams(thread: string): Param[] {
    if (this.accept(')')) return [];
    if (this.is('void') && this.is(')', 1)) {
      this.fail(this.peek().pos, `herd7 does not accept '(void)' as the parameters of a thread`, `write ${thread}() for a thread without parameters`);
    }
    const params: Param[] = [];
    for (;;) {
      params.push(this.parseParam(thread));
      if (this.accept(')')) return params;
      this.expect(',', `or ')' after a parameter of ${thread}`);
    }
  }

  /** A parameter: type words and stars, then the name. */
  private parseParam(thread: string): Param {
    const tokens: Token[] = [];
    while (this.peek().kind === 'ident' || this.is('*')) tokens.push(this.next());
    const name = tokens.pop();
    const token = this.peek();
    if (name === undefined) {
      return this.fail(token.pos, `expected a parameter of ${thread} (like 'int *x'), found ${describe(token)}`);
    }
    if (name.kind !== 'ident') {
      const type = normaliseType([...tokens, name]);
      return this.fail(token.pos, `expected the name of the parameter after '${type}', found ${describe(token)}`);
    }
    if (!tokens.some((t) => t.kind === 'ident')) {
      this.fail(name.pos, `parameter '${name.text}' of ${thread} has no type`, `write it with its type, e.g. 'int *${name.text}'`);
    }
    if (!tokens.some((t) => t.text === '*')) {
      this.fail(name.pos, `parameter '${name.text}' of ${thread} must be a pointer`, `the parameters of a thread are the shared locations it uses: write '${normaliseType(tokens)} *${name.text}'`);
    }
    return { type: { text: normaliseType(tokens), pos: tokens[0]!.pos }, name: name.text, pos: name.pos };
  }

  // -------------------------------------------------------------------------
  // Statements
  // -------------------------------------------------------------------------

  /** Statements up to and including the `}` matching the `{` at `open`. */
  private parseStatementsUntilBrace(open: Pos): Stmt[] {
    const body: Stmt[] = [];
    while (!this.accept('}')) {
      if (this.peek().kind === 'eof') this.unclosedBrace(open);
      body.push(...this.parseStatement());
    }
    return body;
  }

  private unclosedBrace(open: Pos): never {
    const owner = this.currentThread === null ? '' : ` in the code of ${this.currentThread.name}`;
    return this.fail(open, `this '{'${owner} is never closed`, "add the missing '}'");
  }

  /** One statement; a declaration of several names gives several `decl`s. */
  private parseStatement(): Stmt[] {
    const token = this.peek();
    if (token.kind === 'punct') {
      if (token.text === '{') return [this.parseBlock()];
      if (token.text === ';') {
        this.next();
        return [{ kind: 'empty', pos: token.pos }];
      }
      if (token.text === '~' && this.is('exists', 1)) this.sectionInCode(token);
    }
    if (token.kind === 'ident') {
      if (token.text === 'if') return [this.parseIf()];
      if (token.text === 'else') this.fail(token.pos, "'else' without a matching 'if'");
      this.refuseStatement(token);
      this.checkNotSection(token);
      if (this.startsDeclaration()) return this.parseDeclaration();
    }
    return [this.parseSimpleStatement()];
  }

  private refuseStatement(token: Token): void {
    const what = REFUSED_STATEMENTS.get(token.text);
    if (what === undefined) return;
    const hint = what === 'loops'
      ? 'unroll the loop by hand into a fixed number of steps'
      : what === 'jumps' ? 'restructure the code with if/else' : 'rewrite it as a chain of if/else';
    this.fail(token.pos, `${what} (\`${token.text}\`) are not supported: the memory model needs straight-line code with if/else`, hint);
  }

  /** `exists`, `locations`, or `P1(` starting a statement means a '}' is missing. */
  private checkNotSection(token: Token): void {
    const startsThread = THREAD_NAME.test(token.text) && this.is('(', 1);
    if ((SECTION_WORDS.has(token.text) && !this.is('=', 1)) || startsThread) {
      this.sectionInCode(token);
    }
  }

  /** herd7 takes the words of SECTION_WORDS for the start of the final section wherever they are. */
  private sectionWordInThread(token: Token): never {
    return this.fail(token.pos, `'${token.text}' cannot be used as a name in a thread`, 'herd7 would take it for the start of the final section; rename it');
  }

  private sectionInCode(token: Token): never {
    const thread = this.currentThread;
    const where = thread === null ? 'thread code' : `the code of ${thread.name}`;
    const hint = thread === null ? null : `the code of ${thread.name} starts at ${at(thread.open)}`;
    return this.fail(token.pos, `found '${token.text}' inside ${where}: a '}' is probably missing`, hint);
  }

  private parseBlock(): Stmt {
    const open = this.next();
    const body = this.nested(open.pos, () => this.parseStatementsUntilBrace(open.pos));
    return { kind: 'block', body, pos: open.pos };
  }

  private parseIf(): Stmt {
    const keyword = this.next();
    return this.nested(keyword.pos, () => {
      this.expect('(', "after 'if'");
      const test = this.parseExpr();
      this.expect(')', "to close the condition of 'if'");
      const then = this.parseBranch(keyword);
      const otherwise = this.accept('else') ? this.parseBranch(keyword) : null;
      return { kind: 'if', test, then, otherwise, pos: keyword.pos };
    });
  }

  /** The statement of an `if` or `else` branch; a declaration there is wrapped in a block. */
  private parseBranch(keyword: Token): Stmt {
    const start = this.peek();
    if (start.kind === 'eof') this.fail(start.pos, `expected a statement after 'if' at ${at(keyword.pos)}, found end of file`);
    const stmts = this.parseStatement();
    return stmts.length === 1 ? stmts[0]! : { kind: 'block', body: stmts, pos: start.pos };
  }

  private startsDeclaration(): boolean {
    return TAG_WORDS.has(this.peek().text) || this.isTypeWord(0);
  }

  /** A type word, or an identifier ending in `_t` that is followed by a name, `*` or `)`. */
  private isTypeWord(k: number): boolean {
    const token = this.peek(k);
    if (token.kind !== 'ident') return false;
    if (TYPE_WORDS.has(token.text)) return true;
    return token.text.endsWith('_t') && (this.peek(k + 1).kind === 'ident' || this.is('*', k + 1) || this.is(')', k + 1));
  }

  /** Type words of a C type: `volatile int`, `struct srcu_struct`, `atomic_t`. */
  private parseTypeWords(): Token[] {
    const tokens: Token[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'ident') break;
      if (TAG_WORDS.has(token.text)) {
        tokens.push(this.next(), this.expectIdent(`a name after '${token.text}'`));
      } else if (this.isTypeWord(0)) {
        tokens.push(this.next());
      } else {
        break;
      }
    }
    return tokens;
  }

  /** `int r0, *r1 = e;` */
  private parseDeclaration(): Stmt[] {
    const base = this.parseTypeWords();
    const decls: Stmt[] = [];
    do {
      const typeTokens = [...base];
      while (this.is('*')) typeTokens.push(this.next());
      const name = this.expectIdent('a name in the declaration');
      if (this.is('[')) this.fail(this.peek().pos, 'arrays are not supported');
      const init = this.accept('=') ? this.parseExpr() : null;
      const type: TypeName = { text: normaliseType(typeTokens), pos: base[0]!.pos };
      decls.push({ kind: 'decl', type, name: name.text, init, pos: name.pos });
    } while (this.accept(','));
    this.expect(';', 'after the declaration');
    return decls;
  }

  /** `e;` or `lhs = e;` */
  private parseSimpleStatement(): Stmt {
    const expr = this.parseExpr();
    const token = this.peek();
    if (COMPOUND_ASSIGN.has(token.text)) {
      this.fail(token.pos, `compound assignment '${token.text}' is not supported`, `write 'r = r ${token.text.slice(0, -1)} e' instead`);
    }
    if (!this.accept('=')) {
      this.expect(';', 'after the statement');
      return { kind: 'expr', expr, pos: expr.pos };
    }
    if (expr.kind !== 'name' && expr.kind !== 'deref') {
      this.fail(expr.pos, "the left side of '=' must be a register (r1) or a dereference (*x)");
    }
    const value = this.parseExpr();
    if (this.is('=')) this.fail(this.peek().pos, 'chained assignments (a = b = c) are not supported');
    this.expect(';', 'after the statement');
    return { kind: 'assign', target: expr, value, pos: expr.pos };
  }

  // -------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------

  private parseExpr(): Expr {
    return this.nested(this.peek().pos, () => this.parseConditional());
  }

  /** `c ? a : b`, right-associative. */
  private parseConditional(): Expr {
    const test = this.parseBinary(1);
    if (!this.accept('?')) return test;
    const then = this.parseExpr();
    this.expect(':', "in the conditional expression '? :'");
    const otherwise = this.nested(this.peek().pos, () => this.parseConditional());
    return { kind: 'conditional', test, then, otherwise, pos: test.pos };
  }

  /** Precedence climbing over BINARY_PRECEDENCE; recursion is bounded by the number of levels. */
  private parseBinary(minPrecedence: number): Expr {
    return this.chain(() => {
      let left = this.parseUnary();
      for (;;) {
        const token = this.peek();
        const precedence = token.kind === 'punct' ? BINARY_PRECEDENCE.get(token.text) : undefined;
        if (precedence === undefined || precedence < minPrecedence) return left;
        this.next();
        this.deepen(token.pos);
        const right = this.parseBinary(precedence + 1);
        left = { kind: 'binary', op: token.text as BinaryOp, left, right, pos: left.pos };
      }
    });
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (token.kind !== 'punct') return this.parsePostfix();
    if (token.text === '++' || token.text === '--') this.incrementNotSupported(token);
    if (token.text === '(' && this.startsCast()) return this.parseCast();
    if (token.text !== '*' && token.text !== '&' && !UNARY_OPS.has(token.text)) return this.parsePostfix();
    this.next();
    const operand = this.nested(token.pos, () => this.parseUnary());
    if (token.text === '*') return { kind: 'deref', address: operand, pos: token.pos };
    if (token.text === '&') return { kind: 'addressOf', target: operand, pos: token.pos };
    return { kind: 'unary', op: token.text as UnaryOp, operand, pos: token.pos };
  }

  private incrementNotSupported(token: Token): never {
    const op = token.text === '++' ? '+' : '-';
    return this.fail(token.pos, `'${token.text}' is not supported`, `write 'r = r ${op} 1' instead`);
  }

  /** `(int *)`, `(struct foo **)`, `(atomic_t *)`, ... */
  private startsCast(): boolean {
    return TAG_WORDS.has(this.peek(1).text) || this.isTypeWord(1);
  }

  /** A cast is read and dropped: the tree has no types in expressions. */
  private parseCast(): Expr {
    const open = this.next();
    this.parseTypeWords();
    while (this.is('*')) this.next();
    this.expect(')', 'to close the cast');
    return this.nested(open.pos, () => this.parseUnary());
  }

  private parsePostfix(): Expr {
    const expr = this.parsePrimary();
    const token = this.peek();
    if (token.text === '++' || token.text === '--') this.incrementNotSupported(token);
    if (token.text === '[') this.fail(token.pos, 'array indexing is not supported');
    if (token.text === '.' || token.text === '->') this.fail(token.pos, `structure members ('${token.text}') are not supported`);
    return expr;
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    if (token.kind === 'int') {
      this.next();
      return { kind: 'int', value: token.value, pos: token.pos };
    }
    if (token.text === 'NULL') {
      // herd7 reads NULL as the number 0.
      this.next();
      return { kind: 'int', value: 0, pos: token.pos };
    }
    if (token.kind === 'ident' && !C_KEYWORDS.has(token.text)) {
      this.next();
      if (this.is('(')) return this.parseCall(token);
      return { kind: 'name', name: token.text, pos: token.pos };
    }
    if (token.text === '(') {
      this.next();
      const inner = this.parseExpr();
      this.expect(')', `to close the '(' at ${at(token.pos)}`);
      return inner;
    }
    return this.fail(token.pos, `expected an expression, found ${describe(token)}`);
  }

  private parseCall(callee: Token): Expr {
    this.next();
    const args: Expr[] = [];
    if (!this.accept(')')) {
      do args.push(this.parseExpr());
      while (this.accept(','));
      this.expect(')', `or ',' in the arguments of ${callee.text}(...)`);
    }
    return { kind: 'call', callee: callee.text, calleePos: callee.pos, args, pos: callee.pos };
  }

  // -------------------------------------------------------------------------
  // Final section: locations, filter, condition
  // -------------------------------------------------------------------------

  /**
   * What follows the threads, each part optional but in this order:
   *
   *     locations [x; 0:r1 int*;]
   *     filter PROP
   *     exists PROP          or ~exists, forall, final, observed ..., (PROP)
   *     ;
   *     with NAME: exists; NAME: ~exists
   *
   * The `with` list names kinds for herd7's other tools; herd7 ignores it
   * when it checks a test, and so do we.
   */
  private parseFinalSection(): { locations: CondTerm[]; filter: Prop | null; condition: Condition } {
    const locations = this.parseLocations();
    const filter = this.parseFilter();
    const start = this.peek();
    const condition = this.parseCondition();
    const semi = this.accept(';');
    this.parseKinds();
    this.expectEnd(condition === null ? semi : null);
    // Without a condition herd7 assumes `forall (true)`, and so do we.
    const always: Condition = { quantifier: 'forall', prop: { kind: 'true', pos: start.pos }, pos: start.pos };
    return { locations, filter, condition: condition ?? always };
  }

  /** `locations [x; 0:r1 int*;]`: locations and registers to show; the type after one is read and dropped. */
  private parseLocations(): CondTerm[] {
    if (!this.accept('locations')) return [];
    this.expect('[', "after 'locations'");
    const terms: CondTerm[] = [];
    if (this.accept(']')) return terms;
    for (;;) {
      terms.push(this.parseObserved());
      this.skipObservedType();
      if (this.accept(']')) return terms;
      if (!this.accept(';')) this.fail(this.peek().pos, `expected ';' or ']' in 'locations', found ${describe(this.peek())}`);
      if (this.accept(']')) return terms;
    }
  }

  /** A `locations` entry: `0:r1`, `P0:r1` or `x` (herd7 takes no `[x]` there). */
  private parseObserved(): CondTerm {
    const token = this.peek();
    if (token.kind === 'int' || this.startsRegister()) return { kind: 'register', ...this.parseRegister() };
    if (token.kind !== 'ident') {
      const hint = token.text === '[' ? "write the location without brackets: locations [x]" : null;
      this.fail(token.pos, `expected a location or a register (like x or 0:r1) in 'locations', found ${describe(token)}`, hint);
    }
    const name = this.expectLitmusName('a location');
    return { kind: 'location', location: name.text, pos: name.pos };
  }

  /** The optional type after a `locations` entry: `int`, `*` or `int*`. */
  private skipObservedType(): void {
    if (this.peek().kind === 'ident') this.expectLitmusName('a type');
    this.accept('*');
  }

  private parseFilter(): Prop | null {
    if (!this.accept('filter')) return null;
    return this.parseProp();
  }

  /** The final condition, or null if there is none. */
  private parseCondition(): Condition | null {
    const token = this.peek();
    if (token.kind === 'eof' || token.text === ';' || token.text === 'with') return null;
    if (token.text === 'locations' || token.text === 'filter') this.misplacedSection(token);
    if (this.accept('observed') || this.accept('Observed')) {
      return { quantifier: 'exists', prop: this.parseObservedProp(), pos: token.pos };
    }
    // After `locations` or `filter`, herd7 also takes `(PROP)` alone, as `exists`.
    if (token.text === '(') return { quantifier: 'exists', prop: this.parsePropPrimary(), pos: token.pos };
    const quantifier = this.parseQuantifier(true);
    if (quantifier === null) this.noCondition(token);
    return { quantifier, prop: this.parseProp(), pos: token.pos };
  }

  /** `exists` (also `final`, if allowed), `forall`, or `~exists` (also `not exists`). */
  private parseQuantifier(allowFinal: boolean): Quantifier | null {
    if (this.accept('exists') || (allowFinal && this.accept('final'))) return 'exists';
    if (this.accept('forall')) return 'forall';
    if ((this.is('~') || this.is('not')) && this.is('exists', 1)) {
      this.next();
      this.next();
      return '~exists';
    }
    return null;
  }

  /**
   * herd7's old `observed` form: groups of comparisons, each followed by `;`,
   * the groups separated by `and`. It means `exists` of the disjunction of
   * the groups, each the conjunction of its comparisons (none is true).
   */
  private parseObservedProp(): Prop {
    return this.chain(() => {
      let prop = this.parseObservedGroup();
      for (let op = this.accept('and'); op !== null; op = this.accept('and')) {
        this.deepen(op.pos);
        prop = { kind: 'or', left: prop, right: this.parseObservedGroup(), pos: prop.pos };
      }
      return prop;
    });
  }

  private parseObservedGroup(): Prop {
    const start = this.peek();
    return this.chain(() => {
      let prop: Prop | null = null;
      while (this.startsAtom()) {
        const atom = this.parseAtom();
        this.expect(';', "after a comparison in 'observed'");
        if (prop !== null) this.deepen(atom.pos);
        prop = prop === null ? atom : { kind: 'and', left: prop, right: atom, pos: prop.pos };
      }
      return prop ?? { kind: 'true', pos: start.pos };
    });
  }

  /** Can the next token start a comparison: a register, `[x]` or a location? */
  private startsAtom(): boolean {
    const token = this.peek();
    return token.kind === 'int' || token.text === '[' || (token.kind === 'ident' && !LITMUS_KEYWORDS.has(token.text));
  }

  /** `with NAME: exists; NAME: ~exists; ...`, read and dropped. */
  private parseKinds(): void {
    if (!this.accept('with')) return;
    do this.parseKind();
    while (this.accept(';') && this.peek().kind === 'ident');
  }

  private parseKind(): void {
    const name = this.expectLitmusName("a name after 'with'");
    this.expect(':', `after '${name.text}' in 'with'`);
    if (this.parseQuantifier(false) === null) {
      this.fail(this.peek().pos, `expected exists, ~exists or forall after '${name.text}:', found ${describe(this.peek())}`);
    }
  }

  private misplacedSection(token: Token): never {
    return this.fail(token.pos, `'${token.text}' is out of place`, "the final section is 'locations [...]', then 'filter ...', then the condition, each at most once");
  }

  private noCondition(token: Token): never {
    const hint = /^exist/i.test(token.text) ? "did you mean 'exists'?"
      : THREAD_NAME.test(token.text) ? "threads must come before 'locations', 'filter' and the condition"
        : null;
    return this.fail(token.pos, `expected a thread or the final condition (exists, ~exists or forall), found ${describe(token)}`, hint);
  }

  /** Nothing but comments may follow; `semiAlone` is a `;` read where no condition was. */
  private expectEnd(semiAlone: Token | null): void {
    const token = this.peek();
    if (token.kind === 'eof') return;
    if (token.text === 'locations' || token.text === 'filter') this.misplacedSection(token);
    if (this.parseQuantifier(true) !== null || token.text === 'observed' || token.text === 'Observed') {
      if (semiAlone !== null) this.fail(semiAlone.pos, "unexpected ';' before the final condition");
      this.fail(token.pos, 'a test has only one final condition');
    }
    this.fail(token.pos, `unexpected ${describe(token)} after the final condition`, "only one ';' and comments may follow the condition");
  }

  // -------------------------------------------------------------------------
  // Propositions: ~ binds tightest, then =>, then /\, then \/ (as in herd7)
  // -------------------------------------------------------------------------

  private parseProp(): Prop {
    return this.nested(this.peek().pos, () => this.parseOr());
  }

  private parseOr(): Prop {
    return this.chain(() => {
      let left = this.parseAnd();
      for (let op = this.accept('\\/'); op !== null; op = this.accept('\\/')) {
        this.deepen(op.pos);
        left = { kind: 'or', left, right: this.parseAnd(), pos: left.pos };
      }
      return left;
    });
  }

  private parseAnd(): Prop {
    return this.chain(() => {
      let left = this.parseImplies();
      for (let op = this.accept('/\\'); op !== null; op = this.accept('/\\')) {
        this.deepen(op.pos);
        left = { kind: 'and', left, right: this.parseImplies(), pos: left.pos };
      }
      return left;
    });
  }

  /** `p => q`, right-associative. In herd7 it binds tighter than /\ and \/: `a /\ b => c` is `a /\ (b => c)`. */
  private parseImplies(): Prop {
    const left = this.parsePropUnary();
    const op = this.accept('=>');
    if (op === null) return left;
    const right = this.nested(op.pos, () => this.parseImplies());
    return { kind: 'implies', left, right, pos: left.pos };
  }

  /** Is the token `k` ahead a comparison of a condition atom? */
  private isComparison(k: number): boolean {
    return ['=', '==', '!=', '<>'].some((op) => this.is(op, k));
  }

  private parsePropUnary(): Prop {
    const token = this.peek();
    if (token.kind === 'ident' && LITMUS_KEYWORDS.has(token.text) && this.isComparison(1)) this.litmusKeyword(token);
    if (this.is('~') || this.is('not')) {
      this.next();
      const operand = this.nested(token.pos, () => this.parsePropUnary());
      return { kind: 'not', operand, pos: token.pos };
    }
    return this.parsePropPrimary();
  }

  private parsePropPrimary(): Prop {
    const token = this.peek();
    if (this.accept('(')) {
      const inner = this.parseProp();
      this.expect(')', `to close the '(' at ${at(token.pos)}`);
      return inner;
    }
    if (this.accept('true') || this.accept('false')) {
      return { kind: token.text as 'true' | 'false', pos: token.pos };
    }
    return this.parseAtom();
  }

  /** `a = b` (also `==`) or `a != b` (also `<>`), with herd7's rules for each side. */
  private parseAtom(): Prop {
    const bracketed = this.is('[');
    const left = this.parseLeftTerm();
    const opToken = this.peek();
    if (!this.isComparison(0)) {
      this.fail(opToken.pos, `expected '=' or '!=' in the condition, found ${describe(opToken)}`);
    }
    this.next();
    const negated = opToken.text === '!=' || opToken.text === '<>';
    const right = negated ? this.parseComparedValue(opToken) : this.parseRightTerm(bracketed);
    return { kind: 'atom', op: negated ? '!=' : '=', left, right, pos: left.pos };
  }

  /** The left of a comparison: `0:r1`, or `x` or `[x]` (the final contents of x). */
  private parseLeftTerm(): CondTerm {
    const token = this.peek();
    if (this.startsRegister()) return { kind: 'register', ...this.parseRegister() };
    if (token.kind === 'ident' || token.text === '[') {
      const name = this.parseLocationName('in the condition');
      return { kind: 'location', location: name.text, pos: token.pos };
    }
    if (token.kind === 'int' || token.text === '*') {
      this.fail(token.pos, `the left side of '=' in the condition must be a register (0:r1) or a location (x), found ${describe(token)}`);
    }
    return this.noTerm(token);
  }

  /**
   * The right of `=`: a number; a bare name, which is the address of that
   * location; a register; or `[y]` or `*y`, the final contents of y (`*0:r1`
   * is 0:r1). After `[x]=`, herd7 takes no `*`.
   */
  private parseRightTerm(bracketed: boolean): CondTerm {
    const token = this.peek();
    if (this.startsRegister()) return { kind: 'register', ...this.parseRegister() };
    if (token.text === '[') {
      const name = this.parseLocationName('in the condition');
      return { kind: 'location', location: name.text, pos: token.pos };
    }
    if (token.text === '*') {
      if (bracketed) this.fail(token.pos, "'*' may not follow '=' after a location in brackets", 'write [x]=[y]');
      this.next();
      if (this.startsRegister()) return { kind: 'register', ...this.parseRegister() };
      const name = this.expectLitmusName("a location after '*'");
      return { kind: 'location', location: name.text, pos: token.pos };
    }
    if (token.kind === 'ident' || token.kind === 'int') return this.valueTerm();
    return this.noTerm(token);
  }

  /** The right of `!=`: herd7 takes only a value there, a number or a location's address. */
  private parseComparedValue(op: Token): CondTerm {
    const token = this.peek();
    if ((token.kind === 'ident' || token.kind === 'int') && !this.startsRegister()) return this.valueTerm();
    if (token.text === '[' || token.text === '*' || this.startsRegister()) {
      const found = this.startsRegister() ? `'${token.text}:${this.peek(2).text}'` : describe(token);
      this.fail(token.pos, `expected a value (a number or a location name) after '${op.text}', found ${found}`, `herd7 compares only with a value there; write ~(a=b) to compare two registers or locations`);
    }
    return this.noTerm(token);
  }

  private valueTerm(): CondTerm {
    const value = this.parseValue('a value');
    return { kind: 'value', value, pos: value.pos };
  }

  private noTerm(token: Token): never {
    return this.fail(token.pos, `expected a register (like 0:r1), a location or a value in the condition, found ${describe(token)}`);
  }
}
