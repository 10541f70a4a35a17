/**
 * Which basis a run uses: the one place that turns the config key `basis`
 * ("auto", or a basis by name) into the basis the state is stored in.
 *
 * "auto" takes the first basis in the backend's own list (`bases`, fastest
 * first) that can hold the config's state. A basis that holds fewer
 * amplitudes for the same results is listed earlier by the backend; whether
 * it can hold a given state is basisHolds' question, asked per basis, so a
 * new basis (one that holds only some states) joins "auto" by being listed
 * by a backend and answering here.
 */

import { ConfigError, extendedKeysSet, type Basis, type BasisSetting, type RunConfig } from './config.js';
import { fullLayoutTooLarge } from './layout.js';

/** What a run of `basis` would be told about this state: undefined when the basis holds it, else why not. */
export function basisCannotHold(basis: Basis, config: BasisQuestion): string | undefined {
  // Local spins S > 1/2 (localSpin): the sector counts deviations per site up to 2S, and so does the full
  // basis (its mixed-radix layout, model/layout.ts); the antisymmetric basis's tables hold two states per local spin.
  const S = config.localSpin ?? 0.5;
  switch (basis) {
    case 'full':
      return fullLayoutTooLarge(config.L, 2 * S);
    case 'sector':
      // Every initial state starts from the all-up chain with a definite electron S_z (model/sector.ts).
      return undefined;
    case 'antisymmetric':
      // It halves two electrons' states; one electron has no exchange partner and would run the sector's layout under this name.
      if (config.state === 'single') return 'one electron has no exchange partner (the sector holds it)';
      if (S !== 0.5) return `its tables hold local spins S = 1/2 only (localSpin = ${S}; the sector and the full basis run 0.5 … 3.5)`;
      return undefined;
  }
}

/** What basisCannotHold reads of a config. */
export type BasisQuestion = Pick<RunConfig, 'L' | 'state'> & Partial<Pick<RunConfig, 'localSpin' | 'entanglement'>>;

export interface BasisChoice {
  /** The basis the state is stored in. */
  basis: Basis;
  /** One line for people: "requested", or why "auto" took it. */
  reason: string;
}

/** Every basis the engine has, fastest first: the list "auto" falls back to where no backend is known yet. */
export const BASES_FASTEST_FIRST: readonly Basis[] = ['antisymmetric', 'sector', 'full'];

/** Bases a backend runs, in its own order (fastest first); a backend without the list runs "full" only. */
export function backendBases(backend: { readonly bases?: readonly Basis[] }): readonly Basis[] {
  return backend.bases ?? ['full'];
}

/** The list of bases named for people: `"sector" or "full"`. */
export function namesOf(bases: readonly string[]): string {
  const quoted = bases.map((b) => `"${b}"`);
  return quoted.length <= 1 ? (quoted[0] ?? 'none') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** What resolveBasis reads of a backend: its name, its bases, and where it runs the keys beyond the paper. */
export interface BasisBackend {
  readonly name: string;
  readonly bases?: readonly Basis[];
  /** The bases in which it runs the keys beyond the paper (config.ts EXTENDED_KEYS); absent: every basis it runs. */
  readonly extendedTermsBases?: readonly Basis[];
}

/** Why `backend` does not run this config's keys beyond the paper in `basis`; undefined when it does (or none is set). */
function termsNotRunIn(backend: BasisBackend, basis: Basis, config: BasisQuestion): string | undefined {
  const only = backend.extendedTermsBases;
  if (!only || only.includes(basis)) return undefined;
  const keys = extendedKeysSet(config as Partial<RunConfig>);
  if (keys.length === 0) return undefined;
  return `backend ${backend.name} runs ${keys.join(', ')} in ${namesOf(only)} only`;
}

/**
 * The basis a run of `config` uses on `backend`. "auto" takes the backend's
 * first basis that holds the state; `resumed` (the basis of a checkpoint the
 * run continues) is taken instead when the backend runs it, so that "auto"
 * continues a checkpoint in its own basis. A basis named in the config is
 * returned as it is (the backend refuses it, naming what it runs, if it does
 * not run it: backends/backend.ts, assertRunsBasis). Throws a ConfigError
 * naming the bases tried when none holds the state.
 */
export function resolveBasis(
  config: BasisQuestion & { basis: BasisSetting },
  backend: BasisBackend,
  resumed?: Basis,
): BasisChoice {
  if (config.basis !== 'auto') return { basis: config.basis, reason: 'requested' };
  const bases = backendBases(backend);
  if (resumed !== undefined && bases.includes(resumed)) {
    return { basis: resumed, reason: `auto: the basis of the checkpoint this run continues` };
  }
  const passed: string[] = [];
  for (const basis of bases) {
    const why = basisCannotHold(basis, config) ?? termsNotRunIn(backend, basis, config);
    if (why === undefined) {
      const first = passed.length === 0;
      const faster = first ? '' : ` (passed over: ${passed.join('; ')})`;
      return {
        basis,
        reason: bases.length === 1
          ? `auto: the only basis backend ${backend.name} runs`
          : `auto: the ${first ? 'fastest' : 'fastest usable'} of the bases backend ${backend.name} runs (${namesOf(bases)}, fastest first)${faster}`,
      };
    }
    passed.push(`"${basis}": ${why}`);
  }
  throw new ConfigError(
    'basis', 'auto', `${namesOf(bases)} on backend ${backend.name}, where they hold the state`,
    `no basis backend ${backend.name} runs holds this state: ${passed.join('; ')}`,
  );
}

/**
 * The basis "auto" would take on a backend not chosen yet (memory and time
 * estimates made before a run): the fastest basis of the engine that holds
 * the state. Every backend that runs it takes the same; one that does not
 * (gpu.js runs "full" only) is planned again when it is chosen.
 */
export function presumedBasis(config: BasisQuestion & { basis: BasisSetting }): Basis {
  if (config.basis !== 'auto') return config.basis;
  return resolveBasis(config, { name: 'any', bases: BASES_FASTEST_FIRST }).basis;
}

/** The config with its basis as `presumedBasis` gives it: what estimates made before the backend is known use. */
export function withPresumedBasis<C extends BasisQuestion & { basis: BasisSetting }>(config: C): C & { basis: Basis } {
  return { ...config, basis: presumedBasis(config) };
}

/**
 * The config with "auto" read as `whenAuto`: for callers that drive the
 * model and a backend themselves (tests, benchmarks) and know which basis
 * they mean. A basis named in the config is kept.
 */
export function resolvedConfig<C extends { basis: BasisSetting }>(config: C, whenAuto: Basis): Omit<C, 'basis'> & { basis: Basis } {
  return { ...config, basis: config.basis === 'auto' ? whenAuto : config.basis };
}
