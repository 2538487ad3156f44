/**
 * herd7's configuration files (`linux-kernel.cfg`), as far as choosing a
 * model goes (macro files are read by macros.ts).
 *
 * A cfg file is one setting per line, `key value`: `model` (the .cat
 * file), `bell`, `macros` (the .def file) and `variant` (a comma-separated
 * list) choose the model; the others set up herd7's drawings and are
 * ignored here. `#` and `//` start comments.
 */

import { CatError } from './parser.js';

export interface ModelConfig {
  readonly model: string | null;
  readonly bell: string | null;
  readonly macros: string | null;
  readonly variants: readonly string[];
}

const MODEL_KEYS = new Set(['model', 'bell', 'macros', 'variant']);

export function parseConfig(text: string, file: string): ModelConfig {
  const found: { model: string | null; bell: string | null; macros: string | null; variants: string[] } = { model: null, bell: null, macros: null, variants: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(#|\/\/).*$/, '').trim();
    if (line === '') return;
    const m = /^(-?[A-Za-z][\w.-]*)\s*(.*)$/.exec(line);
    if (!m) throw new CatError(file, { line: i + 1, col: 1, offset: 0 }, `expected 'key value', found '${line}'`);
    const key = m[1]!.replace(/^-/, '');
    const value = m[2]!.trim();
    if (!MODEL_KEYS.has(key)) return;
    if (value === '') throw new CatError(file, { line: i + 1, col: raw.indexOf(m[1]!) + 1, offset: 0 }, `'${key}' needs a value`);
    if (key === 'variant') found.variants.push(...value.split(',').map((v) => v.trim()).filter((v) => v !== ''));
    else if (key === 'model') found.model = value;
    else if (key === 'bell') found.bell = value;
    else found.macros = value;
  });
  return found;
}
