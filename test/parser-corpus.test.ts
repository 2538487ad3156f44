/**
 * Every C litmus test of the shared conformance corpus must parse. The corpus
 * is read in place, at run time, from ../shared/conformance beside the repo.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseLitmus } from '../src/litmus/parser.js';

const CORPUS = fileURLToPath(new URL('../../shared/conformance', import.meta.url));

function litmusFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...litmusFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.litmus')) files.push(path);
  }
  return files.sort();
}

const files = litmusFiles(CORPUS);

describe('the conformance corpus', () => {
  it('is there', () => {
    expect(files.length).toBeGreaterThan(1000);
  });

  it.each(files.map((file) => [relative(CORPUS, file), file]))('parses %s', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const test = parseLitmus(text, file);
    expect(test.name).toBe(/^C[ \t]+(\S+)/.exec(text)?.[1]);
    expect(test.threads.length).toBeGreaterThan(0);
    expect(test.threads.map((t) => t.id)).toEqual(test.threads.map((_t, i) => i));
  });
});
