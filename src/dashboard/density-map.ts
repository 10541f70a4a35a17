/**
 * <st-density-map>: the space-time picture of the electron density n(x, t),
 * a canvas heat map (site x across, time t up), the chain sites marked by
 * dashed lines and ticks, a colour bar for n. Redrawn on new data and on
 * resize (ResizeObserver).
 */

import { css, html, LitElement, type PropertyValues } from 'lit';
import { viridis } from './colormap.js';

export interface DensityData {
  /** Output times, fs. */
  t: number[];
  /** density[k][x] = n(x) at t[k]. */
  density: number[][];
  /** First chain site and number of local spins. */
  spinStart: number;
  L: number;
}

const MARGIN = { left: 58, right: 78, top: 12, bottom: 44 };
const FONT = '12px system-ui, sans-serif';

export class DensityMap extends LitElement {
  static override properties = {
    data: { attribute: false },
    height: { type: Number },
  };

  static override styles = css`
    :host { display: block; min-width: 0; }
    h3 { margin: 0 0 0.25rem; font: 600 0.95rem/1.3 system-ui, sans-serif; }
    canvas { display: block; width: 100%; }
  `;

  /** The density series to draw. */
  declare data?: DensityData;
  /** Canvas height in CSS pixels (default 300). */
  declare height: number;

  private observer?: ResizeObserver;

  constructor() {
    super();
    this.height = 300;
  }

  override render() {
    return html`<h3>Electron density n(x, t)</h3><canvas part="canvas" style="height:${this.height}px"></canvas>`;
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
    if (!data || data.density.length === 0) return;

    const rows = data.density.length;
    const N = data.density[0].length;
    const tEnd = data.t[rows - 1] || 1;
    const plot = { x: MARGIN.left, y: MARGIN.top, w: cssWidth - MARGIN.left - MARGIN.right, h: this.height - MARGIN.top - MARGIN.bottom };
    if (plot.w <= 10 || plot.h <= 10) return;
    let max = 0;
    for (const row of data.density) for (const v of row) if (v > max) max = v;
    max ||= 1;

    // One pixel per (site, output time), scaled up without smoothing: the data's own resolution.
    const image = new ImageData(N, rows);
    for (let k = 0; k < rows; k++) {
      const row = data.density[k];
      const y = rows - 1 - k;
      for (let x = 0; x < N; x++) {
        const [r, g, b] = viridis(row[x] / max);
        const o = 4 * (y * N + x);
        image.data[o] = r;
        image.data[o + 1] = g;
        image.data[o + 2] = b;
        image.data[o + 3] = 255;
      }
    }
    const tile = new OffscreenCanvas(N, rows);
    tile.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    // Rows are output times: the picture spans t in [0, tEnd] with a half-step border each side.
    ctx.drawImage(tile, plot.x, plot.y, plot.w, plot.h);

    const xToPx = (site: number) => plot.x + ((site + 0.5) / N) * plot.w;
    const tToPx = (t: number) => plot.y + plot.h - ((t / tEnd) * (rows - 1) + 0.5) / rows * plot.h;

    // The chain: dashed lines at its edges, a tick per local spin.
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    for (const edge of [data.spinStart - 0.5, data.spinStart + data.L - 0.5]) {
      const px = xToPx(edge);
      ctx.beginPath();
      ctx.moveTo(px, plot.y);
      ctx.lineTo(px, plot.y + plot.h);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = '#d55e00';
    for (let j = 0; j < data.L; j++) {
      const px = xToPx(data.spinStart + j);
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
    for (const site of niceTicks(0, N - 1, Math.max(2, Math.floor(plot.w / 70)))) {
      const px = xToPx(site);
      ctx.fillText(String(site), px, plot.y + plot.h + 10);
    }
    ctx.fillText('site x (lattice spacings a); ▲ local spins', plot.x + plot.w / 2, plot.y + plot.h + 26);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(0, tEnd, Math.max(2, Math.floor(plot.h / 40)))) ctx.fillText(String(t), plot.x - 6, tToPx(t));
    ctx.save();
    ctx.translate(14, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('time t (fs)', 0, 0);
    ctx.restore();

    // Colour bar.
    const bar = { x: plot.x + plot.w + 14, y: plot.y, w: 12, h: plot.h };
    for (let i = 0; i < bar.h; i++) {
      const [r, g, b] = viridis(1 - i / bar.h);
      ctx.fillStyle = `rgb(${r | 0},${g | 0},${b | 0})`;
      ctx.fillRect(bar.x, bar.y + i, bar.w, 1);
    }
    ctx.strokeStyle = '#333';
    ctx.strokeRect(bar.x, bar.y, bar.w, bar.h);
    ctx.fillStyle = '#333';
    ctx.textAlign = 'left';
    ctx.fillText(max.toPrecision(2), bar.x + bar.w + 4, bar.y + 6);
    ctx.fillText('0', bar.x + bar.w + 4, bar.y + bar.h - 4);
    ctx.fillText('n(x)', bar.x + bar.w + 4, bar.y + bar.h / 2);
  }
}

/** About `count` round tick values in [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

customElements.define('st-density-map', DensityMap);

declare global {
  interface HTMLElementTagNameMap {
    'st-density-map': DensityMap;
  }
}
