/**
 * A candidate execution: a skeleton plus a reads-from choice for every read
 * and a coherence order of the writes to each location. The memory model
 * decides whether it is allowed.
 */

import type { Relation } from '../relations/algebra.js';
import type { Value } from '../events/types.js';
import type { Skeleton } from './skeleton.js';

export interface Candidate {
  readonly skeleton: Skeleton;
  /** Reads-from: write → read. For lock events, as lock.cat completes it. */
  readonly rf: Relation;
  /** Coherence order: transitive, total on the writes of each location (unlocks merged after their locks). */
  readonly co: Relation;
  /**
   * The value of every event that has one (reads: what they read; writes:
   * what they wrote), by event id; null for fences. A value that only an
   * out-of-thin-air cycle determines is an `Unsolved` symbol.
   */
  readonly values: readonly (Value | null)[];
  /** The value of every location at the end (its co-last write). */
  readonly finalValues: ReadonlyMap<string, Value>;
  /** The value of every register of every thread at the end. */
  readonly registers: readonly ReadonlyMap<string, Value>[];
  /**
   * Set by the enumeration when the model is known to allow this candidate
   * without checking its axioms: every completion of a partial choice was
   * shown allowed at once (see `EnumerateOptions.allowsEvery`). Its flags
   * are still to be computed.
   */
  readonly allowedByBound?: boolean;
  /**
   * Set on the partial executions the enumeration asks a monotone model
   * about: rf and co as chosen so far (every completion has more), or, for
   * an upper bound, every edge a completion could still have. No values.
   */
  readonly partial?: boolean;
}
