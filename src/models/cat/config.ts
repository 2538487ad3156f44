/**
 * herd7's configuration files (`linux-kernel.cfg`) and macro files
 * (`linux-kernel.def`), as far as choosing a model goes.
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

/** One macro of a .def file: its name and where it is defined. */
export interface MacroDefinition {
  readonly name: string;
  readonly arity: number;
  readonly line: number;
  readonly col: number;
}

/**
 * The macros a .def file defines (`READ_ONCE(X) __load{ONCE}(X)`), one per
 * line; comments (`//`) and blank lines skipped.
 */
export function parseMacros(text: string, file: string): MacroDefinition[] {
  const out: MacroDefinition[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '');
    if (line.trim() === '') return;
    const m = /^(\s*)([A-Za-z_]\w*)\s*\(([^)]*)\)/.exec(line);
    if (!m) throw new CatError(file, { line: i + 1, col: line.search(/\S/) + 1, offset: 0 }, 'expected a macro: NAME(ARGS) BODY');
    const params = m[3]!.trim();
    out.push({ name: m[2]!, arity: params === '' ? 0 : params.split(',').length, line: i + 1, col: m[1]!.length + 1 });
  });
  return out;
}
