/**
 * <st-result-view>: the charts of whatever the dashboard shows (a run
 * filling in, a finished run or study, an imported result) in a responsive
 * grid, the space-time maps (n(x, t); ⟨S_z,j⟩(t) and ⟨S_z,j S_z,j+1⟩(t) for a long chain, with the
 * picker of the sites drawn as lines), and the panels for the PNG export.
 */

import { css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { colorAt, type ChartSpec } from './chart-spec.js';
import { MAX_PICKED_SITES, withPicked } from './chart-data.js';
import type { PngPanel } from './export.js';
import type { ColumnPick, SpaceTimeData } from './space-time-map.js';
import './line-chart.js';
import './space-time-map.js';

export class ResultView extends LitElement {
  static override properties = {
    charts: { attribute: false },
    maps: { attribute: false },
    picked: { attribute: false },
  };

  static override styles = css`
    :host { display: block; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 1rem 1.25rem; }
    .cell { background: #fff; border: 1px solid #e2e5ea; border-radius: 8px; padding: 0.5rem 0.6rem; min-width: 0; }
    .empty { color: #666; font: 14px/1.5 system-ui, sans-serif; padding: 2rem 0; text-align: center; }
    .picker { display: flex; flex-wrap: wrap; gap: 0.3rem 0.5rem; align-items: center; font: 13px/1.4 system-ui, sans-serif; margin-top: 0.3rem; }
    .picker select, .picker button { font: inherit; }
    .chip { display: inline-flex; align-items: center; gap: 0.2rem; border: 1px solid #aab; border-radius: 999px; padding: 0 0.15rem 0 0.5rem; background: #f5f7fa; }
    .chip i { width: 0.8rem; height: 0.25rem; display: inline-block; }
    .chip button { border: none; background: none; cursor: pointer; padding: 0 0.25rem; color: #444; }
  `;

  /** Line charts, in order. */
  declare charts: ChartSpec[];
  /** Space-time maps; ⟨S_z,j⟩'s sits beside the ⟨S_z⟩ line chart, n(x, t) last. */
  declare maps: SpaceTimeData[];
  /** Columns of the pickable map drawn as lines (local spins j). */
  declare picked: number[];

  constructor() {
    super();
    this.charts = [];
    this.maps = [];
    this.picked = [];
  }

  override render() {
    if (!this.charts.length && !this.maps.length) return html`<p class="empty">Nothing to show yet: run, or import a result JSON.</p>`;
    // Each map right after the line chart of the same quantity (sz-map after sz), the rest after all charts.
    const after = (id: string) => this.maps.filter((m) => m.id === `${id}-map`);
    const placed = new Set(this.charts.flatMap((c) => after(c.id)).map((m) => m.id));
    return html`<div class="grid">
      ${repeat(this.charts, (c) => c.id, (c) => html`<div class="cell"><st-line-chart .spec=${c} data-chart=${c.id}></st-line-chart></div>
        ${after(c.id).map((m) => this.mapCell(m))}`)}
      ${this.maps.filter((m) => !placed.has(m.id)).map((m) => this.mapCell(m))}
    </div>`;
  }

  private mapCell(m: SpaceTimeData) {
    return html`<div class="cell"><st-space-time-map .data=${m} data-map=${m.id} @column-pick=${(e: CustomEvent<ColumnPick>) => this.pick(e.detail.column)}></st-space-time-map>
      ${m.pickable ? this.picker(m) : nothing}</div>`;
  }

  /** The sites drawn as lines: a chip per site (× removes it), a list to add one, and the map's click. */
  private picker(m: SpaceTimeData) {
    const picked = this.picked.filter((j) => j < m.columns);
    return html`<div class="picker" role="group" aria-label="Sites drawn as lines">
      <label for="site-pick">Draw as a line:</label>
      <select id="site-pick" aria-label="local spin to draw as a line">
        ${Array.from({ length: m.columns }, (_, j) => html`<option value=${j}>${m.describeColumn(j)}</option>`)}
      </select>
      <button type="button" id="site-add" @click=${() => this.pick(Number((this.renderRoot.querySelector('#site-pick') as HTMLSelectElement).value))}>Add</button>
      ${picked.map((j, i) => html`<span class="chip" data-site=${j}><i style="background:${colorAt(i + 1)}"></i>${m.describeColumn(j)}<button type="button" aria-label=${`remove ${m.describeColumn(j)}`}
        @click=${() => this.emitPicked(this.picked.filter((x) => x !== j))}>×</button></span>`)}
      ${picked.length ? html`<button type="button" id="sites-clear" @click=${() => this.emitPicked([])}>Clear</button>` : html`<span>(up to ${MAX_PICKED_SITES})</span>`}
    </div>`;
  }

  private pick(column: number): void {
    if (Number.isInteger(column) && column >= 0) this.emitPicked(withPicked(this.picked, column));
  }

  private emitPicked(picked: number[]): void {
    this.dispatchEvent(new CustomEvent<number[]>('sites-change', { detail: picked, bubbles: true, composed: true }));
  }

  /** Every drawn chart and map as a titled panel for the PNG export, in the order shown. */
  panels(): PngPanel[] {
    const panels: PngPanel[] = [];
    for (const el of this.renderRoot.querySelectorAll('st-line-chart, st-space-time-map')) {
      if (el.tagName === 'ST-LINE-CHART') {
        const chart = el as HTMLElementTagNameMap['st-line-chart'];
        if (!chart.canvas || !chart.spec) continue;
        panels.push({
          title: chart.spec.title,
          ...(chart.spec.note ? { note: chart.spec.note } : {}),
          canvas: chart.canvas,
          legend: chart.spec.series.slice(0, 12).map((s, i) => ({ label: s.label, color: s.color ?? colorAt(i) })),
        });
      } else {
        const map = el as HTMLElementTagNameMap['st-space-time-map'];
        if (map.canvas && map.data) panels.push({ title: map.data.edges ? `${map.data.title}; chain sites marked` : map.data.title, canvas: map.canvas });
      }
    }
    return panels;
  }

  /** Canvases that are drawn (for checks): every chart's canvas with something other than background on it. */
  get canvases(): HTMLCanvasElement[] {
    return this.panels().map((p) => p.canvas);
  }
}

customElements.define('st-result-view', ResultView);

declare global {
  interface HTMLElementTagNameMap {
    'st-result-view': ResultView;
  }
}
