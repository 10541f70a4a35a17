/** <st-progress>: the share done, the simulated time, the elapsed time and the ETA of a run or a study. */

import { css, html, LitElement, nothing } from 'lit';
import { formatSeconds } from './format.js';
import type { JobProgress } from './protocol.js';

export class ProgressBar extends LitElement {
  static override properties = {
    progress: { attribute: false },
    active: { type: Boolean, reflect: true },
    unit: {},
  };

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; }
    .track { height: 12px; background: #e6e9ee; border-radius: 6px; overflow: hidden; }
    .fill { height: 100%; background: #0072b2; transition: width 0.2s; }
    :host(:not([active])) .fill { background: #8aa; }
    .line { display: flex; flex-wrap: wrap; gap: 0 1rem; color: #333; margin-top: 0.2rem; }
  `;

  /** Latest progress report; undefined before the first. */
  declare progress?: JobProgress;
  /** Whether the job is still going (the bar greys out when not). */
  declare active: boolean;
  /** What a study's or a sweep's steps are called: "run" (default) or "point". */
  declare unit: string;

  constructor() {
    super();
    this.active = false;
    this.unit = 'run';
  }

  override render() {
    const p = this.progress;
    const pct = Math.round(100 * (p?.fraction ?? 0));
    return html`
      <div class="track" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${pct} aria-label="progress">
        <div class="fill" style="width:${pct}%"></div>
      </div>
      <div class="line">
        <span id="percent">${pct} %</span>
        ${p?.t !== undefined ? html`<span>t = ${p.t.toFixed(2)} fs</span>` : nothing}
        ${p?.runs ? html`<span id="step">${this.unit} ${Math.min(p.runs, (p.runsDone ?? 0) + (this.active ? 1 : 0))} of ${p.runs}${p.label ? `: ${p.label}` : ''}</span>` : nothing}
        ${p ? html`<span>elapsed ${formatSeconds(p.elapsedSeconds)}</span>` : nothing}
        ${this.active ? html`<span id="eta">ETA ${formatSeconds(p?.etaSeconds)}</span>` : nothing}
      </div>
    `;
  }
}

customElements.define('st-progress', ProgressBar);

declare global {
  interface HTMLElementTagNameMap {
    'st-progress': ProgressBar;
  }
}
