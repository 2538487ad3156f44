/**
 * A hand-written SVG line plot: seconds (log scale) against N, one line per
 * scaling family. No dependencies, deterministic output for given numbers.
 */

export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly n: number; readonly seconds: number }>;
  /** Drawn dashed, in the colour of series number `colour` (herd7's times beside a family's), and left out of the legend. */
  readonly dashed?: boolean;
  readonly colour?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#bcbd22', '#7f7f7f', '#393b79', '#637939'];

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function scalingSvg(series: readonly Series[], options: { title: string; cap: number }): string {
  const width = 720;
  const named = series.filter((s) => !s.dashed);
  const legendRows = named.length + (named.length < series.length ? 1 : 0);
  const height = Math.max(420, 50 + legendRows * 18 + 50);
  const left = 60;
  const right = 200;
  const top = 40;
  const bottom = 50;
  const all = series.flatMap((s) => s.points);
  const maxN = Math.max(2, ...all.map((p) => p.n));
  const minN = Math.min(maxN - 1, ...all.map((p) => p.n));
  const lo = -3; // 1 ms
  const hi = Math.ceil(Math.log10(Math.max(options.cap, ...all.map((p) => p.seconds))));
  const x = (n: number): number => left + ((n - minN) / (maxN - minN)) * (width - left - right);
  const y = (s: number): number => top + ((hi - Math.log10(Math.max(s, 10 ** lo))) / (hi - lo)) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="24" font-size="15">${escape(options.title)}</text>`,
  ];
  for (let e = lo; e <= hi; e++) {
    const label = e < 0 ? `${10 ** (e + 3)} ms` : `${10 ** e} s`;
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(10 ** e).toFixed(1)}" y2="${y(10 ** e).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${(y(10 ** e) + 4).toFixed(1)}" text-anchor="end">${label}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${y(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  for (let n = minN; n <= maxN; n++) parts.push(`<text x="${x(n).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${n}</text>`);
  parts.push(`<text x="${((left + width - right) / 2).toFixed(1)}" y="${height - 12}" text-anchor="middle">N (threads)</text>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="#333"/>`);
  series.forEach((s, i) => {
    const colour = COLOURS[(s.colour ?? i) % COLOURS.length]!;
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    const path = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p.n).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(' ');
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    for (const p of s.points) parts.push(`<circle cx="${x(p.n).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="3" fill="${s.dashed ? 'white' : colour}" stroke="${colour}"><title>${escape(s.name)} N=${p.n}: ${p.seconds.toFixed(3)} s</title></circle>`);
  });
  const legend = (row: number, colour: string, text: string, dash = ''): void => {
    const ly = top + 10 + row * 18;
    parts.push(`<line x1="${width - right + 15}" x2="${width - right + 35}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${width - right + 40}" y="${ly + 4}">${escape(text)}</text>`);
  };
  series.forEach((s, i) => {
    if (!s.dashed) legend(named.indexOf(s), COLOURS[(s.colour ?? i) % COLOURS.length]!, s.name);
  });
  if (named.length < series.length) legend(named.length, '#555', 'dashed: herd7, same test', ' stroke-dasharray="5 4"');
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
