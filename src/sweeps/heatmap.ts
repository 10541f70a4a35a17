/**
 * The figures of a sweep as drawings: a heatmap over two swept keys (one cell
 * per point, in grid order, viridis from the smallest to the largest final
 * Delta sigma_z, missing points grey) and, for the PNG, the line chart laid
 * out like svgChart's.
 */

import { viridis } from '../dashboard/colormap.js';
import { niceRange, PALETTE } from '../studies/svg-chart.js';
import { drawingSvg, type Drawing, type Shape } from './drawing.js';
import { axisLabel, axisPositions, type SweepFigure } from './sweep-export.js';

type Heatmap = Extract<SweepFigure, { kind: 'heatmap' }>;
type Lines = Extract<SweepFigure, { kind: 'lines' }>;

const MISSING = '#d0d0d0';

export function heatmapSvg(fig: Heatmap): string {
  return drawingSvg(heatmapDrawing(fig));
}

export function heatmapDrawing(fig: Heatmap): Drawing {
  const nx = fig.x.values.length, ny = fig.y.values.length;
  const cell = Math.max(8, Math.min(48, Math.floor(520 / Math.max(nx, ny))));
  const left = 86, top = 52, plotW = nx * cell, plotH = ny * cell;
  const width = Math.max(left + plotW + 130, Math.ceil(8 * fig.title.length + 24)), height = top + plotH + 56;
  const finite = fig.z.flat().filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const colour = (v: number) => (Number.isFinite(v) ? rgb(viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5)) : MISSING);
  const shapes: Shape[] = [{ kind: 'text', x: width / 2, y: 22, text: fig.title, anchor: 'middle', bold: true, size: 14 }];
  // y grows upwards: row 0 of the grid at the bottom.
  fig.z.forEach((row, j) =>
    row.forEach((v, i) => shapes.push({ kind: 'rect', x: left + i * cell, y: top + (ny - 1 - j) * cell, w: cell, h: cell, fill: colour(v) })),
  );
  shapes.push({ kind: 'rect', x: left, y: top, w: plotW, h: plotH, stroke: '#333' });
  const every = (n: number) => Math.max(1, Math.ceil((n * 40) / Math.max(1, n * cell)));
  fig.x.values.forEach((v, i) => {
    if (i % every(nx) !== 0 && i !== nx - 1) return;
    const x = left + (i + 0.5) * cell;
    shapes.push({ kind: 'line', points: [[x, top + plotH], [x, top + plotH + 4]], stroke: '#333', width: 1 });
    shapes.push({ kind: 'text', x, y: top + plotH + 17, text: label(v), anchor: 'middle' });
  });
  const everyY = Math.max(1, Math.ceil(16 / cell));
  fig.y.values.forEach((v, j) => {
    if (j % everyY !== 0 && j !== ny - 1) return;
    const y = top + (ny - 1 - j + 0.5) * cell;
    shapes.push({ kind: 'line', points: [[left - 4, y], [left, y]], stroke: '#333', width: 1 });
    shapes.push({ kind: 'text', x: left - 7, y: y + 4, text: label(v), anchor: 'end' });
  });
  shapes.push({ kind: 'text', x: left + plotW / 2, y: height - 12, text: axisLabel(fig.x.key), anchor: 'middle' });
  shapes.push({ kind: 'text', x: 16, y: top + plotH / 2, text: axisLabel(fig.y.key), anchor: 'middle', vertical: true });
  // Colour bar: bottom = smallest, top = largest.
  const bx = left + plotW + 24, steps = 64;
  for (let k = 0; k < steps; k++) {
    shapes.push({ kind: 'rect', x: bx, y: top + plotH - ((k + 1) * plotH) / steps, w: 16, h: plotH / steps + 0.5, fill: rgb(viridis(k / (steps - 1))) });
  }
  shapes.push({ kind: 'rect', x: bx, y: top, w: 16, h: plotH, stroke: '#333' });
  shapes.push({ kind: 'text', x: bx + 22, y: top + 9, text: num(hi) });
  shapes.push({ kind: 'text', x: bx + 22, y: top + plotH, text: num(lo) });
  shapes.push({ kind: 'text', x: bx + 8, y: top - 8, text: fig.label, anchor: 'middle' });
  if (finite.length < fig.z.flat().length) shapes.push({ kind: 'text', x: bx, y: top + plotH + 34, text: 'grey: no result' });
  return { width, height, title: fig.title, shapes };
}

/** The line chart for the PNG: axes, ticks, curves with markers, legend (svgChart's layout). */
export function linesDrawing(fig: Lines, subtitle: string): Drawing {
  const width = 640, height = 428, titleH = 28;
  const x0 = 64, x1 = width - 16, y0 = height - 46, y1 = titleH + 30;
  const xs = axisPositions(fig.axis);
  const ys = fig.series.flatMap((s) => s.y.filter(Number.isFinite));
  const xr = fig.axis.numeric
    ? (() => { const r = niceRange(Math.min(...xs), Math.max(...xs), false); return { min: r.min, max: r.max, ticks: r.ticks.map((v) => ({ v, label: num(v) })) }; })()
    : { min: -0.5, max: xs.length - 0.5, ticks: fig.axis.values.map((v, i) => ({ v: i, label: String(v) })) };
  const yr = niceRange(Math.min(0, ...ys), Math.max(...ys), true);
  const sx = (x: number) => x0 + ((x - xr.min) / (xr.max - xr.min)) * (x1 - x0);
  const sy = (y: number) => y0 - ((y - yr.min) / (yr.max - yr.min)) * (y0 - y1);
  const shapes: Shape[] = [{ kind: 'text', x: width / 2, y: 19, text: `${fig.title} ${subtitle}`, anchor: 'middle', bold: true, size: 14 }];
  for (const t of yr.ticks) {
    shapes.push({ kind: 'line', points: [[x0, sy(t)], [x1, sy(t)]], stroke: '#dddddd', width: 1 });
    shapes.push({ kind: 'text', x: x0 - 6, y: sy(t) + 4, text: num(t), anchor: 'end' });
  }
  for (const t of xr.ticks) {
    shapes.push({ kind: 'line', points: [[sx(t.v), y0], [sx(t.v), y0 + 4]], stroke: '#333', width: 1 });
    shapes.push({ kind: 'text', x: sx(t.v), y: y0 + 17, text: t.label, anchor: 'middle' });
  }
  shapes.push({ kind: 'rect', x: x0, y: y1, w: x1 - x0, h: y0 - y1, stroke: '#333' });
  shapes.push({ kind: 'text', x: (x0 + x1) / 2, y: height - 10, text: axisLabel(fig.axis.key), anchor: 'middle' });
  shapes.push({ kind: 'text', x: 15, y: (y0 + y1) / 2, text: fig.yLabel, anchor: 'middle', vertical: true });
  fig.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const pts = xs.map((x, k) => [x, s.y[k]] as const).filter(([, y]) => Number.isFinite(y));
    shapes.push({ kind: 'line', points: pts.map(([x, y]) => [sx(x), sy(y)]), stroke: colour, width: 2 });
    for (const [x, y] of pts) shapes.push({ kind: 'circle', cx: sx(x), cy: sy(y), r: 3, fill: colour });
  });
  if (fig.series.length > 1) {
    const lw = 40 + 7 * Math.max(...fig.series.map((s) => s.name.length));
    shapes.push({ kind: 'rect', x: x1 - lw - 6, y: y1 + 3, w: lw + 2, h: 15 * fig.series.length + 4, fill: 'white', stroke: '#cccccc' });
    fig.series.forEach((s, i) => {
      const ly = y1 + 14 + 15 * i;
      shapes.push({ kind: 'line', points: [[x1 - lw, ly - 4], [x1 - lw + 22, ly - 4]], stroke: PALETTE[i % PALETTE.length], width: 2 });
      shapes.push({ kind: 'text', x: x1 - lw + 28, y: ly, text: s.name });
    });
  }
  return { width, height, title: fig.title, shapes };
}

function rgb([r, g, b]: [number, number, number]): string {
  const h = (v: number) => Math.round(v).toString(16).padStart(2, '0');
  return `#${h(r)}${h(g)}${h(b)}`;
}

function label(v: number | string): string {
  return typeof v === 'number' ? num(v) : v;
}

function num(v: number): string {
  return String(Number(v.toPrecision(4)));
}
