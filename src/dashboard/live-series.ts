/**
 * Partial results while a single run goes: the backend is wrapped so that
 * every reduction it returns is kept, and the kept ones are assembled into
 * the result shape of INTERFACE.md (model/result.ts) for the charts. The
 * physics is untouched: the wrapper only watches what runPropagation gets.
 */

import type { PropagationBackend } from '../backends/backend.js';
import { outputTimes, type ResolvedRunConfig } from '../model/config.js';
import type { EntanglementSeries } from '../model/entanglement.js';
import { layoutForConfig } from '../model/layout.js';
import type { StateReduction } from '../model/observables.js';
import { assembleResult, type SimulationResult } from '../model/result.js';

export interface WatchedBackend {
  backend: PropagationBackend;
  /** The series of every output time reached so far, with the entanglement observables recorded so far (simulate's onEntanglement). */
  partial(seconds: number, entanglement?: Readonly<EntanglementSeries>): SimulationResult;
}

/**
 * The entanglement series of the first `n` output times, copied (the run
 * keeps filling its own object): the chain entropy at the times up to t[n − 1].
 */
export function entanglementUpTo(s: Readonly<EntanglementSeries>, t: ArrayLike<number>, n: number): EntanglementSeries {
  const tLast = n > 0 ? t[n - 1] : -Infinity;
  const m = s.chainEntropyTimes.filter((x) => x <= tLast + 1e-9).length;
  const out: EntanglementSeries = {
    ...(s.concurrence ? { concurrence: s.concurrence.slice(0, n) } : {}),
    chainEntropy: s.chainEntropy.slice(0, m),
    chainEntropyTimes: s.chainEntropyTimes.slice(0, m),
    szCorrelations: s.szCorrelations.slice(0, n),
  };
  if (s.note !== undefined) out.note = s.note;
  return out;
}

/** `config` in the basis the run resolves to on `inner` (model/basis.ts), as the result will record it. */
export function watchReductions(config: ResolvedRunConfig, inner: PropagationBackend): WatchedBackend {
  const kept: StateReduction[] = [];
  const t = outputTimes(config);
  const keep = (rs: StateReduction[]) => {
    kept.push(...rs);
    return rs;
  };
  // Every member the wrapper does not watch is the inner backend's own, so whatever a backend offers
  // (its bases, extendedTerms, loadProduct, advanceSeveral, phaseTiming, readStateChunks, …) reaches
  // runPropagation as if unwrapped: a copied list of members would silently drop the next one added.
  const watched: Partial<PropagationBackend> = {
    load: (problem, psi) => {
      kept.length = 0;
      return inner.load(problem, psi);
    },
    reduce: async () => keep([await inner.reduce()])[0],
    advance: async (series) => keep(await inner.advance(series)),
    ...(inner.loadProduct ? {
      loadProduct: (problem, state) => {
        kept.length = 0;
        return inner.loadProduct!(problem, state);
      },
    } : {}),
    ...(inner.advanceSeveral ? { advanceSeveral: async (series, count) => keep(await inner.advanceSeveral!(series, count)) } : {}),
  };
  const backend = new Proxy(inner, {
    get(target, key) {
      if (Object.prototype.hasOwnProperty.call(watched, key)) return watched[key as keyof PropagationBackend];
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    backend,
    partial: (seconds, entanglement) =>
      assembleResult(
        config, layoutForConfig(config).dim, inner, t.subarray(0, kept.length), kept, { seconds, matvecs: 0 },
        entanglement && entanglementUpTo(entanglement, t, kept.length),
      ),
  };
}
