// The sweep grid: lists and ranges, product and zip order, and refusals that
// name the point, the key, the value and the allowed range.
import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../src/backends/backend.js';
import { ConfigError } from '../../src/model/config.js';
import { checkGrid, gridParams, parseGridArgument, parseRange, parseSweepFile, sweepPoints } from '../../src/sweeps/grid.js';
import { planSweep, shardPoints } from '../../src/sweeps/run-sweep.js';

const TINY = { N: 12, L: 2, x2: 3, d: 3, sigma: 1.5, tEnd: 2, dt: 0.5 };

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('grid values', () => {
  it('reads lists of numbers and of names', () => {
    expect(parseGridArgument('Jsd=0.1,0.2,0.3')).toEqual({ key: 'Jsd', values: [0.1, 0.2, 0.3] });
    expect(parseGridArgument('state=singlet,T0,T-')).toEqual({ key: 'state', values: ['singlet', 'T0', 'T-'] });
  });

  it('a:b:n gives n evenly spaced values, both ends included (n = 1: a)', () => {
    const v = parseRange('Jsd', '0.05:0.5:10');
    expect(v).toHaveLength(10);
    expect(v[0]).toBe(0.05);
    expect(v[9]).toBe(0.5);
    for (let k = 1; k < 10; k++) expect(v[k] - v[k - 1]).toBeCloseTo(0.05, 12);
    expect(parseRange('d', '10:60:6')).toEqual([10, 20, 30, 40, 50, 60]);
    expect(parseRange('d', '7:9:1')).toEqual([7]);
    // No rounding noise in the values between the ends (they name points and files).
    expect(parseRange('Jsd', '0.3:0.9:3')).toEqual([0.3, 0.6, 0.9]);
    expect(parseRange('theta', '-0.3:0.3:3')).toEqual([-0.3, 0, 0.3]);
    expect(parseRange('ke', '0.1:0.7:7')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('refuses a range whose n is not an integer >= 1, or whose ends are not numbers, naming the key and the value', () => {
    for (const bad of ['0:1:0', '0:1:1.5', '0:1:-2', '0:1:x', '0:1', 'a:1:3', '0:1:3:4']) {
      const e = refusal(() => parseGridArgument(`Jsd=${bad}`));
      expect(e.key).toBe('Jsd');
      expect(e.value).toBe(bad);
      expect(e.message).toMatch(/integer >= 1/);
    }
  });

  it('string keys take lists only', () => {
    const e = refusal(() => parseGridArgument('state=0:1:3'));
    expect(e.key).toBe('state');
    expect(e.message).toMatch(/list/);
  });

  it('refuses unknown keys, empty items and non-numbers for numeric keys', () => {
    expect(refusal(() => parseGridArgument('Jsdd=1,2')).key).toBe('Jsdd');
    expect(refusal(() => parseGridArgument('Jsd=1,,2')).key).toBe('Jsd');
    expect(refusal(() => parseGridArgument('Jsd=1,abc')).value).toBe('abc');
    expect(refusal(() => parseGridArgument('noequals')).message).toMatch(/KEY=VALUES/);
  });
});

describe('points', () => {
  it('the product varies the first key slowest; zip reads the lists side by side', () => {
    const grid = { Jsd: [0.1, 0.2], state: ['singlet', 'T0', 'T-'] };
    expect(gridParams(grid).map((p) => `${p.Jsd}/${p.state}`)).toEqual([
      '0.1/singlet', '0.1/T0', '0.1/T-', '0.2/singlet', '0.2/T0', '0.2/T-',
    ]);
    expect(gridParams({ Jsd: [0.1, 0.2], d: [3, 4] }, 'zip')).toEqual([{ Jsd: 0.1, d: 3 }, { Jsd: 0.2, d: 4 }]);
  });

  it('zip needs lists of one length', () => {
    const e = refusal(() => checkGrid({ Jsd: [0.1, 0.2], d: [3, 4, 5] }, 'zip'));
    expect(e.key).toBe('d');
    expect(e.message).toMatch(/2 values/);
  });

  it('names every point file-safely, in index order, and fills each config from the base', () => {
    const points = sweepPoints({ base: TINY, grid: { Jsd: [0.1, 0.2], state: ['singlet', 'T+'] } });
    expect(points.map((p) => p.name)).toEqual(['0-Jsd=0.1-state=singlet', '1-Jsd=0.1-state=T+', '2-Jsd=0.2-state=singlet', '3-Jsd=0.2-state=T+']);
    expect(points[3].config).toMatchObject({ ...TINY, Jsd: 0.2, state: 'T+' });
  });

  it('refuses a bad point before anything runs, naming the point, the key, the value and the allowed range', () => {
    const e = refusal(() => sweepPoints({ base: TINY, grid: { sigma: [1, -1] } }));
    expect(e.key).toBe('sigma');
    expect(e.value).toBe(-1);
    expect(e.message).toMatch(/^point 1 \(sigma=-1\): .*"sigma" = -1 is not allowed; allowed: number > 0/);
    // Valid keys whose combination cannot run: a triplet from coinciding packets.
    const t = refusal(() => sweepPoints({ base: { ...TINY, state: 'T0' }, grid: { d: [3, 0] } }));
    expect(t.message).toMatch(/^point 1 \(d=0\)/);
    expect(t.key).toBe('d');
    // L beyond N.
    expect(refusal(() => sweepPoints({ base: TINY, grid: { L: [2, 13] } })).message).toMatch(/^point 1 \(L=13\).*allowed: integer 1 … 12/);
  });

  it('refuses a point whose state does not fit in memory, naming it, before anything runs', () => {
    expect(() => planSweep({ base: TINY, grid: { N: [12, 200000] } })).toThrow(ResourceError);
    expect(() => planSweep({ base: TINY, grid: { N: [12, 200000] } })).toThrow(/^point 1 \(N=200000\): the state does not fit in memory/);
  });

  it('shards split the points by index mod N and together cover each point once', () => {
    const plan = planSweep({ base: TINY, grid: { Jsd: parseRange('Jsd', '0.1:0.7:7') } });
    const shards = [0, 1, 2].map((index) => shardPoints(plan.points, { index, count: 3 }).map((p) => p.index));
    expect(shards).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
    expect(() => shardPoints(plan.points, { index: 3, count: 3 })).toThrow(/I\/N/);
  });

  it('the sweep id follows what the points compute, not how the base is written', () => {
    const a = planSweep({ base: {}, grid: { Jsd: [0.1, 0.2] } });
    const b = planSweep({ base: { N: 200, L: 4 }, grid: { Jsd: [0.1, 0.2] } });
    const c = planSweep({ base: { N: 200, L: 4, ke: 1.1 }, grid: { Jsd: [0.1, 0.2] } });
    expect(a.id).toBe(b.id);
    expect(c.id).not.toBe(a.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a point may carry derived keys: they override base and grid, change the id, and a sweep file holds them', () => {
    const derived = [{ tEnd: 1 }, { tEnd: 1.5, singleSpin: 'down' as const }];
    const plan = planSweep({ base: TINY, grid: { L: [1, 2] }, derived });
    expect(plan.points.map((p) => [p.config.L, p.config.tEnd, p.config.singleSpin])).toEqual([[1, 1, 'down'], [2, 1.5, 'down']]);
    expect(plan.points[0].params).toEqual({ L: 1 });
    expect(plan.id).not.toBe(planSweep({ base: TINY, grid: { L: [1, 2] } }).id);
    const file = parseSweepFile({ base: TINY, grid: { L: [1, 2] }, derived, study: 'length', kind: 'spin-transfer sweep file' });
    expect(planSweep(file).id).toBe(plan.id);
    expect(refusal(() => parseSweepFile({ base: TINY, grid: { L: [1, 2] }, derived: [{ tEnd: 1 }] })).key).toBe('derived');
    expect(refusal(() => parseSweepFile({ base: TINY, grid: { L: [1, 2] }, derived: [{ tEnd: 1 }, { foo: 1 }] })).key).toBe('foo');
    // A derived value out of range is refused naming the point and the key.
    const bad = refusal(() => sweepPoints({ base: TINY, grid: { L: [1, 2] }, derived: [{ tEnd: 1 }, { tEnd: -1 }] }));
    expect(bad.key).toBe('tEnd');
    expect(bad.message).toMatch(/^point 1 \(L=2\): /);
  });
});
