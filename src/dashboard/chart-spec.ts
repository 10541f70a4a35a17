/**
 * A chart as data: what a result view wants drawn, independent of uPlot.
 * The line chart draws it, the CSV export writes it, the PNG export titles it.
 */

export interface SeriesSpec {
  label: string;
  values: (number | null)[];
  color?: string;
  /** Markers on the data points (sweeps); lineWidth 0 leaves only markers. */
  points?: boolean;
  lineWidth?: number;
  dash?: number[];
  /** Drawn against the right-hand axis (a quantity of another size, like a sum beside its terms). */
  rightAxis?: boolean;
  /** Each value written beside its marker after this prefix ("S = "): a value given at one time only (a final-time entropy) reads without the cursor. */
  annotate?: string;
}

export interface ChartSpec {
  /** Stable id: a chart keeps its plot while the id and the series labels stay. */
  id: string;
  title: string;
  /** A line under the title (shown, and written with the title to the CSV and the PNG): what the data leaves out and why. */
  note?: string;
  xLabel: string;
  yLabel: string;
  /** Label of the right-hand axis, for series with rightAxis. */
  y2Label?: string;
  /** Values the left axis always spans (0 and 1 for a concurrence), whatever the data. */
  yInclude?: number[];
  /** Values the right axis always spans. */
  y2Include?: number[];
  x: number[];
  series: SeriesSpec[];
  /** x intervals shaded behind the series (packets in the chain region). */
  shaded?: [number, number][];
}

/** A qualitative palette readable on white (Okabe–Ito, plus greys). */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#f0e442', '#999999'];

export const colorAt = (i: number): string => PALETTE[i % PALETTE.length];
