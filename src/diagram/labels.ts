/**
 * How the diagrams name events: `W x=1`, `R[acquire] y=0`, `smp_wmb()`,
 * `spin_lock(l): takes it`, with the thread (`P0`) and the source line. Shared by the
 * Mermaid and plain-text renderings so that they say the same thing.
 */

import { showValue } from '../events/types.js';
import type { Tag } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';

/** The kernel function each fence tag comes from. */
const FENCE_NAMES: Readonly<Partial<Record<Tag, string>>> = {
  mb: 'smp_mb',
  rmb: 'smp_rmb',
  wmb: 'smp_wmb',
  barrier: 'barrier',
  'rcu-lock': 'rcu_read_lock',
  'rcu-unlock': 'rcu_read_unlock',
  'sync-rcu': 'synchronize_rcu',
  'before-atomic': 'smp_mb__before_atomic',
  'after-atomic': 'smp_mb__after_atomic',
  'after-spinlock': 'smp_mb__after_spinlock',
  'after-unlock-lock': 'smp_mb__after_unlock_lock',
  'after-srcu-read-unlock': 'smp_mb__after_srcu_read_unlock',
};

/**
 * Access annotations worth showing, most telling first. `once` is the
 * default and is not shown; an access with no annotation at all is plain C.
 */
const SHOWN_ANNOTATIONS: readonly Tag[] = ['acquire', 'release', 'mb', 'srcu-lock', 'srcu-unlock', 'noreturn'];

/** `P0`, `P1`, ...; `init` for the initial writes. */
export function threadName(thread: number): string {
  return thread < 0 ? 'init' : `P${thread}`;
}

/** The fence's kernel function (`smp_wmb`), or null for an event that is not a fence. */
export function fenceName(e: Event): string | null {
  if (e.kind !== 'F') return null;
  for (const t of e.tags) {
    const name = FENCE_NAMES[t];
    if (name !== undefined) return name;
  }
  return e.origin?.primitive ?? 'fence';
}

/** The short text of an event: `W x=1`, `R[acquire] y=0`, `smp_mb()`, `spin_lock(l): takes it`, `synchronize_srcu(s)`. */
export function eventText(x: Candidate, id: number): string {
  const e = x.skeleton.events[id]!;
  switch (e.kind) {
    case 'F':
      return `${fenceName(e)}()`;
    case 'SRCU':
      return `${e.origin?.primitive ?? 'synchronize_srcu'}(${e.location ?? ''})`;
    case 'R':
    case 'W': {
      const value = x.values[id];
      const shown = value === null || value === undefined ? '' : `=${showValue(value)}`;
      return `${e.kind}${annotation(e)} ${e.location ?? '?'}${shown}`;
    }
    default:
      return lockText(e);
  }
}

/** What each kind of lock event says, after its call: spin_lock() reads the lock free and then takes it. */
const LOCK_EVENTS: Readonly<Record<string, string>> = {
  LKR: ': reads it free',
  LKW: ': takes it',
  UL: '',
  LF: ': finds it taken',
  RL: ': taken',
  RU: ': free',
};

/** A lock event in the words of its call: `spin_lock(l): takes it`, `spin_unlock(l)`, `spin_is_locked(l): free`. */
function lockText(e: Event): string {
  const call = e.origin?.primitive ?? (e.kind === 'UL' ? 'spin_unlock' : e.kind === 'RL' || e.kind === 'RU' ? 'spin_is_locked' : 'spin_lock');
  return `${call}(${e.location ?? '?'})${LOCK_EVENTS[e.kind] ?? ` ${e.kind}`}`;
}

/** `[acquire]`, `[plain]`, or nothing for a READ_ONCE()/WRITE_ONCE() access and for initial writes. */
function annotation(e: Event): string {
  if (e.thread < 0) return '';
  const shown = SHOWN_ANNOTATIONS.find((t) => e.tags.has(t));
  if (shown !== undefined) return `[${shown}]`;
  return e.tags.size === 0 ? '[plain]' : '';
}

/** An initial write as a value: `x = 0`. */
export function initialValueText(x: Candidate, id: number): string {
  const value = x.values[id];
  return `${x.skeleton.events[id]!.location ?? '?'} = ${value === null || value === undefined ? '?' : showValue(value)}`;
}

/** The event with its thread: `P0:W x=1`, `init:W x=0`. */
export function qualifiedText(x: Candidate, id: number): string {
  return `${threadName(x.skeleton.events[id]!.thread)}:${eventText(x, id)}`;
}

/** The source line of an event, or null for an initial write. */
export function sourceLine(e: Event): number | null {
  return e.origin?.line ?? null;
}

export function isMemoryAccess(e: Event): boolean {
  return e.kind !== 'F' && e.kind !== 'SRCU';
}

/** The thread indices of a candidate, in order. */
export function threadsOf(x: Candidate): number[] {
  return x.skeleton.runs.map((run) => run.thread);
}

/** The events of one thread, in program order. */
export function threadEvents(x: Candidate, thread: number): Event[] {
  return x.skeleton.events.filter((e) => e.thread === thread);
}
