/**
 * herd7's text output, line for line, so that scripts written for herd7 keep
 * working: `Test`, `States`, the state lines, `Ok`/`No`, `Witnesses`,
 * `Positive: P Negative: N`, `Flag` lines, `Condition` and `Observation`.
 */

import { showValue } from '../events/types.js';
import type { CheckResult } from './check.js';
import { showProp } from './condition.js';

export function conditionText(result: CheckResult): string {
  return `${result.quantifier} (${showProp(result.test.condition.prop)})`;
}

export function herdText(result: CheckResult, elapsedSeconds?: number): string {
  const name = result.name;
  const lines: string[] = [];
  lines.push(`Test ${name} ${result.quantifier === 'forall' ? 'Required' : 'Allowed'}`);
  lines.push(`States ${result.states.length}`);
  for (const s of result.states) lines.push(s.values.map(([label, v]) => `${label}=${showValue(v)};`).join(' '));
  lines.push(result.ok ? 'Ok' : 'No');
  lines.push('Witnesses');
  lines.push(`Positive: ${result.positive} Negative: ${result.negative}`);
  for (const f of result.flags) lines.push(`Flag ${f}`);
  lines.push(`Condition ${conditionText(result)}`);
  lines.push(`Observation ${name} ${result.observation} ${result.positive} ${result.negative}`);
  if (elapsedSeconds !== undefined) lines.push(`Time ${name} ${elapsedSeconds.toFixed(2)}`);
  return lines.join('\n') + '\n';
}
