/**
 * Sequential consistency: every execution is an interleaving of the threads,
 * so program order, reads-from, coherence and from-reads together are
 * acyclic. Fences order nothing that is not already ordered; RCU grace
 * periods are not modelled (an interleaving alone does not make a grace
 * period wait for readers), so tests that rely on them may differ.
 */

import { defineCoherence, defineExecution, defineLocks, union } from './base.js';
import { ModelBuilder, type MemoryModel } from './model.js';

const m = new ModelBuilder();
defineExecution(m);
defineLocks(m);
defineCoherence(m);
m.let('sc-order', 'program order and communication between all events', (e) => union(e.r('po'), e.r('com')));
m.axiom('acyclic', 'sc-order', 'sequential-consistency', 'the events of all threads fit in one interleaving');

// Monotone: sc-order, coherence and atomicity only grow with rf and co.
export const sc: MemoryModel = m.build('sc', 'Sequential consistency', { monotone: true });
