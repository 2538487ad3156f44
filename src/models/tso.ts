/**
 * x86-TSO, with the kernel's x86 mapping of its primitives: smp_mb() is an
 * MFENCE; every atomic RMW (xchg(), cmpxchg() even when it fails, the
 * atomic_*() operations, the read and write of spin_lock()) is a LOCK-prefixed
 * instruction and so a full fence; synchronize_rcu() and synchronize_srcu()
 * imply smp_mb(). smp_rmb(), smp_wmb(), barrier(), acquire and release, the
 * smp_mb__*() helpers and rcu_read_lock() compile to nothing but a compiler
 * barrier, because TSO already keeps loads in order, stores in order, and
 * loads before later stores. Only a store followed by a load may be
 * reordered (the store buffer). RCU's grace-period guarantee is not
 * modelled beyond the fence.
 */

import { defineCoherence, defineExecution, defineLocks, fencerel, id, seq, union } from './base.js';
import { ModelBuilder, type MemoryModel } from './model.js';

const m = new ModelBuilder();
defineExecution(m);
defineLocks(m);
defineCoherence(m);

m.fixed('MFENCE', 'smp_mb(), smp_store_mb(), synchronize_rcu() and synchronize_srcu()', (e) => {
  const s = e.skeleton.sets;
  return s.tag('mb').inter(s.F).union(s.tag('sync-rcu')).union(s.kind.SRCU);
});
m.fixed('LOCKED', 'the events of LOCK-prefixed instructions: every atomic RMW and spin_lock()', (e) => {
  const s = e.skeleton.sets;
  return s.tag('rmw').union(s.kind.LKR).union(s.kind.LKW);
});
m.fixed('ppo', 'program order, except a store before a later load', (e) => {
  const M = e.s('M');
  const po = e.r('po').between(M, M);
  return po.diff(po.between(e.s('W'), e.s('R')));
});
m.fixed('implied-fence', 'MFENCE, and LOCK-prefixed instructions, order everything around them', (e) => {
  const M = e.s('M');
  const locked = e.s('LOCKED');
  return union(fencerel(e, e.s('MFENCE')), seq(e.r('po'), id(locked)), seq(id(locked), e.r('po'))).between(M, M);
});
m.let('tso-order', 'what all CPUs agree on under TSO', (e) =>
  union(e.r('ppo'), e.r('implied-fence'), e.r('rfe'), e.r('co'), e.r('fr')));
m.axiom('acyclic', 'tso-order', 'tso', 'stores reach all other CPUs in one order, and only a store buffer delays them');

// Monotone: tso-order (fixed ppo and fences, with rfe, co and fr) only grows with rf and co.
export const tso: MemoryModel = m.build('tso', 'x86-TSO (the kernel\'s x86 mapping)', { monotone: true });
