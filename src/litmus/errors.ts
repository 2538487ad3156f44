import type { Pos } from './ast.js';

/**
 * A problem in a litmus test that the user can fix: bad syntax, an unknown
 * primitive, a construct the model cannot express. It always knows where it
 * is, and prints as `file:line:col: message` (plus a hint line when useful).
 */
export class LitmusError extends Error {
  readonly file: string;
  readonly pos: Pos;
  readonly hint: string | null;
  readonly reason: string;

  constructor(file: string, pos: Pos, reason: string, hint: string | null = null) {
    super(`${file}:${pos.line}:${pos.col}: ${reason}${hint ? `\n  hint: ${hint}` : ''}`);
    this.name = 'LitmusError';
    this.file = file;
    this.pos = pos;
    this.reason = reason;
    this.hint = hint;
  }
}
