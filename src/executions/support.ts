/**
 * Which combinations of thread runs some write can support.
 *
 * A run often assumes what one of its reads returned: a pointer read from
 * memory names one location in this run and another in the next, a branch
 * went one way because the value read was 0. A read returns the value of
 * the write it reads from, so the assumption needs a write of that value
 * to that location among the runs combined (or the initial value). Runs
 * are chosen thread after thread; a run whose assumption no write of the
 * threads chosen so far, nor any run of the threads still to choose, could
 * meet ends the combination there. Passing a pointer along N threads has
 * 2^N combinations of addresses and only N that some write supports.
 *
 * A write whose value is computed from what its thread read may store any
 * value those reads can return (the locations' possible values, see
 * feasible.ts). A read sees its own thread's last write to the location
 * before it, if there is one, rather than the initial value, and never its
 * thread's later writes. Nothing is pruned that an execution could take:
 * it only asks for a write of the right value to exist.
 */

import type { Program } from '../events/program.js';
import type { ThreadRun } from '../events/semantics.js';
import type { Term } from '../events/terms.js';
import { isConst } from '../events/terms.js';
import { possibleValues, type ValueSet } from '../events/feasible.js';
import { sameValue, type Value } from '../events/types.js';

/** What a run assumes one of its reads returned: `value`, or (when `equal` is false) anything but it. */
interface Assumption {
  readonly location: string;
  readonly value: Value;
  readonly equal: boolean;
  /** What the read's own thread may have left there for it: the values of its last write before the read; null when it wrote none (then the initial value is visible). */
  readonly own: Value[] | 'any' | null;
}

/** The values a set of runs may write to each location: a list of constants, or `any` once a computed value is written. */
type Writes = Map<string, Value[] | 'any'>;

function addWrite(into: Writes, location: string, value: Value | 'any'): void {
  const known = into.get(location);
  if (known === 'any') return;
  if (value === 'any') into.set(location, 'any');
  else if (!known) into.set(location, [value]);
  else if (!known.some((v) => sameValue(v, value))) known.push(value);
}

/** The values a write of a run may store: its constant, or what its term gives for the values its reads can return. */
function valuesOf(run: ThreadRun, term: Term | null, held: ReadonlyMap<string, ValueSet>): Value[] | 'any' {
  if (term === null) return 'any';
  if (isConst(term)) return [term.value];
  const values = possibleValues(run, term, held);
  return values === 'any' ? 'any' : [...values.values()];
}

function writesOf(run: ThreadRun, held: ReadonlyMap<string, ValueSet>, into: Writes = new Map()): Writes {
  for (const e of run.events) {
    if (e.location === null) continue;
    if (e.kind === 'W') {
      const values = valuesOf(run, e.value, held);
      if (values === 'any') addWrite(into, e.location, 'any');
      else for (const v of values) addWrite(into, e.location, v);
    } else if (e.kind === 'LKW' || e.kind === 'UL') addWrite(into, e.location, 'any');
  }
  return into;
}

/** The value a constraint fixes for one read of the run (`read == v`, either way round), if it is of that shape. */
function assumptionOf(run: ThreadRun, term: Term, holds: boolean, assigned: ReadonlySet<number>, held: ReadonlyMap<string, ValueSet>): Assumption | null {
  if (term.kind !== 'binary' || term.op !== '==') return null;
  const [read, value] = term.left.kind === 'read' ? [term.left, term.right] : [term.right, term.left];
  if (read.kind !== 'read' || !isConst(value) || assigned.has(read.index)) return null;
  const e = run.events[read.index];
  if (!e || e.kind !== 'R' || e.location === null) return null;
  let last: (typeof run.events)[number] | null = null;
  for (let i = 0; i < read.index; i++) {
    const w = run.events[i]!;
    if (w.location === e.location && (w.kind === 'W' || w.kind === 'LKW' || w.kind === 'UL')) last = w;
  }
  const own = last === null ? null : last.kind === 'W' ? valuesOf(run, last.value, held) : 'any';
  return { location: e.location, value: value.value, equal: holds, own };
}

function assumptionsOf(run: ThreadRun, held: ReadonlyMap<string, ValueSet>): Assumption[] {
  // A read a constraint assigns its value (a successful cmpxchg()'s) may take it out of thin air: left alone.
  const assigned = new Set(run.constraints.flatMap((c) => (c.assigns ? [c.assigns.read] : [])));
  return run.constraints.map((c) => assumptionOf(run, c.term, c.holds, assigned, held)).filter((a): a is Assumption => a !== null);
}

function meets(values: Value[] | 'any' | undefined, a: Assumption): boolean {
  if (values === undefined) return false;
  if (values === 'any') return true;
  return values.some((v) => sameValue(v, a.value) === a.equal);
}

/**
 * A check of partial combinations of runs, thread by thread: `supported(chosen)`
 * is false when some assumption of the chosen runs can be met by no write.
 */
export class RunSupport {
  /** Per run, its assumptions. */
  private readonly assumptions: Map<ThreadRun, Assumption[]>;
  private readonly writes: Map<ThreadRun, Writes>;
  /** Per thread, what any of its runs may write. */
  private readonly anyRunWrites: Writes[];
  /** Whether any run assumes anything: if not, every combination is supported. */
  readonly useful: boolean;

  constructor(private readonly program: Program) {
    this.assumptions = new Map();
    this.writes = new Map();
    this.anyRunWrites = program.runs.map((runs) => {
      const all: Writes = new Map();
      for (const run of runs) {
        this.assumptions.set(run, assumptionsOf(run, program.held));
        this.writes.set(run, writesOf(run, program.held));
        writesOf(run, program.held, all);
      }
      return all;
    });
    this.useful = [...this.assumptions.values()].some((a) => a.length > 0);
  }

  /** Whether every assumption of the runs chosen for threads 0 .. chosen.length-1 could be met. */
  supported(chosen: readonly ThreadRun[]): boolean {
    const T = this.program.runs.length;
    for (let reader = 0; reader < chosen.length; reader++) {
      for (const a of this.assumptions.get(chosen[reader]!)!) {
        if (a.own === null) {
          const initial = this.program.initial.get(a.location);
          if (initial !== undefined && sameValue(initial, a.value) === a.equal) continue;
        } else if (meets(a.own, a)) continue;
        let met = false;
        for (let t = 0; t < T && !met; t++) if (t !== reader) met = meets((t < chosen.length ? this.writes.get(chosen[t]!)! : this.anyRunWrites[t]!).get(a.location), a);
        if (!met) return false;
      }
    }
    return true;
  }
}
