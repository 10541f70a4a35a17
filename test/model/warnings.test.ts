import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfigInput } from '../../src/model/config.js';
import { OVERLAP_THRESHOLD, packetOverlap, runWarnings } from '../../src/model/warnings.js';
import { simulate } from '../../src/simulate.js';

const warn = (input: RunConfigInput) => runWarnings(parseRunConfig(input));

describe('runWarnings', () => {
  it.each([
    ['the paper defaults', {}],
    ['T0', { state: 'T0' }],
    ['T-', { state: 'T-' }],
    ['theta', { state: 'theta', theta: 1 }],
    ['one electron', { state: 'single' }],
    ['fig2b at d = 60', { d: 60 }],
  ] as [string, RunConfigInput][])('says nothing for %s', (_, input) => {
    expect(warn(input)).toEqual([]);
  });

  it("warns for the issue's case: N = 60, L = 6, T-: the trailing packet starts at site 37, in the chain region", () => {
    const w = warn({ N: 60, L: 6, state: 'T-' });
    // Also: on a ring of 60 sites both packets are back in the chain before 80 fs.
    expect(w).toHaveLength(3);
    expect(w[0]).toContain('trailing packet φ1');
    expect(w[0]).toContain('x2 - d = -23, which is site 37 on the ring (N = 60)');
    expect(w[0]).toContain('sites 27-32');
    expect(w[0]).toMatch(/change x2 or d/);
  });

  it('warns for a packet past the chain, naming the keys', () => {
    // x1 = 7 - 20 = -13 is site 47: past the chain region [17, 42], 5 sites behind it.
    const w = warn({ N: 60, L: 6, state: 'T-', d: 20 });
    expect(w.some((s) => s.includes('trailing packet φ1') && s.includes('past the chain') && s.includes('x2 or d'))).toBe(true);
    const lead = warn({ x2: 120 });
    expect(lead.some((s) => s.includes('leading packet φ2') && s.includes('past the chain') && s.includes('x2 (or spinStart)'))).toBe(true);
  });

  it('warns for a packet starting inside the chain region', () => {
    const w = warn({ x2: 98 });
    expect(w.some((s) => s.includes('leading packet φ2 starts at site 98') && s.includes('inside the chain region'))).toBe(true);
  });

  it('follows the direction of motion: with ke < 0 the packets move to -x', () => {
    // One electron to the right of the chain, moving left.
    expect(warn({ ke: -1, x2: 125, state: 'single' })).toEqual([]);
    expect(warn({ ke: 1, x2: 125, state: 'single' }).some((s) => s.includes('past the chain'))).toBe(true);
    expect(warn({ ke: -1 }).some((s) => s.includes('past the chain'))).toBe(true);
  });

  it('warns when the trailing packet wraps round ahead of the leading one', () => {
    const w = warn({ N: 100, L: 4, x2: 10, d: 80, sigma: 3, tEnd: 20 });
    expect(w.some((s) => s.includes('reaches the chain before the leading packet') && s.includes('lower d or raise N'))).toBe(true);
  });

  it('warns when the packets overlap at t = 0 beyond the threshold', () => {
    const config = parseRunConfig({ d: 10 });
    expect(packetOverlap(config)).toBeCloseTo(Math.exp(-(10 ** 2) / (4 * 25)), 6);
    expect(runWarnings(config).some((s) => s.includes('overlap at t = 0') && s.includes(`> ${OVERLAP_THRESHOLD}`) && s.includes('raise d'))).toBe(true);
    expect(warn({ d: 20 }).some((s) => s.includes('overlap'))).toBe(false);
    expect(warn({ state: 'single', d: 0 }).some((s) => s.includes('overlap'))).toBe(false);
  });

  it('warns when a packet comes round the ring into the chain again before tEnd', () => {
    // v = 1.278 sites/fs: the leading packet enters after 10 sites and is back after 210, at 164 fs.
    expect(warn({ tEnd: 160 }).some((s) => s.includes('again'))).toBe(false);
    const w = warn({ tEnd: 170 });
    expect(w.some((s) => s.includes('leading packet φ2 comes round the ring into the chain again at t ≈ 164.3 fs') && s.includes('lower tEnd or raise N'))).toBe(true);
  });

  it('warns for a packet too narrow or too wide for the ring', () => {
    expect(warn({ sigma: 0.5 }).some((s) => s.includes('sigma = 0.5 is below 1') && s.includes('raise sigma'))).toBe(true);
    expect(warn({ N: 40, L: 2, sigma: 4, x2: 0, d: 20, tEnd: 5 }).some((s) => s.includes('too wide'))).toBe(true);
    expect(warn({ N: 40, L: 2, sigma: 3, x2: 0, d: 20, tEnd: 5 }).some((s) => s.includes('too wide'))).toBe(false);
  });

  it('warns when the packets do not move', () => {
    expect(warn({ ke: 0 }).some((s) => s.includes('do not move') && s.includes('ke'))).toBe(true);
    expect(warn({ th: 0 }).some((s) => s.includes('do not move'))).toBe(true);
  });
});

describe('the result carries the warnings', () => {
  it('as a list of strings, empty when there is nothing to say', async () => {
    const small = { N: 30, L: 2, spinStart: 20, x2: 14, d: 6, sigma: 1, tEnd: 1, dt: 0.5 };
    const quiet = await simulate(small, { backend: 'cpu' });
    expect(quiet.warnings).toEqual([]);
    const odd = await simulate({ ...small, x2: 20 }, { backend: 'cpu' });
    expect(odd.warnings.length).toBeGreaterThan(0);
    expect(odd.warnings[0]).toContain('inside the chain region');
  });
});

describe('the CLI prints the warnings on standard error', () => {
  async function run(config: object, flags: string[]): Promise<{ code: number; err: string; out: string }> {
    const { EventEmitter } = await import('node:events');
    const { Readable, Writable } = await import('node:stream');
    const { main } = await import('../../src/cli/main.js');
    let err = '', out = '';
    const code = await main(['run', '-', ...flags], {
      stdin: Readable.from([JSON.stringify(config)]),
      stdout: new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }),
      stderr: new Writable({ write: (c, _e, done) => ((err += String(c)), done()) }),
      signals: new EventEmitter(),
    });
    return { code, err, out };
  }
  const odd = { N: 30, L: 2, spinStart: 20, x2: 20, d: 6, sigma: 1, tEnd: 1, dt: 0.5 };

  it('one line "warning: …" each, and in the result', async () => {
    const { code, err, out } = await run(odd, []);
    expect(code).toBe(0);
    expect(err).toMatch(/^warning: the leading packet φ2 starts at site 20: inside the chain region/m);
    expect(JSON.parse(out).warnings[0]).toContain('inside the chain region');
  });

  it('none under --quiet, but still in the result', async () => {
    const { code, err, out } = await run(odd, ['-q']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out).warnings.length).toBeGreaterThan(0);
  });
});
