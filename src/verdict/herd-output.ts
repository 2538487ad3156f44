/**
 * Comparing two reports in herd7's format, the way the conformance and
 * differential runners judge agreement: the same Observation line (verdict
 * and both counts), the same set of state lines, the same Ok/No and the
 * same flags. Times, hashes and the order of lines are not compared.
 */

/** The parts of a herd7 report that are compared. */
export interface HerdSummary {
  readonly observation: string;
  readonly states: ReadonlySet<string>;
  readonly ok: string;
  readonly flags: ReadonlySet<string>;
}

/** Reads the compared parts of a report (herd7's or barrier-lab's). */
export function summariseHerdOutput(text: string): HerdSummary {
  const lines = text.split('\n').map((l) => l.trimEnd());
  const states = new Set<string>();
  const flags = new Set<string>();
  let observation = '';
  let ok = '';
  const statesAt = lines.findIndex((l) => l.startsWith('States '));
  if (statesAt >= 0) {
    const count = Number(lines[statesAt]!.slice(7));
    for (let i = 1; i <= count; i++) states.add(anonymiseSymbols(lines[statesAt + i]!.trim()));
  }
  for (const l of lines) {
    if (l.startsWith('Observation ')) observation = l;
    else if (l === 'Ok' || l === 'No') ok = l;
    else if (l.startsWith('Flag ')) flags.add(l);
  }
  return { observation, states, ok, flags };
}

/**
 * Values that an out-of-thin-air cycle leaves undetermined are printed as
 * symbols (`S23`); their numbers are names internal to each tool, so states
 * are compared with every symbol written `S?`.
 */
function anonymiseSymbols(state: string): string {
  return state.replace(/=S\d+;/g, '=S?;');
}

/** What differs between the expected report and the one obtained, one line each; empty when they agree. */
export function herdDifferences(expected: HerdSummary, got: HerdSummary): string[] {
  const problems: string[] = [];
  if (expected.observation !== got.observation) problems.push(`observation: expected '${expected.observation}', got '${got.observation}'`);
  if (expected.ok !== got.ok) problems.push(`expected ${expected.ok}, got ${got.ok}`);
  const missing = [...expected.states].filter((s) => !got.states.has(s));
  const extra = [...got.states].filter((s) => !expected.states.has(s));
  if (missing.length > 0) problems.push(`missing states: ${missing.slice(0, 3).join(' | ')}${missing.length > 3 ? ` (+${missing.length - 3})` : ''}`);
  if (extra.length > 0) problems.push(`extra states: ${extra.slice(0, 3).join(' | ')}${extra.length > 3 ? ` (+${extra.length - 3})` : ''}`);
  const missingFlags = [...expected.flags].filter((f) => !got.flags.has(f));
  const extraFlags = [...got.flags].filter((f) => !expected.flags.has(f));
  if (missingFlags.length + extraFlags.length > 0) problems.push(`flags: expected {${[...expected.flags].join(', ')}}, got {${[...got.flags].join(', ')}}`);
  return problems;
}
