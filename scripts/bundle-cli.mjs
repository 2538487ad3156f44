#!/usr/bin/env node
/**
 * Bundles the command line, after `tsc` has compiled src/ to dist/, into
 * dist/cli/barrier-lab.js (the package's `bin`) and one chunk with the
 * commands other than `check` (dist/cli/barrier-lab-commands.js, loaded when
 * one of them runs): Node then reads and links a module or two instead of
 * some sixty, which was most of what a small check cost as its own process
 * (measured in `npm run bench`: start-up). The modules in dist/ stay as they
 * are, for the library and for the worker threads of `check --jobs`
 * (dist/cli/check-worker.js, found next to the bundle).
 */

import { rolldown } from 'rolldown';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

const bundle = await rolldown({
  input: `${ROOT}dist/cli/main.js`,
  platform: 'node',
  logLevel: 'warn',
});
await bundle.write({ dir: `${ROOT}dist/cli`, format: 'esm', entryFileNames: 'barrier-lab.js', chunkFileNames: 'barrier-lab-[name].js', sourcemap: false });
await bundle.close();
