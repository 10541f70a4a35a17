/**
 * A sweep's figure as data for the page: the same choice as the CLI's
 * figure (sweepFigure: curves over one key, a curve per state, a heatmap
 * over two keys), with each drawn mark tied to its point (index, parameters,
 * status), and the geometry that places the marks on a canvas of a given
 * size, so drawing, hovering and clicking agree. Pure: tested in Node.
 */

import { describeParams, gridParams, type GridValue } from '../sweeps/grid.js';
import { axisLabel, sweepFigure } from '../sweeps/sweep-export.js';
import type { SweepResult } from '../sweeps/run-sweep.js';
import { colorAt } from './chart-spec.js';

export type PointStatus = 'done' | 'failed' | 'missing' | 'running' | 'queued';

/** What a mark stands for: one point of the sweep. */
export interface PlotPoint {
  index: number;
  name: string;
  params: Record<string, GridValue>;
  status: PointStatus;
  /** Final Δσ_z (done points). */
  value?: number;
  error?: string;
}

export interface LinesModel {
  kind: 'lines';
  title: string;
  xLabel: string;
  yLabel: string;
  /** Categorical axis (state names, …): values at 0, 1, 2, … with these labels. */
  categories?: string[];
  series: { name: string; color: string; marks: { x: number; index: number }[] }[];
}

export interface HeatmapModel {
  kind: 'heatmap';
  title: string;
  xLabel: string;
  yLabel: string;
  xValues: GridValue[];
  yValues: GridValue[];
  /** Cell (i along x, j along y) of each point. */
  cells: { i: number; j: number; index: number }[];
}

export interface SweepPlotModel {
  figure: LinesModel | HeatmapModel | { kind: 'none'; title: string; reason: string };
  /** Every point of the sweep by index. */
  points: PlotPoint[];
}

/**
 * The figure of a sweep table (complete or not). `running` marks the point
 * being computed (the rest without a row are queued) while the page runs the
 * sweep; an imported table's points without a row are missing.
 */
export function sweepPlotModel(result: SweepResult, live?: { running?: number }): SweepPlotModel {
  const all = gridParams(result.grid, result.mode);
  const rows = new Map(result.rows.map((r) => [r.index, r]));
  const missingNames = new Map(result.missing.map((m) => [m.index, m.name]));
  const points: PlotPoint[] = all.map((params, index) => {
    const r = rows.get(index);
    if (r) {
      const p: PlotPoint = { index, name: r.name, params: r.params, status: r.status };
      if (r.status === 'done') p.value = r.finalDeltaSigmaZ;
      else p.error = r.error ?? 'unknown error';
      return p;
    }
    const status: PointStatus = !live ? 'missing' : live.running === index ? 'running' : 'queued';
    return { index, name: missingNames.get(index) ?? describeParams(params), params, status };
  });
  const fig = sweepFigure(result);
  if (fig.kind === 'none') return { figure: { kind: 'none', title: 'no figure', reason: fig.reason }, points };
  const keys = Object.keys(result.grid);
  if (fig.kind === 'heatmap') {
    const nb = result.grid[keys[1]].length;
    const cells: HeatmapModel['cells'] = [];
    fig.x.values.forEach((_, i) => fig.y.values.forEach((__, j) => cells.push({ i, j, index: i * nb + j })));
    return { figure: { kind: 'heatmap', title: fig.title, xLabel: axisLabel(fig.x.key), yLabel: axisLabel(fig.y.key), xValues: fig.x.values, yValues: fig.y.values, cells }, points };
  }
  const xs = fig.axis.values.map((v, k) => (fig.axis.numeric ? (v as number) : k));
  const nb = keys.length > 1 ? result.grid[keys[1]].length : 1;
  const stateFirst = keys[0] === 'state';
  const indexOf = (s: number, k: number): number => (result.mode === 'zip' || keys.length === 1 ? k : stateFirst ? s * nb + k : k * nb + s);
  return {
    figure: {
      kind: 'lines',
      title: fig.title,
      xLabel: axisLabel(fig.axis.key),
      yLabel: fig.yLabel,
      categories: fig.axis.numeric ? undefined : fig.axis.values.map(String),
      series: fig.series.map((s, si) => ({ name: s.name, color: colorAt(si), marks: xs.map((x, k) => ({ x, index: indexOf(si, k) })) })),
    },
    points,
  };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where each point's mark is, in CSS pixels of the canvas, and the axes to draw. */
export interface PlotGeometry {
  plot: Rect;
  /** Centre of each point's mark (a cell's centre on a heatmap). */
  marks: Map<number, { x: number; y: number; cell?: Rect }>;
  xTicks: { px: number; label: string }[];
  yTicks: { px: number; label: string }[];
  /** Heatmap colour range (finite final Δσ_z), for the colour bar. */
  range?: { lo: number; hi: number };
}

export const PLOT_MARGIN = { left: 70, right: 24, top: 16, bottom: 48 };
/** The heatmap leaves room at the right for its colour bar. */
export const BAR_SPACE = 86;

const fmt = (v: number): string => String(Number(v.toPrecision(4)));
const label = (v: GridValue): string => (typeof v === 'number' ? fmt(v) : v);

export function plotGeometry(model: SweepPlotModel, width: number, height: number): PlotGeometry {
  const fig = model.figure;
  const right = PLOT_MARGIN.right + (fig.kind === 'heatmap' ? BAR_SPACE : 0);
  const plot: Rect = { x: PLOT_MARGIN.left, y: PLOT_MARGIN.top, w: Math.max(10, width - PLOT_MARGIN.left - right), h: Math.max(10, height - PLOT_MARGIN.top - PLOT_MARGIN.bottom) };
  const marks: PlotGeometry['marks'] = new Map();
  if (fig.kind === 'none') return { plot, marks, xTicks: [], yTicks: [] };
  if (fig.kind === 'heatmap') {
    const nx = fig.xValues.length, ny = fig.yValues.length;
    const cw = plot.w / nx, ch = plot.h / ny;
    for (const c of fig.cells) {
      // y grows upwards: the first value of the second key at the bottom, as in the CLI's figure.
      const cell = { x: plot.x + c.i * cw, y: plot.y + (ny - 1 - c.j) * ch, w: cw, h: ch };
      marks.set(c.index, { x: cell.x + cw / 2, y: cell.y + ch / 2, cell });
    }
    const everyX = Math.max(1, Math.ceil(44 / cw)), everyY = Math.max(1, Math.ceil(18 / ch));
    const xTicks = fig.xValues.flatMap((v, i) => (i % everyX === 0 || i === nx - 1 ? [{ px: plot.x + (i + 0.5) * cw, label: label(v) }] : []));
    const yTicks = fig.yValues.flatMap((v, j) => (j % everyY === 0 || j === ny - 1 ? [{ px: plot.y + (ny - 1 - j + 0.5) * ch, label: label(v) }] : []));
    const values = model.points.flatMap((p) => (p.value !== undefined && Number.isFinite(p.value) ? [p.value] : []));
    const range = values.length ? { lo: Math.min(...values), hi: Math.max(...values) } : undefined;
    return { plot, marks, xTicks, yTicks, range };
  }
  const xs = fig.series.flatMap((s) => s.marks.map((m) => m.x));
  let x0: number, x1: number;
  if (fig.categories) {
    x0 = -0.5;
    x1 = fig.categories.length - 0.5;
  } else {
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(0.5, Math.abs(lo) * 0.1);
    x0 = lo - pad;
    x1 = hi + pad;
  }
  const ys = model.points.flatMap((p) => (p.value !== undefined && Number.isFinite(p.value) ? [p.value] : []));
  let y0 = Math.min(0, ...ys), y1 = Math.max(0, ...ys);
  if (!(y1 > y0)) y1 = y0 + 1;
  const ypad = 0.06 * (y1 - y0);
  y0 -= ypad;
  y1 += ypad;
  const sx = (x: number) => plot.x + ((x - x0) / (x1 - x0)) * plot.w;
  const sy = (y: number) => plot.y + plot.h - ((y - y0) / (y1 - y0)) * plot.h;
  const byIndex = new Map(model.points.map((p) => [p.index, p]));
  fig.series.forEach((s, si) => {
    for (const m of s.marks) {
      const p = byIndex.get(m.index);
      // A point without a value sits on a strip along the bottom, one row per curve, so it can be found and hovered.
      const y = p?.value !== undefined && Number.isFinite(p.value) ? sy(p.value) : plot.y + plot.h - 8 - 10 * si;
      marks.set(m.index, { x: sx(m.x), y });
    }
  });
  const xTicks = fig.categories
    ? fig.categories.map((c, k) => ({ px: sx(k), label: c }))
    : niceTicks(x0, x1, Math.max(2, Math.floor(plot.w / 80))).map((v) => ({ px: sx(v), label: fmt(v) }));
  const yTicks = niceTicks(y0, y1, Math.max(2, Math.floor(plot.h / 45))).map((v) => ({ px: sy(v), label: fmt(v) }));
  return { plot, marks, xTicks, yTicks };
}

/** The point under (x, y): the heatmap cell there, or the nearest mark within `radius` px. */
export function hitTest(geometry: PlotGeometry, x: number, y: number, radius = 12): number | undefined {
  let best: number | undefined;
  let bestD = Infinity;
  for (const [index, m] of geometry.marks) {
    if (m.cell) {
      const c = m.cell;
      if (x >= c.x && x < c.x + c.w && y >= c.y && y < c.y + c.h) return index;
      continue;
    }
    const d = Math.hypot(m.x - x, m.y - y);
    if (d <= radius && d < bestD) {
      bestD = d;
      best = index;
    }
  }
  return best;
}

/** About `count` round values inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return ticks;
}
