/**
 * <st-result-view>: the charts of whatever the dashboard shows (a run
 * filling in, a finished run or study, an imported result) in a responsive
 * grid, and the panels for the PNG export.
 */

import { css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { colorAt, type ChartSpec } from './chart-spec.js';
import type { DensityData } from './density-map.js';
import type { PngPanel } from './export.js';
import './density-map.js';
import './line-chart.js';

export class ResultView extends LitElement {
  static override properties = {
    charts: { attribute: false },
    density: { attribute: false },
  };

  static override styles = css`
    :host { display: block; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 460px), 1fr)); gap: 1rem 1.25rem; }
    .cell { background: #fff; border: 1px solid #e2e5ea; border-radius: 8px; padding: 0.5rem 0.6rem; min-width: 0; }
    .empty { color: #666; font: 14px/1.5 system-ui, sans-serif; padding: 2rem 0; text-align: center; }
  `;

  /** Line charts, in order. */
  declare charts: ChartSpec[];
  /** The space-time density picture (runs only). */
  declare density?: DensityData;

  constructor() {
    super();
    this.charts = [];
  }

  override render() {
    if (!this.charts.length && !this.density) return html`<p class="empty">Nothing to show yet: run, or import a result JSON.</p>`;
    return html`<div class="grid">
      ${repeat(this.charts, (c) => c.id, (c) => html`<div class="cell"><st-line-chart .spec=${c} data-chart=${c.id}></st-line-chart></div>`)}
      ${this.density ? html`<div class="cell"><st-density-map .data=${this.density}></st-density-map></div>` : nothing}
    </div>`;
  }

  /** Every drawn chart as a titled panel for the PNG export. */
  panels(): PngPanel[] {
    const panels: PngPanel[] = [];
    const lines = [...this.renderRoot.querySelectorAll('st-line-chart')];
    for (const el of lines) {
      if (!el.canvas || !el.spec) continue;
      panels.push({
        title: el.spec.title,
        canvas: el.canvas,
        legend: el.spec.series.slice(0, 12).map((s, i) => ({ label: s.label, color: s.color ?? colorAt(i) })),
      });
    }
    const map = this.renderRoot.querySelector('st-density-map');
    if (map?.canvas && this.density) panels.push({ title: 'Electron density n(x, t); chain sites marked', canvas: map.canvas });
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
