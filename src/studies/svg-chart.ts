/**
 * A small SVG line-chart writer for the study figures: panels in a grid, each
 * with axes, ticks at round numbers, axis labels with units, a legend and
 * optional shaded x intervals (the paper's packet-in-chain regions). Plain
 * strings, no DOM: the CLI writes the file, the dashboard can offer the same.
 */

export interface ChartSeries {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** Draw markers at the points (for sweeps) as well as the line. */
  markers?: boolean;
  /** Dashed line (fits, references). */
  dashed?: boolean;
}

export interface ChartPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** x intervals to shade, e.g. the times a packet is in the chain. */
  shade?: readonly (readonly [number, number])[];
  /** Fixed x axis instead of one rounded out from the data (e.g. 0 … 2 pi with ticks at pi/2). */
  xAxis?: { min: number; max: number; ticks: readonly { value: number; label: string }[] };
}

export interface ChartOptions {
  title?: string;
  /** Panels per row (default: all in one row). */
  columns?: number;
  panelWidth?: number;
  panelHeight?: number;
}

/** A palette that stays apart in print and for the common colour-vision deficiencies (Okabe-Ito). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const MARGIN = { left: 64, right: 16, top: 30, bottom: 46 };

export function svgChart(panels: readonly ChartPanel[], options: ChartOptions = {}): string {
  const columns = Math.max(1, Math.min(options.columns ?? panels.length, panels.length));
  const rows = Math.ceil(panels.length / columns);
  const pw = options.panelWidth ?? 440;
  const ph = options.panelHeight ?? 300;
  const titleHeight = options.title ? 28 : 0;
  const width = columns * pw;
  const height = rows * ph + titleHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12"><title>${escapeXml(options.title ?? 'spin-transfer figure')}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
  ];
  if (options.title) parts.push(`<text x="${width / 2}" y="19" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  panels.forEach((panel, i) => {
    const ox = (i % columns) * pw;
    const oy = titleHeight + Math.floor(i / columns) * ph;
    parts.push(`<g transform="translate(${ox},${oy})">${panelSvg(panel, pw, ph)}</g>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function panelSvg(panel: ChartPanel, width: number, height: number): string {
  const x0 = MARGIN.left, x1 = width - MARGIN.right, y0 = height - MARGIN.bottom, y1 = MARGIN.top;
  const xs = panel.series.flatMap((s) => s.x.filter(Number.isFinite));
  const ys = panel.series.flatMap((s) => s.y.filter(Number.isFinite));
  const auto = niceRange(Math.min(...xs), Math.max(...xs), false);
  const xr = panel.xAxis ?? { min: auto.min, max: auto.max, ticks: auto.ticks.map((value) => ({ value, label: tickLabel(value) })) };
  const yr = niceRange(Math.min(0, ...ys), Math.max(...ys), true);
  const sx = (x: number) => x0 + ((x - xr.min) / (xr.max - xr.min)) * (x1 - x0);
  const sy = (y: number) => y0 - ((y - yr.min) / (yr.max - yr.min)) * (y0 - y1);
  const out: string[] = [];
  for (const [a, b] of panel.shade ?? []) {
    const l = Math.max(x0, sx(a)), r = Math.min(x1, sx(b));
    if (r > l) out.push(`<rect x="${f(l)}" y="${y1}" width="${f(r - l)}" height="${y0 - y1}" fill="#999" fill-opacity="0.18"/>`);
  }
  for (const t of xr.ticks) {
    out.push(`<line x1="${f(sx(t.value))}" y1="${y0}" x2="${f(sx(t.value))}" y2="${y0 + 4}" stroke="#333"/>`);
    out.push(`<text x="${f(sx(t.value))}" y="${y0 + 17}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  for (const t of yr.ticks) {
    out.push(`<line x1="${x0}" y1="${f(sy(t))}" x2="${x1}" y2="${f(sy(t))}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`);
  }
  out.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(x0 + x1) / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(panel.xLabel)}</text>`);
  out.push(`<text transform="translate(15,${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`);
  out.push(`<text x="${(x0 + x1) / 2}" y="${y1 - 10}" text-anchor="middle" font-weight="bold">${escapeXml(panel.title)}</text>`);
  // The legend sits on a white box, top right, over whatever lines pass there.
  const legendWidth = 34 + 6.5 * Math.max(0, ...panel.series.map((s) => s.name.length));
  const legend = [`<rect x="${f(x1 - legendWidth - 6)}" y="${y1 + 3}" width="${f(legendWidth + 2)}" height="${15 * panel.series.length + 4}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`];
  panel.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const points = s.x.map((x, k) => [x, s.y[k]]).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    const d = points.map(([x, y], k) => `${k ? 'L' : 'M'}${f(sx(x))},${f(sy(y))}`).join('');
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (s.markers) for (const [x, y] of points) out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${colour}"/>`);
    const ly = y1 + 14 + 15 * i;
    const lx = x1 - legendWidth;
    legend.push(`<line x1="${f(lx)}" y1="${ly - 4}" x2="${f(lx + 22)}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    legend.push(`<text x="${f(lx + 28)}" y="${ly}">${escapeXml(s.name)}</text>`);
  });
  return [...out, ...legend].join('\n');
}

/** Axis range rounded out to 1, 2 or 5 times a power of ten, with its ticks. */
export function niceRange(lo: number, hi: number, pad: boolean): { min: number; max: number; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { min: 0, max: 1, ticks: [0, 0.5, 1] };
  if (hi - lo < 1e-300) {
    const w = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    lo -= w;
    hi += w;
  }
  if (pad) hi += (hi - lo) * 0.12;
  const raw = (hi - lo) / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return { min, max, ticks };
}

function tickLabel(t: number): string {
  return String(Number(t.toPrecision(6)));
}

function f(v: number): string {
  return v.toFixed(1);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
