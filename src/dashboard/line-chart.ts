/**
 * <st-line-chart>: one uPlot chart of a ChartSpec, in a shadow root (uPlot's
 * CSS is in static styles). Per change, as uplot-wrappers do: new data with
 * the same series → setData; a new size → setSize (ResizeObserver); other
 * changes → a new plot. The plot is made once the container has a width and
 * destroyed on disconnect.
 */

import { css, html, LitElement, nothing, unsafeCSS, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { flatSafeRange, safeRange, spanning } from './chart-range.js';
import { colorAt, type ChartSpec } from './chart-spec.js';

const SHADE = 'rgba(120, 120, 120, 0.14)';

export class LineChart extends LitElement {
  static override properties = {
    spec: { attribute: false },
    height: { type: Number },
  };

  static override styles = [
    unsafeCSS(uplotCss),
    css`
      :host { display: block; min-width: 0; }
      h3 { margin: 0 0 0.25rem; font: 600 0.95rem/1.3 system-ui, sans-serif; }
      .note { margin: -0.1rem 0 0.3rem; font: 0.8rem/1.35 system-ui, sans-serif; color: #555; }
      .plot { width: 100%; min-height: 40px; }
      .uplot { font-family: system-ui, sans-serif; }
      .u-legend { font-size: 0.8rem; }
    `,
  ];

  /** What to draw. */
  declare spec?: ChartSpec;
  /** Plot height in CSS pixels (default 260). */
  declare height: number;

  private plot?: uPlot;
  private shapeKey = '';
  private observer?: ResizeObserver;

  constructor() {
    super();
    this.height = 260;
  }

  override render() {
    const note = this.spec?.note;
    return html`<h3>${this.spec?.title ?? ''}</h3>${note ? html`<p class="note">${note}</p>` : nothing}<div class="plot" part="plot"></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer = new ResizeObserver(() => this.sync());
    void this.updateComplete.then(() => this.observer?.observe(this.container()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
    this.plot?.destroy();
    this.plot = undefined;
    this.shapeKey = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('spec') || changed.has('height')) this.sync();
  }

  /** The plot's canvas (for PNG export), once drawn. */
  get canvas(): HTMLCanvasElement | undefined {
    return this.plot?.ctx.canvas;
  }

  private container(): HTMLElement {
    return this.renderRoot.querySelector('.plot') as HTMLElement;
  }

  private sync(): void {
    const el = this.renderRoot.querySelector('.plot') as HTMLElement | null;
    const spec = this.spec;
    if (!el || !spec) return;
    const width = Math.floor(el.clientWidth);
    if (width <= 0) return;
    const key = JSON.stringify([spec.id, spec.xLabel, spec.yLabel, spec.series.map((s) => [s.label, s.color, s.points, s.lineWidth, s.dash, s.rightAxis, s.annotate]), spec.y2Label, spec.yInclude, spec.y2Include, this.height]);
    const data = [spec.x, ...spec.series.map((s) => s.values)] as uPlot.AlignedData;
    if (this.plot && key === this.shapeKey) {
      if (this.plot.width !== width) this.plot.setSize({ width, height: this.height });
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.shapeKey = key;
    this.plot = new uPlot(this.options(spec, width), data, el);
  }

  private shade(u: uPlot): void {
    const shaded = this.spec?.shaded;
    if (!shaded?.length) return;
    const { ctx, bbox } = u;
    ctx.save();
    ctx.fillStyle = SHADE;
    for (const [a, b] of shaded) {
      const x0 = Math.max(bbox.left, u.valToPos(a, 'x', true));
      const x1 = Math.min(bbox.left + bbox.width, u.valToPos(b, 'x', true));
      if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
    }
    ctx.restore();
  }

  /** The values of annotated series written beside their markers (a value given at one time only reads without the cursor). */
  private annotate(u: uPlot): void {
    const spec = this.spec;
    if (!spec?.series.some((s) => s.annotate !== undefined)) return;
    const { ctx, bbox } = u;
    const ratio = uPlot.pxRatio;
    ctx.save();
    ctx.font = `${12 * ratio}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    spec.series.forEach((s, i) => {
      if (s.annotate === undefined) return;
      ctx.fillStyle = s.color ?? colorAt(i);
      s.values.forEach((v, k) => {
        if (v == null || !Number.isFinite(v)) return;
        const x = u.valToPos(spec.x[k], 'x', true), y = u.valToPos(v, s.rightAxis ? 'y2' : 'y', true);
        const text = `${s.annotate}${Number(v.toPrecision(5))}`;
        const w = ctx.measureText(text).width;
        // Left of the marker where it would leave the plot on the right.
        const left = x + 8 * ratio + w > bbox.left + bbox.width;
        ctx.textAlign = left ? 'right' : 'left';
        ctx.fillText(text, left ? x - 8 * ratio : x + 8 * ratio, Math.max(bbox.top + 8 * ratio, y - 10 * ratio));
      });
    });
    ctx.restore();
  }

  private options(spec: ChartSpec, width: number): uPlot.Options {
    const right = spec.series.some((s) => s.rightAxis);
    const axis = { stroke: '#333', grid: { stroke: '#e4e4e4', width: 1 }, ticks: { stroke: '#ccc', width: 1 }, font: '12px system-ui, sans-serif', labelFont: '13px system-ui, sans-serif' };
    return {
      width,
      height: this.height,
      scales: {
        x: { time: false },
        y: { range: (u, min, max) => flatSafeRange(u, ...spanning(min, max, spec.yInclude)) },
        ...(right ? { y2: { range: (u: uPlot, min: number | null, max: number | null) => safeRange(u, ...spanning(min, max, spec.y2Include)) } } : {}),
      },
      axes: [
        { ...axis, label: spec.xLabel },
        { ...axis, label: spec.yLabel, size: 60 },
        ...(right ? [{ ...axis, scale: 'y2', side: 1 as const, label: spec.y2Label ?? '', size: 60, grid: { show: false } }] : []),
      ],
      series: [
        { label: spec.xLabel, value: (_u, v) => (v == null ? '–' : Number(v.toPrecision(6)).toString()) },
        ...spec.series.map((s, i) => ({
          label: s.label,
          ...(s.rightAxis ? { scale: 'y2' } : {}),
          stroke: s.color ?? colorAt(i),
          width: s.lineWidth ?? 1.75,
          dash: s.dash,
          spanGaps: !s.points,
          points: s.points ? { show: true, size: 7, fill: s.color ?? colorAt(i) } : { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : Number(v.toPrecision(5)).toString()),
        })),
      ],
      hooks: {
        // Behind the grid and the series: the intervals a packet centre is in the chain region.
        drawClear: [(u: uPlot) => this.shade(u)],
        draw: [(u: uPlot) => this.annotate(u)],
      },
    };
  }
}

customElements.define('st-line-chart', LineChart);

declare global {
  interface HTMLElementTagNameMap {
    'st-line-chart': LineChart;
  }
}
