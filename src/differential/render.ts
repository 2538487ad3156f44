/**
 * Prints a generated plan (`plan.ts`) as a C litmus test in herd7's format.
 *
 * The printer resolves the plan's numbers against what exists where they
 * are used: the k-th register defined so far in the thread (modulo their
 * number), the k-th shared location (modulo the test's), and so on. It
 * declares every register at the top of its thread, passes each thread only
 * the locations it uses, and initialises every pointer location it prints.
 */

import { lookupPrimitive } from '../litmus/primitives.js';
import type { LocationRef, PropPlan, StatementPlan, TestPlan, ValuePlan } from './plan.js';

/** The shared integer locations, in the order plans number them. */
export const INT_LOCATIONS: readonly string[] = ['x', 'y', 'z', 'w'];
const POINTER_LOCATIONS: readonly string[] = ['p', 'q'];
const LOCKS: readonly string[] = ['s', 't'];
const SRCU_DOMAINS: readonly string[] = ['ss', 'tt'];

/** An integer register, a pointer register (`int *r`), or a pointer kept in an `intptr_t` register. */
type RegisterKind = 'int' | 'pointer' | 'intptr';

/** What one thread's printing has defined so far. */
class ThreadScope {
  readonly lines: string[] = [];
  readonly registers: Array<{ name: string; kind: RegisterKind }> = [];
  readonly uses = new Set<string>();

  constructor(readonly id: number) {}

  fresh(kind: RegisterKind): string {
    const name = `r${this.registers.length}`;
    this.registers.push({ name, kind });
    return name;
  }

  /** The k-th integer register defined so far, or null when there is none. */
  intRegister(k: number): string | null {
    const ints = this.registers.filter((r) => r.kind === 'int');
    return ints.length === 0 ? null : ints[k % ints.length]!.name;
  }

  use(location: string): string {
    this.uses.add(location);
    return location;
  }
}

/** An observable of the final state: a register of a thread, or a location. */
interface Observable {
  readonly text: string;
  readonly kind: RegisterKind;
  readonly isLocation: boolean;
}

export function renderTest(plan: TestPlan, name: string): string {
  const pointerCount = Math.max(plan.pointerInit.length, usesPointers(plan) ? 1 : 0);
  const pointers = POINTER_LOCATIONS.slice(0, Math.min(pointerCount, POINTER_LOCATIONS.length));
  const scopes = plan.threads.map((statements, id) => {
    const scope = new ThreadScope(id);
    const printer = new StatementPrinter(scope, pointers);
    for (const s of statements) printer.statement(s, 1);
    return scope;
  });

  const intsUsed = new Set<string>();
  for (const scope of scopes) for (const u of scope.uses) if (INT_LOCATIONS.includes(u)) intsUsed.add(u);
  const observables: Observable[] = [];
  for (const scope of scopes) for (const r of scope.registers) observables.push({ text: `${scope.id}:${r.name}`, kind: r.kind === 'int' ? 'int' : 'pointer', isLocation: false });
  for (const x of INT_LOCATIONS) if (intsUsed.has(x)) observables.push({ text: x, kind: 'int', isLocation: true });
  for (const p of pointers) observables.push({ text: p, kind: 'pointer', isLocation: true });
  if (observables.length === 0) observables.push({ text: 'x', kind: 'int', isLocation: true });
  const targetNames = intsUsed.size > 0 ? INT_LOCATIONS.filter((x) => intsUsed.has(x)) : ['x'];

  const out: string[] = [`C ${name}`, '', '{'];
  const initialised = new Set<string>();
  for (const [loc, value] of plan.init) {
    const x = INT_LOCATIONS[loc % INT_LOCATIONS.length]!;
    if (intsUsed.has(x) && !initialised.has(x)) out.push(`\t${x}=${value};`);
    initialised.add(x);
  }
  pointers.forEach((p, k) => {
    const init = plan.pointerInit[k] ?? { target: 0, style: 'bare' as const };
    const target = INT_LOCATIONS[init.target % INT_LOCATIONS.length]!;
    out.push(init.style === 'typed' ? `\tint *${p} = &${target};` : `\t${p}=${target};`);
  });
  const registersInitialised = new Set<string>();
  for (const [thread, reg, value] of plan.registerInit) {
    const name = `${thread % scopes.length}:r${reg}`;
    if (!registersInitialised.has(name)) out.push(`\t${name}=${value};`);
    registersInitialised.add(name);
  }
  out.push('}', '');
  for (const scope of scopes) {
    const params = [...scope.uses].sort(paramOrder).map(paramDeclaration);
    out.push(`P${scope.id}(${params.join(', ')})`, '{');
    for (const r of scope.registers) out.push(`\t${r.kind === 'pointer' ? 'int *' : r.kind === 'intptr' ? 'intptr_t ' : 'int '}${r.name};`);
    if (scope.registers.length > 0) out.push('');
    out.push(...scope.lines, '}', '');
  }
  const atom = (o: Observable, value: number, bare: boolean): string => {
    const shown = o.kind === 'pointer' ? targetNames[value % targetNames.length]! : String(value % 4);
    return o.isLocation && !bare ? `[${o.text}]=${shown}` : `${o.text}=${shown}`;
  };
  const prop = (p: PropPlan): string => {
    switch (p.kind) {
      case 'atom': {
        const text = atom(observables[p.observable % observables.length]!, p.value, p.bare);
        return p.negated ? `~(${text})` : text;
      }
      case 'not': return `~(${prop(p.operand)})`;
      case 'and': return `(${prop(p.left)} /\\ ${prop(p.right)})`;
      case 'or': return `(${prop(p.left)} \\/ ${prop(p.right)})`;
      case 'implies': return `(${prop(p.left)} => ${prop(p.right)})`;
    }
  };
  if (plan.observe.length > 0) {
    const listed = [...new Set(plan.observe.map((k) => observables[k % observables.length]!))];
    out.push(`locations [${listed.map((o) => `${o.text};`).join(' ')}]`);
  }
  if (plan.filter) out.push(`filter ${bracket(prop(plan.filter))}`);
  out.push(`${plan.quantifier} ${bracket(prop(plan.condition))}`, '');
  return out.join('\n');
}

function bracket(text: string): string {
  return text.startsWith('(') ? text : `(${text})`;
}

function usesPointers(plan: TestPlan): boolean {
  const visit = (s: StatementPlan): boolean => {
    if (s.kind === 'publish' || s.kind === 'deref') return true;
    if (s.kind === 'if') return s.then.some(visit) || (s.otherwise ?? []).some(visit);
    if (s.kind === 'critical' || s.kind === 'rcuReader' || s.kind === 'srcuReader') return s.body.some(visit);
    return false;
  };
  return plan.threads.some((t) => t.some(visit));
}

const PARAM_RANK = (name: string): number =>
  INT_LOCATIONS.includes(name) ? 0 : POINTER_LOCATIONS.includes(name) ? 1 : LOCKS.includes(name) ? 2 : 3;

function paramOrder(a: string, b: string): number {
  return PARAM_RANK(a) - PARAM_RANK(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function paramDeclaration(name: string): string {
  if (POINTER_LOCATIONS.includes(name)) return `int **${name}`;
  if (LOCKS.includes(name)) return `spinlock_t *${name}`;
  if (SRCU_DOMAINS.includes(name)) return `struct srcu_struct *${name}`;
  return `int *${name}`;
}

class StatementPrinter {
  constructor(
    private readonly scope: ThreadScope,
    private readonly pointers: readonly string[],
  ) {}

  private emit(depth: number, line: string): void {
    this.scope.lines.push(`${'\t'.repeat(depth)}${line}`);
  }

  private location(loc: LocationRef): string {
    return this.scope.use(INT_LOCATIONS[loc % INT_LOCATIONS.length]!);
  }

  private pointer(k: number): string {
    return this.scope.use(this.pointers[k % this.pointers.length]!);
  }

  private value(v: ValuePlan): string {
    if (v.kind === 'const') return String(v.value);
    const r = this.scope.intRegister(v.reg);
    if (r === null) return String(v.value);
    switch (v.shape) {
      case 'copy': return r;
      case 'plus': return `${r} + 1`;
      case 'mask': return `(${r} & 0) + ${v.value}`;
      case 'equals': return `${r} == ${v.value}`;
    }
  }

  /** `x`, or `x + (r & 0)` when the address depends on a register (the same location, whatever r holds). */
  private address(loc: LocationRef, dep: number | null): string {
    const x = this.location(loc);
    const r = dep === null ? null : this.scope.intRegister(dep);
    return r === null ? x : `(${x} + (${r} & 0))`;
  }

  statement(s: StatementPlan, depth: number): void {
    switch (s.kind) {
      case 'load': {
        const a = this.address(s.loc, s.addrDep);
        const r = this.scope.fresh('int');
        const call: Record<typeof s.primitive, string> = {
          READ_ONCE: `READ_ONCE(*${a})`,
          smp_load_acquire: `smp_load_acquire(${a})`,
          plain: `*${a}`,
          atomic_read: `atomic_read(${a})`,
          atomic_read_acquire: `atomic_read_acquire(${a})`,
          rcu_dereference: `rcu_dereference(*${a})`,
        };
        return this.emit(depth, `${r} = ${call[s.primitive]};`);
      }
      case 'store': {
        const v = this.value(s.value);
        // No address dependency on a store in a test with pointer locations: herd7's solver then tries the store
        // on the pointer location too, and can refuse the test for an execution that cannot happen (README).
        const a = this.address(s.loc, this.pointers.length > 0 ? null : s.addrDep);
        const line: Record<typeof s.primitive, string> = {
          WRITE_ONCE: `WRITE_ONCE(*${a}, ${v});`,
          smp_store_release: `smp_store_release(${a}, ${v});`,
          plain: `*${a} = ${v};`,
          atomic_set: `atomic_set(${a}, ${v});`,
          atomic_set_release: `atomic_set_release(${a}, ${v});`,
          smp_store_mb: `smp_store_mb(*${a}, ${v});`,
          rcu_assign_pointer: `rcu_assign_pointer(*${a}, ${v});`,
        };
        return this.emit(depth, line[s.primitive]);
      }
      case 'fence':
        return this.emit(depth, `${s.primitive}();`);
      case 'rmw':
        return this.rmw(s, depth);
      case 'if': {
        const r = this.scope.intRegister(s.reg);
        if (r === null) {
          for (const b of s.then) this.statement(b, depth);
          return;
        }
        // herd7's C has no `!`: `r == 0` says it.
        const test = s.test === 'truthy' ? r : s.test === 'not' ? `${r} == 0` : `${r} ${s.test === 'equals' ? '==' : '!='} ${s.value}`;
        this.emit(depth, `if (${test}) {`);
        for (const b of s.then) this.statement(b, depth + 1);
        if (s.otherwise && s.otherwise.length > 0) {
          this.emit(depth, '} else {');
          for (const b of s.otherwise) this.statement(b, depth + 1);
        }
        return this.emit(depth, '}');
      }
      case 'critical': {
        const lock = this.scope.use(LOCKS[s.lock % LOCKS.length]!);
        const inner = s.how === 'lock' ? depth : depth + 1;
        if (s.how === 'lock') this.emit(depth, `spin_lock(${lock});`);
        else this.emit(depth, `if (spin_trylock(${lock})) {`);
        if (s.afterLock) this.emit(inner, 'smp_mb__after_spinlock();');
        for (const b of s.body) this.statement(b, inner);
        this.emit(inner, `spin_unlock(${lock});`);
        if (s.how === 'trylock') this.emit(depth, '}');
        return;
      }
      case 'isLocked': {
        const lock = this.scope.use(LOCKS[s.lock % LOCKS.length]!);
        return this.emit(depth, `${this.scope.fresh('int')} = spin_is_locked(${lock});`);
      }
      case 'rcuReader':
        this.emit(depth, 'rcu_read_lock();');
        for (const b of s.body) this.statement(b, depth);
        return this.emit(depth, 'rcu_read_unlock();');
      case 'srcuReader': {
        const domain = this.scope.use(SRCU_DOMAINS[s.domain % SRCU_DOMAINS.length]!);
        const index = this.scope.fresh('int');
        this.emit(depth, `${index} = ${s.down ? 'srcu_down_read' : 'srcu_read_lock'}(${domain});`);
        for (const b of s.body) this.statement(b, depth);
        this.emit(depth, `${s.down ? 'srcu_up_read' : 'srcu_read_unlock'}(${domain}, ${index});`);
        if (s.afterUnlock) this.emit(depth, 'smp_mb__after_srcu_read_unlock();');
        return;
      }
      case 'sync':
        if (s.primitive === 'synchronize_rcu' || s.primitive === 'synchronize_rcu_expedited') return this.emit(depth, `${s.primitive}();`);
        return this.emit(depth, `${s.primitive}(${this.scope.use(SRCU_DOMAINS[s.domain % SRCU_DOMAINS.length]!)});`);
      case 'srcuHandOff': {
        const domain = this.scope.use(SRCU_DOMAINS[s.domain % SRCU_DOMAINS.length]!);
        const index = this.scope.fresh('int');
        this.emit(depth, `${index} = srcu_down_read(${domain});`);
        return this.emit(depth, `WRITE_ONCE(*${this.location(s.loc)}, ${index});`);
      }
      case 'srcuTakeOver': {
        const domain = this.scope.use(SRCU_DOMAINS[s.domain % SRCU_DOMAINS.length]!);
        const index = this.scope.fresh('int');
        this.emit(depth, `${index} = READ_ONCE(*${this.location(s.loc)});`);
        return this.emit(depth, `srcu_up_read(${domain}, ${index});`);
      }
      case 'publish': {
        const p = this.pointer(s.pointer);
        const target = this.location(s.target);
        const line = s.primitive === 'smp_store_release' ? `smp_store_release(${p}, ${target});` : `${s.primitive}(*${p}, ${target});`;
        return this.emit(depth, line);
      }
      case 'deref': {
        const p = this.pointer(s.pointer);
        const r = this.scope.fresh(s.cast ? 'intptr' : 'pointer');
        // With casts, as the litmus archive writes them: `(intptr_t)rcu_dereference(*(intptr_t **)p)`.
        const source = s.cast ? `(intptr_t **)${p}` : p;
        const load = s.primitive === 'smp_load_acquire' ? `smp_load_acquire(${source})` : `${s.primitive}(*${source})`;
        this.emit(depth, `${r} = ${s.cast ? `(intptr_t)${load}` : load};`);
        const target = s.cast ? `(intptr_t *)${r}` : r;
        if (s.then === 'read') this.emit(depth, `${this.scope.fresh('int')} = READ_ONCE(*${target});`);
        if (s.then === 'write') this.emit(depth, `WRITE_ONCE(*${target}, ${s.value});`);
        if (s.then === 'release') this.emit(depth, `smp_store_release(${target}, ${s.value});`);
        if (s.then === 'publish') {
          const q = this.pointer(s.pointer + 1);
          this.emit(depth, s.cast ? `rcu_assign_pointer(*(intptr_t **)${q}, (intptr_t *)${r});` : `rcu_assign_pointer(*${q}, ${r});`);
        }
        return;
      }
      case 'unpaired':
        if (s.primitive === 'rcu_read_lock' || s.primitive === 'rcu_read_unlock') return this.emit(depth, `${s.primitive}();`);
        return this.emit(depth, `${s.primitive}(${this.scope.use(LOCKS[s.lock % LOCKS.length]!)});`);
    }
  }

  /** An RMW primitive of the table, called with the arguments its shape takes. */
  private rmw(s: Extract<StatementPlan, { kind: 'rmw' }>, depth: number): void {
    const p = lookupPrimitive(s.primitive);
    if (!p) throw new Error(`generator: unknown primitive ${s.primitive}`);
    const x = this.location(s.loc);
    const v = this.value(s.operand);
    let call: string;
    let returns = true;
    switch (p.shape.kind) {
      case 'xchg': call = `${p.name}(${x}, ${v})`; break;
      case 'cmpxchg': call = `${p.name}(${x}, ${s.expected}, ${v})`; break;
      case 'addUnless': call = `${p.name}(${x}, ${v}, ${s.expected})`; break;
      case 'atomic':
        call = p.shape.constant === null ? `${p.name}(${v}, ${x})` : `${p.name}(${x})`;
        returns = p.shape.returns !== 'none';
        break;
      default: throw new Error(`generator: ${s.primitive} is not a read-modify-write`);
    }
    this.emit(depth, returns ? `${this.scope.fresh('int')} = ${call};` : `${call};`);
  }
}
