/*
 * Measures the diagrams of the page it is loaded into (a browser script,
 * added with page.addScriptTag; written apart from the renderer's own
 * finishing code, so the tests check the result, not the code that made it).
 *
 *   window.__probeDiagrams(selector) -> one record per visible <svg> that
 *   `selector` matches: its id and kind, whether it is drawn at its natural
 *   size, the smallest rendered font size of its text, every label whose
 *   contrast with what is painted behind it is below 4.5:1, and the order
 *   of its CPU header blocks (ids ending -cpu_P0, -cpu_P1, ...) from left
 *   to right, and every edge label whose text sits on the line of an edge
 *   that shares no block with its own (where it would seem to name it).
 */
(() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const SHAPES = new Set(['rect', 'path', 'circle', 'ellipse', 'polygon', 'polyline']);

  function rgba(text) {
    const s = String(text).trim().toLowerCase();
    if (s === 'none' || s.startsWith('url(') || s === '') return null;
    if (s === 'transparent') return [0, 0, 0, 0];
    const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(s);
    if (hex) {
      const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
      return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16), 1];
    }
    const m = /^rgba?\(([^)]*)\)$/.exec(s);
    if (!m) return null;
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }

  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const lum = (c) => {
    const f = (v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (fg, bg) => {
    const solid = [bg[0], bg[1], bg[2], 1];
    const text = over(fg, solid);
    const [a, b] = [lum(text), lum(solid)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const hex = (c) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

  const isSvg = (el) => el.namespaceURI === SVG_NS;

  function opacity(el, stop) {
    let o = 1;
    for (let e = el; e; e = e.parentElement) {
      o *= Number(getComputedStyle(e).opacity);
      if (e === stop) break;
    }
    return o;
  }

  /** Elements with their own text: SVG text/tspan, or HTML inside a foreignObject. */
  function leaves(svg) {
    return [...svg.querySelectorAll('*')].filter((el) => {
      if (['style', 'title', 'desc'].includes(el.localName)) return false;
      return [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '') && el.getClientRects().length > 0;
    });
  }

  function paintOf(el, svg) {
    const cs = getComputedStyle(el);
    if (isSvg(el) && SHAPES.has(el.localName)) {
      const c = rgba(cs.fill);
      if (!c || cs.visibility === 'hidden') return null;
      return [c[0], c[1], c[2], c[3] * Number(cs.fillOpacity) * opacity(el, svg)];
    }
    if (isSvg(el) && el !== svg && el.localName !== 'svg') return null;
    const c = rgba(cs.backgroundColor);
    return c && c[3] > 0 ? c : null;
  }

  function behind(leaf, svg, x, y) {
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      if (leaf.contains(el)) continue;
      if (!(el === svg || svg.contains(el) || el.contains(svg))) continue;
      if (isSvg(el) && (el.localName === 'text' || el.localName === 'tspan')) continue;
      const c = paintOf(el, svg);
      if (!c) continue;
      layers.push(c);
      if (c[3] >= 0.999) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  }

  function textColour(leaf, svg) {
    const cs = getComputedStyle(leaf);
    const c = rgba(isSvg(leaf) ? cs.fill : cs.color);
    if (!c) return null;
    return [c[0], c[1], c[2], c[3] * opacity(leaf, svg) * (isSvg(leaf) ? Number(cs.fillOpacity) : 1)];
  }

  function fontPx(leaf) {
    const size = parseFloat(getComputedStyle(leaf).fontSize);
    const host = isSvg(leaf) ? leaf : leaf.closest('foreignObject');
    const m = host && host.getScreenCTM ? host.getScreenCTM() : null;
    // To 1/100 px: a scale of 0.99999 from subpixel layout is not a smaller font.
    return Math.round(size * (m ? Math.hypot(m.a, m.b) : 1) * 100) / 100;
  }

  function probe(svg) {
    const viewBox = (svg.getAttribute('viewBox') || '').split(/[\s,]+/).map(Number);
    const box = svg.getBoundingClientRect();
    const record = {
      id: svg.id,
      kind: svg.getAttribute('aria-roledescription'),
      widthAttr: svg.getAttribute('width'),
      heightAttr: svg.getAttribute('height'),
      renderedWidth: Math.round(box.width * 100) / 100,
      viewBoxWidth: viewBox[2],
      labels: 0,
      minFontPx: Infinity,
      lowContrast: [],
      cpuOrder: null,
      labelsOnLines: [],
    };
    for (const leaf of leaves(svg)) {
      record.labels++;
      record.minFontPx = Math.min(record.minFontPx, fontPx(leaf));
      const fg = textColour(leaf, svg);
      if (!fg || fg[3] === 0) continue;
      leaf.scrollIntoView({ block: 'center', inline: 'center' });
      const r = leaf.getBoundingClientRect();
      let worst = null;
      for (const f of [0.25, 0.5, 0.75]) {
        const x = r.left + r.width * f;
        const y = r.top + r.height / 2;
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const bg = behind(leaf, svg, x, y);
        const c = ratio(fg, bg);
        if (!worst || c < worst.ratio) worst = { ratio: c, fg: hex(fg), bg: hex(bg) };
      }
      if (worst && worst.ratio < 4.5) record.lowContrast.push({ text: leaf.textContent.trim().slice(0, 60), ratio: Math.round(worst.ratio * 100) / 100, fg: worst.fg, bg: worst.bg });
    }
    // Edge labels that sit on the line of an edge they do not belong to (one that shares no block with theirs).
    const ends = (id) => (id || '').split('-').slice(-2);
    const lines = [...svg.querySelectorAll('path[data-edge="true"][data-id]')].map((path) => {
      const m = path.getScreenCTM();
      const points = [];
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 2) {
        const p = path.getPointAtLength(at);
        points.push([m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]);
      }
      return { ends: ends(path.getAttribute('data-id')), points };
    });
    record.labelsOnLines = [];
    for (const label of svg.querySelectorAll('g.edgeLabel')) {
      const inner = label.querySelector('[data-id]');
      const text = label.textContent.trim();
      if (!inner || !text) continue;
      const mine = ends(inner.getAttribute('data-id'));
      const t = (label.querySelector('text') || label).getBoundingClientRect();
      const hit = lines.some((l) => !l.ends.some((e) => mine.includes(e)) && l.points.some(([x, y]) => x > t.left && x < t.right && y > t.top && y < t.bottom));
      if (hit) record.labelsOnLines.push(text);
    }
    // CPU header blocks: the block diagram's nodes whose ids end in -cpu_P<n>.
    const cpus = [...svg.querySelectorAll('[id]')]
      .map((el) => ({ el, m: /-cpu_P(\d+)$/.exec(el.id) }))
      .filter((x) => x.m)
      .map((x) => ({ n: Number(x.m[1]), left: x.el.getBoundingClientRect().left }))
      .sort((a, b) => a.n - b.n);
    if (cpus.length > 0) record.cpuOrder = { cpus: cpus.map((c) => c.n), leftToRight: cpus.every((c, i) => i === 0 || c.left > cpus[i - 1].left) };
    return record;
  }

  window.__probeDiagrams = (selector) => {
    const style = document.createElement('style');
    style.textContent = 'svg, svg * { pointer-events: all !important; }';
    document.head.appendChild(style);
    try {
      return [...document.querySelectorAll(selector)].filter((svg) => svg.getClientRects().length > 0).map(probe);
    } finally {
      style.remove();
      scrollTo(0, 0);
    }
  };
})();
