/**
 * The Linux-kernel memory model (LKMM), as named relations, in the order of
 * the kernel's own model files: linux-kernel.bell (sets and tags), lock.cat
 * (spinlocks), linux-kernel.cat (the axioms). See
 * https://www.kernel.org/doc/html/latest/ → tools/memory-model/ in the kernel
 * sources, and its Documentation/explanation.txt for the ideas behind each
 * relation.
 *
 * Every relation is built from the algebra in `src/relations/algebra.ts`;
 * the names are the model's, so that an explanation can say which relation
 * an edge belongs to and which axiom an execution breaks.
 */

import { EventSet, Relation, seqOneWordRows } from '../relations/algebra.js';
import { sameValue, type Tag } from '../events/types.js';
import { defineCoherence, defineExecution, defineLocks, fencerel, id, seq, union } from './base.js';
import { ModelBuilder, type Env, type MemoryModel } from './model.js';

const m = new ModelBuilder();

// ---------------------------------------------------------------------------
// Events and tags (linux-kernel.bell)
// ---------------------------------------------------------------------------

const tagSet = (name: string, tag: Tag, doc: string): void => m.fixed(name, doc, (e) => e.skeleton.sets.tag(tag));
const fenceSet = (name: string, tag: Tag, doc: string): void =>
  m.fixed(name, doc, (e) => e.skeleton.sets.tag(tag).inter(e.skeleton.sets.F));

defineExecution(m);

fenceSet('Mb-fence', 'mb', 'smp_mb() fences');
fenceSet('Rmb', 'rmb', 'smp_rmb() fences');
fenceSet('Wmb', 'wmb', 'smp_wmb() fences');
fenceSet('Barrier', 'barrier', 'barrier() compiler fences');
fenceSet('Rcu-lock', 'rcu-lock', 'rcu_read_lock()');
fenceSet('Rcu-unlock', 'rcu-unlock', 'rcu_read_unlock()');
fenceSet('Sync-rcu', 'sync-rcu', 'synchronize_rcu()');
fenceSet('Before-atomic', 'before-atomic', 'smp_mb__before_atomic()');
fenceSet('After-atomic', 'after-atomic', 'smp_mb__after_atomic()');
fenceSet('After-spinlock', 'after-spinlock', 'smp_mb__after_spinlock()');
fenceSet('After-unlock-lock', 'after-unlock-lock', 'smp_mb__after_unlock_lock()');
fenceSet('After-srcu-read-unlock', 'after-srcu-read-unlock', 'smp_mb__after_srcu_read_unlock()');
tagSet('Srcu-lock', 'srcu-lock', 'srcu_read_lock(): a read of the srcu_struct returning the index');
tagSet('Srcu-unlock', 'srcu-unlock', 'srcu_read_unlock(): a write of the index to the srcu_struct');
m.fixed('Sync-srcu', 'synchronize_srcu()', (e) => e.skeleton.sets.kind.SRCU);
tagSet('ONCE', 'once', 'accesses annotated once (READ_ONCE, WRITE_ONCE, relaxed RMWs)');
tagSet('ACQUIRE', 'acquire', 'accesses annotated acquire');
tagSet('RELEASE', 'release', 'accesses annotated release');
tagSet('MB', 'mb', 'events annotated mb: smp_mb() and fully ordered RMWs');
tagSet('NORETURN', 'noreturn', 'accesses of RMWs that return no value (atomic_inc(), ...)');
tagSet('RMW', 'rmw', 'accesses made by RMW primitives (xchg(), cmpxchg(), atomic_*()), failed ones included; not locks');

// Lock events and the lock axioms (lock.cat): LKR and LKW from spin_lock(),
// UL from spin_unlock(), LF from a failed spin_trylock(), RL/RU from
// spin_is_locked().
defineLocks(m);

m.fixed('FailedRMW', 'reads of RMW primitives that did not write (a failed cmpxchg())', (e) => e.s('RMW').diff(e.r('rmw').domain().union(e.r('rmw').range())));
m.fixed('Acquire', 'acquire loads, lock reads included', (e) => e.s('ACQUIRE').diff(e.s('W')).diff(e.s('FailedRMW')).union(e.s('LKR')));
m.fixed('Release', 'release stores, unlocks included', (e) => e.s('RELEASE').diff(e.s('R')).diff(e.s('FailedRMW')).union(e.s('UL')));
m.fixed('Mb', 'full barriers: smp_mb() and the accesses of fully ordered RMWs that succeeded', (e) => e.s('MB').diff(e.s('FailedRMW')));
m.fixed('Noreturn', 'reads of RMWs that return no value', (e) => e.s('NORETURN').diff(e.s('W')));
m.fixed('Marked', 'marked accesses (and everything that is not an access)', (e) => {
  const s = e.skeleton.sets;
  return s.M.complement()
    .union(e.s('IW')).union(e.s('ONCE')).union(e.s('RELEASE')).union(e.s('ACQUIRE')).union(e.s('MB'))
    .union(e.s('RMW'))
    .union(s.kind.LKR).union(s.kind.LKW).union(s.kind.UL).union(s.kind.LF).union(s.kind.RL).union(s.kind.RU)
    .union(e.s('Srcu-lock')).union(e.s('Srcu-unlock'));
});
m.fixed('Plain', 'plain C accesses', (e) => e.s('M').diff(e.s('Marked')));

// Dependencies, carried through plain accesses: a value stored by a plain write
// and read back by the same thread keeps its dependencies.
m.let('carry-dep', 'dependencies carried through memory within a thread', (e) =>
  seq(e.r('data0').restrictRange(e.s('Srcu-unlock').complement()), e.r('rfi')).star());
m.fixed('addr0', 'address dependencies through registers', (e) => e.skeleton.addr);
m.fixed('data0', 'data dependencies through registers', (e) => e.skeleton.data);
m.fixed('ctrl0', 'control dependencies through registers', (e) => e.skeleton.ctrl);
m.let('addr', 'address dependencies: a read\'s value is used to compute a later address', (e) => seq(e.r('carry-dep'), e.r('addr0')));
m.let('data', 'data dependencies: a read\'s value is used to compute a stored value', (e) => seq(e.r('carry-dep'), e.r('data0')));
m.let('ctrl', 'control dependencies: a read\'s value decides a branch before the event', (e) => seq(e.r('carry-dep'), e.r('ctrl0')));

// RCU read-side critical sections: matched like parentheses within a thread.
m.fixed('rcu-rscs', 'each rcu_read_lock() with its rcu_read_unlock()', (e) => matchNesting(e, e.s('Rcu-lock'), e.s('Rcu-unlock')));
m.let('carry-srcu-data', 'an SRCU index carried through memory', (e) =>
  seq(e.r('data').restrictRange(e.s('Srcu-unlock').complement()), e.r('rf')).star());
m.let('srcu-rscs', 'each srcu_read_lock() with the srcu_read_unlock() given its index', (e) => {
  // Without SRCU, empty whatever the execution: the SRCU flags then cost nothing per execution.
  if (e.s('Srcu-lock').isEmpty() || e.s('Srcu-unlock').isEmpty()) return Relation.empty(e.n);
  return seq(id(e.s('Srcu-lock')), e.r('carry-srcu-data'), e.r('data').restrictRange(e.s('Srcu-unlock'))).inter(e.r('loc'));
});

// ---------------------------------------------------------------------------
// Basic relations (linux-kernel.cat)
// ---------------------------------------------------------------------------

// Release and acquire.
m.fixed('acq-po', 'an acquire before every later access of its thread', (e) => e.r('po').between(e.s('Acquire'), e.s('M')));
m.fixed('po-rel', 'every earlier access of its thread before a release', (e) => e.r('po').between(e.s('M'), e.s('Release')));
m.let('po-unlock-lock-po', 'accesses before an unlock to accesses after the next lock of that lock', (e) =>
  seq(e.r('po').restrictRange(e.s('UL')), e.r('po').union(e.r('rf')), id(e.s('LKR')), e.r('po')));

// Fences.
m.fixed('rmb', 'smp_rmb(): earlier reads before later reads', (e) => {
  const r4 = e.s('R').diff(e.s('Noreturn'));
  return fencerel(e, e.s('Rmb')).between(r4, r4);
});
m.fixed('wmb', 'smp_wmb(): earlier writes before later writes', (e) => fencerel(e, e.s('Wmb')).between(e.s('W'), e.s('W')));
m.fixed('mb-fixed', 'the part of mb that does not depend on co', (e) => {
  const M = e.s('M');
  const po = e.r('po');
  const RMW = id(e.s('RMW'));
  return union(
    fencerel(e, e.s('Mb')).between(M, M),
    po.between(M, e.s('Mb').inter(e.s('R'))),
    po.between(e.s('Mb').inter(e.s('W')), M),
    seq(fencerel(e, e.s('Before-atomic')).restrictDomain(M), RMW, po.opt()).restrictRange(M),
    seq(po.opt().restrictDomain(M), RMW, fencerel(e, e.s('After-atomic'))).restrictRange(M),
    seq(po.opt().restrictDomain(M), id(e.s('LKW')), fencerel(e, e.s('After-spinlock'))).restrictRange(M),
    seq(po.opt().restrictDomain(M), id(e.s('Srcu-unlock')), fencerel(e, e.s('After-srcu-read-unlock'))).restrictRange(M),
  );
});
m.let('mb', 'full barriers: every earlier access before every later one', (e) => {
  // Only smp_mb__after_unlock_lock() makes mb depend on rf: an unlock, the next lock of that lock, then the fence.
  if (e.s('After-unlock-lock').isEmpty()) return e.r('mb-fixed');
  const M = e.s('M');
  return e.r('mb-fixed').union(seq(e.r('po-unlock-lock-po').restrictDomain(M), id(e.s('After-unlock-lock')), e.r('po')).restrictRange(M));
});
m.fixed('gp', 'grace periods: synchronize_rcu() and synchronize_srcu()', (e) =>
  seq(e.r('po').restrictRange(e.s('Sync-rcu').union(e.s('Sync-srcu'))), e.r('po').opt()));
m.let('strong-fence0', 'full barriers and grace periods', (e) => e.r('mb').union(e.r('gp')));
// (The model never adds RCU to nonrw-fence, unlike fence and strong-fence below: only the plain-access bounds use it.)
m.let('nonrw-fence', 'fences that order reads before writes too (RCU grace periods as strong fences, not their rcu-fence)', (e) => union(e.r('strong-fence0'), e.r('po-rel'), e.r('acq-po')));
m.let('fence0', 'every fence ordering', (e) => union(e.r('nonrw-fence'), e.r('wmb'), e.r('rmb')));
m.fixed('barrier', 'compiler barriers: what the compiler may not reorder', (e) => {
  const sets = ['Barrier', 'Rmb', 'Wmb', 'Mb', 'Sync-rcu', 'Sync-srcu', 'Before-atomic', 'After-atomic', 'Acquire', 'Release', 'Rcu-lock', 'Rcu-unlock', 'Srcu-lock', 'Srcu-unlock'];
  const s = sets.map((n) => e.s(n)).reduce((a, b) => a.union(b));
  return union(fencerel(e, s), e.r('po').restrictRange(e.s('Release')), e.r('po').restrictDomain(e.s('Acquire')));
});

// ---------------------------------------------------------------------------
// Coherence and atomicity
// ---------------------------------------------------------------------------

defineCoherence(m);

// ---------------------------------------------------------------------------
// Preserved program order
// ---------------------------------------------------------------------------

m.let('dep', 'address and data dependencies', (e) => e.r('addr').union(e.r('data')));
m.let('rwdep', 'dependencies from a read to a write', (e) => e.r('dep').union(e.r('ctrl')).restrictRange(e.s('W')));
m.let('overwrite', 'co and fr', (e) => e.r('co').union(e.r('fr')));
// (overwrite & int is written coi | fri: the same pairs, read from within-thread communication only.)
m.let('to-w', 'what orders an access before a later write', (e) =>
  union(e.r('rwdep'), e.r('coi'), e.r('fri'), seq(e.r('addr').restrictRange(e.s('Plain')), e.r('wmb'))));
m.let('to-r', 'what orders an access before a later read', (e) =>
  e.r('addr').restrictRange(e.s('R')).union(seq(e.r('dep').restrictRange(e.s('Marked')), e.r('rfi'))));
m.let('ppo', 'preserved program order: pairs of a thread\'s events no CPU can reorder', (e) =>
  union(e.r('to-r'), e.r('to-w'), e.r('fence0').inter(e.r('int')), poUnlockLockPoInt(e)));

// ---------------------------------------------------------------------------
// Propagation and happens-before
// ---------------------------------------------------------------------------

const aCumul = (e: Env, r: Relation): Relation => seq(e.r('rfe').restrictRange(e.s('Marked')).opt(), r);
m.let('rmw-sequence', 'a write followed by the RMWs that read from it, one after another', (e) => seq(e.r('rf'), e.r('rmw')).star());
m.let('cumul-fence', 'fences that order a thread\'s earlier writes (and those it has seen) before its later writes, for every CPU', (e) => {
  const marked = id(e.s('Marked'));
  const inner = union(aCumul(e, e.r('strong-fence0').union(e.r('po-rel'))), e.r('wmb'), e.r('po-unlock-lock-po'));
  return seq(marked, inner, marked, e.r('rmw-sequence'));
});
m.let('prop', 'propagation order: a write reaches some CPU before another write (or a read is satisfied before a write propagates)', (e) => {
  const marked = id(e.s('Marked'));
  return seq(marked, e.r('overwrite').inter(e.r('ext')).opt(), e.r('cumul-fence').star(), marked, e.r('rfe').opt(), marked);
});
m.let('hb', 'happens-before: the order in which events must execute', (e) => {
  const marked = id(e.s('Marked'));
  return seq(marked, union(e.r('ppo'), e.r('rfe'), e.r('prop').withoutIdentity().inter(e.r('int'))), marked);
});
m.axiom('acyclic', 'hb', 'happens-before', 'no event can happen before itself');

m.let('hb*', 'hb, zero or more times', (e) => e.r('hb').star());
m.let('pb', 'propagates-before: a strong fence makes a write reach every CPU before later events execute', (e) =>
  seq(e.r('prop'), e.r('strong-fence0'), e.r('hb*')).restrictRange(e.s('Marked')));
m.axiom('acyclic', 'pb', 'propagation', 'a write cannot propagate after events that a strong fence placed after it');

// ---------------------------------------------------------------------------
// RCU
// ---------------------------------------------------------------------------

m.let('pb*', 'pb, zero or more times', (e) => e.r('pb').star());
m.let('rcu-link', 'what links a grace period or critical section to the next one', (e) =>
  seq(e.r('po').opt(), e.r('hb*'), e.r('pb*'), e.r('prop'), e.r('po')));
m.let('rcu-order', 'chains with at least as many grace periods as read-side critical sections', (e) => rcuOrder(e));
m.let('rcu-fence', 'the strong fence implied by an rcu-order chain', (e) => seq(e.r('po'), e.r('rcu-order'), e.r('po').opt()));
m.let('fence', 'fence orderings, RCU included', (e) => e.r('fence0').union(e.r('rcu-fence')));
m.let('strong-fence', 'strong fences, RCU included', (e) => e.r('strong-fence0').union(e.r('rcu-fence')));
m.let('rb', 'RCU-before: a grace period must outlast the critical sections it overlaps', (e) =>
  seq(e.r('prop'), e.r('rcu-fence'), e.r('hb*'), e.r('pb*')).restrictRange(e.s('Marked')));
m.axiom('irreflexive', 'rb', 'rcu', 'a grace period cannot end before a critical section that began before it');

// ---------------------------------------------------------------------------
// Plain accesses and data races
// ---------------------------------------------------------------------------

m.fixed('mixed-accesses-rel', 'plain writes next to marked accesses of the same location with no compiler barrier between', (e) => {
  const r = e.r('po-loc').diff(e.r('barrier'));
  const pw = e.s('Plain').inter(e.s('W'));
  return r.between(pw, e.s('Marked')).union(r.between(e.s('Marked'), pw));
});
m.let('xbstar', 'executes-before, zero or more times', (e) => union(e.r('hb'), e.r('pb'), e.r('rb')).star());
m.let('vis', 'visibility: a write is visible to an access', (e) => {
  const marked = id(e.s('Marked'));
  const xb = e.r('xbstar');
  return seq(e.r('cumul-fence').star(), e.r('rfe').opt(), marked,
    seq(e.r('strong-fence'), marked, xb).union(xb.inter(e.r('int'))));
});
m.let('w-pre-bounded', 'a marked access (or its address or fence) that bounds a plain write from before', (e) =>
  seq(id(e.s('Marked')), e.r('addr').union(e.r('fence')).opt()));
m.let('r-pre-bounded', 'a marked access that bounds a plain read from before', (e) => {
  const r4 = e.s('R').diff(e.s('Noreturn'));
  const rmbPart = fencerel(e, e.s('Rmb')).between(r4, e.s('Noreturn').complement());
  return seq(id(e.s('Marked')), union(e.r('addr'), e.r('nonrw-fence'), rmbPart).opt());
});
m.let('w-post-bounded', 'a marked access that bounds a plain write from after', (e) =>
  seq(e.r('fence').opt(), id(e.s('Marked')), e.r('rmw-sequence')));
m.let('r-post-bounded', 'a marked access that bounds a plain read from after', (e) => {
  const r4 = e.s('R').diff(e.s('Noreturn'));
  const rmbPart = fencerel(e, e.s('Rmb')).between(e.s('Noreturn').complement(), r4);
  return seq(e.r('nonrw-fence').union(rmbPart).opt(), id(e.s('Marked')));
});
m.let('ww-vis', 'a write visible before another write', (e) =>
  union(e.r('fence'), seq(e.r('strong-fence'), e.r('xbstar'), e.r('w-pre-bounded')), seq(e.r('w-post-bounded'), e.r('vis'), e.r('w-pre-bounded'))));
m.let('wr-vis', 'a write visible before a read', (e) =>
  union(e.r('fence'), seq(e.r('strong-fence'), e.r('xbstar'), e.r('r-pre-bounded')), seq(e.r('w-post-bounded'), e.r('vis'), e.r('r-pre-bounded'))));
m.let('rw-xbstar', 'a read that executes before a write', (e) =>
  e.r('fence').union(seq(e.r('r-post-bounded'), e.r('xbstar'), e.r('w-pre-bounded'))));
m.fixed('pre-race', 'conflicting pairs of accesses on different threads, one of them plain', (e) => {
  const plain = e.s('Plain');
  const M = e.s('M');
  return e.r('ext').inter(Relation.product(plain, M).union(Relation.product(M.diff(e.s('IW')), plain)));
});
m.let('wr-incoh', 'a plain read from a write it executes before', (e) => racing(e, () => e.r('rf').inter(e.r('rw-xbstar').inverse())));
m.let('rw-incoh', 'a plain read overwritten by a write visible to it', (e) => racing(e, () => e.r('fr').inter(e.r('wr-vis').inverse())));
m.let('ww-incoh', 'plain writes in the order opposite to their visibility', (e) => racing(e, () => e.r('co').inter(e.r('ww-vis').inverse())));
m.let('plain-coherence-rel', 'plain accesses that contradict coherence', (e) => union(e.r('wr-incoh'), e.r('rw-incoh'), e.r('ww-incoh')));
m.axiom('empty', 'plain-coherence-rel', 'plain-coherence', 'plain accesses that are ordered must also be coherent');

m.let('ww-nonrace', 'pairs of writes that cannot race', (e) => {
  const M = e.s('Marked');
  const W = e.s('W');
  return e.r('ww-vis')
    .inter(Relation.product(M, W).union(e.r('rw-xbstar')))
    .inter(Relation.product(W, M).union(e.r('wr-vis')));
});
m.let('ww-race', 'racing writes', (e) => racing(e, () => e.r('co').diff(e.r('ww-nonrace'))));
m.let('wr-race', 'a write racing with a read', (e) =>
  racing(e, () => seq(e.r('co').opt(), e.r('rf')).diff(e.r('wr-vis')).diff(e.r('rw-xbstar').inverse())));
m.let('rw-race', 'a read racing with a write', (e) => racing(e, () => e.r('fr').diff(e.r('rw-xbstar'))));
m.let('data-race-rel', 'data races', (e) => union(e.r('ww-race'), e.r('wr-race'), e.r('rw-race')));

// ---------------------------------------------------------------------------
// Flags: reported when some allowed execution has them
// ---------------------------------------------------------------------------

m.fixed('unmatched-rcu-lock-set', '', (e) => e.s('Rcu-lock').diff(e.r('rcu-rscs').domain()));
m.fixed('unmatched-rcu-unlock-set', '', (e) => e.s('Rcu-unlock').diff(e.r('rcu-rscs').range()));
m.let('unmatched-srcu-lock-set', '', (e) => e.s('Srcu-lock').diff(e.r('srcu-rscs').domain()));
m.let('unmatched-srcu-unlock-set', '', (e) => e.s('Srcu-unlock').diff(e.r('srcu-rscs').range()));
m.let('multiple-srcu-matches-rel', '', (e) => seq(e.r('srcu-rscs').inverse(), e.r('srcu-rscs')).withoutIdentity());
m.fixed('invalid-sleep-rel', '', (e) => e.r('rcu-rscs').inter(fencerel(e, e.s('Sync-srcu'))));
m.let('srcu-bad-value-match-rel', '', (e) => {
  const rscs = e.r('srcu-rscs');
  if (rscs.isEmpty()) return rscs;
  const values = e.x.values;
  return Relation.fromPairs(e.n, [...rscs.pairs()].filter(([a, b]) => !sameValue(values[a] ?? 0, values[b] ?? 0)));
});
m.fixed('mixed-lock-accesses-rel', '', (e) => {
  const s = e.skeleton.sets;
  const locks = s.kind.LKR.union(s.kind.LKW).union(s.kind.UL).union(s.kind.LF).union(s.kind.RL).union(s.kind.RU)
    .union(e.s('Srcu-lock')).union(e.s('Srcu-unlock')).union(e.s('Sync-srcu'));
  return seq(id(e.s('M').diff(e.s('IW')).diff(locks)), e.r('loc'), id(locks));
});
m.fixed('unpaired-LKW-set', '', (e) => e.s('LKW').diff(e.r('lk-rmw').range()));
m.fixed('unpaired-LKR-set', '', (e) => e.s('LKR').diff(e.r('lk-rmw').domain()));
m.fixed('unmatched-unlock-set', '', (e) => e.s('UL').diff(e.r('critical').range()));
m.let('lock-final-rel', '', () => Relation.empty(0));

m.flag('mixed-lock-accesses-rel', 'mixed-lock-accesses', 'ordinary accesses to a spinlock or srcu_struct');
m.flag('unpaired-LKW-set', 'unpaired-LKW', 'a lock write without its lock read');
m.flag('unpaired-LKR-set', 'unpaired-LKR', 'a lock read without its lock write');
m.flag('unmatched-unlock-set', 'unmatched-unlock', 'spin_unlock() of a lock its thread does not hold');
m.flag('unmatched-rcu-lock-set', 'unmatched-rcu-lock', 'rcu_read_lock() without rcu_read_unlock()');
m.flag('unmatched-rcu-unlock-set', 'unmatched-rcu-unlock', 'rcu_read_unlock() without rcu_read_lock()');
m.flag('unmatched-srcu-lock-set', 'unmatched-srcu-lock', 'srcu_read_lock() whose index reaches no srcu_read_unlock()');
m.flag('unmatched-srcu-unlock-set', 'unmatched-srcu-unlock', 'srcu_read_unlock() whose index comes from no srcu_read_lock()');
m.flag('multiple-srcu-matches-rel', 'multiple-srcu-matches', 'one srcu_read_lock() ended by several srcu_read_unlock() calls');
m.flag('invalid-sleep-rel', 'invalid-sleep', 'synchronize_srcu() inside an RCU read-side critical section');
m.flag('srcu-bad-value-match-rel', 'srcu-bad-value-match', 'srcu_read_unlock() given a different index than its srcu_read_lock() returned');
m.flag('mixed-accesses-rel', 'mixed-accesses', 'plain and marked accesses to one location with no compiler barrier between');
m.flag('data-race-rel', 'data-race', 'two threads access one location, one plainly, at least one writes, and nothing orders them');

// Every axiom above tests a relation built from rf and co by union, intersection
// with fixed relations, sequence, inverse and closures only (the differences
// and the values read appear in flags alone): the model is monotone.
export const lkmm: MemoryModel = m.build('lkmm', 'Linux-kernel memory model', { monotone: true });

// ---------------------------------------------------------------------------

/**
 * `pre-race & r`, computing r only when pre-race (fixed per skeleton) is not
 * empty: a test without plain accesses skips the visibility relations.
 */
function racing(e: Env, r: () => Relation): Relation {
  const pre = e.r('pre-race');
  return pre.isEmpty() ? pre : pre.inter(r());
}

/**
 * `po-unlock-lock-po & int`, computed from within-thread communication: a
 * path that ends on the thread it starts from takes its rf step inside that
 * thread, so rfi stands in for rf and ppo depends on rfi, coi and fri alone.
 */
function poUnlockLockPoInt(e: Env): Relation {
  return seq(e.r('po').restrictRange(e.s('UL')), e.r('po').union(e.r('rfi')), id(e.s('LKR')), e.r('po')).inter(e.r('int'));
}

/** Matches opening and closing events of each thread like parentheses, innermost first. */
function matchNesting(e: Env, open: EventSet, close: EventSet): Relation {
  const events = e.skeleton.events;
  const pairs: Array<[number, number]> = [];
  const stacks = new Map<number, number[]>();
  for (const ev of events) {
    if (ev.thread < 0) continue;
    let stack = stacks.get(ev.thread);
    if (!stack) stacks.set(ev.thread, (stack = []));
    if (open.has(ev.id)) stack.push(ev.id);
    else if (close.has(ev.id) && stack.length > 0) pairs.push([stack.pop()!, ev.id]);
  }
  return Relation.fromPairs(e.n, pairs);
}

/**
 * The least fixed point defining rcu-order. The terms for RCU and for SRCU
 * are left out when their grace periods are absent (they would be empty).
 */
function rcuOrder(e: Env): Relation {
  const gpSet = e.s('Sync-rcu');
  const sgpSet = e.s('Sync-srcu');
  const n = e.n;
  if (gpSet.isEmpty() && sgpSet.isEmpty()) return Relation.empty(n);
  // Every term starts and ends at a grace period or at an end of a critical
  // section, so the fixed point is computed on those few events alone.
  const rscs = e.r('rcu-rscs');
  const srscs = e.r('srcu-rscs');
  const ends = gpSet.union(sgpSet).union(rscs.domain()).union(rscs.range()).union(srscs.domain()).union(srscs.range()).toArray();
  const k = ends.length;
  const small = (r: Relation): Relation => r.project(ends);
  const smallSet = (s: EventSet): EventSet => EventSet.where(k, (i) => s.has(ends[i]!));
  // rcu-link = po? ; hb* ; pb* ; prop ; po, computed only from and to those events.
  const endSet = EventSet.of(n, ends);
  const link = small(seq(e.r('po').opt().restrictDomain(endSet), e.r('hb*'), e.r('pb*'), e.r('prop'), e.r('po').restrictRange(endSet)));
  const loc = small(e.r('loc'));
  // Each kind of grace period with the critical sections it waits for.
  const kinds: Array<{ gp: Relation; rscsi: Relation; sameLocation: boolean }> = [];
  if (!gpSet.isEmpty()) kinds.push({ gp: id(smallSet(gpSet)), rscsi: small(rscs).inverse(), sameLocation: false });
  if (!sgpSet.isEmpty()) kinds.push({ gp: id(smallSet(sgpSet)), rscsi: small(srscs).inverse(), sameLocation: true });
  const around = (middle: Relation): Relation[] =>
    kinds.flatMap(({ gp, rscsi, sameLocation }) => {
      const terms = [seq(gp, middle, rscsi), seq(rscsi, middle, gp)];
      return sameLocation ? terms.map((t) => t.inter(loc)) : terms;
    });
  const base = union(...kinds.map((g) => g.gp), ...around(link));
  if (k <= 32) return Relation.embed(rcuOrderFixpoint(base, link, kinds, loc), ends, n);
  let order = base;
  for (;;) {
    const lo = seq(link, order, link);
    const next = union(base, ...around(lo), seq(order, link, order));
    if (next.equals(order)) return Relation.embed(order, ends, n);
    order = next;
  }
}

/**
 * The same fixed point as above, for up to 32 events (one word per row),
 * on bit rows in a few reused buffers: it runs for every candidate of an
 * RCU test, several rounds each, and this is where their time goes.
 */
function rcuOrderFixpoint(base: Relation, link: Relation, kinds: ReadonlyArray<{ gp: Relation; rscsi: Relation; sameLocation: boolean }>, loc: Relation): Relation {
  const k = base.n;
  const L = link.bits;
  const rows = (): Uint32Array => new Uint32Array(k) as Uint32Array;
  const seqInto = (out: Uint32Array, a: Uint32Array, b: Uint32Array): void => seqOneWordRows(out, a, b, k);
  const gpMask = kinds.map(({ gp }) => gp.diagonal!.words[0]!);
  let order: Uint32Array = Uint32Array.from(base.bits);
  let next: Uint32Array = rows();
  const t1 = rows();
  const lo = rows();
  const t2 = rows();
  for (;;) {
    // lo = link ; order ; link
    seqInto(t1, L, order);
    seqInto(lo, t1, L);
    next.set(base.bits);
    kinds.forEach(({ rscsi, sameLocation }, g) => {
      const gpBits = gpMask[g]!;
      const S = rscsi.bits;
      // [gp] ; lo ; rscsi: rows of grace periods only.
      seqInto(t2, lo, S);
      for (let i = 0; i < k; i++) if ((gpBits >>> i) & 1) next[i]! |= sameLocation ? t2[i]! & loc.bits[i]! : t2[i]!;
      // rscsi ; lo ; [gp]: columns of grace periods only.
      seqInto(t1, S, lo);
      for (let i = 0; i < k; i++) next[i]! |= (sameLocation ? t1[i]! & loc.bits[i]! : t1[i]!) & gpBits;
    });
    // order ; link ; order
    seqInto(t1, order, L);
    seqInto(t2, t1, order);
    let changed = false;
    for (let i = 0; i < k; i++) {
      next[i]! |= t2[i]!;
      if (next[i] !== order[i]) changed = true;
    }
    if (!changed) return new Relation(k, order);
    [order, next] = [next, order];
  }
}
