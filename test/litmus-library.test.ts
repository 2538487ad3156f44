/**
 * The project's own litmus library (litmus/ at the top of the repo). Every
 * test states, in its header, what the checker must report for it:
 *
 *   (*
 *    * Result: Never                       Never, Sometimes or Always
 *    * Counts: Positive 0 Negative 3       herd7's Positive/Negative counts
 *    * Flags: data-race                    optional: the Flag lines, comma-separated
 *    ...
 *    *)
 *
 * The lines must be in the first (* ... *) comment of the file. A file
 * without a Result or a Counts line fails; a file without a Flags line
 * expects no flags at all.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { litmusFiles } from './support/files.js';
import { check, parseLitmus } from '../src/index.js';

const LIBRARY = fileURLToPath(new URL('../litmus', import.meta.url));

type Observation = 'Never' | 'Sometimes' | 'Always';

interface Header {
  readonly observation: Observation;
  readonly positive: number;
  readonly negative: number;
  readonly flags: readonly string[];
}


/** The header fields of a test; throws (failing the test) when they are missing or malformed. */
function readHeader(text: string): Header {
  const start = text.indexOf('(*');
  const end = start < 0 ? -1 : text.indexOf('*)', start + 2);
  if (start < 0 || end < 0) throw new Error('no (* ... *) header comment');
  const lines = text
    .slice(start + 2, end)
    .split('\n')
    .map((line) => line.replace(/^\s*\*?\s?/, '').trimEnd());
  const field = (name: string): string | undefined => {
    const found = lines.filter((line) => line.startsWith(`${name}:`));
    if (found.length > 1) throw new Error(`more than one '${name}:' line in the header`);
    return found[0]?.slice(name.length + 1).trim();
  };

  const result = field('Result');
  if (result === undefined) throw new Error("no ' * Result: Never|Sometimes|Always' line in the header");
  if (result !== 'Never' && result !== 'Sometimes' && result !== 'Always') {
    throw new Error(`Result must be Never, Sometimes or Always, not '${result}'`);
  }
  const counts = field('Counts');
  if (counts === undefined) throw new Error("no ' * Counts: Positive P Negative N' line in the header");
  const m = /^Positive (\d+) Negative (\d+)$/.exec(counts);
  if (!m) throw new Error(`Counts must read 'Positive P Negative N', not '${counts}'`);
  const flags = field('Flags');
  const flagList = flags === undefined ? [] : flags.split(',').map((f) => f.trim());
  if (flagList.some((f) => f === '')) throw new Error(`malformed Flags line: '${flags}'`);
  return { observation: result, positive: Number(m[1]), negative: Number(m[2]), flags: flagList };
}

const files = litmusFiles(LIBRARY);

describe('the litmus library', () => {
  it('is there', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((file) => [relative(LIBRARY, file), file]))('%s: the checker agrees with its header', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const header = readHeader(text);
    const result = check(parseLitmus(text, file));
    expect({
      observation: result.observation,
      positive: result.positive,
      negative: result.negative,
      flags: [...result.flags].sort(),
    }).toEqual({ ...header, flags: [...header.flags].sort() });
  });
});
