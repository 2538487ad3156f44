/**
 * What the browser tests require of every pre-rendered diagram, measured
 * in the page by test/support/diagram-probe.js: drawn at its natural size,
 * no text below 12 px, every label at least 4.5:1 against what is behind
 * it, CPU header blocks (ids ending -cpu_P0, -cpu_P1, ...) left to right,
 * and no edge label on the line of an edge it does not belong to.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const PROBE = fileURLToPath(new URL('./diagram-probe.js', import.meta.url));

export interface DiagramRecord {
  readonly id: string;
  readonly kind: string | null;
  readonly widthAttr: string | null;
  readonly heightAttr: string | null;
  readonly renderedWidth: number;
  readonly viewBoxWidth: number;
  readonly labels: number;
  readonly minFontPx: number;
  readonly lowContrast: ReadonlyArray<{ text: string; ratio: number; fg: string; bg: string }>;
  readonly cpuOrder: { cpus: number[]; leftToRight: boolean } | null;
  readonly labelsOnLines: readonly string[];
}

/** Measures the visible `<svg>` elements that `selector` matches. */
export async function probeDiagrams(page: Page, selector: string): Promise<DiagramRecord[]> {
  if (!(await page.evaluate(() => '__probeDiagrams' in window))) await page.addScriptTag({ path: PROBE });
  return page.evaluate((sel) => (window as unknown as { __probeDiagrams(s: string): DiagramRecord[] }).__probeDiagrams(sel), selector);
}

/** Every way `records` fall short, one line each (empty when all is well). */
export function diagramProblems(records: readonly DiagramRecord[], where: string): string[] {
  const out: string[] = [];
  for (const r of records) {
    const at = `${where} ${r.id}`;
    if (r.widthAttr === null || r.widthAttr.endsWith('%')) out.push(`${at}: width is ${r.widthAttr}, not the natural size`);
    else if (Math.abs(r.renderedWidth - Number(r.widthAttr)) > 1) out.push(`${at}: drawn ${r.renderedWidth} px wide, its natural width is ${r.widthAttr} px (shrunk)`);
    if (r.labels === 0) out.push(`${at}: no text at all`);
    if (!(r.minFontPx >= 12)) out.push(`${at}: smallest text is ${r.minFontPx} px`);
    for (const c of r.lowContrast) out.push(`${at}: "${c.text}" ${c.fg} on ${c.bg} is ${c.ratio}:1`);
    for (const text of r.labelsOnLines) out.push(`${at}: label "${text}" sits on the line of another edge`);
    if (r.cpuOrder && !r.cpuOrder.leftToRight) out.push(`${at}: CPU headers ${r.cpuOrder.cpus.join(', ')} are not left to right`);
  }
  return out;
}
