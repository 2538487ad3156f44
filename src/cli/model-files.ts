/**
 * Choosing the model from the command line: a built-in model by name
 * (`--model lkmm`), or model files read as herd7 reads them (`--conf
 * linux-kernel.cfg`, or `--cat`, `--bell`, `--macros`, `-I DIR`,
 * `--variant NAME`).
 *
 * Files are looked for as given, then next to the cfg or including file,
 * then in the `-I` directories in order; herd7's library files the kernel's
 * model includes (`cross.cat`, `cos-opt.cat`) fall back to barrier-lab's own.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { MODELS } from '../models/index.js';
import type { MemoryModel } from '../models/model.js';
import { catModel, type CatSource } from '../models/cat/compile.js';
import { parseConfig } from '../models/cat/config.js';
import { UsageError } from './args.js';

/** Which model a command runs: plain data, so that worker threads can load it again. */
export interface ModelChoice {
  /** A built-in model's name; with model files, the name results give the model (default: the cat file's name). */
  readonly name?: string;
  readonly conf?: string;
  readonly cat?: string;
  readonly bell?: string;
  readonly macros?: string;
  readonly includes?: readonly string[];
  readonly variants?: readonly string[];
}

const loaded = new Map<string, MemoryModel>();

/** The model chosen; model files are read once per process. */
export function loadModel(choice: ModelChoice): MemoryModel {
  if (choice.conf === undefined && choice.cat === undefined) {
    if (choice.bell !== undefined || choice.macros !== undefined) throw new UsageError('--bell and --macros go with --cat or --conf');
    const name = choice.name ?? 'lkmm';
    const model = MODELS.get(name);
    if (!model) throw new UsageError(`unknown model '${name}' (choose from ${[...MODELS.keys()].join(', ')}, or give model files with --conf or --cat)`);
    return model;
  }
  const key = JSON.stringify(choice);
  let model = loaded.get(key);
  if (!model) {
    model = readModelFiles(choice);
    loaded.set(key, model);
  }
  return model;
}

function readModelFiles(choice: ModelChoice): MemoryModel {
  const includes = choice.includes ?? [];
  let cat = choice.cat ?? null;
  let bell = choice.bell ?? null;
  let macros = choice.macros ?? null;
  const variants = [...(choice.variants ?? [])];
  let base: string | null = null;
  if (choice.conf !== undefined) {
    const conf = source(choice.conf, null, includes, 'configuration');
    const config = parseConfig(conf.text, conf.file);
    base = dirname(conf.file);
    // Options on the command line win over the cfg's, as with herd7.
    cat ??= config.model;
    bell ??= config.bell;
    macros ??= config.macros;
    if (choice.variants === undefined) variants.push(...config.variants);
    if (cat === null) throw new UsageError(`${conf.file}: names no model ('model FILE.cat')`);
  }
  const catFile = source(cat!, base, includes, 'model');
  return catModel({
    ...(macros !== null ? { macros: source(macros, base, includes, 'macro') } : {}),
    ...(choice.name !== undefined ? { name: choice.name } : {}),
    cat: catFile,
    ...(bell !== null ? { bell: source(bell, base, includes, 'bell') } : {}),
    variants,
    include: (name, from) => find(name, dirname(from), includes),
  });
}

/** A file as given, or next to `base`, or in an -I directory. */
function source(name: string, base: string | null, includes: readonly string[], what: string): CatSource {
  const found = find(name, base, includes);
  if (!found) throw new UsageError(`cannot find the ${what} file '${name}'${includes.length > 0 ? ` (looked in ${includes.join(', ')})` : ''}`);
  return found;
}

function find(name: string, base: string | null, includes: readonly string[]): CatSource | null {
  const candidates = isAbsolute(name) ? [name] : [name, ...(base !== null ? [join(base, name)] : []), ...includes.map((d) => join(d, name))];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (e) {
      throw new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return null;
}
