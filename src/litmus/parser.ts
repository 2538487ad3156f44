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
 *     exists PROP                 final section
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
import { Lexer, clip, type Token } from './lexer.js';

/** The deepest nesting of expressions, statements or propositions accepted. */
export const MAX_DEPTH = 500;

/** Parses a C litmus test. Throws `LitmusError` (and nothing else) on malformed input. */
export function parseLitmus(text: string, file = '<input>'): LitmusTest {
  const parser = new Parser(text, file);
  try {
    return parser.parseTest();
  } catch (error) {
    if (error instanceof LitmusError) throw error;
    throw parser.internalError(error);
  }
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

/** Words of the final section, which cannot start a C statement. */
const SECTION_WORDS: ReadonlySet<string> = new Set(['exists', 'forall', 'locations', 'filter']);

const THREAD_NAME = /^P(0|[1-9][0-9]*)$/;

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

  constructor(text: string, private readonly file: string) {
    this.lexer = new Lexer(text, file);
  }

  parseTest(): LitmusTest {
    const name = this.parseNameLine();
    const header = this.parseHeader();
    const init = this.parseInit();
    const threads = this.parseThreads();
    const locations = this.parseLocations();
    const filter = this.parseFilter();
    const condition = this.parseCondition();
    this.expectEnd();
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
    return this.lexer.next();
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

  private parseNameLine(): string {
    this.lexer.skipSpaces();
    const word = this.lexer.readWord();
    if (word.text === '') this.fail(word.pos, "the file is empty: a C litmus test starts with 'C NAME'");
    if (word.text !== 'C') this.badFirstWord(word.text, word.pos);
    this.lexer.skipBlanks();
    const name = this.lexer.readWord();
    if (name.text === '') this.fail(name.pos, "expected the test name after 'C'", "the first line is 'C NAME', e.g. 'C MP+pooncerelease+poacquireonce'");
    return name.text;
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
    if (/^P[0-9]+\s*\(/.test(line.text)) {
      this.missingInit(line.pos, "the initial state '{ ... }' is missing before the threads");
    }
  }

  private missingInit(pos: Pos, reason: string): never {
    return this.fail(pos, reason, "write '{}' if every location starts at 0");
  }

  // -------------------------------------------------------------------------
  // Initial state
  // -------------------------------------------------------------------------

  private parseInit(): InitEntry[] {
    this.expect('{', 'to start the initial state');
    const entries: InitEntry[] = [];
    while (!this.accept('}')) {
      if (this.accept(';')) continue;
      if (this.peek().kind === 'eof') {
        this.fail(this.peek().pos, "the initial state is not closed: expected '}' before the end of file");
      }
      entries.push(this.parseInitEntry());
      if (!this.is(';') && !this.is('}')) {
        this.fail(this.peek().pos, `expected ';' or '}' after an entry of the initial state, found ${describe(this.peek())}`);
      }
    }
    return entries;
  }

  private parseInitEntry(): InitEntry {
    const type = this.parseInitType();
    const start = this.peek();
    if (start.kind === 'int') {
      const { thread, register, pos } = this.parseRegister();
      // A register declared without a value (`int 0:r1;`) starts at 0, as in herd7.
      const value: ValueLit = this.accept('=') ? this.parseInitValue() : { kind: 'int', value: 0, pos };
      return { kind: 'register', type, thread, register, value, pos };
    }
    const location = this.parseLocationName('in the initial state');
    const value = this.accept('=') ? this.parseInitValue() : null;
    return { kind: 'location', type, location: location.text, value, pos: location.pos };
  }

  /** The optional type before an initial-state entry: every word followed by another word, `*` or a number. */
  private parseInitType(): TypeName | null {
    const tokens: Token[] = [];
    for (;;) {
      const token = this.peek();
      const following = this.peek(1);
      const typeWord = token.kind === 'ident'
        && (following.kind === 'ident' || following.kind === 'int' || following.text === '*');
      if (typeWord || (token.text === '*' && tokens.length > 0)) tokens.push(this.next());
      else break;
    }
    return tokens.length === 0 ? null : { text: normaliseType(tokens), pos: tokens[0]!.pos };
  }

  /** `x` or `[x]`. */
  private parseLocationName(context: string): Token {
    if (this.accept('[')) {
      const name = this.expectIdent(`a location name after '['`);
      this.expect(']', `after the location name '${name.text}'`);
      return name;
    }
    const token = this.peek();
    if (token.kind === 'ident') return this.next();
    return this.fail(token.pos, `expected a location or a register (like x or 0:r1) ${context}, found ${describe(token)}`);
  }

  /** `0:r1`, at an int token. */
  private parseRegister(): { thread: number; register: string; pos: Pos } {
    const thread = this.next();
    this.expect(':', `after the thread number ${thread.text}`, "a register is written THREAD:NAME, like 0:r1");
    const register = this.expectIdent(`a register name after '${thread.text}:'`);
    return { thread: thread.value, register: register.text, pos: thread.pos };
  }

  /** A number, `-n`, `&x`, `x` (the address of x) or `ATOMIC_INIT(n)`. */
  private parseInitValue(): ValueLit {
    const token = this.peek();
    if (token.kind === 'ident' && this.is('(', 1)) return this.parseInitCall();
    if (token.kind === 'ident') {
      this.next();
      return { kind: 'address', location: token.text, pos: token.pos };
    }
    if (this.accept('&')) {
      const name = this.expectIdent("a location name after '&'");
      return { kind: 'address', location: name.text, pos: token.pos };
    }
    return this.parseIntValue('an initial value (a number, a location name or &location)');
  }

  private parseInitCall(): ValueLit {
    const callee = this.next();
    if (callee.text !== 'ATOMIC_INIT') {
      this.fail(callee.pos, `unsupported initial value '${clip(callee.text)}(...)'`, 'the only macro understood in the initial state is ATOMIC_INIT(n)');
    }
    this.next();
    const value = this.parseIntValue('a number in ATOMIC_INIT(...)');
    this.expect(')', 'to close ATOMIC_INIT(');
    return { ...value, pos: callee.pos };
  }

  /** An integer, possibly negative. */
  private parseIntValue(what: string): ValueLit {
    const start = this.peek();
    const minus = this.accept('-') !== null;
    const token = this.peek();
    if (token.kind !== 'int') this.fail(token.pos, `expected ${what}, found ${describe(token)}`);
    this.next();
    return { kind: 'int', value: minus ? -token.value : token.value, pos: start.pos };
  }

  // -------------------------------------------------------------------------
  // Threads
  // -------------------------------------------------------------------------

  private parseThreads(): ThreadCode[] {
    const threads: ThreadCode[] = [];
    while (this.peek().kind === 'ident' && THREAD_NAME.test(this.peek().text)) {
      this.checkThreadNumber(this.peek(), threads);
      threads.push(this.parseThread());
    }
    if (threads.length === 0) {
      const token = this.peek();
      const reason = token.kind === 'eof' ? 'the test has no threads' : `expected the first thread P0 after the initial state, found ${describe(token)}`;
      this.fail(token.pos, reason, 'threads are written P0(int *x) { ... }');
    }
    return threads;
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
    this.lexer.setMode('c');
    this.expect('(', `after the thread name ${name}`, `a thread is written ${name}(int *x, int *y) { ... }`);
    const params = this.parseParams(name);
    const open = this.expect('{', `to start the code of ${name}`);
    this.currentThread = { name, open: open.pos };
    const body = this.parseStatementsUntilBrace(open.pos);
    this.currentThread = null;
    this.lexer.setMode('litmus');
    return { id: Number(name.slice(1)), params, body, pos: nameToken.pos };
  }

  private parseParams(thread: string): Param[] {
    if (this.accept(')')) return [];
    if (this.is('void') && this.is(')', 1)) {
      this.next();
      this.next();
      return [];
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

  /** `exists`, `locations`, or `P1(` inside thread code means a '}' is missing. */
  private checkNotSection(token: Token): void {
    const startsThread = THREAD_NAME.test(token.text) && this.is('(', 1);
    if ((SECTION_WORDS.has(token.text) && (this.is('(', 1) || this.is('[', 1))) || startsThread) {
      this.sectionInCode(token);
    }
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

  private parseLocations(): CondTerm[] {
    if (!this.accept('locations')) return [];
    this.expect('[', "after 'locations'");
    const terms: CondTerm[] = [];
    while (!this.accept(']')) {
      if (this.accept(';')) continue;
      terms.push(this.parseObserved());
      if (!this.is(';') && !this.is(']')) {
        this.fail(this.peek().pos, `expected ';' or ']' in 'locations', found ${describe(this.peek())}`);
      }
    }
    return terms;
  }

  /** A `locations` entry: `0:r1`, `x` or `[x]`. */
  private parseObserved(): CondTerm {
    if (this.peek().kind === 'int') return { kind: 'register', ...this.parseRegister() };
    const name = this.parseLocationName("in 'locations'");
    return { kind: 'location', location: name.text, pos: name.pos };
  }

  private parseFilter(): Prop | null {
    if (!this.accept('filter')) return null;
    return this.parseProp();
  }

  /** The final condition; at end of file herd7 assumes `forall (true)`, and so do we. */
  private parseCondition(): Condition {
    const token = this.peek();
    if (token.kind === 'eof') {
      return { quantifier: 'forall', prop: { kind: 'true', pos: token.pos }, pos: token.pos };
    }
    const quantifier = this.parseQuantifier();
    if (quantifier === null) this.noCondition(token);
    return { quantifier, prop: this.parseProp(), pos: token.pos };
  }

  private parseQuantifier(): Quantifier | null {
    if (this.accept('exists')) return 'exists';
    if (this.accept('forall')) return 'forall';
    if (this.is('~') && this.is('exists', 1)) {
      this.next();
      this.next();
      return '~exists';
    }
    return null;
  }

  private noCondition(token: Token): never {
    const hint = /^exist/i.test(token.text) ? "did you mean 'exists'?"
      : THREAD_NAME.test(token.text) ? "threads must come before 'locations', 'filter' and the condition"
        : null;
    return this.fail(token.pos, `expected a thread or the final condition (exists, ~exists or forall), found ${describe(token)}`, hint);
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'eof') return;
    if (this.parseQuantifier() !== null) this.fail(token.pos, 'a test has only one final condition');
    this.fail(token.pos, `unexpected ${describe(token)} after the final condition`, 'only comments may follow the condition');
  }

  // -------------------------------------------------------------------------
  // Propositions: ~ binds tightest, then /\, then \/, then => (right-assoc)
  // -------------------------------------------------------------------------

  private parseProp(): Prop {
    return this.nested(this.peek().pos, () => this.parseImplies());
  }

  private parseImplies(): Prop {
    const left = this.parseOr();
    if (!this.accept('=>')) return left;
    const right = this.parseProp();
    return { kind: 'implies', left, right, pos: left.pos };
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
      let left = this.parsePropUnary();
      for (let op = this.accept('/\\'); op !== null; op = this.accept('/\\')) {
        this.deepen(op.pos);
        left = { kind: 'and', left, right: this.parsePropUnary(), pos: left.pos };
      }
      return left;
    });
  }

  /** Is the token `k` ahead a comparison of a condition atom? */
  private isComparison(k: number): boolean {
    return ['=', '==', '!=', '<>'].some((op) => this.is(op, k));
  }

  /** A keyword of propositions (`not`, `true`, `false`) unless used as a location name in an atom. */
  private isPropKeyword(word: string): boolean {
    return this.peek().kind === 'ident' && this.peek().text === word && !this.isComparison(1);
  }

  private parsePropUnary(): Prop {
    const token = this.peek();
    if (this.is('~') || this.isPropKeyword('not')) {
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
    if (this.isPropKeyword('true') || this.isPropKeyword('false')) {
      this.next();
      return { kind: token.text as 'true' | 'false', pos: token.pos };
    }
    return this.parseAtom();
  }

  private parseAtom(): Prop {
    const left = this.parseTerm('left');
    const opToken = this.peek();
    if (!this.isComparison(0)) {
      this.fail(opToken.pos, `expected '=' or '!=' in the condition, found ${describe(opToken)}`);
    }
    this.next();
    const op = opToken.text === '=' || opToken.text === '==' ? '=' : '!=';
    const right = this.parseTerm('right');
    return { kind: 'atom', op, left, right, pos: left.pos };
  }

  /**
   * An operand of an atom. `0:r1` and `[x]` mean the same on both sides; a
   * bare name is a location's contents on the left and its address on the
   * right; a number may only be on the right.
   */
  private parseTerm(side: 'left' | 'right'): CondTerm {
    const token = this.peek();
    if (token.kind === 'int' && this.is(':', 1)) return { kind: 'register', ...this.parseRegister() };
    if (token.text === '[') {
      const name = this.parseLocationName('in the condition');
      return { kind: 'location', location: name.text, pos: token.pos };
    }
    if (token.kind === 'ident') {
      this.next();
      if (side === 'left') return { kind: 'location', location: token.text, pos: token.pos };
      return { kind: 'value', value: { kind: 'address', location: token.text, pos: token.pos }, pos: token.pos };
    }
    if (side === 'left' && (token.kind === 'int' || token.text === '-')) {
      this.fail(token.pos, `the left side of '=' in the condition must be a register (0:r1) or a location (x), found ${describe(token)}`);
    }
    if (token.kind === 'int' || token.text === '-') {
      const value = this.parseIntValue('a number');
      return { kind: 'value', value, pos: value.pos };
    }
    return this.fail(token.pos, `expected a register (like 0:r1), a location or a value in the condition, found ${describe(token)}`);
  }
}
