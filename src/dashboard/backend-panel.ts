/**
 * <st-backend-panel>: the backends this browser offers, each with what it
 * would run on or why it cannot run (probed in the compute worker), the
 * WebGPU adapter and its limits, the WebGL2 renderer, and the CPU threads
 * with the page's cross-origin isolation.
 */

import { css, html, LitElement, nothing } from 'lit';
import type { BasisChoice } from '../model/basis.js';
import type { Capabilities } from './capabilities.js';
import { formatBytes } from './format.js';

export class BackendPanel extends LitElement {
  static override properties = {
    capabilities: { attribute: false },
    value: {},
    threads: {},
    gpuMemory: {},
    disabled: { type: Boolean },
    basisChoice: { attribute: false },
  };

  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
    .choice { display: grid; grid-template-columns: 1.6rem 1fr; gap: 0 0.2rem; margin: 0.15rem 0; align-items: start; }
    .choice input { margin: 0.2rem 0 0; }
    .choice.off { color: #888; }
    .detail { grid-column: 2; font-size: 0.78rem; color: #555; }
    .choice.off .detail { color: #a33; }
    .sw { color: #7a4b00; }
    details { margin-top: 0.4rem; font-size: 0.82rem; }
    table { border-collapse: collapse; margin: 0.2rem 0; }
    td { padding: 0 0.5rem 0 0; vertical-align: top; }
    td:first-child { color: #555; }
    .threads { margin-top: 0.3rem; }
    /* Only the threads field: a width on every input stretched the radio buttons over the first letter of each name. */
    .threads input { font: inherit; width: 4rem; padding: 0.1rem 0.3rem; }
    .probing { color: #666; }
    .basis { font-size: 0.78rem; color: #555; margin: 0.3rem 0 0; }
  `;

  /** What the worker found; undefined while probing. */
  declare capabilities?: Capabilities;
  /** Chosen backend name. */
  declare value: string;
  /** CPU worker threads: "auto" or a number, as typed. */
  declare threads: string;
  /** Cap on the WebGPU backend's buffers, as typed: "" (none), 4G, 512M, 8GB, bytes. */
  declare gpuMemory: string;
  declare disabled: boolean;
  /** The basis the last run used and why ("auto" resolved on its backend); undefined before a run says. */
  declare basisChoice?: BasisChoice;

  constructor() {
    super();
    this.value = 'auto';
    this.threads = 'auto';
    this.gpuMemory = '';
    this.disabled = false;
  }

  override render() {
    const c = this.capabilities;
    if (!c) return html`<p class="probing">Probing this browser's WebGPU, WebGL2 and threads…</p>`;
    return html`
      <div role="radiogroup" aria-label="Backend">
        ${c.backends.map(
          (b) => html`<label class="choice ${b.available ? '' : 'off'}" data-backend=${b.name}>
            <input type="radio" name="backend" .value=${b.name} .checked=${this.value === b.name}
              ?disabled=${!b.available || this.disabled}
              @change=${() => this.emit('backend-change', b.name)} />
            <span><b>${b.name}</b>${b.software && b.available ? html` <span class="sw">(software)</span>` : nothing}</span>
            <span class="detail">${b.available ? '' : 'unavailable: '}${b.detail}</span>
          </label>`,
        )}
      </div>
      ${this.basisChoice
        ? html`<p class="basis" id="basis-choice">basis <b>${this.basisChoice.basis}</b> — ${this.basisChoice.reason}</p>`
        : nothing}
      <div class="threads">
        <label>CPU threads <input id="threads" .value=${this.threads} ?disabled=${this.disabled}
          @change=${(e: Event) => this.emit('threads-change', (e.target as HTMLInputElement).value)} /></label>
        <span class="detail">"auto" or a number; ${c.cpu.sharedMemory ? `up to ${c.cpu.cores} here` : 'one here (not cross-origin isolated)'}</span>
      </div>
      <div class="threads">
        <label>GPU memory <input id="gpu-memory" .value=${this.gpuMemory} placeholder="no cap" ?disabled=${this.disabled}
          @change=${(e: Event) => this.emit('gpu-memory-change', (e.target as HTMLInputElement).value)} /></label>
        <span class="detail">WebGPU only: a cap on its buffers (4G, 512M, 8GB or bytes); a state above it is refused before anything is allocated. Browsers do not report the GPU's memory.</span>
      </div>
      <details>
        <summary>What this browser offers</summary>
        <table>
          <tr><td>WebGPU</td><td id="webgpu-adapter">${c.webgpu.available ? `${c.webgpu.detail}${c.webgpu.software ? ' (software adapter)' : ''}` : `none: ${c.webgpu.detail}`}</td></tr>
          ${c.webgpu.limits
            ? Object.entries(c.webgpu.limits).map(([k, v]) => html`<tr><td>· ${k}</td><td>${/Size$/.test(k) ? formatBytes(v) : v}</td></tr>`)
            : nothing}
          <tr><td>WebGL2</td><td id="webgl2-renderer">${c.webgl2.available ? `${c.webgl2.renderer}${c.webgl2.software ? ' (software)' : ''}` : 'none'}</td></tr>
          <tr><td>CPU</td><td id="cpu-threads">${c.cpu.cores} logical cores; cross-origin isolated: ${c.cpu.crossOriginIsolated ? 'yes' : 'no'};
            SharedArrayBuffer threads: ${c.cpu.sharedMemory ? 'yes' : 'no (one thread)'}</td></tr>
        </table>
      </details>
    `;
  }

  private emit(type: 'backend-change' | 'threads-change' | 'gpu-memory-change', value: string): void {
    this.dispatchEvent(new CustomEvent<string>(type, { detail: value, bubbles: true, composed: true }));
  }
}

customElements.define('st-backend-panel', BackendPanel);

declare global {
  interface HTMLElementTagNameMap {
    'st-backend-panel': BackendPanel;
  }
}
