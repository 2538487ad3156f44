/**
 * What every model shares: the shorthands of the relation algebra, the
 * relations any execution has (program order, rf, co, fr, ...), and the
 * spinlock rules of the kernel's lock.cat, which say how lock events pair up
 * whatever the memory model.
 */

import { EventSet, Relation } from '../relations/algebra.js';
import { lockStructure } from '../executions/locks.js';
import type { Env, ModelBuilder } from './model.js';

/** `r1 ; r2 ; ...` */
export const seq = (...rs: Relation[]): Relation => rs.reduce((a, b) => a.seq(b));
/** `r1 | r2 | ...` */
export const union = (...rs: Relation[]): Relation => rs.reduce((a, b) => a.union(b));
/** `[S]` */
export const id = (s: EventSet): Relation => Relation.identity(s);
/** `fencerel(S) = po ; [S] ; po`: pairs of events with an event of S between them. */
export const fencerel = (env: Env, s: EventSet): Relation => seq(env.r('po').restrictRange(s), env.r('po'));

/** Events, program order, rf, co and fr. */
export function defineExecution(m: ModelBuilder): void {
  m.fixed('IW', 'the initial writes, one per location', (e) => e.skeleton.sets.IW);
  m.fixed('po', 'program order: earlier to later events of one thread', (e) => e.skeleton.po);
  m.fixed('loc', 'pairs of events on the same location', (e) => e.skeleton.loc);
  m.fixed('int', 'pairs of events of the same thread', (e) => e.skeleton.int);
  m.fixed('ext', 'pairs of events of different threads (initial writes belong to none)', (e) => e.skeleton.ext);
  m.fixed('po-loc', 'program order between events on the same location', (e) => e.r('po').inter(e.r('loc')));
  m.fixed('R', 'reads, lock reads included', (e) => e.skeleton.sets.R);
  m.fixed('W', 'writes, lock writes and unlocks included', (e) => e.skeleton.sets.W);
  m.fixed('M', 'memory accesses', (e) => e.skeleton.sets.M);
  m.fixed('F', 'fences', (e) => e.skeleton.sets.F);
  m.fixed('lk-rmw', 'each lock read with its lock write', (e) => lockStructure(e.skeleton).lkRmw);
  m.fixed('rmw', 'read-modify-write pairs: atomic RMWs and spin_lock()', (e) => e.skeleton.rmw.union(e.r('lk-rmw')));
  m.let('rf', 'reads-from: each write to the reads that read it', (e) => e.x.rf);
  m.let('co', 'coherence order: the order of the writes to each location', (e) => e.x.co);
  m.let('fr', 'from-reads: each read to the writes that overwrite the value it read', (e) => seq(e.r('rf').inverse(), e.r('co')).withoutIdentity());
  m.let('rfe', 'reads-from between threads', (e) => e.r('rf').inter(e.r('ext')));
  m.internal('rfi', 'reads-from within a thread', (e) => e.r('rf').inter(e.r('int')));
  m.let('coe', 'coherence order between threads', (e) => e.r('co').inter(e.r('ext')));
  m.let('fre', 'from-reads between threads', (e) => e.r('fr').inter(e.r('ext')));
  m.internal('coi', 'coherence order within a thread', (e) => e.r('co').inter(e.r('int')));
  m.internal('fri', 'from-reads within a thread', (e) => e.r('fr').inter(e.r('int')));
  m.let('com', 'communication: rf, co and fr', (e) => union(e.r('rf'), e.r('co'), e.r('fr')));
}

/** lock.cat's lock events and the three axioms that say which lock executions exist. */
export function defineLocks(m: ModelBuilder): void {
  const kindSet = (name: 'LKR' | 'LKW' | 'UL' | 'RU' | 'RL', doc: string): void => m.fixed(name, doc, (e) => e.skeleton.sets.kind[name]);
  kindSet('LKR', 'lock reads: the read half of spin_lock()');
  kindSet('LKW', 'lock writes: the write half of spin_lock()');
  kindSet('UL', 'unlocks: spin_unlock()');
  kindSet('RL', 'spin_is_locked() returning true');
  kindSet('RU', 'spin_is_locked() returning false');
  m.fixed('LF', 'failed spin_trylock(), and spin_is_locked() returning true', (e) => lockStructure(e.skeleton).lf);
  m.fixed('critical', 'each lock write with the unlock that ends its critical section', (e) => lockStructure(e.skeleton).critical);
  m.fixed('UNMATCHED-LKW', 'lock writes never unlocked', (e) => lockStructure(e.skeleton).unmatchedLkw);
  m.fixed('unmatched-locks-rel', 'two different locks of one lock, both never released', (e) => {
    const u = e.s('UNMATCHED-LKW');
    return seq(id(u), e.r('loc'), id(u)).withoutIdentity();
  });
  m.fixed('lock-nest-rel', 'a lock taken again by the thread that holds it', (e) =>
    e.r('po-loc').between(e.s('LKW'), e.s('LKR')).diff(seq(e.r('po-loc').restrictRange(e.s('UL')), e.r('po-loc'))));
  m.fixed('nested-is-locked-rel', 'spin_is_locked() returning false inside the lock\'s own critical section', (e) =>
    e.r('po-loc').between(e.s('LKW'), e.s('RU')).diff(seq(e.r('po-loc').restrictRange(e.s('UL')), e.r('po-loc'))));
  m.axiom('empty', 'lock-nest-rel', 'lock-nest', 'a thread cannot take a spinlock it already holds (it would deadlock)');
  m.axiom('empty', 'nested-is-locked-rel', 'nested-is-locked', 'spin_is_locked() cannot return false while its own thread holds the lock');
  m.axiom('empty', 'unmatched-locks-rel', 'unmatched-locks', 'at most one acquisition of a lock can go without its release');
}

/** Per-location coherence and RMW atomicity, which every model keeps. */
export function defineCoherence(m: ModelBuilder): void {
  m.let('coherence-rel', 'program order and communication on one location', (e) => e.r('po-loc').union(e.r('com')));
  m.axiom('acyclic', 'coherence-rel', 'coherence', 'accesses to one location agree with one order (sequential consistency per variable)');
  m.let('atomic-rel', 'an RMW whose read and write are separated by another thread\'s write', (e) => e.r('rmw').inter(seq(e.r('fre'), e.r('coe'))));
  m.axiom('empty', 'atomic-rel', 'atomic', 'nothing can write between the read and the write of an atomic RMW');
}
