/**
 * One allowed execution as a Mermaid sequence diagram: the CPUs, then one
 * participant per shared location. A write is a message from its CPU to
 * the location, a read a message back with the value read and the write it
 * came from, a fence a note on its CPU. Messages follow `executionOrder`
 * (rf, co, fr, then the model's hb, then program order, as far as they
 * agree); an event drawn before an earlier event of its own CPU says so
 * (`ahead of line 20`): that is where the execution is not sequentially
 * consistent.
 */

import { isRead, showValue } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { Event } from '../executions/skeleton.js';
import { lkmm } from '../models/lkmm.js';
import type { MemoryModel } from '../models/model.js';
import { mermaidId, mermaidText, yamlString } from './escape.js';
import { eventText, sourceLine, threadName, threadsOf } from './labels.js';
import { executionOrder } from './order.js';

export interface SequenceOptions {
  /** Shown above the diagram. */
  readonly title?: string;
  /** The model whose execution order (`hb`) places the events (default the LKMM). */
  readonly model?: MemoryModel;
}

export function witnessSequence(x: Candidate, options: SequenceOptions = {}): string {
  const { events, initialWrite } = x.skeleton;
  const locations = [...initialWrite.keys()];
  const cpuId = (t: number): string => mermaidId(threadName(t));
  const locationIds = new Map(locations.map((l) => [l, mermaidId(`loc_${l}`)]));
  const memory = locations.map((l) => locationIds.get(l)!);
  const overMemory = memory.length > 1 ? `${memory[0]},${memory[memory.length - 1]}` : memory[0];

  const out: string[] = [];
  if (options.title !== undefined) out.push('---', `title: ${yamlString(options.title)}`, '---');
  out.push('sequenceDiagram');
  for (const t of threadsOf(x)) out.push(`  participant ${cpuId(t) === threadName(t) ? cpuId(t) : `${cpuId(t)} as ${threadName(t)}`}`);
  if (memory.length > 0) {
    out.push('  box rgb(245,245,245) memory');
    for (const l of locations) out.push(`    participant ${locationIds.get(l)} as ${mermaidText(l)}`);
    out.push('  end');
    out.push(`  Note over ${overMemory}: ${mermaidText(`initially ${valuesText(x, locations.map((l) => [l, initialWrite.get(l)!]))}`)}`);
  }

  const order = executionOrder(x, options.model ?? lkmm);
  const position = new Map(order.map((id, i) => [id, i]));
  for (const id of order) {
    const e = events[id]!;
    const cpu = cpuId(e.thread);
    const text = mermaidText(`${eventText(x, id)} (${lineText(e, aheadOf(e, events, position))})`);
    if (e.location === null || e.kind === 'SRCU') {
      out.push(`  Note over ${cpu}: ${text}`);
    } else if (isRead(e.kind)) {
      out.push(`  ${locationIds.get(e.location)}-->>${cpu}: ${text}${mermaidText(` from ${sourceText(x, id)}`)}`);
    } else {
      out.push(`  ${cpu}->>${locationIds.get(e.location)}: ${text}`);
    }
  }

  for (const t of threadsOf(x)) {
    const registers = [...(x.registers[t] ?? new Map())].map(([r, v]) => `${r}=${showValue(v)}`);
    if (registers.length > 0) out.push(`  Note over ${cpuId(t)}: ${mermaidText(registers.join(', '))}`);
  }
  if (memory.length > 0) {
    const finalWrites = locations.map((l) => [l, x.finalValues.get(l)] as const);
    out.push(`  Note over ${overMemory}: ${mermaidText(`finally ${finalWrites.map(([l, v]) => `${l} = ${v === undefined ? '?' : showValue(v)}`).join(', ')}`)}`);
  }
  return out.join('\n') + '\n';
}

/** `x = 0, y = 0` from initial writes. */
function valuesText(x: Candidate, writes: ReadonlyArray<readonly [string, number]>): string {
  return writes.map(([l, id]) => {
    const v = x.values[id];
    return `${l} = ${v === null || v === undefined ? '?' : showValue(v)}`;
  }).join(', ');
}

/** `line 21`, or `line 21, ahead of line 20` for an event drawn before an earlier event of its CPU. */
function lineText(e: Event, ahead: Event | null): string {
  const line = `line ${sourceLine(e) ?? '?'}`;
  return ahead === null ? line : `${line}, ahead of line ${sourceLine(ahead) ?? '?'}`;
}

/** The first event of the same thread that comes earlier in program order but is drawn later. */
function aheadOf(e: Event, events: readonly Event[], position: ReadonlyMap<number, number>): Event | null {
  const here = position.get(e.id)!;
  return events.find((o) => o.thread === e.thread && o.index < e.index && position.get(o.id)! > here) ?? null;
}

/** Where a read's value comes from: `init`, `P0 line 18`. */
function sourceText(x: Candidate, read: number): string {
  const write = [...x.rf.pairs()].find(([, r]) => r === read)?.[0];
  if (write === undefined) return 'nowhere';
  const w = x.skeleton.events[write]!;
  return w.thread < 0 ? 'init' : `${threadName(w.thread)} line ${sourceLine(w) ?? '?'}`;
}
