/** Small executions to draw, shared by the diagram tests and the browser render check. */

import { buildProgram, candidates, check, parseLitmus, showValue, type Candidate } from '../src/index.js';
import type { ExplainedEdge } from '../src/explain/types.js';

export const MP_WMB_RMB = `C MP+wmb+rmb

{}

P0(int *x, int *y)
{
	WRITE_ONCE(*x, 1);
	smp_wmb();
	WRITE_ONCE(*y, 1);
}

P1(int *x, int *y)
{
	int r0;
	int r1;

	r0 = READ_ONCE(*y);
	smp_rmb();
	r1 = READ_ONCE(*x);
}

exists (1:r0=1 /\\ 1:r1=0)
`;

export const SB = `C SB

{}

P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r1;

	WRITE_ONCE(*y, 1);
	r1 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r1=0)
`;

export const MP_RELEASE_ADDR = `C MP+release+addr

{
p=a;
a=0;
}

P0(int *b, int **p)
{
	WRITE_ONCE(*b, 1);
	smp_store_release(p, b);
}

P1(int **p)
{
	int *r0;
	int r1;

	r0 = READ_ONCE(*p);
	r1 = READ_ONCE(*r0);
}

exists (1:r0=b /\\ 1:r1=0)
`;

/** The candidate execution (allowed or not) whose registers have these values. */
export function candidateWith(text: string, registers: Record<string, number | string>): Candidate {
  const test = parseLitmus(text, 'fixture.litmus');
  for (const x of candidates(buildProgram(test))) if (hasRegisters(x, registers)) return x;
  throw new Error(`no candidate with ${JSON.stringify(registers)}`);
}

/** The allowed execution of a test whose registers have these values. */
export function allowedWith(text: string, registers: Record<string, number | string>): Candidate {
  const result = check(parseLitmus(text, 'fixture.litmus'), { keepExecutions: true });
  const x = result.executions!.find((c) => hasRegisters(c, registers));
  if (!x) throw new Error(`no allowed execution with ${JSON.stringify(registers)}`);
  return x;
}

/**
 * MP+wmb+rmb's forbidden execution (r0=1, r1=0) and the cycle that forbids
 * it, as an explanation would give it. Events: 0 init x, 1 init y,
 * 2 P0 W x=1, 3 smp_wmb, 4 P0 W y=1, 5 P1 R y, 6 smp_rmb, 7 P1 R x.
 */
export function forbiddenMp(): { x: Candidate; cycle: ExplainedEdge[] } {
  const x = candidateWith(MP_WMB_RMB, { '1:r0': 1, '1:r1': 0 });
  const edge = (from: number, to: number, relation: string, label: string): ExplainedEdge => ({ from, to, relation, label, sentence: '' });
  return {
    x,
    cycle: [edge(2, 4, 'ppo', 'smp_wmb'), edge(4, 5, 'rfe', 'rfe'), edge(5, 7, 'ppo', 'smp_rmb'), edge(7, 2, 'fre', 'fre')],
  };
}

/** Whether the registers (`'1:r0'`) end with these values (a location's name for an address). */
function hasRegisters(x: Candidate, registers: Record<string, number | string>): boolean {
  return Object.entries(registers).every(([key, want]) => {
    const [thread, register] = key.split(':');
    const v = x.registers[Number(thread)]?.get(register!);
    return v !== undefined && showValue(v) === String(want);
  });
}
