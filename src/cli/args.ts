/**
 * Command-line options, declared once per command: the declaration gives
 * Node's argument parser its configuration, the command its `--help` text
 * (wrapped to 80 columns), and every mistake a message in the project's
 * words that names the command and points to its help.
 */

import { parseArgs } from 'node:util';

/** A usage or input problem: printed without a stack trace, exit status 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder (`N`, `M`, `CPU:LINE`) for options that take one; none for a switch. */
  readonly value?: string;
  /** May be given several times (`-I DIR -I DIR`): its values come as a list. */
  readonly multiple?: boolean;
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** One line for the list of commands. */
  readonly summary: string;
  /** What follows the command on its usage line: `FILE|DIR...`. */
  readonly operands: string;
  /** A paragraph for its help. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
}

export const HELP: OptionSpec = { name: 'help', short: 'h', help: 'show this help' };

const WIDTH = 80;

/** Words wrapped to `width` columns, every line after the first indented by `indent`. */
export function wrapWords(text: string, width: number, indent: string, first = ''): string[] {
  const lines: string[] = [];
  let line = first;
  let fresh = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!fresh && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = fresh ? line + word : `${line} ${word}`;
    fresh = false;
  }
  if (!fresh) lines.push(line);
  return lines;
}

/** The command's help: usage, what it does, each option with what it does. */
export function commandHelp(spec: CommandSpec): string {
  const out = [`usage: barrier-lab ${spec.name} [options] ${spec.operands}`, '', ...wrapWords(spec.description, WIDTH, ''), '', 'options:'];
  const names = spec.options.map((o) => `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`);
  const column = Math.min(28, Math.max(...names.map((n) => n.length)) + 4);
  spec.options.forEach((o, i) => {
    const head = `  ${names[i]!}`;
    const pad = head.length + 2 > column ? null : head.padEnd(column);
    if (pad === null) {
      out.push(head);
      out.push(...wrapWords(o.help, WIDTH, ' '.repeat(column), ' '.repeat(column)));
    } else out.push(...wrapWords(o.help, WIDTH, ' '.repeat(column), pad));
  });
  return `${out.join('\n')}\n`;
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses a command's arguments. An unknown option, a missing value or a
 * value that looks like an option (`--jobs -1`) is a UsageError naming the
 * command; `--help` comes back as null (the caller prints the help).
 */
export function parseCommand(spec: CommandSpec, args: readonly string[]): { values: ParsedValues; positionals: string[] } | null {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of spec.options) options[o.name] = { type: o.value ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  const takesValue = new Map<string, OptionSpec>();
  for (const o of spec.options) {
    if (!o.value) continue;
    takesValue.set(`--${o.name}`, o);
    if (o.short) takesValue.set(`-${o.short}`, o);
  }
  const see = `see 'barrier-lab ${spec.name} --help'`;
  // A value that starts with '-' after an option that takes one: say what the option wants.
  for (let i = 0; i < args.length; i++) {
    const o = takesValue.get(args[i]!);
    if (!o) continue;
    const next = args[i + 1];
    if (next !== undefined && /^-\d/.test(next) && (o.value === 'N' || o.value === 'S')) {
      throw new UsageError(`${spec.name}: --${o.name} takes a positive number, not '${next}'; ${see}`);
    }
    if (next === undefined || (next.startsWith('-') && next.length > 1)) {
      throw new UsageError(`${spec.name}: --${o.name} needs a value (${o.value})${next === undefined ? '' : `, not '${next}'`}; ${see}`);
    }
    i++;
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options, strict: true });
    if (values.help === true) return null;
    return { values: values as ParsedValues, positionals };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS')) throw e;
    const option = /'([^']+)'/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${spec.name}: unknown option '${option.split(/[ ,]/)[0]}'; ${see}`);
    throw new UsageError(`${spec.name}: ${(e as Error).message.split('.')[0]}; ${see}`);
  }
}

/** A positive number given to an option, or undefined when the option was not given. */
export function positiveNumber(spec: CommandSpec, values: ParsedValues, name: string, whole = false): number | undefined {
  const text = values[name];
  if (text === undefined || typeof text === 'boolean') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new UsageError(`${spec.name}: --${name} takes a positive ${whole ? 'whole ' : ''}number, not '${text}'; see 'barrier-lab ${spec.name} --help'`);
  }
  return n;
}

/** A string option's value (the last, for one given several times). */
export function stringOption(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
}

/** Every value of an option that may be given several times; undefined when it was not given. */
export function listOption(values: ParsedValues, name: string): string[] | undefined {
  const v = values[name];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
}
