/**
 * How barrier-lab asks Mermaid to draw: one configuration per colour
 * theme, shared by the build-time renderer (src/cli/mermaid-svg.ts, in
 * headless Chromium) and the playground (which draws in the reader's
 * browser), so a diagram looks the same wherever it is drawn. Also the
 * element ids of rendered diagrams, which depend on the source only.
 *
 * Browser-safe: no Node imports.
 */

import { formatHex, invertLightness, parseColor } from './color.js';

/** The two colour themes of the documentation site (Docusaurus's `data-theme`). */
export type DiagramTheme = 'light' | 'dark';

export const DIAGRAM_THEMES: readonly DiagramTheme[] = ['light', 'dark'];

/**
 * What each theme paints behind a diagram: the rendered SVG carries it as
 * its own background, so the diagram reads the same inline on the site,
 * opened on its own, or in a notebook viewer with another theme. The dark
 * one is Docusaurus's dark page colour, so the diagram blends into the page.
 */
export const THEME_BACKGROUND: Readonly<Record<DiagramTheme, string>> = {
  light: '#ffffff',
  dark: '#1b1b1d',
};

/** The Mermaid settings this project uses (a subset of Mermaid's own configuration object). */
export interface MermaidSettings {
  readonly startOnLoad: false;
  readonly securityLevel: 'strict';
  readonly theme: 'default' | 'dark';
  readonly themeVariables: Readonly<Record<string, string>>;
  readonly fontFamily: string;
  readonly htmlLabels: false;
  readonly handDrawnSeed: number;
  readonly suppressErrorRendering: true;
  readonly flowchart: { readonly htmlLabels: false; readonly useMaxWidth: false };
  readonly sequence: { readonly useMaxWidth: false };
  readonly block: { readonly useMaxWidth: false };
  readonly state: { readonly useMaxWidth: false };
  readonly class: { readonly useMaxWidth: false };
}

/** The font stack of every diagram (Mermaid's own choice; the layout is measured with the first font present). */
export const DIAGRAM_FONT = '"trebuchet ms", verdana, arial, sans-serif';

/**
 * Colours that replace a theme's defaults where those leave a label below
 * 4.5:1 against what is behind it, or clash with the site. Edge labels get
 * an opaque box of the page colour, so a label over a crossing edge or a
 * CPU's box stays readable; the dark theme's secondary text and notes are
 * lifted to a lighter grey.
 */
const THEME_VARIABLES: Readonly<Record<DiagramTheme, Readonly<Record<string, string>>>> = {
  light: {
    background: THEME_BACKGROUND.light,
    fontFamily: DIAGRAM_FONT,
    edgeLabelBackground: '#ffffff',
  },
  dark: {
    background: THEME_BACKGROUND.dark,
    fontFamily: DIAGRAM_FONT,
    edgeLabelBackground: '#1b1b1d',
    clusterBkg: '#26262a',
    clusterBorder: '#6b6b73',
    titleColor: '#e3e3e3',
    textColor: '#e3e3e3',
    labelTextColor: '#e3e3e3',
    signalTextColor: '#e3e3e3',
    noteBkgColor: '#3a3a1f',
    noteTextColor: '#f0f0f0',
  },
};

/**
 * The configuration given to `mermaid.initialize()` for a theme: strict
 * security, SVG text labels rather than HTML ones (an SVG without
 * `<foreignObject>` shows the same in an `<img>`, a notebook viewer or on
 * GitHub), the diagram's natural size rather than the width of its
 * container, and a fixed seed for the shapes Mermaid draws with rough.js,
 * so the same source always gives the same SVG.
 */
export function mermaidConfig(theme: DiagramTheme): MermaidSettings {
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    theme: theme === 'dark' ? 'dark' : 'default',
    themeVariables: THEME_VARIABLES[theme],
    fontFamily: DIAGRAM_FONT,
    htmlLabels: false,
    handDrawnSeed: 1,
    suppressErrorRendering: true,
    flowchart: { htmlLabels: false, useMaxWidth: false },
    sequence: { useMaxWidth: false },
    block: { useMaxWidth: false },
    state: { useMaxWidth: false },
    class: { useMaxWidth: false },
  };
}

/**
 * The source as drawn in a theme. Diagram sources choose their colours for
 * a light page (`classDef`, `style`, `linkStyle`, sequence `box`/`rect`,
 * `themeCSS`); for the dark theme every colour written in the source gets
 * its lightness inverted, hue and saturation kept: a pale box becomes a
 * dark one, dark text light, and a deep green edge a lighter green, so an
 * explicitly coloured diagram reads like the rest of the dark page. (The
 * contrast check after drawing catches what inversion alone leaves too
 * faint.) `#123;` is a Mermaid character code, not a colour, and is left alone.
 */
export function themeSource(source: string, theme: DiagramTheme): string {
  if (theme === 'light') return source;
  return source.replace(/#([0-9a-f]{3}|[0-9a-f]{6})(?![0-9a-f;])|rgba?\(\s*[\d.]+%?\s*[, ]\s*[\d.]+%?\s*[, ]\s*[\d.]+%?\s*(?:[,/]\s*[\d.]+%?\s*)?\)/gi, (text) => {
    const c = parseColor(text);
    if (!c) return text;
    const inverted = invertLightness(c);
    // Same notation as written: Mermaid's sequence `box` takes rgb() but not every hex form.
    if (text.startsWith('#')) return formatHex(inverted);
    return c.a < 1 ? `rgba(${inverted.r},${inverted.g},${inverted.b},${c.a})` : `rgb(${inverted.r},${inverted.g},${inverted.b})`;
  });
}

/**
 * A 53-bit string hash (cyrb53), as 11 base-36 digits: stable across
 * platforms and runs, enough to tell a site's diagrams apart.
 */
export function sourceHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

/** Line endings and trailing blank lines do not make a different diagram. */
export function normaliseSource(source: string): string {
  return source.replace(/\r\n?/g, '\n').replace(/\s+$/, '') + '\n';
}

/**
 * The id of a rendered diagram's `<svg>` (every id inside starts with it):
 * `mmd-HASH-THEME`, from the source alone, so a rerun or another page
 * gives the same ids, and the two themes of one diagram can share a page.
 */
export function diagramId(source: string, theme: DiagramTheme): string {
  return `mmd-${sourceHash(normaliseSource(source))}-${theme}`;
}
