/**
 * Checks the form's values before a run, on the page's thread: every bad key
 * with its message (not only the first), and for a valid config the state
 * size and the memory the run needs (simulate.ts's memoryEstimate), so both
 * show before the run button is pressed.
 */

import { ConfigError, defaultSpinStart, parseRunConfig, type RunConfig } from '../model/config.js';
import { assertInitialStateExists } from '../model/initial-state.js';
import { withPresumedBasis } from '../model/basis.js';
import { layoutForConfig } from '../model/layout.js';
import { runWarnings } from '../model/warnings.js';
import { memoryEstimate } from '../simulate.js';
import { hostMemoryLimit } from '../backends/memory.js';
import { FIELD_SPECS } from './field-specs.js';

/** The form's raw text per key; '' means "the default". */
export type FormValues = Partial<Record<keyof RunConfig, string>>;

export interface ConfigCheck {
  /** The run-config JSON the form stands for (only the keys given). */
  input: Record<string, unknown>;
  /** Set when the whole config is valid. */
  config?: RunConfig;
  /** Message per offending key ('' for the whole object). */
  errors: Partial<Record<string, string>>;
  dim?: number;
  /** Spin configurations per orbital block (4·2^L, or the sector's count). */
  blockSize?: number;
  /** In basis "full": the amplitudes basis "sector" would hold for the same state. */
  sectorDim?: number;
  bytesNeeded?: number;
  bytesAllowed?: number;
  /** For a valid config: why it may not describe the experiment (src/model/warnings.ts). */
  warnings?: string[];
  /** Defaults that depend on other keys (spinStart, x2), for placeholders. */
  derivedDefaults: { spinStart: number; x2: number };
}

/** The form values as a run-config object: numbers where they parse, the text otherwise (so the error names it). */
export function formToInput(values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const spec of FIELD_SPECS) {
    const raw = values[spec.key]?.trim();
    if (raw === undefined || raw === '') continue;
    if (spec.kind === 'choice') input[spec.key] = raw;
    else if (spec.kind === 'flag') input[spec.key] = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (spec.kind === 'list') input[spec.key] = raw.split(/[\s,]+/).filter((t) => t !== '').map(numberOrText);
    else input[spec.key] = numberOrText(raw);
  }
  return input;
}

/** A number where the text is one, the text otherwise (so that the error names it). */
function numberOrText(raw: string): number | string {
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(raw) ? Number(raw) : raw;
}

/** The config as form text: every key given in `input`, nothing else. */
export function inputToForm(input: Record<string, unknown>): FormValues {
  const values: FormValues = {};
  for (const spec of FIELD_SPECS) {
    const v = input[spec.key];
    if (v !== undefined) values[spec.key] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return values;
}

export function checkConfig(input: Record<string, unknown>, propagations = 1): ConfigCheck {
  const errors: ConfigCheck['errors'] = {};
  // Collect every bad key: drop the one refused and parse again (at most one pass per key).
  let rest = { ...input };
  for (let pass = 0; pass <= Object.keys(input).length; pass++) {
    try {
      const config = parseRunConfig(rest);
      assertInitialStateExists(config);
      break;
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        errors[''] = (err as Error).message;
        break;
      }
      errors[err.key] = err.message;
      if (err.key === '' || !(err.key in rest)) break;
      rest = { ...rest };
      delete rest[err.key];
    }
  }
  const N = typeof input.N === 'number' && Number.isInteger(input.N) && input.N >= 4 ? input.N : 200;
  const L = typeof input.L === 'number' && Number.isInteger(input.L) && input.L >= 1 && input.L <= N ? input.L : 4;
  const spinStart = typeof input.spinStart === 'number' ? input.spinStart : defaultSpinStart(N, L);
  const check: ConfigCheck = { input, errors, derivedDefaults: { spinStart, x2: spinStart - 20 } };
  if (Object.keys(errors).length === 0) {
    // Sizes in the basis the run will take: "auto" as model/basis.ts presumes it (what the CPU and WebGPU backends take).
    const config = withPresumedBasis(parseRunConfig(input));
    check.config = config;
    const layout = layoutForConfig(config);
    check.dim = layout.dim;
    check.blockSize = layout.blockSize;
    if (config.basis === 'full') check.sectorDim = layoutForConfig({ ...config, basis: 'sector' }).dim;
    check.bytesNeeded = memoryEstimate(config, undefined, propagations);
    check.bytesAllowed = hostMemoryLimit().bytes;
    check.warnings = runWarnings(config);
  }
  return check;
}
