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
 * execution whose idle threads are sorted by what they read is the one
 * counted (`orbitOf`).
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

/**
 * A thread's code and initial registers, with positions and its number left
 * out. With `byPosition`, its parameters are numbered instead of named (so
 * that two threads alike once their locations are renamed have the same
 * signature, see rotation.ts).
 */
export function threadSignature(test: LitmusTest, t: number, byPosition = false): string {
  const thread = test.threads[t]!;
  const position = new Map(thread.params.map((p, i) => [p.name, i]));
  const replace = (key: string, value: unknown): unknown => {
    if (key === 'pos' || key === 'calleePos') return undefined;
    if (byPosition && key === 'name' && typeof value === 'string' && position.has(value)) return `#${position.get(value)}`;
    return value;
  };
  const params = thread.params.map((p) => (byPosition ? p.type.text : `${p.type.text} ${p.name}`)).join(',');
  const body = JSON.stringify(thread.body satisfies readonly Stmt[], replace);
  const init = test.init
    .filter((e) => e.kind === 'register' && e.thread === thread.id)
    .map((e) => JSON.stringify(e, (k, v: unknown) => (k === 'thread' ? undefined : replace(k, v))))
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

/** The kinds of events the enumeration places in coherence order one by one (unlocks follow their lock write). */
const placedInCoherence = (kind: string): boolean => kind === 'W' || kind === 'LKW';

/**
 * Whether a combination of runs can give an execution the enumeration
 * produces: within each class, the threads that write come before those
 * that do not (the writers are the ones that appear, lowest-numbered first).
 */
export function writersFirst(runs: readonly ThreadRun[], symmetry: ThreadSymmetry): boolean {
  for (const members of symmetry.classes) {
    let idleSeen = false;
    for (const t of members) {
      const writes = runs[t]!.events.some((e) => placedInCoherence(e.kind));
      if (writes && idleSeen) return false;
      if (!writes) idleSeen = true;
    }
  }
  return true;
}

/** Every renaming: perm[t] is the new number of thread t. */
export function* renamings(symmetry: ThreadSymmetry): Generator<readonly number[]> {
  const T = symmetry.classOf.length;
  const perm = Array.from({ length: T }, (_, t) => t);
  const groups = symmetry.classes.filter((g) => g.length > 1);
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

/** Which threads of a candidate have a write placed in coherence order (and so have appeared): the kinds the enumeration orders. */
function writers(x: Candidate): Set<number> {
  const out = new Set<number>();
  for (const e of x.skeleton.events) if (e.thread >= 0 && placedInCoherence(e.kind)) out.add(e.thread);
  return out;
}

/**
 * What tells a thread that never writes apart from the others of its class:
 * the run it took and where each of its reads reads from (writes named by
 * thread and position, which renaming idle threads leaves alone).
 */
function idleSignature(x: Candidate, program: Program, t: number): string {
  const sk = x.skeleton;
  const parts = [String(program.runs[t]!.indexOf(sk.runs[t]!))];
  for (const [w, r] of x.rf.pairs()) {
    if (sk.events[r]!.thread !== t) continue;
    const e = sk.events[w]!;
    parts.push(`${sk.events[r]!.index}<${e.thread < 0 ? `i${e.location}` : `${e.thread}.${e.index}`}`);
  }
  return parts.join(' ');
}

export interface Orbit {
  /** Whether this execution is the one of its orbit that is counted. */
  readonly counted: boolean;
  /** How many renamings leave it unchanged: each distinct execution of the orbit is reached by this many renamings. */
  readonly stabilizer: number;
}

/**
 * For an execution the enumeration produced: whether it is its orbit's
 * counted one, and its stabilizer. The enumeration fixed the numbering of
 * the threads that write; only the idle threads of a class can still be
 * renamed into one another, and two renamings give the same execution
 * exactly when they agree up to swapping idle threads with equal
 * signatures. So the counted execution is the one whose idle threads'
 * signatures increase with their numbers, and the stabilizer is the product
 * of the factorials of the signatures' multiplicities.
 */
export function orbitOf(x: Candidate, program: Program, symmetry: ThreadSymmetry): Orbit {
  const wrote = writers(x);
  let stabilizer = 1;
  for (const members of symmetry.classes) {
    const idle = members.filter((t) => !wrote.has(t));
    if (idle.length < 2) continue;
    const signatures = idle.map((t) => idleSignature(x, program, t));
    let run = 1;
    for (let i = 1; i < signatures.length; i++) {
      if (signatures[i]! < signatures[i - 1]!) return { counted: false, stabilizer: 0 };
      run = signatures[i] === signatures[i - 1] ? run + 1 : 1;
      stabilizer *= run;
    }
  }
  return { counted: true, stabilizer };
}
