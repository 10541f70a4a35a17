/**
 * A sweep's table as files: sweep.csv (one line per point, ready for pandas)
 * and the figure, final Delta sigma_z against the swept key (one curve per
 * state when state is swept too) or a heatmap over two keys. Pure functions of
 * the sweep JSON, so the CLI, merge and the dashboard make the same files.
 */

import { DEFAULT_CONFIG } from '../model/config.js';
import { niceRange, svgChart, type ChartPanel } from '../studies/svg-chart.js';
import { heatmapDrawing, heatmapSvg, linesDrawing } from './heatmap.js';
import { encodePng, rasterize } from './raster.js';
import type { GridValue } from './grid.js';
import type { SweepResult, SweepRow } from './run-sweep.js';

const PROBABILITY_KEYS = ['S', 'T0', 'T+', 'T-'] as const;

/**
 * sweep.csv: index, name, the swept keys, status, the numbers of each row, the
 * error last; with the entanglement observables (`entanglement: true`) their
 * final values before the drifts.
 */
export function sweepCsv(result: SweepResult): string {
  const keys = Object.keys(result.grid);
  const entangled = result.rows.some((r) => r.finalChainEntropy !== undefined);
  const header = [
    'index', 'name', ...keys, 'status', 'final_deltaSigmaZ', 'max_deltaSigmaZ',
    ...PROBABILITY_KEYS.map((k) => `final_P_${k}`), ...(entangled ? ['final_concurrence', 'final_chain_entropy'] : []),
    'norm_drift', 'energy_drift_eV', 'totalSz_drift',
    'backend', 'precision', 'matvecs', 'wall_s', 'error',
  ];
  const lines = [header.map(csvField).join(',')];
  for (const r of result.rows) {
    const cells: (string | number | undefined)[] = [
      r.index, r.name, ...keys.map((k) => r.params[k]), r.status, r.finalDeltaSigmaZ, r.maxDeltaSigmaZ,
      ...PROBABILITY_KEYS.map((k) => r.finalProbabilities?.[k]), ...(entangled ? [r.finalConcurrence, r.finalChainEntropy] : []),
      r.normDrift, r.energyDrift, r.totalSzDrift,
      r.backend, r.precision, r.matvecs, r.wallSeconds, r.error,
    ];
    lines.push(cells.map((c) => (c === undefined ? '' : csvField(String(c)))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An axis of swept values: numbers placed at their value, names at 0, 1, 2, … */
export interface SweptAxis {
  key: string;
  values: GridValue[];
  numeric: boolean;
}

export type SweepFigure =
  | { kind: 'lines'; title: string; axis: SweptAxis; yLabel: string; series: { name: string; y: number[] }[] }
  | { kind: 'heatmap'; title: string; x: SweptAxis; y: SweptAxis; label: string; z: number[][] };

/**
 * What to draw for this sweep, or why nothing: one key (or a zip) gives
 * curves, two keys with state one of them gives a curve per state, two other
 * keys a heatmap; three or more keys have no single figure.
 */
export function sweepFigure(result: SweepResult): SweepFigure | { kind: 'none'; reason: string } {
  const keys = Object.keys(result.grid);
  const final = new Map<number, number>(result.rows.filter((r) => r.status === 'done').map((r) => [r.index, r.finalDeltaSigmaZ!]));
  const when = keys.includes('tEnd') ? "at each point's tEnd" : `t = ${result.base.tEnd ?? DEFAULT_CONFIG.tEnd} fs`;
  const title = `final Δσ_z (${when}) over ${keys.join(' × ')}${result.mode === 'zip' ? ' (zipped)' : ''}`;
  const yLabel = 'final Δσ_z';
  const axisOf = (key: string): SweptAxis => ({ key, values: result.grid[key], numeric: result.grid[key].every((v) => typeof v === 'number') });
  if (result.mode === 'zip' || keys.length === 1) {
    const axis = axisOf(keys[0]);
    return { kind: 'lines', title, axis, yLabel, series: [{ name: yLabel, y: axis.values.map((_, i) => final.get(i) ?? NaN) }] };
  }
  if (keys.length === 2) {
    const [a, b] = keys;
    const nb = result.grid[b].length;
    const at = (i: number, j: number) => final.get(i * nb + j) ?? NaN;
    if (a === 'state' || b === 'state') {
      // x: the other key; one curve per state.
      const other = a === 'state' ? b : a;
      const axis = axisOf(other);
      const series = result.grid.state.map((state, s) => ({
        name: String(state),
        y: axis.values.map((_, k) => (a === 'state' ? at(s, k) : at(k, s))),
      }));
      return { kind: 'lines', title, axis, yLabel, series };
    }
    const z = result.grid[b].map((_, j) => result.grid[a].map((_, i) => at(i, j)));
    return { kind: 'heatmap', title, x: axisOf(a), y: axisOf(b), label: yLabel, z };
  }
  return { kind: 'none', reason: `no figure for ${keys.length} swept keys (one key gives curves, two a heatmap); sweep.csv has every point` };
}

/** The figure as SVG (undefined when the sweep has none). */
export function sweepFigureSvg(result: SweepResult): string | undefined {
  const fig = sweepFigure(result);
  if (fig.kind === 'none') return undefined;
  if (fig.kind === 'heatmap') return heatmapSvg(fig);
  return svgChart([linePanel(fig)], { title: `${fig.title} (${result.backend}, ${result.precision})`, panelWidth: 640, panelHeight: 400 });
}

export function linePanel(fig: Extract<SweepFigure, { kind: 'lines' }>): ChartPanel {
  const xs = axisPositions(fig.axis);
  const panel: ChartPanel = {
    title: fig.series.length > 1 ? 'one curve per state' : '',
    xLabel: axisLabel(fig.axis.key),
    yLabel: fig.yLabel,
    series: fig.series.map((s) => ({ name: s.name, x: xs, y: s.y, markers: true })),
  };
  if (!fig.axis.numeric) {
    panel.xAxis = { min: -0.5, max: fig.axis.values.length - 0.5, ticks: fig.axis.values.map((v, i) => ({ value: i, label: String(v) })) };
  }
  return panel;
}

export function axisPositions(axis: SweptAxis): number[] {
  return axis.values.map((v, i) => (axis.numeric ? (v as number) : i));
}

const UNITS: Record<string, string> = {
  th: 'eV', Jex: 'eV', Jsd: 'eV', theta: 'rad', ke: '1/a', sigma: 'a', x2: 'site', d: 'a', tEnd: 'fs', dt: 'fs', spinStart: 'site',
};

export function axisLabel(key: string): string {
  return UNITS[key] ? `${key} (${UNITS[key]})` : key;
}

/** Ticks of a numeric axis, rounded (shared by the SVG and PNG heatmaps). */
export function axisTicks(values: readonly number[]): number[] {
  return niceRange(Math.min(...values), Math.max(...values), false).ticks;
}

export type { SweepRow };

/** The figure as PNG (twice the SVG's size; undefined when the sweep has none). `deflate`: a zlib stream, e.g. node:zlib's deflateSync. */
export function sweepFigurePng(result: SweepResult, deflate: (data: Uint8Array) => Uint8Array): Uint8Array | undefined {
  const fig = sweepFigure(result);
  if (fig.kind === 'none') return undefined;
  const drawing = fig.kind === 'heatmap' ? heatmapDrawing(fig) : linesDrawing(fig, `(${result.backend}, ${result.precision})`);
  return encodePng(rasterize(drawing, 2), deflate);
}
