/** The memory models, by name. */

import { lkmm } from './lkmm.js';
import type { MemoryModel } from './model.js';
import { sc } from './sc.js';
import { tso } from './tso.js';

export const MODELS: ReadonlyMap<string, MemoryModel> = new Map([
  ['lkmm', lkmm],
  ['sc', sc],
  ['tso', tso],
]);

export { lkmm, sc, tso };
