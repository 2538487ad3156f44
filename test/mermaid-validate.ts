/**
 * Validates Mermaid text with Mermaid's own parser, in Node: Mermaid needs
 * a DOM, so a JSDOM window and document are installed as globals before
 * Mermaid is first imported. Reused by every test that produces diagrams.
 */

import { JSDOM } from 'jsdom';

type Mermaid = { parse(text: string): Promise<{ diagramType: string } | false> };

let loading: Promise<Mermaid> | null = null;

function mermaid(): Promise<Mermaid> {
  loading ??= (async () => {
    const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
    const g = globalThis as Record<string, unknown>;
    g.window ??= dom.window;
    g.document ??= dom.window.document;
    // The sequence diagram's `box` checks colours with `new Option().style`.
    g.Option ??= dom.window.Option;
    const module = await import('mermaid');
    return module.default as unknown as Mermaid;
  })();
  return loading;
}

/** Parses a diagram with Mermaid; returns its type (`flowchart-v2`, `sequence`, ...) or throws Mermaid's parse error. */
export async function validateMermaid(text: string): Promise<string> {
  const result = await (await mermaid()).parse(text);
  if (result === false) throw new Error('mermaid.parse rejected the diagram');
  return result.diagramType;
}
