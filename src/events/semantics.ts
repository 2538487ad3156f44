/**
 * Thread semantics: from a thread's code to the runs it can make.
 *
 * A run is one control path through the code. Reads return symbolic values
 * (see `terms.ts`); a branch whose condition depends on them is taken both
 * ways, each run recording the condition it assumed as a constraint. An
 * access through a pointer read from memory is likewise split by the
 * location it may name. The executions stage later fixes each read's source
 * write, evaluates the terms, and keeps the runs whose constraints hold.
 *
 * Along the way the interpreter records the dependencies the model needs:
 * `addr` (a read's value reaches an address), `data` (it reaches a stored
 * value) and `ctrl` (it reaches a branch condition; every later event of the
 * thread then depends on it, as in herd7).
 */

import type { Expr, LitmusTest, Pos, Stmt, ThreadCode } from '../litmus/ast.js';
import { LitmusError } from '../litmus/errors.js';
import { lookupPrimitive, nearestPrimitive, type Ordering, type Primitive } from '../litmus/primitives.js';
import { binary, constant, isConst, readTerm, truthy, unary, type BinaryOperator, type Term } from './terms.js';
import { address, isAddress, showValue, type EventKind, type Origin, type Tag, type ThreadEvent } from './types.js';

/** One way a thread can run. Indices in the pair lists refer to `events`. */
export interface ThreadRun {
  readonly thread: number;
  readonly events: readonly ThreadEvent[];
  readonly addr: ReadonlyArray<readonly [number, number]>;
  readonly data: ReadonlyArray<readonly [number, number]>;
  readonly ctrl: ReadonlyArray<readonly [number, number]>;
  /** Read and write halves of successful RMW primitives (not locks: the model pairs those). */
  readonly rmw: ReadonlyArray<readonly [number, number]>;
  /** Register values at the end of the run. */
  readonly registers: ReadonlyMap<string, Term>;
  /** What the run assumed: each term must be truthy (`holds`) or falsy. */
  readonly constraints: ReadonlyArray<Constraint>;
  /**
   * Every computation the run made on values it read (each operation whose
   * operands were not all known), in order. herd7 keeps an equation for
   * each; an execution in which one of them stays unsolved (its inputs come
   * out of thin air) is not an execution herd7 counts.
   */
  readonly computed: readonly Term[];
  /**
   * Set when the run stops at an access through a pointer that holds an
   * integer (its last constraint says so): where, and the address term.
   */
  readonly fault: { readonly pos: Pos; readonly address: Term } | null;
}

export interface Constraint {
  readonly term: Term;
  readonly holds: boolean;
  /**
   * Set when the run assumed that a read returned a given value (a
   * successful cmpxchg() read the expected value, a failed
   * atomic_add_unless() the excluded one): herd7 states this as an
   * equation giving the read its value, which can solve a value that
   * would otherwise come out of thin air.
   */
  readonly assigns?: { readonly read: number; readonly value: Term };
}

/** What the interpreter needs to know about the test as a whole. */
export interface ThreadContext {
  readonly test: LitmusTest;
  /** Every shared location of the test, sorted. */
  readonly locations: readonly string[];
  /** The primitives calls may name (default: barrier-lab's table; a model's macro file may add to it). */
  readonly primitives?: ReadonlyMap<string, Primitive>;
}

/** The primitive a call names, from the context's table (or barrier-lab's). */
function primitiveIn(ctx: ThreadContext, name: string): Primitive | undefined {
  return ctx.primitives ? ctx.primitives.get(name) : lookupPrimitive(name);
}

/** A value (as a term) with the set of this run's reads it was computed from. */
interface Tainted {
  readonly term: Term;
  readonly deps: ReadonlySet<number>;
}

const ZERO: Term = constant(0);

const NO_DEPS: ReadonlySet<number> = new Set();

/**
 * Thrown when a run dereferences a value read from memory that turns out
 * to be an integer, not an address: the run stops there. herd7 refuses a
 * test in which an allowed execution does this ("Non symbolic address"),
 * and so does the check (see `ThreadRun.fault`).
 */
class Fault extends Error {
  constructor(readonly pos: Pos, readonly address: Term) {
    super('dereference of an integer');
  }
}

/**
 * Chooses among alternatives. Runs are enumerated by replaying the
 * interpreter with a growing prefix of choices (see `threadRuns`).
 */
class Chooser {
  private readonly prefix: number[];
  private position = 0;
  readonly widths: number[] = [];

  constructor(prefix: number[]) {
    this.prefix = prefix;
  }

  choose(width: number): number {
    const choice = this.position < this.prefix.length ? this.prefix[this.position]! : 0;
    this.widths[this.position] = width;
    this.position++;
    return choice;
  }

  get made(): number[] {
    return this.prefix.slice(0, this.position).concat(new Array(Math.max(0, this.position - this.prefix.length)).fill(0));
  }
}

/** Every run of one thread: one per control path (and per location a computed pointer may name). */
export function threadRuns(code: ThreadCode, ctx: ThreadContext, maxRuns = Infinity): ThreadRun[] {
  checkThread(code, ctx);
  const runs: ThreadRun[] = [];
  let prefix: number[] = [];
  for (;;) {
    const chooser = new Chooser(prefix);
    const interpreter = new Interpreter(code, ctx, chooser);
    runs.push(interpreter.run());
    if (runs.length > maxRuns) {
      throw new LitmusError(ctx.test.file, code.pos, `P${code.id} has more than ${maxRuns} control paths`, 'the test is too large to check exhaustively');
    }
    // Next prefix: bump the last choice that has alternatives left.
    const choices = chooser.made;
    let k = choices.length - 1;
    while (k >= 0 && choices[k]! + 1 >= chooser.widths[k]!) k--;
    if (k < 0) break;
    prefix = choices.slice(0, k);
    prefix.push(choices[k]! + 1);
  }
  return runs;
}

/** Static checks that do not depend on values: every call names a known primitive with the right arity. */
function checkThread(code: ThreadCode, ctx: ThreadContext): void {
  const file = ctx.test.file;
  const visitExpr = (e: Expr): void => {
    switch (e.kind) {
      case 'call': {
        const p = primitiveIn(ctx, e.callee);
        if (!p) {
          const near = nearestPrimitive(e.callee);
          throw new LitmusError(file, e.calleePos, `unknown primitive '${e.callee}'`, near ? `did you mean '${near}'?` : 'see `barrier-lab primitives` for the supported list');
        }
        if (e.args.length !== p.arity) {
          throw new LitmusError(file, e.calleePos, `'${e.callee}' takes ${p.arity} argument${p.arity === 1 ? '' : 's'}, found ${e.args.length}`);
        }
        e.args.forEach(visitExpr);
        return;
      }
      case 'deref': return visitExpr(e.address);
      case 'addressOf': return visitExpr(e.target);
      case 'unary': return visitExpr(e.operand);
      case 'binary': visitExpr(e.left); return visitExpr(e.right);
      case 'conditional': visitExpr(e.test); visitExpr(e.then); return visitExpr(e.otherwise);
      case 'int': case 'name': return;
    }
  };
  const visitStmt = (s: Stmt): void => {
    switch (s.kind) {
      case 'decl': if (s.init) visitExpr(s.init); return;
      case 'assign': visitExpr(s.target); return visitExpr(s.value);
      case 'expr': return visitExpr(s.expr);
      case 'if': visitExpr(s.test); visitStmt(s.then); if (s.otherwise) visitStmt(s.otherwise); return;
      case 'block': s.body.forEach(visitStmt); return;
      case 'empty': return;
    }
  };
  code.body.forEach(visitStmt);
}

class Interpreter {
  private readonly events: ThreadEvent[] = [];
  private readonly addr: Array<[number, number]> = [];
  private readonly data: Array<[number, number]> = [];
  private readonly ctrl: Array<[number, number]> = [];
  private readonly rmw: Array<[number, number]> = [];
  private readonly constraints: Constraint[] = [];
  private readonly computed: Term[] = [];
  private readonly computedSet = new Set<Term>();
  private readonly registers = new Map<string, Tainted>();
  /**
   * Reads that the conditions of the enclosing branches depend on. As in
   * herd7, a control dependency reaches the events inside the branch, not
   * those after the `if` statement.
   */
  private ctrlDeps: ReadonlySet<number> = NO_DEPS;
  private readonly file: string;
  private readonly locationSet: ReadonlySet<string>;

  constructor(
    private readonly code: ThreadCode,
    private readonly ctx: ThreadContext,
    private readonly chooser: Chooser,
  ) {
    this.file = ctx.test.file;
    this.locationSet = new Set(ctx.locations);
    for (const entry of ctx.test.init) {
      if (entry.kind === 'register' && entry.thread === code.id) {
        const v = entry.value.kind === 'int' ? entry.value.value : address(entry.value.location);
        this.registers.set(entry.register, { term: constant(v), deps: NO_DEPS });
      }
    }
  }

  run(): ThreadRun {
    let fault: Fault | null = null;
    try {
      for (const s of this.code.body) this.exec(s);
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      fault = e;
    }
    const registers = new Map<string, Term>();
    for (const [name, t] of this.registers) registers.set(name, t.term);
    return { thread: this.code.id, events: this.events, addr: this.addr, data: this.data, ctrl: this.ctrl, rmw: this.rmw, registers, constraints: this.constraints, computed: this.computed, fault: fault && { pos: fault.pos, address: fault.address } };
  }

  // -- statements ----------------------------------------------------------

  private exec(s: Stmt): void {
    switch (s.kind) {
      case 'decl':
        // A declared register is in scope in its own initialiser (as in C); like
        // herd7, a register nothing has set yet holds the initial state's value, or 0.
        if (!this.registers.has(s.name)) this.registers.set(s.name, { term: ZERO, deps: NO_DEPS });
        if (s.init) this.registers.set(s.name, this.eval(s.init));
        return;
      case 'assign':
        if (s.target.kind === 'name') {
          this.registers.set(s.target.name, this.eval(s.value));
        } else if (s.target.kind === 'deref') {
          const where = this.eval(s.target.address);
          const location = this.locationOf(where, s.target.pos);
          const what = this.eval(s.value);
          this.emit('W', location, what.term, [], this.origin('plain write', s.target.pos), where.deps, what.deps);
        } else {
          throw new LitmusError(this.file, s.target.pos, 'the left of `=` must be a register or `*pointer`');
        }
        return;
      case 'expr':
        this.eval(s.expr);
        return;
      case 'if': {
        const test = this.eval(s.test);
        const branch = this.decide(test.term) ? s.then : s.otherwise;
        if (branch) this.underControl(test.deps, () => this.exec(branch));
        return;
      }
      case 'block':
        for (const b of s.body) this.exec(b);
        return;
      case 'empty':
        return;
    }
  }

  /** Runs `body` with the events it makes control-dependent on `deps`. */
  private underControl<T>(deps: ReadonlySet<number>, body: () => T): T {
    const saved = this.ctrlDeps;
    this.ctrlDeps = union(saved, deps);
    try {
      return body();
    } finally {
      this.ctrlDeps = saved;
    }
  }

  /**
   * Whether a condition holds; when it depends on reads, both answers are
   * explored, each as a constraint. `assigns` names the read (and the value)
   * that the answer `equal` pins down, for an RMW's comparison.
   */
  private decide(t: Term, assigns?: { read: number; value: Term; when: boolean }): boolean {
    if (isConst(t)) return truthy(t.value);
    const holds = this.chooser.choose(2) === 0;
    if (assigns && assigns.when === holds) this.constraints.push({ term: t, holds, assigns: { read: assigns.read, value: assigns.value } });
    else this.constraints.push({ term: t, holds });
    return holds;
  }

  // -- expressions ---------------------------------------------------------

  private eval(e: Expr): Tainted {
    switch (e.kind) {
      case 'int':
        return { term: constant(e.value), deps: NO_DEPS };
      case 'name': {
        const reg = this.registers.get(e.name);
        if (reg) return reg;
        if (this.locationSet.has(e.name)) return { term: constant(address(e.name)), deps: NO_DEPS };
        throw new LitmusError(this.file, e.pos, `'${e.name}' is neither a register of P${this.code.id} nor a shared location`, `declare it (\`int ${e.name};\`) or pass it as a parameter`);
      }
      case 'deref': {
        const where = this.eval(e.address);
        const location = this.locationOf(where, e.pos);
        return this.read(location, [], this.origin('plain read', e.pos), where.deps);
      }
      case 'addressOf': {
        if (e.target.kind === 'name' && this.locationSet.has(e.target.name)) return { term: constant(address(e.target.name)), deps: NO_DEPS };
        if (e.target.kind === 'deref') return this.eval(e.target.address);
        throw new LitmusError(this.file, e.pos, '`&` applies to a shared location or `*pointer`');
      }
      case 'unary': {
        const v = this.eval(e.operand);
        return { term: this.made(unary(e.op === '!' ? 'not' : e.op === '-' ? 'neg' : 'complement', v.term), e.pos), deps: v.deps };
      }
      case 'binary':
        return this.binary(e);
      case 'conditional': {
        const test = this.eval(e.test);
        const chosen = this.underControl(test.deps, () => (this.decide(test.term) ? this.eval(e.then) : this.eval(e.otherwise)));
        return { term: chosen.term, deps: union(test.deps, chosen.deps) };
      }
      case 'call':
        return this.call(e);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Tainted {
    if (e.op === '&&' || e.op === '||') {
      // C evaluates the right operand only when needed: that is a branch.
      const left = this.eval(e.left);
      const leftTrue = this.decide(left.term);
      if (e.op === '&&' ? !leftTrue : leftTrue) return { term: constant(e.op === '||' ? 1 : 0), deps: left.deps };
      const right = this.underControl(left.deps, () => this.eval(e.right));
      return { term: this.made(binary('!=', right.term, ZERO), e.pos), deps: union(left.deps, right.deps) };
    }
    const left = this.eval(e.left);
    const right = this.eval(e.right);
    return { term: this.made(binary(e.op as BinaryOperator, left.term, right.term), e.pos), deps: union(left.deps, right.deps) };
  }

  /** A term just built (a new computation is recorded), or the located error of an impossible operation on known values. */
  private made(t: Term | { error: string }, pos: Pos): Term {
    if ('error' in t) throw new LitmusError(this.file, pos, t.error);
    if (t.kind !== 'const' && t.kind !== 'read' && !this.computedSet.has(t)) {
      this.computedSet.add(t);
      this.computed.push(t);
    }
    return t;
  }

  // -- memory --------------------------------------------------------------

  /**
   * The location an address names. A computed address that depends on reads
   * is split into one run per location, each assuming the address equals it.
   */
  private locationOf(where: Tainted, pos: Pos): string {
    const t = where.term;
    if (isConst(t)) {
      if (!isAddress(t.value)) {
        throw new LitmusError(this.file, pos, `P${this.code.id} dereferences ${showValue(t.value)}, which is not the address of a location`, 'a pointer register used before it is given an address holds 0');
      }
      if (!this.locationSet.has(t.value.address)) {
        throw new LitmusError(this.file, pos, `the address ${t.value.address} is past the location it starts from`, 'pointer arithmetic that leaves a location is not modelled');
      }
      return t.value.address;
    }
    const locations = this.ctx.locations;
    if (locations.length === 0) throw new LitmusError(this.file, pos, 'a pointer is dereferenced but the test has no shared locations');
    // An address computed from a location's (x + (r & 0)) is an address whatever r holds; one read from memory may be an integer.
    const mayBeInteger = !startsFromLocation(t);
    const k = this.chooser.choose(locations.length + (mayBeInteger ? 1 : 0));
    if (k === locations.length) {
      this.constraints.push({ term: this.made(unary('integer', t), pos), holds: true });
      throw new Fault(pos, t);
    }
    const location = locations[k]!;
    this.constraints.push({ term: this.made(binary('==', t, constant(address(location))), pos), holds: true });
    return location;
  }

  private origin(primitive: string, pos: Pos): Origin {
    return { primitive, line: pos.line, col: pos.col };
  }

  private emit(kind: EventKind, location: string | null, value: Term | null, tags: Tag[], origin: Origin, addrDeps: ReadonlySet<number>, dataDeps: ReadonlySet<number>): number {
    const index = this.events.length;
    this.events.push({ kind, location, value, tags: new Set(tags), origin });
    for (const d of addrDeps) this.addr.push([d, index]);
    for (const d of dataDeps) this.data.push([d, index]);
    for (const d of this.ctrlDeps) this.ctrl.push([d, index]);
    return index;
  }

  /** A read: its value is the term naming it. */
  private read(location: string, tags: Tag[], origin: Origin, addrDeps: ReadonlySet<number>): Tainted {
    const index = this.events.length;
    this.emit('R', location, readTerm(index), tags, origin, addrDeps, NO_DEPS);
    return { term: readTerm(index), deps: new Set([index]) };
  }

  // -- primitives ----------------------------------------------------------

  /** The address a primitive's location argument denotes. */
  private target(p: Primitive, arg: Expr, argument: 'lvalue' | 'pointer'): Tainted {
    if (argument === 'lvalue') {
      if (arg.kind !== 'deref') {
        throw new LitmusError(this.file, arg.pos, `${p.name}() takes an lvalue such as '*x'`, arg.kind === 'name' ? `write ${p.name}(*${arg.name}${p.arity > 1 ? ', ...' : ''})` : null);
      }
      return this.eval(arg.address);
    }
    return this.eval(arg);
  }

  private call(e: Extract<Expr, { kind: 'call' }>): Tainted {
    const p = primitiveIn(this.ctx, e.callee)!;
    const shape = p.shape;
    const origin = this.origin(p.name, e.calleePos);
    const args = e.args;
    const none: Tainted = { term: ZERO, deps: NO_DEPS };
    switch (shape.kind) {
      case 'load': {
        const where = this.target(p, args[0]!, shape.argument);
        const location = this.locationOf(where, args[0]!.pos);
        return this.read(location, shape.srcu ? ['srcu-lock'] : [shape.ordering], origin, where.deps);
      }
      case 'store': {
        const where = this.target(p, args[0]!, shape.argument);
        const location = this.locationOf(where, args[0]!.pos);
        const what = this.eval(args[1]!);
        this.emit('W', location, what.term, shape.srcu ? ['srcu-unlock'] : [shape.ordering], origin, where.deps, what.deps);
        if (shape.thenMb) this.emit('F', null, null, ['mb'], origin, NO_DEPS, NO_DEPS);
        return none;
      }
      case 'fence':
        this.emit('F', null, null, [shape.tag], origin, NO_DEPS, NO_DEPS);
        return none;
      case 'xchg': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        const what = this.eval(args[1]!);
        return this.readModifyWrite(location, where.deps, shape.ordering, origin, () => what);
      }
      case 'cmpxchg': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        const expected = this.eval(args[1]!);
        const replacement = this.eval(args[2]!);
        // As in herd7, the value written carries the new value's dependencies only (the comparison is no data dependency).
        return this.readModifyWrite(location, where.deps, shape.ordering, origin, (old) =>
          this.decide(this.made(binary('==', old.term, expected.term), e.pos), { read: readIndex(old), value: expected.term, when: true }) ? replacement : null);
      }
      case 'atomic': {
        const operandArg = shape.constant === null ? args[0]! : null;
        const pointerArg = shape.constant === null ? args[1]! : args[0]!;
        const operand: Tainted = operandArg ? this.eval(operandArg) : { term: constant(shape.constant!), deps: NO_DEPS };
        const where = this.eval(pointerArg);
        const location = this.locationOf(where, pointerArg.pos);
        let written: Term = ZERO;
        // The value written is computed from the value read: a data dependency inside the RMW, as in herd7.
        const result = this.readModifyWrite(location, where.deps, shape.ordering, origin, (old) => {
          written = shape.op === '&~'
            ? this.made(binary('&', old.term, this.made(unary('complement', operand.term), e.pos)), e.pos)
            : this.made(binary(shape.op as BinaryOperator, old.term, operand.term), e.pos);
          return { term: written, deps: union(operand.deps, old.deps) };
        });
        if (shape.returns === 'none') return none;
        // The old value depends on the read alone; the new one on the operand too.
        const value = shape.returns === 'old' ? result.term : written;
        const deps = shape.returns === 'old' ? result.deps : union(result.deps, operand.deps);
        if (shape.test === '==0') return { term: this.made(binary('==', value, ZERO), e.pos), deps };
        if (shape.test === '<0') return { term: this.made(binary('<', value, ZERO), e.pos), deps };
        return { term: value, deps };
      }
      case 'addUnless': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        const amount = this.eval(args[1]!);
        const unless = this.eval(args[2]!);
        let added = false;
        // herd7 gives the sum a data dependency on the value read, and on neither argument.
        const result = this.readModifyWrite(location, where.deps, 'mb', origin, (old) => {
          if (!this.decide(this.made(binary('!=', old.term, unless.term), e.pos), { read: readIndex(old), value: unless.term, when: false })) return null;
          added = true;
          return { term: this.made(binary('+', old.term, amount.term), e.pos), deps: old.deps };
        });
        return { term: constant(added ? 1 : 0), deps: result.deps };
      }
      case 'lock': {
        const location = this.lockLocation(args[0]!);
        this.emit('LKR', location, ZERO, [], origin, NO_DEPS, NO_DEPS);
        this.emit('LKW', location, constant(1), [], origin, NO_DEPS, NO_DEPS);
        return none;
      }
      case 'unlock': {
        const location = this.lockLocation(args[0]!);
        this.emit('UL', location, ZERO, [], origin, NO_DEPS, NO_DEPS);
        return none;
      }
      case 'trylock': {
        const location = this.lockLocation(args[0]!);
        if (this.chooser.choose(2) === 0) {
          const r = this.emit('LKR', location, ZERO, [], origin, NO_DEPS, NO_DEPS);
          this.emit('LKW', location, constant(1), [], origin, NO_DEPS, NO_DEPS);
          return { term: constant(1), deps: new Set([r]) };
        }
        const r = this.emit('LF', location, constant(1), [], origin, NO_DEPS, NO_DEPS);
        return { term: ZERO, deps: new Set([r]) };
      }
      case 'isLocked': {
        const location = this.lockLocation(args[0]!);
        const locked = this.chooser.choose(2) === 0;
        const r = this.emit(locked ? 'RL' : 'RU', location, constant(locked ? 1 : 0), [], origin, NO_DEPS, NO_DEPS);
        return { term: constant(locked ? 1 : 0), deps: new Set([r]) };
      }
      case 'syncSrcu': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        this.emit('SRCU', location, null, ['sync-srcu'], origin, where.deps, NO_DEPS);
        return none;
      }
    }
  }

  private lockLocation(arg: Expr): string {
    return this.locationOf(this.eval(arg), arg.pos);
  }

  /**
   * The read and (unless `update` declines) the write of an RMW primitive.
   * Returns the value read, tainted by the read.
   */
  private readModifyWrite(location: string, addrDeps: ReadonlySet<number>, ordering: Ordering, origin: Origin, update: (old: Tainted) => Tainted | null): Tainted {
    const r = this.events.length;
    this.emit('R', location, readTerm(r), [ordering, 'rmw'], origin, addrDeps, NO_DEPS);
    const next = update({ term: readTerm(r), deps: new Set([r]) });
    if (next) {
      const w = this.emit('W', location, next.term, [ordering, 'rmw'], origin, addrDeps, next.deps);
      this.rmw.push([r, w]);
    }
    return { term: readTerm(r), deps: new Set([r]) };
  }
}

/** Whether an address term is a location's address moved by some amount: an address whatever the reads return. */
function startsFromLocation(t: Term): boolean {
  if (isConst(t)) return isAddress(t.value);
  return t.kind === 'binary' && (t.op === '+' || t.op === '-') && startsFromLocation(t.left);
}

/** The index of the read whose value a tainted value is (an RMW's old value). */
function readIndex(v: Tainted): number {
  if (v.term.kind !== 'read') throw new Error('an RMW\'s old value is the term of its read');
  return v.term.index;
}

function union(a: ReadonlySet<number>, b: ReadonlySet<number>): ReadonlySet<number> {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}
