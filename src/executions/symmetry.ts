/**
 * Threads with the same code: counting each execution once per orbit.
 *
 * When threads run identical code (same parameters, same body, same initial
 * registers), renaming them maps every candidate execution to another one,
 * and the memory model, which only asks whether two events are on the same
 * thread, gives both the same verdict. The enumeration can then look at one
 * execution per orbit and count the others combinatorially: for N
 * interchangeable threads, up to N! executions for the price of one. The
 * final state of each renamed execution is the original's with the
 * registers moved to their new threads, so the condition is still evaluated
 * on every execution, and the counts stay exactly those of the full
 * enumeration.
 *
 * Which execution of an orbit is looked at: the threads of each class must
 * first appear (write to some location, in the order the enumeration places
 * writes in coherence order, location after location) in increasing order,
 * so that the ones that appear are the class's lowest-numbered. Threads of a
 * class that never write remain interchangeable; among those renamings the
 * execution whose description (`executionKey`) is least is the one counted.
 */

import type { LitmusTest, Stmt } from '../litmus/ast.js';
import type { Program } from '../events/program.js';
import type { ThreadRun } from '../events/semantics.js';
import type { Candidate } from './candidate.js';

export interface ThreadSymmetry {
  /** Per thread, its class: threads with identical code share one. */
  readonly classOf: readonly number[];
  /** Per class, its threads in increasing order. */
  readonly classes: readonly (readonly number[])[];
  /** How many renamings there are: the product of the classes' sizes' factorials. */
  readonly size: number;
}

/** Renamings beyond this many are not worth enumerating per counted execution: the test is enumerated in full. */
const MAX_RENAMINGS = 50_000;

/** A thread's code and initial registers, with positions and its number left out. */
function threadSignature(test: LitmusTest, t: number): string {
  const thread = test.threads[t]!;
  const noPositions = (key: string, value: unknown): unknown => (key === 'pos' || key === 'calleePos' ? undefined : value);
  const params = thread.params.map((p) => `${p.type.text} ${p.name}`).join(',');
  const body = JSON.stringify(thread.body satisfies readonly Stmt[], noPositions);
  const init = test.init
    .filter((e) => e.kind === 'register' && e.thread === thread.id)
    .map((e) => JSON.stringify(e, (k, v: unknown) => (k === 'thread' ? undefined : noPositions(k, v))))
    .sort()
    .join(';');
  return `${params}\n${body}\n${init}`;
}

/** The classes of interchangeable threads, or null when no two threads are alike (or too many renamings). */
export function threadSymmetry(program: Program): ThreadSymmetry | null {
  const { test } = program;
  const T = test.threads.length;
  const bySignature = new Map<string, number[]>();
  for (let t = 0; t < T; t++) {
    const sig = threadSignature(test, t);
    const members = bySignature.get(sig);
    if (members) members.push(t);
    else bySignature.set(sig, [t]);
  }
  const classes = [...bySignature.values()];
  if (classes.every((c) => c.length === 1)) return null;
  // The runs of identical threads must line up one for one (they are built the same way).
  for (const c of classes) if (c.some((t) => program.runs[t]!.length !== program.runs[c[0]!]!.length)) return null;
  let size = 1;
  for (const c of classes) for (let k = 2; k <= c.length; k++) size *= k;
  if (size > MAX_RENAMINGS) return null;
  const classOf = new Array<number>(T);
  classes.forEach((c, i) => c.forEach((t) => (classOf[t] = i)));
  return { classOf, classes, size };
}

/**
 * Tracks which threads have appeared (written) so far, and rejects a thread
 * that appears before a lower-numbered thread of its class.
 */
export class Appearance {
  private readonly seen: boolean[];
  private readonly nextOfClass: number[];

  constructor(private readonly symmetry: ThreadSymmetry) {
    this.seen = new Array<boolean>(symmetry.classOf.length).fill(false);
    this.nextOfClass = new Array<number>(symmetry.classes.length).fill(0);
  }

  copy(): Appearance {
    const c = new Appearance(this.symmetry);
    this.seen.forEach((s, t) => (c.seen[t] = s));
    this.nextOfClass.forEach((k, i) => (c.nextOfClass[i] = k));
    return c;
  }

  /** Records thread t writing; false when it comes out of turn. */
  write(t: number): boolean {
    if (t < 0 || this.seen[t]) return true;
    const cls = this.symmetry.classOf[t]!;
    if (this.symmetry.classes[cls]![this.nextOfClass[cls]!] !== t) return false;
    this.seen[t] = true;
    this.nextOfClass[cls]!++;
    return true;
  }
}

/**
 * Whether a combination of runs can give an execution the enumeration
 * produces: within each class, the threads that write come before those
 * that do not (the writers are the ones that appear, lowest-numbered first).
 */
export function writersFirst(runs: readonly ThreadRun[], symmetry: ThreadSymmetry): boolean {
  for (const members of symmetry.classes) {
    let idleSeen = false;
    for (const t of members) {
      const writes = runs[t]!.events.some((e) => e.kind === 'W' || e.kind === 'LKW');
      if (writes && idleSeen) return false;
      if (!writes) idleSeen = true;
    }
  }
  return true;
}

/** Every renaming: perm[t] is the new number of thread t. */
export function* renamings(symmetry: ThreadSymmetry, movable: (t: number) => boolean = () => true): Generator<readonly number[]> {
  const T = symmetry.classOf.length;
  const perm = Array.from({ length: T }, (_, t) => t);
  const groups = symmetry.classes.map((c) => c.filter(movable)).filter((g) => g.length > 1);
  function* group(g: number): Generator<readonly number[]> {
    if (g === groups.length) {
      yield perm;
      return;
    }
    const members = groups[g]!;
    // Every assignment of the group's numbers to its members.
    const used = new Array<boolean>(members.length).fill(false);
    function* place(k: number): Generator<readonly number[]> {
      if (k === members.length) {
        yield* group(g + 1);
        return;
      }
      for (let j = 0; j < members.length; j++) {
        if (used[j]) continue;
        used[j] = true;
        perm[members[k]!] = members[j]!;
        yield* place(k + 1);
        used[j] = false;
      }
      perm[members[k]!] = members[k]!;
    }
    yield* place(0);
  }
  yield* group(0);
}

/**
 * A description of an execution with its threads renamed by `perm`: which
 * run each thread took, and rf and co between events named by (thread,
 * position in the thread). Equal descriptions mean the same execution.
 */
export function executionKey(x: Candidate, program: Program, perm: readonly number[]): string {
  const sk = x.skeleton;
  const name = (id: number): string => {
    const e = sk.events[id]!;
    return e.thread < 0 ? `i${e.location}` : `${perm[e.thread]}.${e.index}`;
  };
  const runs = new Array<number>(perm.length);
  sk.runs.forEach((run, t) => (runs[perm[t]!] = program.runs[t]!.indexOf(run)));
  const pairs = (tag: string, r: Candidate['rf']): string[] => [...r.pairs()].map(([a, b]) => `${tag}${name(a)}>${name(b)}`);
  return `${runs.join(',')}|${[...pairs('rf', x.rf), ...pairs('co', x.co)].sort().join(' ')}`;
}

/** Which threads of a candidate have a write placed in coherence order (and so have appeared): the kinds the enumeration orders. */
function writers(x: Candidate): Set<number> {
  const out = new Set<number>();
  for (const e of x.skeleton.events) if (e.thread >= 0 && (e.kind === 'W' || e.kind === 'LKW')) out.add(e.thread);
  return out;
}

export interface Orbit {
  /** Whether this execution is the one of its orbit that is counted. */
  readonly counted: boolean;
  /** How many renamings leave it unchanged: each distinct execution of the orbit is reached by this many renamings. */
  readonly stabilizer: number;
}

/**
 * For an execution the enumeration produced: whether it is its orbit's
 * counted one, and its stabilizer. Only renamings of threads that never
 * write can map it to another execution the enumeration also produces.
 */
export function orbitOf(x: Candidate, program: Program, symmetry: ThreadSymmetry): Orbit {
  const wrote = writers(x);
  const idle = (t: number): boolean => !wrote.has(t);
  const identity = Array.from({ length: symmetry.classOf.length }, (_, t) => t);
  if (!symmetry.classes.some((c) => c.filter(idle).length > 1)) return { counted: true, stabilizer: 1 };
  const own = executionKey(x, program, identity);
  let stabilizer = 0;
  for (const perm of renamings(symmetry, idle)) {
    const key = executionKey(x, program, perm);
    if (key < own) return { counted: false, stabilizer: 0 };
    if (key === own) stabilizer++;
  }
  return { counted: true, stabilizer };
}
