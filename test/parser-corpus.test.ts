/**
 * Every C litmus test of the shared conformance corpus must parse. The corpus
 * is read in place, at run time, from ../shared/conformance beside the repo.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { litmusFiles } from './support/files.js';
import { parseLitmus } from '../src/litmus/parser.js';

const CORPUS = fileURLToPath(new URL('../../shared/conformance', import.meta.url));


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
