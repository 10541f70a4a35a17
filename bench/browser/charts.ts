/**
 * The page's two uPlot charts: throughput (M amplitudes/s) and effective GB/s
 * against the state size, one line per backend, both axes logarithmic (the
 * grid spans four decades of dim). uPlot wants one shared x array: the union
 * of the measured dims, with null where a backend has no figure.
 */

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { isMeasured, type GridRecord, type MeasuredRecord } from '../core/grid.js';
import { targetLabel, targetsOf } from '../core/markdown.js';

/** Saturated colours, so a drawn line is told apart from uPlot's grey axes and grid (the page test looks for them). */
export const SERIES_COLOURS = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#e377c2'];

interface ChartSpec {
  title: string;
  yLabel: string;
  value: (r: MeasuredRecord) => number;
}

const SPECS: ChartSpec[] = [
  { title: 'H-application throughput', yLabel: 'M amplitudes/s', value: (r) => r.ampsPerSecond / 1e6 },
  { title: 'Effective bandwidth (bytes-moved model)', yLabel: 'GB/s', value: (r) => r.effectiveGBs },
];

export class GridCharts {
  private plots: uPlot[] = [];
  private labels = '';

  constructor(private readonly container: HTMLElement) {}

  /** Redraws with every measured record so far: new data → setData; a new backend → the plots are made again. */
  update(records: readonly GridRecord[]): void {
    const measured = records.filter(isMeasured);
    const targets = targetsOf(measured);
    const labels = targets.map(targetLabel).join('|');
    const xs = [...new Set(measured.map((r) => r.dim))].sort((a, b) => a - b);
    const data = SPECS.map((spec) => [
      xs,
      ...targets.map((t) => xs.map((x) => {
        const r = (t.records as MeasuredRecord[]).filter((q) => q.dim === x);
        // Two cases can share a dim (N = 50, L = 4 and N = 100, L = 2): plot their mean.
        return r.length ? r.reduce((s, q) => s + spec.value(q), 0) / r.length : null;
      })),
    ] as uPlot.AlignedData);
    if (labels !== this.labels || this.plots.length === 0) {
      this.destroy();
      this.labels = labels;
      const width = Math.max(320, Math.min(900, this.container.clientWidth || 640));
      this.plots = SPECS.map((spec, i) => new uPlot({
        title: spec.title,
        width,
        height: 300,
        scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
        axes: [{ label: 'state size (amplitudes)' }, { label: spec.yLabel }],
        series: [
          { label: 'dim' },
          ...targets.map((t, k) => ({
            label: targetLabel(t) + (t.records.some((r) => r.software) ? ' (software)' : ''),
            stroke: SERIES_COLOURS[k % SERIES_COLOURS.length],
            width: 2,
            spanGaps: true,
            points: { show: true, size: 6 },
          })),
        ],
      }, data[i], this.container));
    } else {
      this.plots.forEach((p, i) => p.setData(data[i]));
    }
  }

  destroy(): void {
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }
}
