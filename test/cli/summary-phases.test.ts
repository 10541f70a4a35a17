/** The CLI summary names a WebGPU run's device phases (result timing.phases), and nothing for a run without them. */

import { expect, it } from 'vitest';
import { summarize } from '../../src/cli/summary.js';
import type { SimulationResult } from '../../src/model/result.js';

const result = (phases?: SimulationResult['timing']['phases']) =>
  ({
    t: [0, 1], deltaSigmaZ: [0, 0.1], norm: [1, 1], energy: [0.5, 0.5],
    timing: { seconds: 2, matvecs: 30, ...(phases ? { phases } : {}) },
  }) as unknown as SimulationResult;

it('prints the terms, reductions and transfers with their source', () => {
  const text = summarize(result({ terms: 1.25, reductions: 0.125, transfers: 0.5, source: 'timestamp-query' }), 3, 'out.json');
  expect(text).toContain('device phases (timestamp-query): terms 1.25 s, reductions 0.13 s, host transfers 0.50 s');
});

it('prints no phase line for a backend without them', () => {
  expect(summarize(result(), 3, 'out.json')).not.toContain('device phases');
});
