/**
 * Events in words: "P0's write of x=1 (line 5)", for explanations.
 */

import { showValue } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';

/** `P0` or `init`. */
export function cpu(e: Event): string {
  return e.thread < 0 ? 'init' : `P${e.thread}`;
}

function lineOf(e: Event): string {
  return e.origin ? `line ${e.origin.line}` : 'initial state';
}

function valueText(x: Candidate, e: Event): string {
  const v = x.values[e.id];
  return v === null || v === undefined ? '' : `=${showValue(v)}`;
}

/** A short name for an event, as on a diagram: `W x=1`, `R y=0`, `smp_mb()`, `LKW l`. */
export function eventLabel(x: Candidate, e: Event): string {
  switch (e.kind) {
    case 'R': return `R ${e.location}${valueText(x, e)}`;
    case 'W': return e.thread < 0 ? `init ${e.location}${valueText(x, e)}` : `W ${e.location}${valueText(x, e)}`;
    case 'F': return `${e.origin?.primitive ?? 'fence'}()`;
    case 'SRCU': return `synchronize_srcu(${e.location})`;
    default: return `${e.kind} ${e.location}`;
  }
}

/** A phrase naming an event: "P0's write of x=1 (line 5)". */
export function eventPhrase(x: Candidate, e: Event): string {
  const where = lineOf(e);
  switch (e.kind) {
    case 'R': return `${cpu(e)}'s read of ${e.location}${valueText(x, e)} (${where})`;
    case 'W': return e.thread < 0 ? `the initial value of ${e.location}${valueText(x, e)}` : `${cpu(e)}'s write of ${e.location}${valueText(x, e)} (${where})`;
    case 'F': return `${cpu(e)}'s ${e.origin?.primitive ?? 'fence'}() (${where})`;
    case 'LKR': case 'LKW': return `${cpu(e)}'s spin_lock(${e.location}) (${where})`;
    case 'UL': return `${cpu(e)}'s spin_unlock(${e.location}) (${where})`;
    case 'LF': return `${cpu(e)}'s failed spin_trylock(${e.location}) (${where})`;
    case 'RL': case 'RU': return `${cpu(e)}'s spin_is_locked(${e.location}) (${where})`;
    case 'SRCU': return `${cpu(e)}'s synchronize_srcu(${e.location}) (${where})`;
  }
}

/** "the write of x (line 5)": an access on the same CPU as the speaker. */
export function ownAccess(e: Event): string {
  return `the ${access(e)}`;
}

/** "write of x (line 5)", without an article. */
export function access(e: Event): string {
  const what = e.kind === 'W' || e.kind === 'LKW' || e.kind === 'UL' ? 'write' : e.kind === 'F' || e.kind === 'SRCU' ? (e.origin?.primitive ?? 'fence') : 'read';
  return `${what} of ${e.location ?? ''} (line ${e.origin?.line ?? '?'})`.replace(' of  ', ' ');
}
