/**
 * Jupyter notebooks (nbformat 4) to Markdown pages for the documentation
 * site: markdown cells as they are, code cells as fenced TypeScript, and
 * their outputs — `text/markdown` inline (so ```mermaid fences stay fences
 * and theme-mermaid draws them), `text/plain`, streams and errors as text.
 */

/** A cell's or output's multi-line field: nbformat allows a string or a list of lines. */
export function joinSource(value) {
  if (value == null) return '';
  return Array.isArray(value) ? value.join('') : String(value);
}

/** ANSI colour codes from tracebacks, which mean nothing on a web page. */
function stripAnsi(text) {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fence(lang, body) {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${lang}\n${body.replace(/\n+$/, '')}\n${ticks}`;
}

function outputMarkdown(output) {
  switch (output.output_type) {
    case 'stream': {
      const text = stripAnsi(joinSource(output.text)).trimEnd();
      return text ? fence('text', text) : '';
    }
    case 'error': {
      const trace = stripAnsi(joinSource(output.traceback?.length ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`));
      return fence('text', trace.trimEnd());
    }
    case 'display_data':
    case 'execute_result': {
      const data = output.data ?? {};
      if (data['text/markdown'] != null) return joinSource(data['text/markdown']).trim();
      if (data['image/png'] != null) return `![output](data:image/png;base64,${joinSource(data['image/png']).trim()})`;
      if (data['text/plain'] != null) {
        const text = stripAnsi(joinSource(data['text/plain'])).trimEnd();
        // tslab shows `undefined` for statements with no value: not worth a block.
        return text && text !== 'undefined' ? fence('text', text) : '';
      }
      return '';
    }
    default:
      return '';
  }
}

/**
 * Rewrites the relative Markdown links of `text` (outside code fences):
 * `rewrite(url)` returns the new URL, or null to drop the link and keep its
 * text. Absolute URLs and anchors are left alone.
 */
export function rewriteLinks(text, rewrite) {
  if (!rewrite) return text;
  return text.split(/(^```[\s\S]*?^```)/m).map((chunk, i) => (i % 2 === 1 ? chunk : chunk.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, label, url) => {
    if (bang || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('/')) return all;
    const to = rewrite(url);
    return to == null ? label : `[${label}](${to})`;
  }))).join('');
}

/**
 * The page for one notebook. `title` and `sidebarPosition` go into the front
 * matter; `source` names the notebook for the "generated from" note.
 */
export function notebookToMarkdown(nb, { title, sidebarPosition, source, rewriteLink } = {}) {
  if (!nb || !Array.isArray(nb.cells)) throw new Error(`${source ?? 'notebook'}: not an nbformat 4 notebook (no cells)`);
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language ?? 'typescript';
  const lang = /typescript/i.test(language) ? 'ts' : language;
  const parts = [];
  for (const cell of nb.cells) {
    const src = joinSource(cell.source).trim();
    if (cell.cell_type === 'markdown') {
      if (src) parts.push(rewriteLinks(src, rewriteLink));
    } else if (cell.cell_type === 'code') {
      if (src) parts.push(fence(lang, src));
      for (const out of cell.outputs ?? []) {
        const md = outputMarkdown(out);
        if (md) parts.push(rewriteLinks(md, rewriteLink));
      }
    }
  }
  const front = ['---'];
  const heading = parts[0]?.match(/^#\s+(.+)$/m)?.[1];
  const pageTitle = title ?? heading;
  if (pageTitle) front.push(`title: ${JSON.stringify(pageTitle)}`);
  if (sidebarPosition != null) front.push(`sidebar_position: ${sidebarPosition}`);
  if (source) front.push(`custom_edit_url: null`);
  front.push('---');
  const note = source ? `\n\n*Generated from the executed notebook \`${source}\`: the verdicts and diagrams below are the notebook's recorded outputs.*` : '';
  return `${front.join('\n')}\n\n${parts.join('\n\n')}${note}\n`;
}
