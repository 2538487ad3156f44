/**
 * The static part of the kernel's lock.cat: how the lock events of a skeleton
 * pair up. These relations decide which rf and co choices exist for lock
 * events, and the LKMM uses them again in its lock axioms and flags.
 */

import { EventSet, Relation } from '../relations/algebra.js';
import type { Skeleton } from './skeleton.js';

export interface LockStructure {
  /** `lk-rmw`: each LKR with the LKW that immediately follows it. */
  readonly lkRmw: Relation;
  /** `critical`: each LKW with the UL that ends its critical section. */
  readonly critical: Relation;
  /** LKW events without an unlock. */
  readonly unmatchedLkw: EventSet;
  /** LF events: failed trylocks and spin_is_locked() returning true (RL). */
  readonly lf: EventSet;
  /** `rfi-lf`: an LF inside its own thread's critical section reads from that section's LKW. */
  readonly rfiLf: Relation;
  /** `rfi-ru`: an RU reads from the last UL before it in its own thread. */
  readonly rfiRu: Relation;
}

const cache = new WeakMap<Skeleton, LockStructure>();

export function lockStructure(sk: Skeleton): LockStructure {
  let s = cache.get(sk);
  if (!s) {
    s = computeLockStructure(sk);
    cache.set(sk, s);
  }
  return s;
}

function computeLockStructure(sk: Skeleton): LockStructure {
  const { po, loc } = sk;
  const k = sk.sets.kind;
  const poLoc = po.inter(loc);
  const lkRmw = poLoc.between(k.LKR, k.LKW).diff(po.seq(po));
  const lkwOrUl = k.LKW.union(k.UL);
  const critical = poLoc.between(k.LKW, k.UL).diff(poLoc.restrictRange(lkwOrUl).seq(poLoc));
  const unmatchedLkw = k.LKW.diff(critical.domain());
  const lf = k.LF.union(k.RL);
  const rfiLf = poLoc.between(k.LKW, lf).diff(poLoc.between(k.LKW, k.UL).seq(poLoc));
  const rfiRu = poLoc.between(k.UL, k.RU).diff(poLoc.between(k.UL, k.UL).seq(poLoc));
  return { lkRmw, critical, unmatchedLkw, lf, rfiLf, rfiRu };
}
