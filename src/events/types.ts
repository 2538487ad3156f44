/**
 * Events: what one run of a thread's code does to memory, as the model sees it.
 */

import type { Term } from './terms.js';

/**
 * A value held in a register or a location: an integer, the address of a
 * location, or (rarely) a symbol: a value that an out-of-thin-air cycle of
 * reads and writes leaves undetermined, which herd7 prints as `S<n>`.
 */
export type Value = number | Address | Unsolved;

export interface Address {
  readonly address: string;
}

export interface Unsolved {
  readonly symbol: number;
}

export function address(location: string): Address {
  return { address: location };
}

export function isAddress(v: Value): v is Address {
  return typeof v === 'object' && 'address' in v;
}

export function isUnsolved(v: Value): v is Unsolved {
  return typeof v === 'object' && 'symbol' in v;
}

export function sameValue(a: Value, b: Value): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  if (isAddress(a)) return isAddress(b) && a.address === b.address;
  return isUnsolved(b) && a.symbol === b.symbol;
}

/** How herd7 prints a value: integers in decimal, addresses by the location's name, symbols as S<n>. */
export function showValue(v: Value): string {
  if (typeof v === 'number') return String(v);
  return isAddress(v) ? v.address : `S${v.symbol}`;
}

/** A key that is equal for equal values (for maps and sets). */
export function valueKey(v: Value): string {
  if (typeof v === 'number') return String(v);
  return isAddress(v) ? `&${v.address}` : `$${v.symbol}`;
}

/**
 * The kind of an event. Lock events are reads and writes with their own kinds,
 * as in the kernel's lock.cat: LKR/LKW (the two halves of spin_lock()), UL
 * (spin_unlock()), LF (a failed spin_trylock()), RL/RU (spin_is_locked()
 * returning true/false). `SRCU` is synchronize_srcu(): it has a location but
 * does not access memory.
 */
export type EventKind = 'R' | 'W' | 'F' | 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU' | 'SRCU';

/** The annotations the model's sets are built from. */
export type Tag =
  // access annotations
  | 'once' | 'release' | 'acquire' | 'mb' | 'noreturn'
  // the event comes from a read-modify-write primitive (even a failed one)
  | 'rmw'
  // fence annotations
  | 'wmb' | 'rmb' | 'barrier'
  | 'rcu-lock' | 'rcu-unlock' | 'sync-rcu'
  | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock' | 'after-srcu-read-unlock'
  // SRCU
  | 'srcu-lock' | 'srcu-unlock' | 'sync-srcu';

/** Where an event comes from in the litmus source, for explanations. */
export interface Origin {
  /** The primitive or C construct: `READ_ONCE`, `smp_mb`, `plain write`, `initial state`. */
  readonly primitive: string;
  readonly line: number;
  readonly col: number;
}

/** One event of one thread run (before it is placed in a candidate execution). */
export interface ThreadEvent {
  readonly kind: EventKind;
  readonly location: string | null;
  /** A read's value is the term for itself; a write's value may depend on earlier reads. */
  readonly value: Term | null;
  readonly tags: ReadonlySet<Tag>;
  readonly origin: Origin;
}

export function isRead(kind: EventKind): boolean {
  return kind === 'R' || kind === 'LKR' || kind === 'LF' || kind === 'RL' || kind === 'RU';
}

export function isWrite(kind: EventKind): boolean {
  return kind === 'W' || kind === 'LKW' || kind === 'UL';
}
