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

  it('warns for a leading packet past the chain, naming the keys', () => {
    // x2 = 120: 9 sites beyond the chain region [88, 111], 168 sites before it round the ring.
    const lead = warn({ x2: 120 });
    expect(lead.some((s) => s.includes('leading packet φ2') && s.includes('past the chain') && s.includes('x2 (or spinStart)'))).toBe(true);
  });

  it('follows the trailing packet along its path: d behind the leading one, not past the chain', () => {
    // Issue 18's case: the chain region is [20, 103]; φ2 at 10 reaches it after 10 sites, and φ1 at x2 - d = 0 is
    // 10 sites behind φ2 on the same path (after 20 sites), though 17 sites from the region's far edge (103 → 120 → 0).
    const long = { N: 120, L: 64, spinStart: 30, x2: 10, d: 10, sigma: 2 };
    expect(warn(long)).toEqual([]);
    // The same geometry 10 sites further on the ring: the same (empty) warnings, and the same run.
    const shifted = { ...long, spinStart: 40, x2: 20 };
    expect(warn(shifted)).toEqual([]);
    // With the default sigma = 5 the packets overlap at d = 10, which is said; nothing else is.
    expect(warn({ ...long, sigma: 5 })).toEqual([expect.stringContaining('the two packets overlap at t = 0')]);
    expect(warn({ ...shifted, sigma: 5 })).toEqual(warn({ ...long, sigma: 5 }));
    // N = 60, T-, d = 20: φ1 at site 47 is 5 sites beyond the region [17, 42] but 20 sites behind φ2 (at 7) on its path.
    expect(warn({ N: 60, L: 6, state: 'T-', d: 20 }).some((s) => s.includes('past the chain'))).toBe(false);
  });

  it('still warns when going back d from the leading packet leads into the chain or round ahead of it', () => {
    // d = 40 from x2 = 10 lands at site 90: inside the region [20, 103].
    expect(warn({ N: 120, L: 64, spinStart: 30, x2: 10, d: 40, sigma: 2 })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the trailing packet φ1 starts at x2 - d = -30, which is site 90 on the ring \(N = 120\): inside the chain region/)]),
    );
    // d = 115 from x2 = 10 lands at site 15: round past the chain, ahead of φ2.
    expect(warn({ N: 120, L: 64, spinStart: 30, x2: 10, d: 115, sigma: 2 }).some((s) => s.includes('reaches the chain before the leading packet'))).toBe(true);
  });

  it('counts a whole round for a packet on the chain region\'s first site before it comes into the chain again', () => {
    // φ2 at 20 = the region's first site: inside, and back in the chain after 120 sites (94 fs), not at t = 0.
    const w = warn({ N: 120, L: 64, spinStart: 30, x2: 20, d: 20 });
    expect(w.some((s) => s.includes('leading packet φ2 starts at site 20') && s.includes('inside the chain region'))).toBe(true);
    expect(w.some((s) => s.includes('into the chain again'))).toBe(false);
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
