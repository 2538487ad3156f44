/**
 * Text inside Mermaid diagrams. Mermaid reads `#name;` and `#123;` as
 * entity codes, so every character that could end a label or a statement
 * (quotes, brackets, pipes, `;`), start an entity (`#`) or be taken for
 * HTML (`<`, `>`, `&`) is written as one. Our own line breaks are added as
 * `<br/>` after escaping.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  ';': '#59;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
  '|': '#124;',
  '`': '#96;',
  '%': '#37;',
};

/** One line of user text, safe inside a quoted Mermaid label or a message. */
export function mermaidText(text: string): string {
  return text.replace(/[#"&<>;[\]{}|`%\r\n]/g, (c) => (c === '\r' || c === '\n' ? ' ' : ENTITIES[c]!));
}

/** Several lines of user text, each escaped, joined by Mermaid line breaks. */
export function mermaidLines(lines: readonly string[]): string {
  return lines.map(mermaidText).join('<br/>');
}

/**
 * A name usable as a Mermaid node or participant id: letters, digits and
 * `_` only, never one of Mermaid's keywords (`end`, `graph`, ...).
 */
export function mermaidId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z]/.test(id) && !KEYWORDS.has(id.toLowerCase()) ? id : `n_${id}`;
}

const KEYWORDS = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classdef', 'linkstyle', 'click', 'direction', 'default', 'participant', 'actor', 'note', 'loop', 'alt', 'else', 'opt', 'par', 'and', 'rect', 'title', 'box', 'critical', 'break', 'activate', 'deactivate', 'autonumber', 'create', 'destroy', 'links', 'link', 'over', 'left', 'right', 'of', 'as', 'block', 'columns', 'space']);

/** A YAML double-quoted scalar (for the `title:` of a diagram's front matter). */
export function yamlString(text: string): string {
  return JSON.stringify(text.replace(/[\r\n]+/g, ' '));
}
