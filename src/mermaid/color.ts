/**
 * Colours as the browser reports them, and the contrast arithmetic of
 * WCAG 2 (relative luminance, contrast ratio), for checking and repairing
 * diagram labels. Pure functions: they run in Node, in a browser page and
 * in the renderer's Chromium alike.
 */

/** An sRGB colour, channels 0–255, alpha 0–1. */
export interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** The ratio every diagram label must reach against what is painted behind it. */
export const MIN_CONTRAST = 4.5;

const NAMED: Readonly<Record<string, Rgba>> = {
  black: { r: 0, g: 0, b: 0, a: 1 },
  white: { r: 255, g: 255, b: 255, a: 1 },
  transparent: { r: 0, g: 0, b: 0, a: 0 },
};

/**
 * Reads `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(...)`/`rgba(...)`
 * (commas or spaces, optional `/ alpha`), `black`, `white` and
 * `transparent`; anything else (`none`, `url(#...)`, `currentcolor`) gives null.
 */
export function parseColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  const named = NAMED[s];
  if (named) return named;
  const hex = /^#([0-9a-f]{3,8})$/.exec(s)?.[1];
  if (hex) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    if (full.length !== 6 && full.length !== 8) return null;
    const at = (i: number): number => parseInt(full.slice(i, i + 2), 16);
    return { r: at(0), g: at(2), b: at(4), a: full.length === 8 ? at(6) / 255 : 1 };
  }
  const fn = /^rgba?\((.*)\)$/.exec(s)?.[1];
  if (fn === undefined) return null;
  const parts = fn.split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 3 || parts.length > 4) return null;
  const channel = (p: string): number => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
  const alpha = (p: string | undefined): number => (p === undefined ? 1 : p.endsWith('%') ? parseFloat(p) / 100 : parseFloat(p));
  const [r, g, b, a] = [channel(parts[0]!), channel(parts[1]!), channel(parts[2]!), alpha(parts[3])];
  if ([r, g, b, a].some((n) => Number.isNaN(n))) return null;
  return { r: clamp(r, 0, 255), g: clamp(g, 0, 255), b: clamp(b, 0, 255), a: clamp(a, 0, 1) };
}

/** `#rrggbb`, the form the renderer writes into repaired labels (alpha dropped). */
export function formatHex(c: Rgba): string {
  const h = (n: number): string => Math.round(clamp(n, 0, 255)).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`;
}

/** `top` painted over `bottom` (source-over); the result is opaque when `bottom` is. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a + bottom.a * (1 - top.a);
  if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const mix = (t: number, b: number): number => (t * top.a + b * bottom.a * (1 - top.a)) / a;
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a };
}

/** The same colour with its alpha multiplied by `factor` (an element's opacity). */
export function fade(c: Rgba, factor: number): Rgba {
  return { ...c, a: c.a * clamp(factor, 0, 1) };
}

/** WCAG 2 relative luminance of an opaque colour. */
export function luminance(c: Rgba): number {
  const lin = (v: number): number => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

/**
 * The WCAG contrast ratio (1 to 21) of text colour `fg` over background
 * `bg`; a translucent `fg` is first painted over `bg`, and `bg` is taken as opaque.
 */
export function contrast(fg: Rgba, bg: Rgba): number {
  const solidBg = { ...bg, a: 1 };
  const text = over(fg, solidBg);
  const [hi, lo] = [luminance(text), luminance(solidBg)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colour nearest to `fg` in hue and saturation whose contrast with `bg`
 * reaches `target`: darker over a light background, lighter over a dark
 * one (whichever direction can reach the target, preferring the one away
 * from the background). Returns `fg` itself, made opaque, when it already
 * reaches the target.
 */
export function repairColor(fg: Rgba, bg: Rgba, target: number = MIN_CONTRAST): Rgba {
  const solid = over(fg, { ...bg, a: 1 });
  if (contrast(solid, bg) >= target) return { ...solid, a: 1 };
  const [h, s, l] = toHsl(solid);
  const darkBg = luminance({ ...bg, a: 1 }) < 0.18;
  const directions = darkBg ? [1, -1] : [-1, 1];
  for (const dir of directions) {
    // Lightness moves in small steps so the hue stays recognisable: the first that passes wins.
    for (let step = 1; step <= 100; step++) {
      const candidate = fromHsl(h, s, clamp(l + (dir * step) / 100, 0, 1));
      if (contrast(candidate, bg) >= target) return candidate;
    }
  }
  return darkBg ? NAMED.white! : NAMED.black!;
}

/** The colour with its HSL lightness mirrored (`l` becomes `1 - l`): light-theme colours made into dark-theme ones. */
export function invertLightness(c: Rgba): Rgba {
  const [h, s, l] = toHsl(c);
  return { ...fromHsl(h, s, 1 - l), a: c.a };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function toHsl(c: Rgba): [number, number, number] {
  const r = c.r / 255;
  const g = c.g / 255;
  const b = c.b / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [h / 6, s, l];
}

function fromHsl(h: number, s: number, l: number): Rgba {
  // Whole channels, so that the colour written out is the one whose contrast was computed.
  if (s === 0) return { r: Math.round(l * 255), g: Math.round(l * 255), b: Math.round(l * 255), a: 1 };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = (t0: number): number => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return { r: Math.round(hue(h + 1 / 3) * 255), g: Math.round(hue(h) * 255), b: Math.round(hue(h - 1 / 3) * 255), a: 1 };
}
