/**
 * <st-sweep-chart>: a sweep's figure on a canvas (final Δσ_z against the
 * swept key, a curve per state, or a heatmap over two keys), with a tooltip
 * per point (its parameters, final Δσ_z, status) and a click on a point that
 * asks to open its result (`point-open` {index}, within the host's shadow root). Failed and missing points are
 * marked. The same data is a table under the figure (the text alternative,
 * and the keyboard's way to open a point). File strings (names, values,
 * errors) go through Lit's text bindings or the canvas's fillText: never
 * parsed as HTML.
 */

import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { SweepResult } from '../sweeps/run-sweep.js';
import { describeParams } from '../sweeps/grid.js';
import { viridis } from './colormap.js';
import { formatValue } from './format.js';
import { hitTest, plotGeometry, sweepPlotModel, type PlotGeometry, type PlotPoint, type SweepPlotModel } from './sweep-plot.js';

/** Detail of `point-open`. */
export interface PointOpenDetail {
  index: number;
}

const FONT = '12px system-ui, sans-serif';
const MISSING = '#d0d0d0';
const FAILED = '#c0392b';
const RUNNING = '#e69f00';

/** Rows of the table at most: past this, sweep.csv (Export, CSV) has every point. */
export const MAX_TABLE_ROWS = 2000;

const STATUS_TEXT: Record<PlotPoint['status'], string> = {
  done: 'done', failed: 'failed', missing: 'missing (no row in the table)', running: 'running', queued: 'queued',
};

export class SweepChart extends LitElement {
  static override properties = {
    result: { attribute: false },
    running: { attribute: false },
    loaded: { attribute: false },
    height: { type: Number },
    hovered: { state: true },
    tableOpen: { state: true },
  };

  static override styles = css`
    :host { display: block; min-width: 0; font: 13px/1.4 system-ui, sans-serif; }
    h3 { margin: 0 0 0.25rem; font: 600 0.95rem/1.3 system-ui, sans-serif; }
    .wrap { position: relative; }
    canvas { display: block; width: 100%; cursor: default; }
    canvas.pointing { cursor: pointer; }
    .tip { position: absolute; pointer-events: none; z-index: 2; max-width: 22rem; background: #fff; border: 1px solid #889;
      border-radius: 6px; padding: 0.35rem 0.5rem; box-shadow: 0 2px 8px rgba(0,0,0,0.15); font-size: 0.82rem; overflow-wrap: anywhere; }
    .tip b { font-weight: 600; }
    .tip .err { color: #900; }
    .tip .hint { color: #555; font-style: italic; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; font-size: 0.82rem; margin: 0.25rem 0 0; }
    .legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 0.3rem; }
    .none { color: #555; }
    details { margin-top: 0.4rem; font-size: 0.82rem; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; padding: 0.1rem 0.4rem; border-bottom: 1px solid #eee; vertical-align: top; overflow-wrap: anywhere; }
    td.num { font-variant-numeric: tabular-nums; }
    tr[data-status='failed'] td { color: #900; }
    tr[data-status='missing'] td { color: #777; }
    button.open { font: inherit; padding: 0 0.4rem; border: 1px solid #0072b2; color: #0072b2; background: #fff; border-radius: 4px; cursor: pointer; }
  `;

  /** The sweep's table (sweep.json), complete or still filling in. */
  declare result?: SweepResult;
  /** While the page runs the sweep: the index of the point running (the points without a row are queued, not missing). */
  declare running?: number | null;
  /** Points whose full result is loaded: a click on them opens it. */
  declare loaded: ReadonlySet<number>;
  /** Canvas height in CSS pixels (default 340). */
  declare height: number;
  declare private hovered?: number;
  /** The table's rows are made only while it is open (an imported sweep may hold thousands of points). */
  declare private tableOpen?: boolean;

  private model?: SweepPlotModel;
  private geometry?: PlotGeometry;
  private observer?: ResizeObserver;

  constructor() {
    super();
    this.loaded = new Set();
    this.height = 340;
  }

  /** The drawn canvas (PNG export, checks). */
  get canvas(): HTMLCanvasElement | undefined {
    return (this.renderRoot.querySelector('canvas') as HTMLCanvasElement | null) ?? undefined;
  }

  /** Where point `index` is drawn, in CSS pixels from the canvas's top left (undefined if not drawn). */
  positionOf(index: number): { x: number; y: number } | undefined {
    const m = this.geometry?.marks.get(index);
    return m ? { x: m.x, y: m.y } : undefined;
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('result') || changed.has('running')) && this.result) {
      this.model = sweepPlotModel(this.result, this.running === undefined ? undefined : { running: this.running ?? undefined });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const keys = changed as Map<string, unknown>;
    if (keys.has('result') || keys.has('running') || keys.has('height') || keys.has('hovered')) this.draw();
  }

  override render() {
    const model = this.model;
    if (!this.result || !model) return nothing;
    const fig = model.figure;
    const hovered = this.hovered !== undefined ? model.points[this.hovered] : undefined;
    const mark = this.hovered !== undefined ? this.geometry?.marks.get(this.hovered) : undefined;
    const done = model.points.filter((p) => p.status === 'done').length;
    const summary = `${fig.kind === 'none' ? 'Sweep' : fig.title}: ${done} of ${model.points.length} points done` +
      `${this.result.failed.length ? `, ${this.result.failed.length} failed` : ''}. The table below lists every point.`;
    return html`
      <h3 id="sweep-title">${fig.kind === 'none' ? 'Sweep' : fig.title}</h3>
      ${fig.kind === 'none'
        ? html`<p class="none">${fig.reason}</p>`
        : html`<div class="wrap">
            <canvas part="canvas" role="img" aria-label=${summary} aria-describedby="sweep-table-caption" data-kind=${fig.kind}
              class=${this.hovered !== undefined ? 'pointing' : ''} style="height:${this.height}px"
              @mousemove=${this.onMove} @mouseleave=${() => (this.hovered = undefined)} @click=${this.onClick}></canvas>
            ${hovered && mark ? this.tooltip(hovered, mark) : nothing}
          </div>
          ${fig.kind === 'lines' && fig.series.length > 1
            ? html`<p class="legend">${fig.series.map((s) => html`<span><i style="background:${s.color}"></i>${s.name}</span>`)}</p>`
            : nothing}
          <p class="legend">
            <span><i style="background:${FAILED}"></i>✕ failed</span><span><i style="background:${MISSING}"></i>missing</span>
            ${this.running !== undefined ? html`<span><i style="background:${RUNNING}"></i>running</span>` : nothing}
            <span>Point at a point for its values; click it to open its result.</span>
          </p>`}
      <details id="sweep-table" ?open=${this.tableOpen ?? fig.kind === 'none'} @toggle=${(e: Event) => (this.tableOpen = (e.target as HTMLDetailsElement).open)}>
        <summary id="sweep-table-caption">Table of the ${model.points.length} points (${done} done)</summary>
        ${this.tableOpen ?? fig.kind === 'none' ? this.table(model) : nothing}
      </details>
    `;
  }

  private table(model: SweepPlotModel) {
    const shown = model.points.slice(0, MAX_TABLE_ROWS);
    return html`${shown.length < model.points.length ? html`<p>The first ${shown.length} of ${model.points.length} points; the CSV export has every one.</p>` : nothing}
        <table>
          <thead><tr><th>#</th><th>name</th><th>parameters</th><th>status</th><th>final Δσ_z</th><th>result</th></tr></thead>
          <tbody>
            ${shown.map((p) => html`<tr data-index=${p.index} data-status=${p.status}>
              <td class="num">${p.index}</td><td>${p.name}</td><td>${describeParams(p.params)}</td>
              <td>${STATUS_TEXT[p.status]}${p.error ? html`: <span class="err">${p.error}</span>` : nothing}</td>
              <td class="num">${p.value !== undefined ? formatValue(p.value) : '–'}</td>
              <td>${p.status === 'done'
                ? html`<button type="button" class="open" data-index=${p.index} @click=${() => this.open(p.index)}>${this.loaded.has(p.index) ? 'open' : 'open…'}</button>`
                : nothing}</td>
            </tr>`)}
          </tbody>
        </table>`;
  }

  private tooltip(p: PlotPoint, mark: { x: number; y: number }) {
    const canvas = this.canvas;
    const w = canvas?.clientWidth ?? 400;
    const left = mark.x > w * 0.6 ? undefined : mark.x + 14;
    const right = left === undefined ? w - mark.x + 14 : undefined;
    const style = `top:${Math.max(0, mark.y - 10)}px;${left !== undefined ? `left:${left}px` : `right:${right}px`}`;
    return html`<div class="tip" id="sweep-tip" role="tooltip" style=${style}>
      <div><b>${p.name}</b></div>
      <div>${describeParams(p.params)}</div>
      <div>final Δσ_z: <b>${p.value !== undefined ? formatValue(p.value) : '–'}</b></div>
      <div>status: ${STATUS_TEXT[p.status]}</div>
      ${p.error ? html`<div class="err">${p.error}</div>` : nothing}
      ${p.status === 'done'
        ? html`<div class="hint">${this.loaded.has(p.index) ? 'click to open its result' : `click: its result needs points/${p.name}.json`}</div>`
        : nothing}
    </div>`;
  }

  private local(e: MouseEvent): { x: number; y: number } {
    const r = this.canvas!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private onMove = (e: MouseEvent): void => {
    if (!this.geometry) return;
    const { x, y } = this.local(e);
    const hit = hitTest(this.geometry, x, y);
    if (hit !== this.hovered) this.hovered = hit;
  };

  private onClick = (e: MouseEvent): void => {
    if (!this.geometry) return;
    const { x, y } = this.local(e);
    const hit = hitTest(this.geometry, x, y);
    if (hit !== undefined) this.open(hit);
  };

  private open(index: number): void {
    // Not composed: the dashboard hears it in its own shadow root and fires its own `point-open` (with the name and whether it opened).
    this.dispatchEvent(new CustomEvent<PointOpenDetail>('point-open', { detail: { index }, bubbles: true }));
  }

  private draw(): void {
    const canvas = this.canvas;
    const model = this.model;
    if (!canvas || !model || model.figure.kind === 'none') return;
    const dpr = globalThis.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = this.height;
    if (width <= 0) return;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const g = (this.geometry = plotGeometry(model, width, height));
    const fig = model.figure;
    const { plot } = g;
    ctx.font = FONT;

    if (fig.kind === 'lines') {
      ctx.strokeStyle = '#e4e4e4';
      ctx.lineWidth = 1;
      for (const t of g.yTicks) line(ctx, plot.x, t.px, plot.x + plot.w, t.px);
      fig.series.forEach((s) => {
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 2;
        ctx.beginPath();
        let pen = false;
        for (const m of s.marks) {
          const p = model.points[m.index];
          const at = g.marks.get(m.index)!;
          if (p.status !== 'done') {
            pen = false;
            continue;
          }
          if (pen) ctx.lineTo(at.x, at.y);
          else ctx.moveTo(at.x, at.y);
          pen = true;
        }
        ctx.stroke();
        for (const m of s.marks) this.marker(ctx, model.points[m.index], g.marks.get(m.index)!, s.color);
      });
    } else {
      const range = g.range;
      for (const c of fig.cells) {
        const p = model.points[c.index];
        const cell = g.marks.get(c.index)!.cell!;
        if (p.status === 'done' && p.value !== undefined && range) {
          const [r, gg, b] = viridis(range.hi > range.lo ? (p.value - range.lo) / (range.hi - range.lo) : 0.5);
          ctx.fillStyle = `rgb(${r | 0},${gg | 0},${b | 0})`;
        } else {
          ctx.fillStyle = p.status === 'failed' ? '#f6d5d1' : MISSING;
        }
        ctx.fillRect(cell.x, cell.y, cell.w + 0.5, cell.h + 0.5);
        if (p.status === 'failed') cross(ctx, cell.x + cell.w / 2, cell.y + cell.h / 2, Math.min(8, cell.w / 3, cell.h / 3), FAILED);
        if (p.status === 'running') {
          ctx.strokeStyle = RUNNING;
          ctx.lineWidth = 3;
          ctx.strokeRect(cell.x + 1.5, cell.y + 1.5, cell.w - 3, cell.h - 3);
        }
        if (c.index === this.hovered) {
          ctx.strokeStyle = '#000';
          ctx.lineWidth = 2;
          ctx.strokeRect(cell.x + 1, cell.y + 1, cell.w - 2, cell.h - 2);
        }
      }
      // Colour bar: bottom = smallest final Δσ_z, top = largest.
      const bar = { x: plot.x + plot.w + 16, y: plot.y, w: 14, h: plot.h };
      for (let i = 0; i < bar.h; i++) {
        const [r, gg, b] = viridis(1 - i / bar.h);
        ctx.fillStyle = `rgb(${r | 0},${gg | 0},${b | 0})`;
        ctx.fillRect(bar.x, bar.y + i, bar.w, 1);
      }
      ctx.strokeStyle = '#333';
      ctx.lineWidth = 1;
      ctx.strokeRect(bar.x, bar.y, bar.w, bar.h);
      ctx.fillStyle = '#333';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'middle';
      if (range) {
        ctx.fillText(formatValue(range.hi), bar.x + bar.w + 4, bar.y + 6);
        ctx.fillText(formatValue(range.lo), bar.x + bar.w + 4, bar.y + bar.h - 6);
      }
      ctx.fillText('final Δσ_z', bar.x + bar.w + 4, bar.y + bar.h / 2);
    }

    // Axes, ticks, labels.
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 1;
    ctx.strokeRect(plot.x, plot.y, plot.w, plot.h);
    ctx.fillStyle = '#333';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const t of g.xTicks) {
      line(ctx, t.px, plot.y + plot.h, t.px, plot.y + plot.h + 4);
      ctx.fillText(t.label, t.px, plot.y + plot.h + 7);
    }
    ctx.fillText(fig.xLabel, plot.x + plot.w / 2, plot.y + plot.h + 25);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of g.yTicks) {
      line(ctx, plot.x - 4, t.px, plot.x, t.px);
      ctx.fillText(t.label, plot.x - 7, t.px);
    }
    ctx.save();
    ctx.translate(14, plot.y + plot.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(fig.yLabel, 0, 0);
    ctx.restore();
  }

  private marker(ctx: CanvasRenderingContext2D, p: PlotPoint, at: { x: number; y: number }, color: string): void {
    const hovered = p.index === this.hovered;
    if (p.status === 'done') {
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.arc(at.x, at.y, hovered ? 6 : 4, 0, 2 * Math.PI);
      ctx.fill();
    } else if (p.status === 'failed') {
      cross(ctx, at.x, at.y, hovered ? 7 : 5, FAILED);
    } else {
      ctx.strokeStyle = p.status === 'running' ? RUNNING : p.status === 'queued' ? '#bbb' : '#888';
      ctx.lineWidth = p.status === 'running' ? 3 : 1.5;
      ctx.beginPath();
      ctx.arc(at.x, at.y, hovered ? 6 : 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (hovered) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(at.x, at.y, 9, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
}

function line(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

function cross(ctx: CanvasRenderingContext2D, x: number, y: number, r: number, color: string): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  line(ctx, x - r, y - r, x + r, y + r);
  line(ctx, x - r, y + r, x + r, y - r);
}

customElements.define('st-sweep-chart', SweepChart);

declare global {
  interface HTMLElementTagNameMap {
    'st-sweep-chart': SweepChart;
  }
}
