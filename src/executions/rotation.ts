/**
 * Threads that are alike once their locations are renamed: counting each
 * execution of a ring once per rotation.
 *
 * In a ring, thread i runs the same code as thread i+1 with its locations
 * shifted (`P0(l, x0, x1)`, `P1(l, x1, x2)`, ..., the last back to x0).
 * Moving every thread one place on and renaming the locations the same way
 * maps each candidate execution to another one, and the memory model, which
 * only asks whether two events share a thread or a location, gives both the
 * same verdict. No two threads are identical, so `symmetry.ts` finds
 * nothing; the rotations form a group of their own.
 *
 * Which execution of an orbit is looked at: a location every rotation
 * leaves in place (the ring's lock, say) is the anchor, and the thread
 * whose write comes first in its coherence order must be the ring's first
 * thread. Rotating an execution moves that write to another thread, so
 * exactly one rotation of it passes, and it stands for all N. An execution
 * in which no thread of the ring writes the anchor cannot be told from its
 * rotations this way; it is produced and counted as itself, and so is each
 * of its rotations. The final state of each rotation is the original's with
 * registers moved to their new threads and locations renamed, so the
 * condition is still evaluated on every execution and the counts are those
 * of the full enumeration.
 *
 * Renaming locations must not change any value: a ring is recognised only
 * when no value is an address (no pointers), and its initial state is the
 * same at every location a rotation maps to another.
 */

import type { Stmt } from '../litmus/ast.js';
import type { Program } from '../events/program.js';
import type { Term } from '../events/terms.js';
import { isAddress, sameValue } from '../events/types.js';
import type { Candidate } from './candidate.js';
import { threadSignature } from './symmetry.js';

export interface RingSymmetry {
  /** The threads of the ring, in ring order: the rotation takes `cycle[i]` to `cycle[i + 1]`. */
  readonly cycle: readonly number[];
  /** The rotation of the locations: where one step takes each location (absent: it stays). */
  readonly next: ReadonlyMap<string, string>;
  /** The location no rotation moves whose first writer in coherence order picks the counted execution. */
  readonly anchor: string;
}

/** A renaming of one execution into another of its orbit: which original thread each thread is, and which original location each location is. */
export interface Renaming {
  readonly threadFrom: readonly number[];
  readonly locationFrom: (location: string) => string;
}

/** Every name a thread's code mentions (locations and registers alike). */
function namesIn(body: readonly Stmt[]): Set<string> {
  const names = new Set<string>();
  JSON.stringify(body, (key, value: unknown) => {
    if (key === 'name' && typeof value === 'string') names.add(value);
    return value;
  });
  return names;
}

/** Whether a term mentions an address (a pointer value). */
function hasAddress(t: Term): boolean {
  switch (t.kind) {
    case 'const': return isAddress(t.value);
    case 'read': return false;
    case 'binary': return hasAddress(t.left) || hasAddress(t.right);
    default: return hasAddress(t.operand);
  }
}

/** Whether any value of the program can be an address: then renaming locations would change values. */
function usesAddresses(program: Program): boolean {
  if ([...program.initial.values()].some((v) => isAddress(v))) return true;
  for (const runs of program.runs) {
    for (const run of runs) {
      if (run.events.some((e) => e.value !== null && hasAddress(e.value))) return true;
      if ([...run.registers.values()].some(hasAddress)) return true;
      if (run.constraints.some((c) => hasAddress(c.term) || (c.assigns !== undefined && hasAddress(c.assigns.value)))) return true;
      if (run.computed.some(hasAddress)) return true;
    }
  }
  return false;
}

/**
 * The ring formed by all of a program's threads, taken in order, or null
 * when they do not form one: each thread's code must be the previous one's
 * with its parameters renamed, the renaming one permutation of the
 * locations that N steps bring back, leaving the initial state alone, with
 * no pointers, and with a location it does not move that the threads write.
 */
export function ringSymmetry(program: Program): RingSymmetry | null {
  const { test } = program;
  const T = test.threads.length;
  if (T < 2) return null;
  const shape = threadSignature(test, 0, true);
  for (let t = 1; t < T; t++) if (threadSignature(test, t, true) !== shape) return null;
  for (let t = 1; t < T; t++) if (program.runs[t]!.length !== program.runs[0]!.length) return null;
  const next = new Map<string, string>();
  for (let t = 0; t < T; t++) {
    const from = test.threads[t]!.params;
    const to = test.threads[(t + 1) % T]!.params;
    for (let k = 0; k < from.length; k++) {
      const seen = next.get(from[k]!.name);
      if (seen !== undefined && seen !== to[k]!.name) return null;
      next.set(from[k]!.name, to[k]!.name);
    }
  }
  // A permutation of the locations: no two go to one, and N steps bring each back.
  if (new Set(next.values()).size !== next.size) return null;
  for (const target of next.values()) if (!next.has(target)) return null;
  for (const start of next.keys()) {
    let at = start;
    for (let k = 0; k < T; k++) at = next.get(at)!;
    if (at !== start) return null;
  }
  for (const [from, to] of next) {
    const a = program.initial.get(from);
    const b = program.initial.get(to);
    if (a === undefined || b === undefined || !sameValue(a, b)) return null;
  }
  // A location a body names without taking it as a parameter is the same in every thread: no rotation may move it.
  for (const thread of test.threads) {
    const params = new Set(thread.params.map((p) => p.name));
    for (const name of namesIn(thread.body)) if (!params.has(name) && program.initial.has(name) && (next.get(name) ?? name) !== name) return null;
  }
  const declared = (loc: string): string => test.init.filter((e) => e.kind === 'location' && e.location === loc).map((e) => (e.kind === 'location' ? e.type?.text ?? '' : '')).join();
  for (const [from, to] of next) if (declared(from) !== declared(to)) return null;
  if (next.size === 0 || [...next].every(([a, b]) => a === b) || usesAddresses(program)) return null;
  const written = new Set<string>();
  for (const run of program.runs[0]!) for (const e of run.events) if ((e.kind === 'W' || e.kind === 'LKW') && e.location !== null) written.add(e.location);
  const anchor = program.locations.find((loc) => (next.get(loc) ?? loc) === loc && written.has(loc));
  if (anchor === undefined) return null;
  return { cycle: Array.from({ length: T }, (_, t) => t), next, anchor };
}

/** Whether some thread of the ring writes the anchor in this execution's runs: then it stands for its N rotations. */
export function anchoredInRing(x: Candidate, ring: RingSymmetry): boolean {
  return x.skeleton.events.some((e) => e.thread >= 0 && e.location === ring.anchor && (e.kind === 'W' || e.kind === 'LKW'));
}

/** The rotations of an execution the ring's anchor picked: k steps on, for k = 0 .. N-1. */
export function* rotations(ring: RingSymmetry): Generator<Renaming> {
  const T = ring.cycle.length;
  const previous = new Map<string, string>();
  for (const [from, to] of ring.next) previous.set(to, from);
  for (let k = 0; k < T; k++) {
    // After k steps, thread t holds what thread t - k held, and location l is what k steps back from it was.
    const threadFrom = Array.from({ length: T }, (_, t) => (t - k + T) % T);
    const locationFrom = (location: string): string => {
      let at = location;
      for (let s = 0; s < k; s++) at = previous.get(at) ?? at;
      return at;
    };
    yield { threadFrom, locationFrom };
  }
}
