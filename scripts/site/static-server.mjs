/**
 * A minimal static file server for the built site (build/), on 127.0.0.1
 * and a free port, resolving `/docs/x` to `docs/x.html` as Docusaurus's
 * own server does. For scripts that look at the site in a browser.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.txt': 'text/plain',
  '.woff2': 'font/woff2',
};

/** The file a site path names, or null. */
export function resolveBuilt(dir, url) {
  const path = normalize(decodeURIComponent(url.split(/[?#]/)[0])).replace(/^(\.\.[/\\])+/, '');
  for (const candidate of [path, `${path}.html`, join(path, 'index.html')]) {
    const file = join(dir, candidate);
    if ((file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) && existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** Serves `dir`; resolves to `{ base, close() }` once listening. */
export async function serveDirectory(dir) {
  const server = createServer((req, res) => {
    const file = resolveBuilt(dir, req.url ?? '/');
    if (!file) {
      const notFound = join(dir, '404.html');
      res.writeHead(404, { 'content-type': 'text/html' }).end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}
