/**
 * What could order a test that has no ordering primitive at all: for each
 * CPU, each kind of pair of consecutive accesses it makes (write then
 * write, read then read, read then write, write then read), once, with the
 * primitives that would order that pair on its CPU.
 */

import type { Program } from '../events/program.js';
import { isRead, type ThreadEvent } from '../events/types.js';

/** For a pair of consecutive accesses (earlier kind, later kind): what orders it. */
const REMEDY: Readonly<Record<string, string>> = {
  WW: 'smp_wmb() between them, or smp_store_release() for the later write',
  RR: 'smp_rmb() between them, or smp_load_acquire() for the earlier read',
  RW: 'smp_load_acquire() for the read, smp_store_release() for the write, or a dependency on the value read',
  WR: 'only smp_mb() between them (a full fence: nothing weaker orders a write before a later read)',
};

const word = (e: ThreadEvent): string => (isRead(e.kind) ? 'read' : 'write');

/** One line per CPU and kind of pair, in program order: "P0: write of x (line 3) then read of y (line 4): ...". */
export function orderingAdvice(program: Program): string[] {
  const out: string[] = [];
  program.runs.forEach((runs, thread) => {
    const run = runs[0];
    if (!run) return;
    const accesses = run.events.filter((e) => e.location !== null && (e.kind === 'R' || e.kind === 'W'));
    const seen = new Set<string>();
    for (let i = 1; i < accesses.length; i++) {
      const a = accesses[i - 1]!;
      const b = accesses[i]!;
      if (a.location === b.location) continue; // coherence orders these already
      const key = `${isRead(a.kind) ? 'R' : 'W'}${isRead(b.kind) ? 'R' : 'W'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`P${thread}: ${word(a)} of ${a.location} (line ${a.origin.line}) then ${word(b)} of ${b.location} (line ${b.origin.line}): ${REMEDY[key]}`);
    }
  });
  return out;
}
