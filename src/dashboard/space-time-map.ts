/**
 * <st-space-time-map>: a quantity over (column, t) as a canvas heat map:
 * columns across (lattice sites for n(x, t), local spins for ⟨S_z,j⟩(t)),
 * time up, viridis with a colour bar and its values, optional dashed edges
 * and triangle marks (the chain). Pointing at a cell shows its column, time
 * and value; a pickable map fires `column-pick` on a click. While a run fills
 * in, the time axis already spans the whole run (`tEnd`) and the rows drawn
 * so far sit at their times. Redrawn on new data and on resize.
 */

import { css, html, LitElement, type PropertyValues } from 'lit';
import { viridis } from './colormap.js';
import { niceTicks } from './sweep-plot.js';

export interface SpaceTimeData {
  /** Stable id: the element's data-map attribute and the tests' handle. */
  id: string;
  title: string;
  /** Output times drawn so far, fs (equally spaced). */
  t: number[];
  /** values[k][i]: column i at t[k]. */
  values: number[][];
  /** Columns (values[k].length; known before the first row arrives). */
  columns: number;
  /** The time the run will reach, fs: the axis spans it while a run fills in (default: the last t). */
  tEnd?: number;
  /** The output interval, fs (default: t[1] − t[0]); places the rows while fewer than two have come. */
  dt?: number;
  /** Axis label of the columns. */
  xLabel: string;
  /** Axis number of column i is x0 + i. */
  x0: number;
  /** The quantity the colour stands for, with its unit: the colour bar's label and the readout's. */
  valueLabel: string;
  /** Column i as the readout names it ("site 40", "j = 5 (site 103)"). */
  describeColumn: (i: number) => string;
  /** Colour scale [lo, hi]; default: the smallest and largest value drawn. */
  range?: [number, number];
  /** Dashed vertical lines at these column coordinates (the chain's edges, half a column outside it). */
  edges?: number[];
  /** Columns marked with a triangle under the axis (the local spins). */
  marks?: number[];
  /** What the triangles stand for, appended to the x label. */
  marksLabel?: string;
  /** A click on a column fires `column-pick` (detail: the column index). */
  pickable?: boolean;
}

/** Detail of `column-pick`. */
export interface ColumnPick {
  column: number;
}

const MARGIN = { left: 58, right: 96, top: 12, bottom: 44 };
const FONT = '12px system-ui, sans-serif';
const fmt = (v: number): string => String(Number(v.toPrecision(5)));

interface Geometry {
  plot: { x: number; y: number; w: number; h: number };
  columns: number;
  rowsTotal: number;
}

/** The colour scale of the data: its own range, widened where it is flat so the bar has two ends. */
export function colourRange(data: Pick<SpaceTimeData, 'values' | 'range'>): [number, number] {
  if (data.range) return data.range;
  let lo = Infinity, hi = -Infinity;
  for (const row of data.values) for (const v of row) if (Number.isFinite(v)) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) return [lo - 0.5 * Math.max(1e-6, Math.abs(lo)), hi + 0.5 * Math.max(1e-6, Math.abs(hi))];
  return [lo, hi];
}

export class SpaceTimeMap extends LitElement {
  static override properties = {
    data: { attribute: false },
    height: { type: Number },
    readout: { state: true },
  };

  static override styles = css`
    :host { display: block; min-width: 0; }
    h3 { margin: 0 0 0.25rem; font: 600 0.95rem/1.3 system-ui, sans-serif; }
    canvas { display: block; width: 100%; }
    canvas.pickable { cursor: crosshair; }
    .readout { font: 12px/1.4 system-ui, sans-serif; color: #333; min-height: 1.4em; margin-top: 0.2rem; font-variant-numeric: tabular-nums; }
  `;

  declare data?: SpaceTimeData;
  /** Canvas height in CSS pixels (default 300). */
  declare height: number;
  declare private readout: string;

  private observer?: ResizeObserver;
  private geometry?: Geometry;

  constructor() {
    super();
    this.height = 300;
    this.readout = '';
  }

  override render() {
    const where = this.data?.id === 'szz-map' ? 'bond' : 'site';
    const hint = this.data?.pickable ? `Point at the map for the ${where}, time and value; click a column to draw it as a line.` : `Point at the map for the ${where}, time and value.`;
    return html`<h3>${this.data?.title ?? ''}</h3>
      <canvas part="canvas" class=${this.data?.pickable ? 'pickable' : ''} style="height:${this.height}px"
        @pointermove=${this.onPointer} @pointerleave=${() => (this.readout = '')} @click=${this.onClick}></canvas>
      <div class="readout" part="readout">${this.readout || hint}</div>`;
  }

  /** The drawn canvas (for PNG export). */
  get canvas(): HTMLCanvasElement | undefined {
    return (this.renderRoot.querySelector('canvas') as HTMLCanvasElement | null) ?? undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => this.draw());
    void this.updateComplete.then(() => this.canvas && this.observer?.observe(this.canvas));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('data') || changed.has('height')) this.draw();
  }

  /** The cell under a point of the canvas (CSS pixels from its top left), if it holds a value. */
  cellAt(px: number, py: number): { column: number; row: number } | undefined {
    const g = this.geometry;
    const data = this.data;
    if (!g || !data) return undefined;
    const { plot } = g;
    if (px < plot.x || px >= plot.x + plot.w || py < plot.y || py >= plot.y + plot.h) return undefined;
    const column = Math.floor(((px - plot.x) / plot.w) * g.columns);
    const row = Math.floor(((plot.y + plot.h - py) / plot.h) * g.rowsTotal);
    if (row >= data.values.length || column >= g.columns) return undefined;
    return { column, row };
  }

  private onPointer = (e: PointerEvent): void => {
    const cell = this.cellAt(e.offsetX, e.offsetY);
    const data = this.data;
    if (!cell || !data) {
      this.readout = '';
      return;
    }
    const v = data.values[cell.row][cell.column];
    this.readout = `${data.describeColumn(cell.column)} · t = ${fmt(data.t[cell.row])} fs · ${data.valueLabel} = ${fmt(v)}`;
  };

  private onClick = (e: MouseEvent): void => {
    if (!this.data?.pickable) return;
    const cell = this.cellAt(e.offsetX, e.offsetY);
    if (cell) this.dispatchEvent(new CustomEvent<ColumnPick>('column-pick', { detail: { column: cell.column }, bubbles: true, composed: true }));
  };

  private draw(): void {
    const canvas = this.canvas;
    const data = this.data;
    if (!canvas) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth;
    if (cssWidth <= 0) return;
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(this.height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, cssWidth, this.height);
    this.geometry = undefined;
    if (!data || data.values.length === 0 || data.columns === 0) return;

    const rows = data.values.length;
    const columns = data.columns;
    const t0 = data.t[0] ?? 0;
    const dt = data.dt ?? (rows > 1 ? data.t[1] - data.t[0] : 1);
    const tEnd = Math.max(data.tEnd ?? data.t[rows - 1], data.t[rows - 1]);
    // Rows are output times: the picture spans [t0, tEnd] with a half-step border each side.
    const rowsTotal = Math.max(rows, Math.round((tEnd - t0) / dt) + 1);
    const plot = { x: MARGIN.left, y: MARGIN.top, w: cssWidth - MARGIN.left - MARGIN.right, h: this.height - MARGIN.top - MARGIN.bottom };
    if (plot.w <= 10 || plot.h <= 10) return;
    this.geometry = { plot, columns, rowsTotal };
    const [lo, hi] = colourRange(data);
    const scale = (v: number) => (v - lo) / (hi - lo);

    // One pixel per (column, output time), scaled up without smoothing: the data's own resolution.
    const image = new ImageData(columns, rows);
    for (let k = 0; k < rows; k++) {
      const row = data.values[k];
      const y = rows - 1 - k;
      for (let x = 0; x < columns; x++) {
        const [r, g, b] = viridis(scale(row[x]));
        const o = 4 * (y * columns + x);
        image.data[o] = r;
        image.data[o + 1] = g;
        image.data[o + 2] = b;
        image.data[o + 3] = 255;
      }
    }
    const tile = new OffscreenCanvas(columns, rows);
    tile.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    const drawnH = (rows / rowsTotal) * plot.h;
    ctx.drawImage(tile, plot.x, plot.y + plot.h - drawnH, plot.w, drawnH);

    const xToPx = (column: number) => plot.x + ((column + 0.5) / columns) * plot.w;
    const tToPx = (t: number) => plot.y + plot.h - (((t - t0) / dt + 0.5) / rowsTotal) * plot.h;

    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    for (const edge of data.edges ?? []) {
      const px = xToPx(edge);
      ctx.beginPath();
      ctx.moveTo(px, plot.y);
      ctx.lineTo(px, plot.y + plot.h);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = '#d55e00';
    for (const column of data.marks ?? []) {
      const px = xToPx(column);
      ctx.beginPath();
      ctx.moveTo(px, plot.y + plot.h + 1);
      ctx.lineTo(px - 4, plot.y + plot.h + 8);
      ctx.lineTo(px + 4, plot.y + plot.h + 8);
      ctx.fill();
    }

    // Axes.
    ctx.strokeStyle = '#333';
    ctx.strokeRect(plot.x, plot.y, plot.w, plot.h);
    ctx.fillStyle = '#333';
    ctx.font = FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const x of niceTicks(data.x0, data.x0 + columns - 1, Math.max(2, Math.floor(plot.w / 70)))) {
      if (Number.isInteger(x)) ctx.fillText(String(x), xToPx(x - data.x0), plot.y + plot.h + 10);
    }
    ctx.fillText(`${data.xLabel}${data.marksLabel ? `; ▲ ${data.marksLabel}` : ''}`, plot.x + plot.w / 2, plot.y + plot.h + 26);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(t0, tEnd, Math.max(2, Math.floor(plot.h / 40)))) ctx.fillText(String(t), plot.x - 6, tToPx(t));
    ctx.save();
    ctx.translate(14, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('time t (fs)', 0, 0);
    ctx.restore();

    // Colour bar, its values beside it and the quantity's name along it.
    const bar = { x: plot.x + plot.w + 12, y: plot.y, w: 12, h: plot.h };
    for (let i = 0; i < bar.h; i++) {
      const [r, g, b] = viridis(1 - i / bar.h);
      ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
      ctx.fillRect(bar.x, bar.y + i, bar.w, 1);
    }
    ctx.strokeStyle = '#333';
    ctx.strokeRect(bar.x, bar.y, bar.w, bar.h);
    ctx.fillStyle = '#333';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    const valueToPx = (v: number) => bar.y + bar.h - scale(v) * bar.h;
    for (const v of niceTicks(lo, hi, Math.max(2, Math.floor(bar.h / 45)))) {
      const py = valueToPx(v);
      ctx.fillRect(bar.x + bar.w, py, 3, 1);
      ctx.fillText(fmt(v), bar.x + bar.w + 5, py);
    }
    ctx.save();
    ctx.translate(cssWidth - 8, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(data.valueLabel, 0, 0);
    ctx.restore();
  }
}

customElements.define('st-space-time-map', SpaceTimeMap);

declare global {
  interface HTMLElementTagNameMap {
    'st-space-time-map': SpaceTimeMap;
  }
}
