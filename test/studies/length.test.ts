/**
 * The chain-length study: where it puts the chain and the packets, when it
 * stops (after the trailing packet has left the chain, before the leading
 * one comes round the ring into it), what it refuses, and that its numbers
 * are the runs it is made of, in either basis.
 */

import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunConfig } from '../../src/model/config.js';
import { chainIntervals, groupVelocity } from '../../src/model/observables.js';
import { simulate } from '../../src/simulate.js';
import { lengthGeometry } from '../../src/studies/length.js';
import { runStudy, studyCsvFiles, studyFigureSvg } from '../../src/studies/index.js';

const BASE = { N: 40, sigma: 2, d: 8 };

describe('length study geometry', () => {
  it('at the paper defaults: the chain centred, the leading packet 20 sites before it, tEnd when the pair has crossed', () => {
    const base = parseRunConfig({});
    for (const L of [2, 4, 16, 64]) {
      const g = lengthGeometry(base, L);
      expect(g.spinStart).toBe(100 - Math.floor(L / 2));
      expect(g.x2).toBe(g.spinStart - 20);
      // tEnd on the output grid, at the end of the trailing packet's packet-in-chain interval.
      const intervals = chainIntervals(parseRunConfig({ L, spinStart: g.spinStart, x2: g.x2, tEnd: g.tEnd, basis: 'sector' }));
      const trailingLeaves = Math.max(...intervals.map((i) => i[1]));
      expect(g.tLeave).toBeCloseTo(trailingLeaves, 9);
      expect(g.tEnd).toBeGreaterThanOrEqual(g.tLeave);
      expect(g.tEnd - g.tLeave).toBeLessThan(base.dt);
      expect(Number.isInteger(g.tEnd / base.dt)).toBe(true);
      // The leading packet has not come round the ring into the chain region.
      expect(g.x2 + groupVelocity(base) * g.tEnd).toBeLessThan(g.spinStart - 2 * base.sigma + base.N);
    }
  });

  it('refuses a ring too short for the chain and both packets, naming what to change', () => {
    const base = parseRunConfig({ N: 60 });
    expect(() => lengthGeometry(base, 40)).toThrow(ConfigError);
    try {
      lengthGeometry(base, 40);
    } catch (e) {
      expect((e as ConfigError).key).toBe('N');
      expect((e as Error).message).toMatch(/increase N or reduce d or L/);
    }
  });

  it('checks a tEnd given in the base config instead of choosing one', () => {
    const base = parseRunConfig(BASE);
    const g = lengthGeometry(base, 4);
    expect(lengthGeometry(base, 4, g.tLeave + 1).tEnd).toBe(g.tLeave + 1);
    expect(() => lengthGeometry(base, 4, g.tLeave - 1)).toThrow(/tEnd/);
    expect(() => lengthGeometry(base, 4, g.tReturn + 1)).toThrow(/comes round into it again/);
  });

  it('refuses packets that do not move towards the chain', () => {
    expect(() => lengthGeometry(parseRunConfig({ ke: 0 }), 4)).toThrow(/group velocity/);
  });
});

describe('length study runs', () => {
  it('is the runs it is made of, the same in both bases, and exports', async () => {
    const full = await runStudy('length', { ...BASE, basis: 'full' }, { backend: 'cpu', threads: 1, L: [1, 3] });
    const sector = await runStudy('length', { ...BASE, basis: 'sector' }, { backend: 'cpu', threads: 1, L: [1, 3] });
    expect(full.L).toEqual([1, 3]);
    for (const state of ['singlet', 'T0', 'T-', 'single'] as const) {
      full.final[state].forEach((v, i) => expect(Math.abs(v - sector.final[state][i])).toBeLessThan(1e-10));
    }
    const g = full.geometry[1];
    const direct = await simulate({ ...BASE, L: 3, spinStart: g.spinStart, x2: g.x2, tEnd: g.tEnd, state: 'T-', basis: 'full' }, { backend: 'cpu', threads: 1 });
    expect(full.final['T-'][1]).toBe(direct.deltaSigmaZ.at(-1));
    // Spin moves, and T- moves more than one spin-down electron.
    expect(full.final['T-'][1]).toBeGreaterThan(full.final.single[1]);
    expect(studyCsvFiles(full)[0].text.split('\n')[0]).toBe('L,final_deltaSigmaZ_singlet,final_deltaSigmaZ_T0,final_deltaSigmaZ_T-,final_deltaSigmaZ_single_down,tEnd_fs,spinStart,x2');
    expect(studyFigureSvg(full)).toContain('<svg');
  });

  it('refuses a long chain in the full basis before any run, pointing at the sector', async () => {
    await expect(runStudy('length', { N: 200, basis: 'full' }, { backend: 'cpu', L: [4, 32] })).rejects.toThrow(/"basis": "sector" or "auto" has no such limit/);
  });
});
