/**
 * The JSON form of a check result: a stable document per test, for scripts.
 * Values are JSON numbers, or the name of a location for an address.
 */

import { showValue, type Value } from '../events/types.js';
import type { Candidate } from '../executions/candidate.js';
import type { CheckResult } from './check.js';
import { conditionText } from './herd.js';

export type JsonValue = number | string;

export interface ExecutionJson {
  readonly events: ReadonlyArray<{
    readonly id: number;
    /** -1 for the initial writes. */
    readonly thread: number;
    readonly kind: string;
    readonly location: string | null;
    readonly value: JsonValue | null;
    readonly tags: readonly string[];
    /** The primitive or construct that made the event, and where. */
    readonly primitive: string | null;
    readonly line: number | null;
  }>;
  /** Reads-from pairs: [write, read]. */
  readonly rf: ReadonlyArray<readonly [number, number]>;
  /** Coherence order of each location, oldest write first. */
  readonly co: Readonly<Record<string, readonly number[]>>;
  readonly final: Readonly<Record<string, JsonValue>>;
}

export interface CheckJson {
  readonly name: string;
  readonly file: string;
  readonly model: string;
  readonly condition: string;
  /** herd7's Ok / No. */
  readonly verdict: 'Ok' | 'No';
  readonly observation: 'Never' | 'Sometimes' | 'Always';
  readonly positive: number;
  readonly negative: number;
  readonly states: ReadonlyArray<{ readonly values: Readonly<Record<string, JsonValue>>; readonly executions: number; readonly satisfies: boolean }>;
  readonly flags: readonly string[];
  /** Candidate executions examined, and how many the model allowed among those the filter keeps. */
  readonly candidates: number;
  readonly allowed: number;
  readonly executions?: readonly ExecutionJson[];
}

export function jsonValue(v: Value): JsonValue {
  return typeof v === 'number' ? v : showValue(v);
}

export function executionJson(x: Candidate): ExecutionJson {
  const events = x.skeleton.events.map((e) => ({
    id: e.id,
    thread: e.thread,
    kind: e.kind,
    location: e.location,
    value: x.values[e.id] === null || x.values[e.id] === undefined ? null : jsonValue(x.values[e.id]!),
    tags: [...e.tags].sort(),
    primitive: e.origin?.primitive ?? null,
    line: e.origin?.line ?? null,
  }));
  const rf = [...x.rf.pairs()];
  const co: Record<string, number[]> = {};
  for (const e of x.skeleton.events) {
    if (e.location === null || !(e.kind === 'W' || e.kind === 'LKW' || e.kind === 'UL')) continue;
    if (!co[e.location]) co[e.location] = [];
  }
  for (const loc of Object.keys(co)) {
    const writes = x.skeleton.events.filter((e) => e.location === loc && (e.kind === 'W' || e.kind === 'LKW' || e.kind === 'UL'));
    const inCo = writes.filter((w) => w.thread < 0 || writes.some((o) => x.co.has(w.id, o.id) || x.co.has(o.id, w.id)));
    co[loc] = inCo.sort((a, b) => (x.co.has(a.id, b.id) ? -1 : x.co.has(b.id, a.id) ? 1 : 0)).map((w) => w.id);
  }
  const final: Record<string, JsonValue> = {};
  for (const [loc, v] of x.finalValues) final[loc] = jsonValue(v);
  return { events, rf, co, final };
}

export function checkJson(result: CheckResult): CheckJson {
  const json: CheckJson = {
    name: result.name,
    file: result.test.file,
    model: result.model,
    condition: conditionText(result),
    verdict: result.ok ? 'Ok' : 'No',
    observation: result.observation,
    positive: result.positive,
    negative: result.negative,
    states: result.states.map((s) => ({
      values: Object.fromEntries(s.values.map(([label, v]) => [label, jsonValue(v)])),
      executions: s.executions,
      satisfies: s.satisfies,
    })),
    flags: result.flags,
    candidates: result.candidates,
    allowed: result.allowed,
  };
  return result.executions ? { ...json, executions: result.executions.map(executionJson) } : json;
}
