/**
 * Thread semantics: from a thread's code to the runs it can make.
 *
 * A run fixes the value every read returns; from those values follow the
 * branches taken, the addresses accessed and the values written. The reads'
 * values are drawn from a domain per location (see `domains.ts`), so a run
 * may read a value that no write in the end provides: the executions stage
 * throws such combinations away when it looks for a write to read from.
 *
 * Along the way the interpreter records the dependencies the model needs:
 * `addr` (a read's value reaches an address), `data` (it reaches a stored
 * value) and `ctrl` (it reaches a branch condition; every later event of the
 * thread then depends on it, as in herd7).
 */

import type { Expr, LitmusTest, Pos, Stmt, ThreadCode } from '../litmus/ast.js';
import { LitmusError } from '../litmus/errors.js';
import { lookupPrimitive, nearestPrimitive, type AtomicOp, type Ordering, type Primitive } from '../litmus/primitives.js';
import { address, isAddress, sameValue, type EventKind, type Origin, type Tag, type ThreadEvent, type Value } from './types.js';

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
  readonly registers: ReadonlyMap<string, Value>;
}

/** What the interpreter needs to know about the test as a whole. */
export interface ThreadContext {
  readonly test: LitmusTest;
  /** Every shared location of the test. */
  readonly locations: ReadonlySet<string>;
  /** Values a read of each location may return. */
  readonly domain: (location: string) => readonly Value[];
}

/** A value with the set of this run's reads it was computed from. */
interface Tainted {
  readonly value: Value;
  readonly deps: ReadonlySet<number>;
}

const NO_DEPS: ReadonlySet<number> = new Set();

/** Thrown when a run cannot happen (it dereferences something that is not an address). */
class ImpossibleRun extends Error {}

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

/** The runs of one thread, and every write any attempt made (impossible runs included). */
export interface ThreadRuns {
  readonly runs: ThreadRun[];
  /** Writes made by all attempted runs, including those cut short as impossible. */
  readonly writes: ReadonlyArray<{ readonly location: string; readonly value: Value }>;
  /** The largest number of writes one attempted run made. */
  readonly maxWrites: number;
}

/** Every run of one thread. */
export function threadRuns(code: ThreadCode, ctx: ThreadContext): ThreadRuns {
  checkThread(code, ctx);
  const runs: ThreadRun[] = [];
  const writes: Array<{ location: string; value: Value }> = [];
  let maxWrites = 0;
  let prefix: number[] = [];
  for (;;) {
    const chooser = new Chooser(prefix);
    const interpreter = new Interpreter(code, ctx, chooser);
    try {
      runs.push(interpreter.run());
    } catch (e) {
      if (!(e instanceof ImpossibleRun)) throw e;
    }
    const made = interpreter.writes();
    maxWrites = Math.max(maxWrites, made.length);
    writes.push(...made);
    // Next prefix: bump the last choice that has alternatives left.
    const choices = chooser.made;
    let k = choices.length - 1;
    while (k >= 0 && choices[k]! + 1 >= chooser.widths[k]!) k--;
    if (k < 0) break;
    prefix = choices.slice(0, k);
    prefix.push(choices[k]! + 1);
  }
  return { runs, writes, maxWrites };
}

/** Static checks that do not depend on values: every call names a known primitive with the right arity. */
function checkThread(code: ThreadCode, ctx: ThreadContext): void {
  const file = ctx.test.file;
  const visitExpr = (e: Expr): void => {
    switch (e.kind) {
      case 'call': {
        const p = lookupPrimitive(e.callee);
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
  private readonly registers = new Map<string, Tainted>();
  /**
   * Reads that the conditions of the enclosing branches depend on. As in
   * herd7, a control dependency reaches the events inside the branch, not
   * those after the `if` statement.
   */
  private ctrlDeps: ReadonlySet<number> = NO_DEPS;
  private readonly file: string;

  constructor(
    private readonly code: ThreadCode,
    private readonly ctx: ThreadContext,
    private readonly chooser: Chooser,
  ) {
    this.file = ctx.test.file;
    for (const entry of ctx.test.init) {
      if (entry.kind === 'register' && entry.thread === code.id) {
        const v = entry.value.kind === 'int' ? entry.value.value : address(entry.value.location);
        this.registers.set(entry.register, { value: v, deps: NO_DEPS });
      }
    }
  }

  /** The ordinary writes emitted so far (for finding the values reads may return). */
  writes(): Array<{ location: string; value: Value }> {
    return this.events.filter((e) => e.kind === 'W' && e.location !== null && e.value !== null).map((e) => ({ location: e.location!, value: e.value! }));
  }

  run(): ThreadRun {
    for (const s of this.code.body) this.exec(s);
    const registers = new Map<string, Value>();
    for (const [name, t] of this.registers) registers.set(name, t.value);
    return { thread: this.code.id, events: this.events, addr: this.addr, data: this.data, ctrl: this.ctrl, rmw: this.rmw, registers };
  }

  // -- statements ----------------------------------------------------------

  private exec(s: Stmt): void {
    switch (s.kind) {
      case 'decl':
        // A declaration without initialiser keeps the value the initial state gave the register.
        if (s.init) this.registers.set(s.name, this.eval(s.init));
        else if (!this.registers.has(s.name)) this.registers.set(s.name, { value: 0, deps: NO_DEPS });
        return;
      case 'assign':
        if (s.target.kind === 'name') {
          this.registers.set(s.target.name, this.eval(s.value));
        } else if (s.target.kind === 'deref') {
          const where = this.eval(s.target.address);
          const what = this.eval(s.value);
          this.store(this.locationOf(where, s.target.pos), what, where.deps, 'plain write', s.target.pos, null);
        } else {
          throw new LitmusError(this.file, s.target.pos, 'the left of `=` must be a register or `*pointer`');
        }
        return;
      case 'expr':
        this.eval(s.expr);
        return;
      case 'if': {
        const test = this.eval(s.test);
        const branch = truthy(test.value) ? s.then : s.otherwise;
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

  // -- expressions ---------------------------------------------------------

  private eval(e: Expr): Tainted {
    switch (e.kind) {
      case 'int':
        return { value: e.value, deps: NO_DEPS };
      case 'name': {
        const reg = this.registers.get(e.name);
        if (reg) return reg;
        if (this.ctx.locations.has(e.name)) return { value: address(e.name), deps: NO_DEPS };
        throw new LitmusError(this.file, e.pos, `'${e.name}' is neither a register of P${this.code.id} nor a shared location`, 'declare it (`int ' + e.name + ';`) or pass it as a parameter');
      }
      case 'deref': {
        const where = this.eval(e.address);
        return this.load(this.locationOf(where, e.pos), where.deps, new Set(), 'plain read', e.pos);
      }
      case 'addressOf': {
        if (e.target.kind === 'name' && this.ctx.locations.has(e.target.name)) return { value: address(e.target.name), deps: NO_DEPS };
        if (e.target.kind === 'deref') return this.eval(e.target.address);
        throw new LitmusError(this.file, e.pos, '`&` applies to a shared location or `*pointer`');
      }
      case 'unary': {
        const v = this.eval(e.operand);
        const n = this.integer(v.value, e.pos, e.op);
        const value = e.op === '!' ? (truthy(v.value) ? 0 : 1) : e.op === '-' ? -n : ~n;
        return { value: e.op === '!' ? value : value, deps: v.deps };
      }
      case 'binary':
        return this.binary(e);
      case 'conditional': {
        const test = this.eval(e.test);
        const chosen = this.underControl(test.deps, () => (truthy(test.value) ? this.eval(e.then) : this.eval(e.otherwise)));
        return { value: chosen.value, deps: union(test.deps, chosen.deps) };
      }
      case 'call':
        return this.call(e);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): Tainted {
    if (e.op === '&&' || e.op === '||') {
      // C evaluates the right operand only when needed: that is a branch.
      const left = this.eval(e.left);
      const decided = e.op === '&&' ? !truthy(left.value) : truthy(left.value);
      if (decided) return { value: e.op === '||' ? 1 : 0, deps: left.deps };
      const right = this.underControl(left.deps, () => this.eval(e.right));
      return { value: truthy(right.value) ? 1 : 0, deps: union(left.deps, right.deps) };
    }
    const left = this.eval(e.left);
    const right = this.eval(e.right);
    const deps = union(left.deps, right.deps);
    const a = left.value;
    const b = right.value;
    switch (e.op) {
      case '==': return { value: sameValue(a, b) ? 1 : 0, deps };
      case '!=': return { value: sameValue(a, b) ? 0 : 1, deps };
      default: break;
    }
    // Pointer arithmetic: an address plus or minus zero is the address; an address minus itself is zero.
    if (isAddress(a) || isAddress(b)) {
      if (e.op === '+' && isAddress(a) && b === 0) return { value: a, deps };
      if (e.op === '+' && isAddress(b) && a === 0) return { value: b, deps };
      if (e.op === '-' && isAddress(a) && b === 0) return { value: a, deps };
      if (e.op === '-' && isAddress(a) && isAddress(b) && a.address === b.address) return { value: 0, deps };
      throw new LitmusError(this.file, e.pos, `cannot apply '${e.op}' to the address of a location`, 'only `p + 0`, `p - 0` and `p - p` are modelled');
    }
    return { value: arithmetic(e.op, a, b), deps };
  }

  private integer(v: Value, pos: Pos, op: string): number {
    if (isAddress(v)) throw new LitmusError(this.file, pos, `cannot apply '${op}' to the address of a location`);
    return v;
  }

  // -- memory --------------------------------------------------------------

  /** The location an address value names; a run that dereferences an integer cannot happen. */
  private locationOf(where: Tainted, _pos: Pos): string {
    if (!isAddress(where.value)) throw new ImpossibleRun();
    return where.value.address;
  }

  private origin(primitive: string, pos: Pos): Origin {
    return { primitive, line: pos.line, col: pos.col };
  }

  private emit(kind: EventKind, location: string | null, value: Value | null, tags: Tag[], origin: Origin, addrDeps: ReadonlySet<number>, dataDeps: ReadonlySet<number>): number {
    const index = this.events.length;
    this.events.push({ kind, location, value, tags: new Set(tags), origin });
    for (const d of addrDeps) this.addr.push([d, index]);
    for (const d of dataDeps) this.data.push([d, index]);
    for (const d of this.ctrlDeps) this.ctrl.push([d, index]);
    return index;
  }

  /** A read whose value is chosen from the location's domain. */
  private load(location: string, addrDeps: ReadonlySet<number>, _unused: Set<number>, primitive: string, pos: Pos, tags: Tag[] = []): Tainted {
    const value = this.pick(location);
    const index = this.emit('R', location, value, tags, this.origin(primitive, pos), addrDeps, NO_DEPS);
    return { value, deps: new Set([index]) };
  }

  private pick(location: string): Value {
    const domain = this.ctx.domain(location);
    return domain[this.chooser.choose(domain.length)]!;
  }

  private store(location: string, value: Tainted, addrDeps: ReadonlySet<number>, primitive: string, pos: Pos, tag: Tag | null, extraTags: Tag[] = []): number {
    const tags: Tag[] = tag ? [tag, ...extraTags] : extraTags;
    return this.emit('W', location, value.value, tags, this.origin(primitive, pos), addrDeps, value.deps);
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
    const p = lookupPrimitive(e.callee)!;
    const shape = p.shape;
    const origin = this.origin(p.name, e.calleePos);
    const args = e.args;
    switch (shape.kind) {
      case 'load': {
        const where = this.target(p, args[0]!, shape.argument);
        const location = this.locationOf(where, args[0]!.pos);
        const value = this.pick(location);
        const tags: Tag[] = shape.srcu ? ['srcu-lock'] : [shape.ordering];
        const index = this.emit('R', location, value, tags, origin, where.deps, NO_DEPS);
        return { value, deps: new Set([index]) };
      }
      case 'store': {
        const where = this.target(p, args[0]!, shape.argument);
        const location = this.locationOf(where, args[0]!.pos);
        const what = this.eval(args[1]!);
        const tags: Tag[] = shape.srcu ? ['srcu-unlock'] : [shape.ordering];
        this.emit('W', location, what.value, tags, origin, where.deps, what.deps);
        if (shape.thenMb) this.emit('F', null, null, ['mb'], origin, NO_DEPS, NO_DEPS);
        return { value: 0, deps: NO_DEPS };
      }
      case 'fence':
        this.emit('F', null, null, [shape.tag], origin, NO_DEPS, NO_DEPS);
        return { value: 0, deps: NO_DEPS };
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
        return this.readModifyWrite(location, where.deps, shape.ordering, origin, (old) =>
          sameValue(old, expected.value) ? { value: replacement.value, deps: union(replacement.deps, expected.deps) } : null);
      }
      case 'atomic': {
        const operandArg = shape.constant === null ? args[0]! : null;
        const pointerArg = shape.constant === null ? args[1]! : args[0]!;
        const operand: Tainted = operandArg ? this.eval(operandArg) : { value: shape.constant!, deps: NO_DEPS };
        const where = this.eval(pointerArg);
        const location = this.locationOf(where, pointerArg.pos);
        let written: Value = 0;
        const result = this.readModifyWrite(location, where.deps, shape.ordering, origin, (old) => {
          written = atomicOp(shape.op, this.integer(old, e.pos, shape.op), this.integer(operand.value, e.pos, shape.op));
          return { value: written, deps: operand.deps };
        });
        if (shape.returns === 'none') return { value: 0, deps: NO_DEPS };
        const value = shape.returns === 'old' ? result.value : written;
        if (shape.test === '==0') return { value: value === 0 ? 1 : 0, deps: result.deps };
        if (shape.test === '<0') return { value: (value as number) < 0 ? 1 : 0, deps: result.deps };
        return { value, deps: result.deps };
      }
      case 'addUnless': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        const amount = this.eval(args[1]!);
        const unless = this.eval(args[2]!);
        let added = 0;
        const result = this.readModifyWrite(location, where.deps, 'mb', origin, (old) => {
          if (sameValue(old, unless.value)) return null;
          added = 1;
          return { value: atomicOp('+', this.integer(old, e.pos, '+'), this.integer(amount.value, e.pos, '+')), deps: union(amount.deps, unless.deps) };
        });
        return { value: added, deps: result.deps };
      }
      case 'lock': {
        const location = this.lockLocation(args[0]!);
        this.emit('LKR', location, 0, [], origin, NO_DEPS, NO_DEPS);
        this.emit('LKW', location, 1, [], origin, NO_DEPS, NO_DEPS);
        return { value: 0, deps: NO_DEPS };
      }
      case 'unlock': {
        const location = this.lockLocation(args[0]!);
        this.emit('UL', location, 0, [], origin, NO_DEPS, NO_DEPS);
        return { value: 0, deps: NO_DEPS };
      }
      case 'trylock': {
        const location = this.lockLocation(args[0]!);
        if (this.chooser.choose(2) === 0) {
          const r = this.emit('LKR', location, 0, [], origin, NO_DEPS, NO_DEPS);
          this.emit('LKW', location, 1, [], origin, NO_DEPS, NO_DEPS);
          return { value: 1, deps: new Set([r]) };
        }
        const r = this.emit('LF', location, 1, [], origin, NO_DEPS, NO_DEPS);
        return { value: 0, deps: new Set([r]) };
      }
      case 'isLocked': {
        const location = this.lockLocation(args[0]!);
        const locked = this.chooser.choose(2) === 0;
        const r = this.emit(locked ? 'RL' : 'RU', location, locked ? 1 : 0, [], origin, NO_DEPS, NO_DEPS);
        return { value: locked ? 1 : 0, deps: new Set([r]) };
      }
      case 'syncSrcu': {
        const where = this.eval(args[0]!);
        const location = this.locationOf(where, args[0]!.pos);
        this.emit('SRCU', location, null, ['sync-srcu'], origin, where.deps, NO_DEPS);
        return { value: 0, deps: NO_DEPS };
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
  private readModifyWrite(location: string, addrDeps: ReadonlySet<number>, ordering: Ordering, origin: Origin, update: (old: Value) => Tainted | null): Tainted {
    const old = this.pick(location);
    const r = this.emit('R', location, old, [ordering, 'rmw'], origin, addrDeps, NO_DEPS);
    const next = update(old);
    if (next) {
      const w = this.emit('W', location, next.value, [ordering, 'rmw'], origin, addrDeps, next.deps);
      this.rmw.push([r, w]);
    }
    return { value: old, deps: new Set([r]) };
  }
}

function truthy(v: Value): boolean {
  return isAddress(v) || v !== 0;
}

function union(a: ReadonlySet<number>, b: ReadonlySet<number>): ReadonlySet<number> {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  return new Set([...a, ...b]);
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? 0 : Math.trunc(a / b);
    case '%': return b === 0 ? 0 : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    default: throw new Error(`unhandled operator ${op}`);
  }
}

function atomicOp(op: AtomicOp, old: number, operand: number): number {
  switch (op) {
    case '+': return old + operand;
    case '-': return old - operand;
    case '&': return old & operand;
    case '|': return old | operand;
    case '^': return old ^ operand;
    case '&~': return old & ~operand;
  }
}
