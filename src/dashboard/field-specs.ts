/**
 * The form's description of every run-config key (INTERFACE.md): label,
 * unit, input kind and a one-line hint. The allowed range comes from the
 * model's ALLOWED table, so the form says what the validation checks.
 */

import {
  ALLOWED, BASIS_SETTINGS, ELECTRON_SPINS, INITIAL_STATES, LOCAL_SPINS, SD_TERMS, SPIN_DIRECTIONS, type RunConfig,
} from '../model/config.js';

/** 'list': numbers separated by commas or spaces (JsdSites, JexBonds); 'flag': "false" or "true", a boolean key. */
export type FieldKind = 'integer' | 'number' | 'choice' | 'list' | 'flag';

export interface FieldSpec {
  key: keyof RunConfig;
  label: string;
  unit: string;
  kind: FieldKind;
  options?: readonly string[];
  step?: number;
  hint: string;
  allowed: string;
  group: 'system' | 'couplings' | 'beyond' | 'electrons' | 'packets' | 'time';
  /** The placeholder of an empty field where it is not the default value itself. */
  placeholder?: string;
}

const f = (key: keyof RunConfig, label: string, unit: string, kind: FieldKind, group: FieldSpec['group'], hint: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key, label, unit, kind, group, hint, allowed: ALLOWED[key], ...extra,
});

export const FIELD_SPECS: readonly FieldSpec[] = [
  f('N', 'N', 'sites', 'integer', 'system', 'sites on the periodic ring', { step: 1 }),
  f('L', 'L', 'spins', 'integer', 'system', 'local spins in the chain', { step: 1 }),
  f('spinStart', 'spin start', 'site', 'integer', 'system', 'site of local spin 0 (sites count from 0)', { step: 1 }),
  f('basis', 'basis', '', 'choice', 'system', '"auto": the fastest basis the backend runs for the state (antisymmetric for two electrons on CPU and WebGPU, the sector for one electron and on WebGPU for the keys beyond the paper, full on gpu.js); "sector": only the fixed-S_z sector of the initial state, the same results from far fewer amplitudes (long chains); "antisymmetric": the sector with one amplitude of each pair the exchange of the two electrons relates, about half the sector (CPU and WebGPU backends; one electron runs the sector); "full": the canonical layout', { options: BASIS_SETTINGS }),
  f('th', 't_h', 'eV', 'number', 'couplings', 'hopping', { step: 0.05 }),
  f('Jex', 'J_ex', 'eV', 'number', 'couplings', 'exchange between neighbouring local spins', { step: 0.05 }),
  f('Jsd', 'J_sd', 'eV', 'number', 'couplings', 'sd exchange, conduction to local spins', { step: 0.05 }),
  f('sdTerms', 'sd terms', '', 'choice', 'couplings', 'which part of the sd exchange is kept', { options: SD_TERMS }),
  f('localSpin', 'spin S', '', 'number', 'beyond', `spin of every local moment, ${LOCAL_SPINS.join(', ')}; above 0.5 in basis "sector", "full" or "auto" (not "antisymmetric"); CPU and WebGPU backends (WebGPU: the sector only), not gpu.js`, { step: 0.5, placeholder: '0.5' }),
  f('fieldElectron', 'B_e', 'eV', 'number', 'beyond', 'Zeeman field on the electrons: −B_e Σ σ_z (σ per "electron spin"); CPU and WebGPU backends, not gpu.js', { step: 0.01, placeholder: '0' }),
  f('fieldLocal', 'B_loc', 'eV', 'number', 'beyond', 'Zeeman field on the local spins: −B_loc Σ S_z; CPU and WebGPU backends, not gpu.js', { step: 0.01, placeholder: '0' }),
  f('anisotropy', 'D', 'eV', 'number', 'beyond', 'single-ion anisotropy −D Σ S_z² (easy axis for D > 0); CPU and WebGPU backends, not gpu.js', { step: 0.01, placeholder: '0' }),
  f('JsdSites', 'J_sd per site', 'eV', 'list', 'beyond', 'L numbers, e.g. "0.3, 0.3, 0.1, 0.3": J_sd of each local spin, replacing J_sd; CPU and WebGPU backends, not gpu.js', { placeholder: 'J_sd on every site' }),
  f('JexBonds', 'J_ex per bond', 'eV', 'list', 'beyond', 'L − 1 numbers: J_ex of each bond (j, j+1), replacing J_ex; CPU and WebGPU backends, not gpu.js', { placeholder: 'J_ex on every bond' }),
  f('entanglement', 'entanglement', '', 'flag', 'beyond', 'also compute the pair\'s concurrence (two electrons), the chain\'s entropy (at the final time only where one costs more than about ten H applications) and ⟨S_z S_z⟩ of neighbouring local spins, drawn under the other charts; CPU and WebGPU backends, not gpu.js', { options: ['false', 'true'], placeholder: 'false' }),
  f('electronSpin', 'electron spin', '', 'choice', 'electrons', '"half": σ = Pauli/2; "pauli": σ = Pauli', { options: ELECTRON_SPINS }),
  f('state', 'initial state', '', 'choice', 'electrons', 'spin state of the pair (or one electron)', { options: INITIAL_STATES }),
  f('theta', 'θ', 'rad', 'number', 'electrons', 'relative phase of state "theta" (0 singlet, π T0)', { step: 0.1 }),
  f('singleSpin', 'single spin', '', 'choice', 'electrons', 'spin of the electron of state "single"', { options: SPIN_DIRECTIONS }),
  f('ke', 'k_e', '1/a', 'number', 'packets', 'packet wave vector', { step: 0.1 }),
  f('sigma', 'σ_d', 'a', 'number', 'packets', 'packet width', { step: 0.5 }),
  f('x2', 'x₂', 'site', 'number', 'packets', 'centre of the leading packet φ₂', { step: 1 }),
  f('d', 'd', 'a', 'number', 'packets', 'distance x₂ − x₁ between the packets', { step: 1 }),
  f('tEnd', 't_end', 'fs', 'number', 'time', 'last output time', { step: 1 }),
  f('dt', 'Δt', 'fs', 'number', 'time', 'output interval', { step: 0.1 }),
];

export const FIELD_GROUPS: readonly { id: FieldSpec['group']; title: string }[] = [
  { id: 'system', title: 'Ring and chain' },
  { id: 'couplings', title: 'Couplings' },
  { id: 'beyond', title: 'Beyond the paper' },
  { id: 'electrons', title: 'Electrons' },
  { id: 'packets', title: 'Wave packets' },
  { id: 'time', title: 'Time' },
];
