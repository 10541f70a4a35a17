/**
 * The initial state in product form (initialProductState), which a device
 * backend expands where it keeps the state: its normalized sum is the state
 * initialState gives, in every state and both bases, and its norm comes from
 * the packets alone; a vanishing state is refused as initialState refuses it.
 */

import { describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../../src/model/config.js';
import { engineConfig } from '../helpers/engine-config.js';
import { expandProductTerms, initialProductState, initialState, productNormSquared, stateNormSquared } from '../../src/model/initial-state.js';
import { layoutForConfig } from '../../src/model/layout.js';
import { expectClose } from '../helpers/expect-close.js';

const BASE: RunConfigInput = { N: 12, L: 3, spinStart: 5, x2: 6, d: 3, sigma: 1.5, ke: 0.7 };
const STATES: RunConfigInput[] = [
  { state: 'singlet' }, { state: 'T0' }, { state: 'T+' }, { state: 'T-' }, { state: 'theta', theta: 1.1 }, { state: 'theta', theta: 2.9 },
  { state: 'single' }, { state: 'single', singleSpin: 'up' },
];

describe('initialProductState', () => {
  for (const basis of ['full', 'sector'] as const) {
    it.each(STATES)(`${basis}: %o expands to initialState, normalized by the packets alone`, (input) => {
      const config = engineConfig({ ...BASE, ...input, basis });
      const { terms, scale } = initialProductState(config);
      expect(terms.length).toBeGreaterThan(0);
      expect(terms.length).toBeLessThanOrEqual(4);
      const expanded = expandProductTerms(layoutForConfig(config), terms);
      expect(productNormSquared(terms)).toBeCloseTo(stateNormSquared(expanded), 14);
      const psi = expanded.map((v) => v * scale);
      expectClose(Array.from(psi), Array.from(initialState(config)), { abs: 1e-15, label: 'amplitudes' });
    });
  }

  it('refuses a vanishing state (T0 with d = 0) as initialState does', () => {
    const config = engineConfig({ ...BASE, state: 'T0', d: 0 });
    expect(() => initialState(config)).toThrow(/vanishes/);
    expect(() => initialProductState(config)).toThrow(/vanishes/);
  });
});
