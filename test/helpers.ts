import { check, parseLitmus, type CheckResult } from '../src/index.js';

/** Checks a litmus test given as text. */
export function checkText(text: string): CheckResult {
  return check(parseLitmus(text, 'inline.litmus'));
}

/** The verdict and counts, as herd7's Observation line says them. */
export function observation(text: string): string {
  const r = checkText(text);
  return `${r.observation} ${r.positive} ${r.negative}`;
}
