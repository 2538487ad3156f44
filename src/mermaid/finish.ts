/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The last steps after Mermaid has drawn a diagram, run in the page that
 * drew it (the renderer's Chromium, or the playground), on the `<svg>`
 * while it is in the document (computed styles and hit testing need it):
 *
 * - natural size: explicit `width`/`height` from the viewBox, instead of
 *   Mermaid's `width="100%"` and `max-width`, so nothing shrinks it;
 * - its own background, the theme's page colour;
 * - stable ids: every id inside starts with the `<svg>`'s id, and ids that
 *   Mermaid numbers from a counter shared by all diagrams of a page are
 *   renumbered in document order (references follow);
 * - smaller text: coordinates rounded to 1/100 px, layout data dropped,
 *   and Mermaid's stylesheet cut to the rules that style something here;
 * - labels clear of other lines: a label Mermaid put on another edge's
 *   line (or a block) slides along its own line to a clear place
 *   (labels.ts);
 * - readable labels: every piece of text whose contrast with what is
 *   painted behind it is below 4.5:1 gets the nearest colour that passes.
 *
 * Browser-only (it uses the DOM), but free of Node imports.
 */

import { clearEdgeLabels } from './labels.js';
import { contrast, fade, formatHex, MIN_CONTRAST, over, parseColor, repairColor, type Rgba } from './color.js';

/** A label whose colour was changed for contrast. */
export interface Recoloured {
  readonly text: string;
  readonly from: string;
  readonly to: string;
  readonly background: string;
  readonly before: number;
  readonly after: number;
}

export interface FinishedSvg {
  /** The diagram as standalone SVG (XML), ready to inline in HTML or save as a file. */
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  readonly recoloured: readonly Recoloured[];
  /** The smallest font size of any text, in CSS pixels at the natural size. */
  readonly minFontPx: number;
}

export interface FinishOptions {
  /** The colour behind the diagram (the theme's page colour). */
  readonly background: string;
  /** Recolour labels below this contrast (default 4.5, aiming a little higher). */
  readonly minContrast?: number;
  /** Rename ids and round coordinates (default true; the playground skips it). */
  readonly canonical?: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const GEOMETRY = ['d', 'points', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'width', 'height', 'cx', 'cy', 'r', 'rx', 'ry', 'dx', 'dy', 'viewBox'];
const SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon', 'polyline']);

/** Applies every step to `svg` (in the document) and serialises it. */
export function finishSvg(svg: SVGSVGElement, options: FinishOptions): FinishedSvg {
  const canonical = options.canonical ?? true;
  clearEdgeLabels(svg);
  if (canonical) {
    for (const el of svg.querySelectorAll('[data-points]')) el.removeAttribute('data-points');
    normaliseStyleAttributes(svg);
    roundGeometry(svg);
    canonicalIds(svg);
  }
  const { width, height } = naturalSize(svg);
  svg.style.setProperty('background-color', options.background);
  const recoloured = repairContrast(svg, options.minContrast ?? MIN_CONTRAST);
  if (canonical) pruneStyles(svg);
  return { svg: new XMLSerializer().serializeToString(svg), width, height, recoloured, minFontPx: minFontPx(svg) };
}

/** Sets width and height to the viewBox's, and drops the style that let a container shrink it. */
export function naturalSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = (svg.getAttribute('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  let width = box[2] ?? NaN;
  let height = box[3] ?? NaN;
  if (!(width > 0 && height > 0)) {
    const bb = svg.getBBox();
    width = bb.width;
    height = bb.height;
    svg.setAttribute('viewBox', `${round(bb.x)} ${round(bb.y)} ${round(width)} ${round(height)}`);
  }
  width = round(width);
  height = round(height);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.style.removeProperty('max-width');
  // Stylesheets around an inline SVG (notebook viewers, `svg { max-width: 100% }`) would shrink it.
  svg.style.setProperty('max-width', 'none');
  return { width, height };
}

/**
 * Rewrites every `style` attribute as the browser parsed it: Mermaid writes
 * some that are not CSS (`undefined;;;undefined` on block diagram edges),
 * which strict parsers of inline SVG (MDX, sanitisers) reject.
 */
function normaliseStyleAttributes(svg: SVGSVGElement): void {
  for (const el of [svg, ...svg.querySelectorAll('[style]')] as Array<SVGElement | HTMLElement>) {
    if (!el.hasAttribute('style')) continue;
    const css = el.style.cssText;
    if (css) el.setAttribute('style', css);
    else el.removeAttribute('style');
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function roundGeometry(svg: SVGSVGElement): void {
  // Numbers as SVG writes them: path data may run them together ("0.260.01" is 0.260 and .01).
  const fix = (value: string): string =>
    value.replace(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi, (n: string, at: number) => {
      const short = String(round(Number(n)));
      return at > 0 && /[\d.]/.test(value[at - 1]!) && !short.startsWith('-') ? ` ${short}` : short;
    });
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const name of GEOMETRY) {
      const value = el.getAttribute(name);
      if (value !== null && /\d/.test(value)) el.setAttribute(name, fix(value));
    }
  }
}

/**
 * Gives every element id inside `svg` its prefix: an id that already
 * starts with it (Mermaid derives most from the diagram's id and the
 * source's names, as `…-cpu_P0`) stays; any other becomes `PREFIX-nK`,
 * numbered in document order. Duplicates are told apart the same way, and
 * `url(#…)`, `href="#…"`, ARIA references and selectors in `<style>` follow.
 */
function canonicalIds(svg: SVGSVGElement): void {
  const prefix = svg.id;
  const renamed = new Map<string, string>();
  const taken = new Set<string>([prefix]);
  let n = 0;
  const fresh = (): string => {
    let id = `${prefix}-n${n++}`;
    while (taken.has(id)) id = `${prefix}-n${n++}`;
    return id;
  };
  for (const el of svg.querySelectorAll('[id]')) {
    const old = el.id;
    const keep = (old.startsWith(`${prefix}-`) || old.startsWith(`${prefix}_`)) && !taken.has(old);
    const next = keep ? old : fresh();
    taken.add(next);
    if (!renamed.has(old)) renamed.set(old, next);
    if (next !== old) el.id = next;
  }
  const target = (id: string): string => renamed.get(id) ?? id;
  const urls = (value: string): string => value.replace(/url\(\s*(['"]?)#([^)'"\s]+)\1\s*\)/g, (_all, q: string, id: string) => `url(${q}#${target(id)}${q})`);
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const { name, value } = attr;
      let next = value;
      if (name === 'href' || name === 'xlink:href') next = value.startsWith('#') ? `#${target(value.slice(1))}` : value;
      else if (name === 'aria-labelledby' || name === 'aria-describedby') next = value.split(/\s+/).map(target).join(' ');
      else if (value.includes('url(')) next = urls(value);
      if (next !== value) el.setAttribute(name, next);
    }
  }
  for (const style of svg.querySelectorAll('style')) {
    const css = style.textContent ?? '';
    style.textContent = rewriteSelectors(css, (id) => target(id), urls);
  }
}

/** Rewrites `#id` in the selectors of a stylesheet (not in declarations, where `#abc` is a colour). */
function rewriteSelectors(css: string, rename: (id: string) => string, urls: (value: string) => string): string {
  let out = '';
  let depth = 0;
  let start = 0;
  const flush = (end: number): void => {
    const chunk = css.slice(start, end);
    // Selectors sit at depth 0, or at depth 1 inside an at-rule block such as @media.
    const selector = depth === 0 || (depth === 1 && /@media|@supports/.test(css.slice(0, start).split('}').pop() ?? ''));
    out += selector && !/^\s*@/.test(chunk) ? chunk.replace(/#([A-Za-z_][\w-]*)/g, (_all, id: string) => `#${rename(id)}`) : urls(chunk);
    start = end;
  };
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === '{' || c === '}') {
      flush(i);
      out += c;
      start = i + 1;
      depth += c === '{' ? 1 : -1;
    }
  }
  flush(css.length);
  return out;
}

/**
 * Drops the rules of the diagram's `<style>` that match nothing in it
 * (Mermaid ships the styles of every feature of a diagram type: error
 * icons, animations, clickable nodes), and keyframes no kept rule uses.
 * Rules the browser cannot test (pseudo-elements) stay.
 */
function pruneStyles(svg: SVGSVGElement): void {
  for (const style of svg.querySelectorAll('style')) {
    const sheet = style.sheet;
    if (!sheet) continue;
    const kept: string[] = [];
    const keyframes: CSSKeyframesRule[] = [];
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSKeyframesRule) {
        keyframes.push(rule);
        continue;
      }
      if (rule instanceof CSSStyleRule) {
        let used = true;
        try {
          used = svg.querySelector(rule.selectorText.replace(new RegExp(`#${CSS.escape(svg.id)}(?![\\w-])`, 'g'), ':scope')) !== null || svg.matches(rule.selectorText);
        } catch {
          used = true;
        }
        if (!used) continue;
      }
      kept.push(rule.cssText);
    }
    const text = kept.join('');
    for (const k of keyframes) if (text.includes(k.name)) kept.push(k.cssText);
    style.textContent = kept.join('');
  }
}

/** Elements that hold text directly: SVG `text`/`tspan`, or HTML inside a `foreignObject`. */
export function textLeaves(root: Element): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    if (el.localName === 'style' || el.localName === 'title' || el.localName === 'desc') continue;
    const direct = [...el.childNodes].some((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '');
    if (direct && el.getClientRects().length > 0) out.push(el);
  }
  return out;
}

function isSvg(el: Element): boolean {
  return el.namespaceURI === SVG_NS;
}

/** The product of `opacity` from `el` up to (and including) `stop`. */
function opacityChain(el: Element, stop: Element | null): number {
  let o = 1;
  for (let e: Element | null = el; e; e = e.parentElement) {
    o *= Number(getComputedStyle(e).opacity) || 0;
    if (e === stop) break;
  }
  return o;
}

/** The colour a text leaf is painted with, opacity included (null when it has no paint). */
function textColor(el: Element): Rgba | null {
  const style = getComputedStyle(el);
  const svgText = isSvg(el);
  const paint = parseColor(svgText ? style.fill : style.color);
  if (!paint) return null;
  const owner = el.closest('svg');
  return fade(paint, opacityChain(el, owner) * (svgText ? Number(style.fillOpacity) : 1));
}

/** What one element paints at a point: its fill (SVG shapes) or background (HTML, the `<svg>` root). */
function layerColor(el: Element): Rgba | null {
  const style = getComputedStyle(el);
  if (isSvg(el) && SHAPES.has(el.localName)) {
    const fill = parseColor(style.fill);
    if (!fill || style.visibility === 'hidden') return null;
    return fade(fill, Number(style.fillOpacity) * opacityChain(el, el.closest('svg')));
  }
  if (isSvg(el) && el.localName !== 'svg') return null;
  const bg = parseColor(style.backgroundColor);
  return bg && bg.a > 0 ? bg : null;
}

/**
 * The colour painted behind a text leaf at a point of the viewport:
 * everything under it that paints, composited from the bottom up over
 * white (the canvas). Other text is not background.
 */
export function backgroundAt(leaf: Element, x: number, y: number, svg: Element | null = leaf.closest('svg')): Rgba {
  const layers: Rgba[] = [];
  for (const el of document.elementsFromPoint(x, y)) {
    if (leaf.contains(el)) continue; // the text itself
    // Only the diagram and what holds it: not whatever the page lays over it (a sticky header).
    if (svg && !(el === svg || svg.contains(el) || el.contains(svg))) continue;
    if (isSvg(el) && (el.localName === 'text' || el.localName === 'tspan')) continue;
    const c = layerColor(el);
    if (!c) continue;
    layers.push(c);
    if (c.a >= 0.999) break;
  }
  let bg: Rgba = { r: 255, g: 255, b: 255, a: 1 };
  for (const c of layers.reverse()) bg = over(c, bg);
  return bg;
}

/** Points across the middle of a leaf's box, scrolled into view, for sampling what is behind it. */
function samplePoints(leaf: Element): Array<[number, number]> {
  let box = leaf.getBoundingClientRect();
  if (box.left < 0 || box.top < 0 || box.right > innerWidth || box.bottom > innerHeight) {
    scrollBy(box.left + box.width / 2 - innerWidth / 2, box.top + box.height / 2 - innerHeight / 2);
    box = leaf.getBoundingClientRect();
  }
  const y = box.top + box.height / 2;
  return [0.25, 0.5, 0.75].map((f) => [box.left + box.width * f, y] as [number, number]).filter(([px, py]) => px >= 0 && py >= 0 && px < innerWidth && py < innerHeight);
}

function outermostSvg(el: Element): Element | null {
  let top: Element | null = null;
  for (let e: Element | null = el; e; e = e.parentElement) if (e.localName === 'svg') top = e;
  return top;
}

/** The lowest contrast of a leaf against what is behind it, and that background. */
export function leafContrast(leaf: Element): { ratio: number; fg: Rgba; bg: Rgba } | null {
  const fg = textColor(leaf);
  if (!fg || fg.a === 0) return null;
  let worst: { ratio: number; fg: Rgba; bg: Rgba } | null = null;
  for (const [x, y] of samplePoints(leaf)) {
    const bg = backgroundAt(leaf, x, y, outermostSvg(leaf));
    const ratio = contrast(fg, bg);
    if (!worst || ratio < worst.ratio) worst = { ratio, fg, bg };
  }
  return worst;
}

function repairContrast(svg: SVGSVGElement, target: number): Recoloured[] {
  const out: Recoloured[] = [];
  const [sx, sy] = [scrollX, scrollY];
  // Hit testing must see every shape, including those Mermaid makes transparent to the pointer.
  const probe = document.createElement('style');
  probe.textContent = 'svg, svg * { pointer-events: all !important; }';
  document.head.appendChild(probe);
  try {
    const repaired = new Set<Element>();
    for (const leaf of textLeaves(svg)) {
      const measured = leafContrast(leaf);
      if (!measured || measured.ratio >= target) continue;
      // Aim a little above the threshold, so that rounding in another browser cannot undo it.
      const fixed = repairColor(measured.fg, measured.bg, target + 0.2);
      (leaf as HTMLElement | SVGElement).style.setProperty(isSvg(leaf) ? 'fill' : 'color', formatHex(fixed), 'important');
      // Mermaid writes a label a word per <tspan>: report each label once, as a whole.
      const where = (isSvg(leaf) ? leaf.closest('text') : null) ?? leaf;
      if (repaired.has(where)) continue;
      repaired.add(where);
      out.push({
        text: (where.textContent ?? '').replace(/\s+/g, ' ').trim(),
        from: formatHex(measured.fg),
        to: formatHex(fixed),
        background: formatHex(measured.bg),
        before: Math.round(measured.ratio * 100) / 100,
        after: Math.round(contrast(fixed, measured.bg) * 100) / 100,
      });
    }
  } finally {
    probe.remove();
    // Sampling scrolled the labels into view; nothing has been painted since, so put it back.
    scrollTo(sx, sy);
  }
  return out;
}

/** The smallest rendered font size of any text in `svg`, in CSS pixels. */
export function minFontPx(svg: SVGSVGElement): number {
  let min = Infinity;
  for (const leaf of textLeaves(svg)) {
    const size = parseFloat(getComputedStyle(leaf).fontSize);
    const host = isSvg(leaf) ? (leaf as SVGGraphicsElement) : leaf.closest('foreignObject');
    const m = host && 'getScreenCTM' in host ? (host as SVGGraphicsElement).getScreenCTM() : null;
    const scale = m ? Math.hypot(m.a, m.b) : 1;
    if (size > 0) min = Math.min(min, size * scale);
  }
  return Number.isFinite(min) ? Math.round(min * 100) / 100 : 0;
}
