/**
 * Jupyter notebooks (nbformat 4) to Markdown pages for the documentation
 * site: markdown cells as they are, code cells as fenced TypeScript, and
 * their outputs — `text/markdown` inline, `text/plain`, streams and errors
 * as text, and diagrams as figures. A diagram is an `image/svg+xml` output
 * (what `show()` records, drawn ahead of time) followed by the Markdown
 * block with its Mermaid source; the page gets a figure with that SVG for
 * the light theme and one drawn from the source for the dark theme (the
 * `figure` callback, see scripts/site/diagrams.mjs). A ```mermaid fence in
 * older Markdown output becomes a figure too. Without `figure`, outputs
 * are kept as they are.
 *
 * For the site (`forSite`), a page shows what the notebook checks, not how:
 * cells tagged `notebook-only` (the set-up) are left out, code cells show
 * their outputs but not their TypeScript, and the collapsed test `show()`
 * records above each verdict becomes the page's litmus code block (the
 * `litmus` callback draws it, with its link to the playground).
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

/** The tag of cells that belong to the notebook only (its set-up): left out of the site's pages. */
export const NOTEBOOK_ONLY = 'notebook-only';

/** The collapsed block `show()` writes under a verdict's heading, with the test it checked (src/notebook/index.ts). */
const LITMUS_BLOCK = /<details>\s*<summary>The litmus test<\/summary>\s*(`{3,})c\n([\s\S]*?)\n\1\s*<\/details>/g;

/** Replaces each collapsed litmus test of `md` by `litmus(text)`. */
export function openLitmusBlocks(md, litmus) {
  return md.replace(LITMUS_BLOCK, (_, ticks, body) => litmus(`${body}\n`));
}

/** A heading's text without its Markdown code spans' backticks (for a sidebar or a link). */
export function plainTitle(heading) {
  return heading.replace(/`([^`]*)`/g, '$1').trim();
}

/** The collapsed block `show()` writes under a diagram's SVG: returns the Mermaid source inside, or null. */
export function mermaidSourceOf(markdown) {
  const m = /^<details>\s*<summary>Mermaid source<\/summary>\s*(`{3,})mermaid\n([\s\S]*?)\n\1\s*<\/details>$/.exec(markdown.trim());
  return m ? `${m[2]}\n` : null;
}

const MERMAID_FENCE = /^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm;

/** Replaces each ```mermaid fence of `md` by `await figure(source)`. */
async function fencesToFigures(md, figure) {
  const parts = [];
  let at = 0;
  for (const m of md.matchAll(MERMAID_FENCE)) {
    parts.push(md.slice(at, m.index), await figure(`${m[2]}\n`));
    at = m.index + m[0].length;
  }
  parts.push(md.slice(at));
  return parts.join('');
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
export async function notebookToMarkdown(nb, { title, sidebarPosition, source, rewriteLink, figure, forSite = false, litmus } = {}) {
  if (!nb || !Array.isArray(nb.cells)) throw new Error(`${source ?? 'notebook'}: not an nbformat 4 notebook (no cells)`);
  const language = nb.metadata?.language_info?.name ?? nb.metadata?.kernelspec?.language ?? 'typescript';
  const lang = /typescript/i.test(language) ? 'ts' : language;
  const parts = [];
  for (const cell of nb.cells) {
    const src = joinSource(cell.source).trim();
    if (forSite && (cell.metadata?.tags ?? []).includes(NOTEBOOK_ONLY)) continue;
    if (cell.cell_type === 'markdown') {
      if (src) parts.push(rewriteLinks(src, rewriteLink));
    } else if (cell.cell_type === 'code') {
      if (src && !forSite) parts.push(fence(lang, src));
      const outputs = cell.outputs ?? [];
      for (let k = 0; k < outputs.length; k++) {
        const svg = outputs[k].data?.['image/svg+xml'];
        if (svg != null) {
          const next = outputs[k + 1]?.data?.['text/markdown'];
          const mermaid = next != null ? mermaidSourceOf(joinSource(next)) : null;
          if (figure && mermaid != null) {
            parts.push(await figure(mermaid, joinSource(svg).trim()));
            k++; // the source block belongs to the figure
          } else {
            parts.push(joinSource(svg).trim().replace(/\r?\n/g, ' '));
          }
          continue;
        }
        let md = outputMarkdown(outputs[k]);
        if (md && figure && outputs[k].data?.['text/markdown'] != null) md = await fencesToFigures(md, figure);
        if (md && litmus) md = openLitmusBlocks(md, litmus);
        if (md) parts.push(rewriteLinks(md, rewriteLink));
      }
    }
  }
  const front = ['---'];
  const heading = parts[0]?.match(/^#\s+(.+)$/m)?.[1];
  const pageTitle = title ?? (heading ? plainTitle(heading) : undefined);
  if (pageTitle) front.push(`title: ${JSON.stringify(pageTitle)}`);
  if (sidebarPosition != null) front.push(`sidebar_position: ${sidebarPosition}`);
  if (source) front.push(`custom_edit_url: null`);
  front.push('---');
  const note = source ? `\n\n*Generated from the executed notebook \`${source}\`: the verdicts and diagrams below are the notebook's recorded outputs.*` : '';
  return `${front.join('\n')}\n\n${parts.join('\n\n')}${note}\n`;
}
