/**
 * From results to ChartSpecs: which charts a run, a study (per preset) or a
 * study still running shows, with axes in the units of INTERFACE.md. Pure
 * functions of the data, so the CSV export writes exactly what is drawn.
 */

import { outputTimes, type RunConfig } from '../model/config.js';
import { chainIntervals } from '../model/observables.js';
import type { SimulationResult } from '../model/result.js';
import type { StudyResult } from '../studies/study-result.js';
import { colorAt, type ChartSpec, type SeriesSpec } from './chart-spec.js';
import type { SpaceTimeData } from './space-time-map.js';
import type { StudyRunOutcome } from './protocol.js';

const T_AXIS = 'time t (fs)';
const DSZ_AXIS = 'Δσ_z';
const PROB_KEYS = ['S', 'T0', 'T+', 'T-'] as const;
const PROB_COLORS: Record<(typeof PROB_KEYS)[number], string> = { S: '#0072b2', T0: '#d55e00', 'T+': '#009e73', 'T-': '#cc79a7' };

/** A finished run kept to overlay on the next ones. */
export interface Overlay {
  label: string;
  t: number[];
  deltaSigmaZ: number[];
}

/** Short name of a run for legends: its state and what differs from the paper's defaults that matters most. */
export function runLabel(config: RunConfig): string {
  const state = config.state === 'theta' ? `θ=${config.theta.toPrecision(3)}` : config.state === 'single' ? `single ${config.singleSpin}` : config.state;
  return `${state}, N=${config.N}, L=${config.L}, d=${config.d}`;
}

/** Series on different time grids on one x axis: the union of the grids, null where a series has no value. */
export function alignOnX(grids: { x: number[]; values: (number | null)[] }[]): { x: number[]; values: (number | null)[][] } {
  const key = (v: number) => Math.round(v * 1e9);
  const all = new Map<number, number>();
  for (const g of grids) for (const v of g.x) all.set(key(v), v);
  const x = [...all.values()].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [key(v), i]));
  return {
    x,
    values: grids.map((g) => {
      const out: (number | null)[] = new Array(x.length).fill(null);
      g.x.forEach((v, i) => (out[index.get(key(v))!] = g.values[i] ?? null));
      return out;
    }),
  };
}

/** Values of a partial series padded with null to the run's whole time grid (the axis stays put while it fills). */
function padded(values: number[], length: number): (number | null)[] {
  const out: (number | null)[] = values.slice(0, length);
  while (out.length < length) out.push(null);
  return out;
}

/**
 * Above this many local spins ⟨S_z,j⟩(t) is a heat map over (j, t), and the
 * line chart holds the chain total and the sites picked: 13 or more lines
 * and a legend of as many entries are no longer readable.
 */
export const LONG_CHAIN_L = 12;
/** Sites drawn as lines beside the heat map, at most (the legend must fit); picking one more drops the oldest. */
export const MAX_PICKED_SITES = 8;

/** The picked sites after picking `j`: added at the end (the oldest dropped past MAX_PICKED_SITES), or as they were if already there. */
export function withPicked(picked: readonly number[], j: number): number[] {
  if (picked.includes(j)) return [...picked];
  return [...picked, j].slice(-MAX_PICKED_SITES);
}

/** What a run shows: line charts, space-time maps, and the data the CSV holds beyond the charts. */
export interface RunView {
  charts: ChartSpec[];
  maps: SpaceTimeData[];
  /** Written to the CSV with the charts but not drawn (⟨S_z,j⟩ of every site when the map shows them). */
  csvOnly: ChartSpec[];
}

/** The run's charts and maps; `picked` are the local spins (j) drawn as lines when the chain is long. */
export function runView(r: SimulationResult, overlays: readonly Overlay[] = [], picked: readonly number[] = []): RunView {
  const charts = runCharts(r, overlays, picked);
  const long = r.config.L > LONG_CHAIN_L;
  const szz = long ? szCorrelationsMapOf(r) : undefined;
  const szzLines = long ? szCorrelationsChart(r) : undefined;
  return {
    charts,
    maps: long ? [szMapOf(r), ...(szz ? [szz] : []), densityMapOf(r)] : [densityMapOf(r)],
    csvOnly: long ? [szSitesChart(r), ...(szzLines ? [szzLines] : [])] : [],
  };
}

const siteLabel = (r: SimulationResult, j: number) => `j=${j} (site ${r.config.spinStart + j})`;

/** ⟨S_z,j⟩(t) of every local spin as lines, and the chain total on the right axis. */
function szSitesChart(r: SimulationResult): ChartSpec {
  const t = Array.from(outputTimes(r.config));
  const n = t.length;
  return {
    id: 'sz',
    title: 'Local spins ⟨S_z,j⟩(t)',
    xLabel: T_AXIS,
    yLabel: '⟨S_z⟩ (ħ)',
    x: t,
    series: [
      ...Array.from({ length: r.config.L }, (_, j): SeriesSpec => ({ label: siteLabel(r, j), values: padded(r.SzSites.map((s) => s[j]), n), color: colorAt(j + 1) })),
      // The total is about L/2, the sites about 1/2: on one axis the sites' changes would be flat lines.
      { label: 'chain total S_z (right axis)', values: padded(r.Sz, n), color: '#000', dash: [6, 3], rightAxis: true },
    ],
    y2Label: 'chain total S_z (ħ)',
    shaded: r.chainIntervals,
  };
}

/** A long chain's line chart: the chain total, and the picked sites (on the left axis, the total then on the right). */
function szPickedChart(r: SimulationResult, picked: readonly number[]): ChartSpec {
  const t = Array.from(outputTimes(r.config));
  const n = t.length;
  const sites = picked.filter((j) => Number.isInteger(j) && j >= 0 && j < r.config.L);
  const total: SeriesSpec = { label: sites.length ? 'chain total S_z (right axis)' : 'chain total S_z', values: padded(r.Sz, n), color: '#000', dash: sites.length ? [6, 3] : undefined, rightAxis: sites.length > 0 };
  return {
    id: 'sz',
    title: sites.length ? `Chain total S_z and ${sites.length} picked site${sites.length > 1 ? 's' : ''} ⟨S_z,j⟩(t)` : 'Chain total S_z(t) — pick sites on the map to draw them here',
    xLabel: T_AXIS,
    yLabel: sites.length ? '⟨S_z⟩ (ħ)' : 'chain total S_z (ħ)',
    x: t,
    series: [...sites.map((j, i): SeriesSpec => ({ label: siteLabel(r, j), values: padded(r.SzSites.map((s) => s[j]), n), color: colorAt(i + 1) })), total],
    y2Label: sites.length ? 'chain total S_z (ħ)' : undefined,
    shaded: r.chainIntervals,
  };
}

export function runCharts(r: SimulationResult, overlays: readonly Overlay[] = [], picked: readonly number[] = []): ChartSpec[] {
  const t = Array.from(outputTimes(r.config));
  const n = t.length;
  const charts: ChartSpec[] = [];
  const aligned = alignOnX([...overlays.map((o) => ({ x: o.t, values: o.deltaSigmaZ })), { x: t, values: padded(r.deltaSigmaZ, n) }]);
  charts.push({
    id: 'dsz',
    title: 'Spin transfer Δσ_z(t) — shaded: a packet centre in the chain region',
    xLabel: T_AXIS,
    yLabel: DSZ_AXIS,
    x: aligned.x,
    series: [
      ...overlays.map((o, i): SeriesSpec => ({ label: o.label, values: aligned.values[i], color: colorAt(i + 1), lineWidth: 1.25, dash: [5, 4] })),
      { label: `${runLabel(r.config)} (${r.backend})`, values: aligned.values[overlays.length], color: colorAt(0), lineWidth: 2.25 },
    ],
    shaded: r.chainIntervals,
  });
  charts.push(r.config.L > LONG_CHAIN_L ? szPickedChart(r, picked) : szSitesChart(r));
  if (r.probabilities) {
    const p = r.probabilities;
    charts.push({
      id: 'prob',
      title: 'Spin-state probabilities of the pair',
      xLabel: T_AXIS,
      yLabel: 'probability',
      x: t,
      series: PROB_KEYS.map((k) => ({ label: `P(${k})`, values: padded(p[k], n), color: PROB_COLORS[k] })),
      shaded: r.chainIntervals,
    });
  }
  const entanglement = entanglementChart(r);
  if (entanglement) charts.push(entanglement);
  // A long chain's correlations are a map (runView), as its ⟨S_z,j⟩ are.
  const szz = r.config.L > LONG_CHAIN_L ? undefined : szCorrelationsChart(r);
  if (szz) charts.push(szz);
  return charts;
}

/** At most this many entropy values are written beside their markers (a final-time entropy is one). */
const ANNOTATED_VALUES = 3;

/**
 * The entanglement observables (model/entanglement.ts), when the result
 * holds them: the pair's concurrence (two electrons) and the chain's von
 * Neumann entropy against t, the entropy on the right axis beside the
 * concurrence (C ≤ 1, S up to L ln 2). An entropy given at some times only
 * (the final time, where one costs more than about ten H applications) is
 * markers with their values written beside them, the last in the title and
 * the result's note under it. Undefined where there is nothing to draw: no
 * observables, or a one-electron run whose final-time entropy is still to come.
 */
export function entanglementChart(r: SimulationResult): ChartSpec | undefined {
  const e = r.entanglement;
  if (!e) return undefined;
  const t = Array.from(outputTimes(r.config));
  const n = t.length;
  const at = new Map(t.map((v, k) => [Math.round(v * 1e9), k]));
  const entropy: (number | null)[] = new Array(n).fill(null);
  e.chainEntropyTimes.forEach((tk, i) => {
    const k = at.get(Math.round(tk * 1e9));
    if (k !== undefined) entropy[k] = e.chainEntropy[i] ?? null;
  });
  const given = e.chainEntropyTimes.length;
  const sparse = e.note !== undefined || given < r.t.length;
  const pair = e.concurrence !== undefined;
  if (!pair && given === 0) return undefined;
  const lastS = given ? e.chainEntropy[given - 1] : undefined;
  const value = sparse && typeof lastS === 'number' ? `; S(t = ${e.chainEntropyTimes[given - 1]} fs) = ${Number(lastS.toPrecision(6))}` : '';
  const entropySeries: SeriesSpec = {
    label: pair ? 'chain entropy S (right axis)' : 'chain entropy S',
    values: entropy,
    color: colorAt(1),
    rightAxis: pair,
    ...(sparse ? { points: true, lineWidth: 0, ...(given <= ANNOTATED_VALUES ? { annotate: 'S = ' } : {}) } : { lineWidth: 2 }),
  };
  return {
    id: 'entanglement',
    title: `${pair ? 'Entanglement: pair concurrence C(t) and chain entropy S(t)' : 'Entanglement: chain entropy S(t) (one electron: no pair concurrence)'}${value}`,
    note: e.note ?? (sparse && given > 0 ? `chain entropy at ${given} of ${r.t.length} output times` : undefined),
    xLabel: T_AXIS,
    yLabel: pair ? 'concurrence C' : 'chain entropy S (nats)',
    y2Label: pair ? 'chain entropy S (nats)' : undefined,
    // C lies in [0, 1] and S ≥ 0: the axes start at 0, and a concurrence that stays 0 reads as 0 on a 0 … 1 axis.
    yInclude: pair ? [0, 1] : [0],
    y2Include: pair ? [0] : undefined,
    x: t,
    series: [
      ...(pair ? [{ label: 'pair concurrence C', values: padded(e.concurrence!, n), color: colorAt(0), lineWidth: 2 }] : []),
      entropySeries,
    ],
    shaded: r.chainIntervals,
  };
}

const bondLabel = (r: SimulationResult, j: number) => `j=${j}–${j + 1} (sites ${r.config.spinStart + j}–${r.config.spinStart + j + 1})`;

/** ⟨S_z,j S_z,j+1⟩(t) of every neighbouring pair of local spins as lines; undefined without the entanglement observables or a bond. */
export function szCorrelationsChart(r: SimulationResult): ChartSpec | undefined {
  const e = r.entanglement;
  if (!e || r.config.L < 2) return undefined;
  const t = Array.from(outputTimes(r.config));
  const n = t.length;
  return {
    id: 'szz',
    title: 'Neighbour correlations ⟨S_z,j S_z,j+1⟩(t)',
    xLabel: T_AXIS,
    yLabel: '⟨S_z S_z⟩ (ħ²)',
    x: t,
    series: Array.from({ length: r.config.L - 1 }, (_, j): SeriesSpec => ({ label: bondLabel(r, j), values: padded(e.szCorrelations.map((row) => row[j]), n), color: colorAt(j + 1) })),
    shaded: r.chainIntervals,
  };
}

/** ⟨S_z,j S_z,j+1⟩(t) over the bonds, for a long chain: one column per bond (j, j + 1). */
export function szCorrelationsMapOf(r: SimulationResult): SpaceTimeData | undefined {
  const e = r.entanglement;
  if (!e || r.config.L < 2) return undefined;
  const { t, values } = rowsSoFar(r, e.szCorrelations);
  return {
    id: 'szz-map',
    title: `Neighbour correlations ⟨S_z,j S_z,j+1⟩(t), j = 0 … ${r.config.L - 2}`,
    t,
    values,
    columns: r.config.L - 1,
    tEnd: r.config.tEnd,
    dt: r.config.dt,
    xLabel: `bond (j, j + 1) of local spins, j (site ${r.config.spinStart} + j)`,
    x0: 0,
    valueLabel: '⟨S_z,j S_z,j+1⟩ (ħ²)',
    describeColumn: (j) => `bond j = ${j}–${j + 1} (sites ${r.config.spinStart + j}–${r.config.spinStart + j + 1})`,
  };
}

/** The rows drawn so far (a run filling in has fewer than its time grid). */
function rowsSoFar(r: SimulationResult, values: number[][]): { t: number[]; values: number[][] } {
  const rows = Math.min(r.t.length, values.length);
  return { t: r.t.slice(0, rows), values: values.slice(0, rows) };
}

/** n(x, t) over the ring, the chain marked. */
export function densityMapOf(r: SimulationResult): SpaceTimeData {
  const { t, values } = rowsSoFar(r, r.density);
  let max = 0;
  for (const row of values) for (const v of row) if (v > max) max = v;
  const { spinStart, L } = r.config;
  return {
    id: 'density',
    title: 'Electron density n(x, t)',
    t,
    values,
    columns: r.config.N,
    tEnd: r.config.tEnd,
    dt: r.config.dt,
    xLabel: 'site x (lattice spacings a)',
    x0: 0,
    valueLabel: 'n(x)',
    describeColumn: (x) => `site x = ${x}${x >= spinStart && x < spinStart + L ? ` (local spin j = ${x - spinStart})` : ''}`,
    range: [0, max || 1],
    edges: [spinStart - 0.5, spinStart + L - 0.5],
    marks: Array.from({ length: L }, (_, j) => spinStart + j),
    marksLabel: 'local spins',
  };
}

/** ⟨S_z,j⟩(t) over the chain, for a long chain: one column per local spin; a click picks it as a line. */
export function szMapOf(r: SimulationResult): SpaceTimeData {
  const { t, values } = rowsSoFar(r, r.SzSites);
  const { spinStart } = r.config;
  return {
    id: 'sz-map',
    title: `Local spins ⟨S_z,j⟩(t), j = 0 … ${r.config.L - 1}`,
    t,
    values,
    columns: r.config.L,
    tEnd: r.config.tEnd,
    dt: r.config.dt,
    xLabel: `local spin j (site ${spinStart} + j)`,
    x0: 0,
    valueLabel: '⟨S_z,j⟩ (ħ)',
    describeColumn: (j) => `j = ${j} (site ${spinStart + j})`,
    pickable: true,
  };
}

/** Which figure of the fig4 study leads: 4a (final vs θ) or 4b (θ average vs single). */
export type Fig4View = 'fig4a' | 'fig4b';

export function studyCharts(s: StudyResult, fig4First: Fig4View = 'fig4a'): ChartSpec[] {
  switch (s.study) {
    case 'fig2a':
      return [{
        id: 'fig2a',
        title: 'Fig. 2a — spin transfer Δσ_z(t) per initial state (shaded: packets in the chain)',
        xLabel: T_AXIS,
        yLabel: DSZ_AXIS,
        x: s.t,
        series: (['singlet', 'T0', 'T-', 'T+', 'single'] as const).map((k, i) => ({ label: k === 'single' ? 'single electron' : k, values: s.series[k], color: colorAt(i) })),
        shaded: s.chainIntervals,
      }];
    case 'fig2b':
      return [{
        id: 'fig2b',
        title: `Fig. 2b — final spin transfer Δσ_z(t = ${s.config.tEnd} fs) against packet distance`,
        xLabel: 'packet distance d (a)',
        yLabel: DSZ_AXIS,
        x: s.d,
        series: (['singlet', 'T0', 'T-'] as const).map((k, i) => ({ label: k, values: s.final[k], color: colorAt(i), points: true })),
      }];
    case 'fig3':
      return (['zz', 'flip', 'full'] as const).flatMap((terms) =>
        (['singlet', 'T0'] as const).map((start): ChartSpec => ({
          id: `fig3-${terms}-${start}`,
          title: `Fig. 3 — sd terms "${terms}", from ${start}`,
          xLabel: T_AXIS,
          yLabel: 'probability',
          x: s.t,
          series: PROB_KEYS.map((k) => ({ label: `P(${k})`, values: s.panels[terms][start][k], color: PROB_COLORS[k] })),
        })),
      );
    case 'fig4': {
      const a = fig4a(s), b = fig4b(s);
      return fig4First === 'fig4a' ? [a, b] : [b, a];
    }
    case 'length':
      return [{
        id: 'length',
        title: 'Chain length — Δσ_z once the pair has crossed the chain, against the number of local spins L',
        xLabel: 'local spins L',
        yLabel: DSZ_AXIS,
        x: s.L,
        series: (['singlet', 'T0', 'T-', 'single'] as const).map((k, i) => ({ label: k === 'single' ? 'single electron' : k, values: s.final[k], color: colorAt(i), points: true })),
      }];
    case 'spin':
      return [{
        id: 'spin',
        title: `Local spin S — Δσ_z at t_end against S (couplings ${s.scaling === 'classical' ? 'J_sd S, J_ex S² fixed' : 'fixed'})`,
        xLabel: 'local spin S',
        yLabel: DSZ_AXIS,
        x: s.S,
        series: (['singlet', 'T0', 'T-', 'single'] as const).map((k, i) => ({ label: k === 'single' ? 'single electron' : k, values: s.final[k], color: colorAt(i), points: true })),
      }];
  }
}

function fig4a(s: Extract<StudyResult, { study: 'fig4' }>): ChartSpec {
  const { C, D, phi0, rms } = s.fit;
  const fine = Array.from({ length: 181 }, (_, i) => (2 * Math.PI * i) / 180);
  const aligned = alignOnX([{ x: s.theta, values: s.final }, { x: fine, values: fine.map((th) => C + D * Math.cos(th + phi0)) }]);
  return {
    id: 'fig4a',
    title: `Fig. 4a — final Δσ_z against θ; fit C + D cos(θ + φ₀): C = ${C.toPrecision(4)}, D = ${D.toPrecision(4)}, φ₀ = ${phi0.toPrecision(4)} rad (rms ${rms.toExponential(1)})`,
    xLabel: 'relative phase θ (rad)',
    yLabel: `Δσ_z(t = ${s.config.tEnd} fs)`,
    x: aligned.x,
    series: [
      { label: 'final Δσ_z', values: aligned.values[0], color: colorAt(0), points: true, lineWidth: 0 },
      { label: 'cosine fit', values: aligned.values[1], color: colorAt(1), lineWidth: 1.5, dash: [6, 3] },
    ],
  };
}

function fig4b(s: Extract<StudyResult, { study: 'fig4' }>): ChartSpec {
  return {
    id: 'fig4b',
    title: `Fig. 4b — incoherent pair (θ average over ${s.theta.length} angles) against one spin-down electron`,
    xLabel: T_AXIS,
    yLabel: DSZ_AXIS,
    x: s.t,
    series: [
      { label: 'θ average', values: s.average, color: colorAt(0), lineWidth: 2.25 },
      { label: 'single spin-down', values: s.single, color: colorAt(1), dash: [6, 3] },
    ],
    shaded: chainIntervals({ ...s.config, state: 'singlet' }),
  };
}

/** While a study runs: every run finished so far, as it finished. */
export function studyProgressCharts(study: string, base: RunConfig, outcomes: readonly StudyRunOutcome[]): ChartSpec[] {
  const t = Array.from(outputTimes(base));
  const series: SeriesSpec[] = [];
  for (const o of outcomes) {
    if (o.deltaSigmaZ) series.push({ label: o.label, values: o.deltaSigmaZ, color: colorAt(series.length) });
    o.series?.forEach((v, i) => series.push({ label: `θ ${i + 1}/${o.series!.length}`, values: v, color: colorAt(series.length), lineWidth: 1 }));
  }
  const charts: ChartSpec[] = [{
    id: `progress-${study}`,
    title: `${study}: Δσ_z(t) of the runs finished so far (${outcomes.length})`,
    xLabel: T_AXIS,
    yLabel: DSZ_AXIS,
    x: t,
    series,
    shaded: chainIntervals({ ...base, state: 'singlet' }),
  }];
  if (study === 'fig2b') {
    // Labels are "d=<d> <state>" (studies/fig2b.ts): the sweep fills point by point.
    const finals = new Map<string, Map<number, number>>();
    for (const o of outcomes) {
      const m = /^d=([-\d.e+]+) (\S+)$/.exec(o.label);
      if (!m || !o.deltaSigmaZ) continue;
      if (!finals.has(m[2])) finals.set(m[2], new Map());
      finals.get(m[2])!.set(Number(m[1]), o.deltaSigmaZ.at(-1)!);
    }
    const ds = [...new Set([...finals.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
    if (ds.length) {
      charts.unshift({
        id: 'progress-fig2b-sweep',
        title: `Fig. 2b so far — final Δσ_z(t = ${base.tEnd} fs) against d`,
        xLabel: 'packet distance d (a)',
        yLabel: DSZ_AXIS,
        x: ds,
        series: [...finals.entries()].map(([state, m], i) => ({ label: state, values: ds.map((d) => m.get(d) ?? null), color: colorAt(i), points: true })),
      });
    }
  }
  return charts;
}
