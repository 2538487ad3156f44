/**
 * A litmus test in a link: the playground keeps the test in its URL's
 * fragment (`/playground#litmus=...`), so a link reproduces exactly what
 * its author checked, and nothing is sent to a server (a fragment never
 * leaves the browser). The site's "Open in the playground" links are made
 * here too, at build time (scripts/site/generate.mjs).
 */

const KEY = 'litmus=';

/** The fragment (with its '#') that carries `text`. */
export function fragmentOf(text) {
  // Parentheses and quotes too, which encodeURIComponent leaves: the link goes into Markdown.
  return `#${KEY}${encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** The test a fragment carries, or null when it carries none (or a broken one). */
export function testOfFragment(hash) {
  const body = (hash ?? '').replace(/^#/, '');
  if (!body.startsWith(KEY)) return null;
  try {
    return decodeURIComponent(body.slice(KEY.length));
  } catch {
    return null;
  }
}

/** The site path that opens the playground on `text`. */
export function playgroundLink(text) {
  return `/playground${fragmentOf(text)}`;
}
