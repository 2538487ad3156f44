/**
 * The browser-safe parts of the diagram renderer: colour arithmetic
 * (src/mermaid/color.ts) and the per-theme settings and ids
 * (src/mermaid/config.ts). The drawing itself is tested in a browser
 * (test/browser/mermaid-svg.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { contrast, formatHex, invertLightness, parseColor, repairColor } from '../src/mermaid/color.js';
import { diagramId, mermaidConfig, normaliseSource, sourceHash, themeSource } from '../src/mermaid/config.js';

describe('colours', () => {
  it('reads the forms browsers and Mermaid sources use', () => {
    expect(parseColor('#fff')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseColor('#2e7d32')).toEqual({ r: 46, g: 125, b: 50, a: 1 });
    expect(parseColor('rgb(245, 245, 245)')).toEqual({ r: 245, g: 245, b: 245, a: 1 });
    expect(parseColor('rgba(0, 0, 0, 0.5)')).toEqual({ r: 0, g: 0, b: 0, a: 0.5 });
    expect(parseColor('rgb(10 20 30 / 50%)')).toEqual({ r: 10, g: 20, b: 30, a: 0.5 });
    expect(parseColor('none')).toBeNull();
    expect(parseColor('url(#gradient)')).toBeNull();
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrast(parseColor('#000')!, parseColor('#fff')!)).toBeCloseTo(21, 5);
    expect(contrast(parseColor('#777')!, parseColor('#fff')!)).toBeCloseTo(4.48, 2);
    // A translucent text colour is painted over the background first.
    expect(contrast(parseColor('rgba(0,0,0,0)')!, parseColor('#fff')!)).toBeCloseTo(1, 5);
  });

  it('repairs a faint colour towards the contrast it needs, keeping its hue', () => {
    const white = parseColor('#ffffff')!;
    const dark = parseColor('#1b1b1d')!;
    const orange = parseColor('#ef6c00')!;
    expect(contrast(orange, white)).toBeLessThan(4.5);
    const onWhite = repairColor(orange, white, 4.7);
    expect(contrast(onWhite, white)).toBeGreaterThanOrEqual(4.7);
    expect(onWhite.r).toBeGreaterThan(onWhite.b); // still an orange
    const green = parseColor('#2e7d32')!;
    const onDark = repairColor(green, dark, 4.7);
    expect(contrast(onDark, dark)).toBeGreaterThanOrEqual(4.7);
    expect(onDark.g).toBeGreaterThan(onDark.r);
    // Already readable: unchanged.
    expect(formatHex(repairColor(parseColor('#111111')!, white))).toBe('#111111');
  });

  it('mirrors lightness for the dark theme', () => {
    expect(formatHex(invertLightness(parseColor('#ffffff')!))).toBe('#000000');
    expect(formatHex(invertLightness(parseColor('#111111')!))).toBe('#eeeeee');
  });
});

describe('theme settings', () => {
  it('draw with SVG text, strict security, natural size and a fixed seed', () => {
    for (const theme of ['light', 'dark'] as const) {
      const c = mermaidConfig(theme);
      expect(c.securityLevel).toBe('strict');
      expect(c.htmlLabels).toBe(false);
      expect(c.flowchart.useMaxWidth).toBe(false);
      expect(c.handDrawnSeed).toBe(1);
    }
    expect(mermaidConfig('light').theme).toBe('default');
    expect(mermaidConfig('dark').theme).toBe('dark');
  });

  it('invert the colours a source writes, for the dark theme only', () => {
    const source = 'block-beta\n  a["W#91;x#93; #123; done"]\n  classDef access fill:#e8eefb,stroke:#5b7bb3,color:#111111\n  box rgb(245,245,245) memory\n';
    expect(themeSource(source, 'light')).toBe(source);
    const dark = themeSource(source, 'dark');
    expect(dark).toContain('a["W#91;x#93; #123; done"]'); // character codes are not colours
    expect(dark).toContain('color:#eeeeee');
    expect(dark).toMatch(/fill:#[0-9a-f]{6},/);
    expect(dark).toContain('box rgb(10,10,10) memory');
  });

  it('name diagrams by a hash of the source and the theme', () => {
    const a = diagramId('flowchart TB\n  a --> b\n', 'light');
    expect(a).toMatch(/^mmd-[0-9a-z]{11}-light$/);
    expect(diagramId('flowchart TB\r\n  a --> b\n\n\n', 'light')).toBe(a);
    expect(diagramId('flowchart TB\n  a --> b\n', 'dark')).toBe(a.replace(/-light$/, '-dark'));
    expect(diagramId('flowchart TB\n  a --> c\n', 'light')).not.toBe(a);
    expect(sourceHash(normaliseSource('x'))).toBe(sourceHash('x\n'));
  });
});
