/**
 * <st-config-form>: one field per run-config key, with its unit, default
 * (placeholder), allowed range and the validation message next to it, and
 * under the fields the state size and the memory the run needs. It only
 * shows: the dashboard owns the values and checks them (config-check.ts).
 */

import { css, html, LitElement, nothing } from 'lit';
import { DEFAULT_CONFIG, type RunConfig } from '../model/config.js';
import type { ConfigCheck, FormValues } from './config-check.js';
import { FIELD_GROUPS, FIELD_SPECS, type FieldSpec } from './field-specs.js';
import { formatBytes, formatCount } from './format.js';

/** Detail of the `field-input` event. */
export interface FieldInput {
  key: keyof RunConfig;
  value: string;
}

/** "invalid run config: "N" = 2 is not allowed; allowed: …" → "N = 2 is not allowed; allowed: …". */
export function fieldMessage(message: string): string {
  return message.replace(/^invalid run config: /, '').replace(/^"(\w+)" = /, '$1 = ');
}

export class ConfigForm extends LitElement {
  static override properties = {
    values: { attribute: false },
    check: { attribute: false },
    varied: { attribute: false },
    variedNote: { attribute: false },
    predicted: { attribute: false },
    predictedProblem: { type: Boolean },
    disabled: { type: Boolean, reflect: true },
  };

  static override styles = css`
    :host { display: block; font: 14px/1.4 system-ui, sans-serif; }
    fieldset { border: 1px solid #ddd; border-radius: 6px; margin: 0 0 0.6rem; padding: 0.4rem 0.6rem 0.5rem; }
    legend { font-weight: 600; font-size: 0.85rem; color: #444; padding: 0 0.25rem; }
    .field { display: grid; grid-template-columns: 6rem 1fr 2.6rem; align-items: center; gap: 0.1rem 0.4rem; margin: 0.2rem 0; }
    label { font-weight: 500; }
    input, select { font: inherit; padding: 0.15rem 0.3rem; min-width: 0; border: 1px solid #bbb; border-radius: 4px; }
    input[aria-invalid='true'], select[aria-invalid='true'] { border-color: #c00; background: #fff4f4; }
    .unit { color: #555; font-size: 0.85rem; }
    /* The hint and allowed range show for the field being edited (and are its aria description throughout). */
    .hint { grid-column: 2 / 4; color: #666; font-size: 0.78rem; display: none; }
    .field:focus-within .hint, .field:hover .hint { display: block; }
    .error { grid-column: 1 / 4; color: #b00; font-size: 0.82rem; }
    .varied { color: #7a4b00; font-size: 0.78rem; }
    .inactive { opacity: 0.55; }
    .size { margin: 0.3rem 0 0; padding: 0.4rem 0.6rem; background: #f5f7fa; border-radius: 6px; font-size: 0.85rem; }
    .size.too-large { background: #fff0f0; color: #900; }
    .whole { color: #b00; }
    .warnings { margin: 0.4rem 0 0; padding: 0.4rem 0.6rem; background: #fff8e6; color: #5c3d00; border-radius: 6px; font-size: 0.82rem; }
    .warnings ul { margin: 0.2rem 0 0; padding-left: 1.1rem; }
  `;

  /** The text in each field; a missing key shows its default as placeholder. */
  declare values: FormValues;
  /** The dashboard's check of the values: messages per key, state size, memory. */
  declare check?: ConfigCheck;
  /** Keys the chosen study sets itself (the form's value is its base only). */
  declare varied: readonly string[];
  /** What the varied keys are marked with: "set by the study" (default) or, for a sweep, "swept". */
  declare variedNote: string;
  /** The predicted time of what Run would start, as one line (empty: none shown). */
  declare predicted: string;
  /** The predicted line says why the run cannot start (marked as the too-large size line is). */
  declare predictedProblem: boolean;
  /** Fields read-only while a run goes. */
  declare disabled: boolean;

  constructor() {
    super();
    this.values = {};
    this.varied = [];
    this.variedNote = 'set by the study';
    this.predicted = '';
    this.predictedProblem = false;
    this.disabled = false;
  }

  override render() {
    // Messages no field shows: the whole config's, and those of keys the form has no field for (unknown keys).
    const fields = new Set<string>(FIELD_SPECS.map((s) => s.key));
    const whole = Object.entries(this.check?.errors ?? {}).filter(([key, m]) => !fields.has(key) && m);
    const warnings = this.check?.warnings ?? [];
    return html`
      ${FIELD_GROUPS.map(
        (g) => html`<fieldset>
          <legend>${g.title}</legend>
          ${FIELD_SPECS.filter((s) => s.group === g.id).map((s) => this.field(s))}
        </fieldset>`,
      )}
      ${whole.map(([key, m]) => html`<p class="whole" role="alert" data-key=${key}>${fieldMessage(m!)}</p>`)}
      ${this.sizeLine()}
      ${this.predicted ? html`<p class="size ${this.predictedProblem ? 'too-large' : ''}" id="predicted">${this.predicted}</p>` : nothing}
      ${warnings.length
        ? html`<div class="warnings" id="warnings" role="status"><b>Check the setup:</b>
            <ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`
        : nothing}
    `;
  }

  private placeholder(spec: FieldSpec): string {
    if (spec.key === 'spinStart') return `${this.check?.derivedDefaults.spinStart ?? DEFAULT_CONFIG.spinStart} (centred)`;
    if (spec.key === 'x2') return `${this.check?.derivedDefaults.x2 ?? DEFAULT_CONFIG.x2} (spinStart − 20)`;
    return spec.placeholder ?? String(DEFAULT_CONFIG[spec.key]);
  }

  private inactive(spec: FieldSpec): boolean {
    const state = this.values.state ?? DEFAULT_CONFIG.state;
    if (spec.key === 'theta') return state !== 'theta';
    if (spec.key === 'singleSpin') return state !== 'single';
    return false;
  }

  private field(spec: FieldSpec) {
    const error = this.check?.errors[spec.key];
    const id = `f-${spec.key}`;
    const described = error ? `${id}-error` : `${id}-hint`;
    const varied = this.varied.includes(spec.key);
    // Options carry `selected` too: on first render the select's value is set before its options exist.
    const choice = this.values[spec.key] ?? spec.placeholder ?? String(DEFAULT_CONFIG[spec.key]);
    const input =
      spec.kind === 'choice' || spec.kind === 'flag'
        ? html`<select id=${id} name=${spec.key} .value=${choice}
            ?disabled=${this.disabled} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described}
            @change=${(e: Event) => this.emit(spec.key, (e.target as HTMLSelectElement).value)}>
            ${spec.options!.map((o) => html`<option value=${o} ?selected=${o === choice}>${o}</option>`)}
          </select>`
        : html`<input id=${id} name=${spec.key} type="text" inputmode="decimal" autocomplete="off"
            .value=${this.values[spec.key] ?? ''} placeholder=${this.placeholder(spec)}
            ?disabled=${this.disabled} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described}
            @input=${(e: Event) => this.emit(spec.key, (e.target as HTMLInputElement).value)} />`;
    return html`<div class="field ${this.inactive(spec) ? 'inactive' : ''}" data-key=${spec.key}>
      <label for=${id} title=${spec.hint}>${spec.label}</label>
      ${input}
      <span class="unit">${spec.unit}</span>
      <span class="hint" id=${`${id}-hint`}>${spec.hint}; allowed: ${spec.allowed}${varied ? html` <span class="varied">· ${this.variedNote}</span>` : nothing}</span>
      ${error ? html`<span class="error" id=${`${id}-error`} role="alert">${fieldMessage(error)}</span>` : nothing}
    </div>`;
  }

  private sizeLine() {
    const c = this.check;
    if (!c?.dim || c.bytesNeeded === undefined || c.bytesAllowed === undefined) {
      return html`<p class="size" id="size">State size: fix the fields marked above.</p>`;
    }
    const tooLarge = c.bytesNeeded > c.bytesAllowed;
    const single = c.config?.state === 'single';
    const electrons = c.config?.basis === 'sector' || (c.config?.basis === 'antisymmetric' && single)
      ? `${single ? 'N' : 'N²'}·${c.blockSize} sector configurations`
      : c.config?.basis === 'antisymmetric'
        ? `N(N+1)/2·${c.blockSize} sector configurations, one of each exchange pair`
        : single ? 'N·2·2^L' : 'N²·4·2^L';
    const sectorHint = c.sectorDim !== undefined && c.dim >= 4 * c.sectorDim
      ? html` Basis "sector" would hold ${formatCount(c.sectorDim)} amplitudes for the same result.`
      : '';
    return html`<p class="size ${tooLarge ? 'too-large' : ''}" id="size">
      State (basis "${c.config?.basis}"): <b>${formatCount(c.dim)}</b> amplitudes (${electrons}); memory needed ≈ <b>${formatBytes(c.bytesNeeded)}</b>
      of ${formatBytes(c.bytesAllowed)} this browser allows${tooLarge ? ' — too large: reduce N or L' : ''}.${sectorHint}
    </p>`;
  }

  private emit(key: keyof RunConfig, value: string): void {
    this.dispatchEvent(new CustomEvent<FieldInput>('field-input', { detail: { key, value }, bubbles: true, composed: true }));
  }
}

customElements.define('st-config-form', ConfigForm);

declare global {
  interface HTMLElementTagNameMap {
    'st-config-form': ConfigForm;
  }
}
