/**
 * A finished study as files a physicist takes away: CSV tables of every
 * series, and the paper's figure as SVG. Pure functions of the study JSON, so
 * the CLI writes them and the dashboard can offer the same downloads.
 */

import { svgChart, type ChartPanel } from './svg-chart.js';
import {
  FIG2A_STATES, FIG2B_STATES, FIG3_SD_TERMS, FIG3_STARTS, LENGTH_STATES, type Fig2aResult, type Fig2bResult, type Fig3Result,
  type Fig4Result, type LengthResult, type SpinResult, type StudyResult, SPIN_STATES,
} from './study-result.js';

export interface ExportFile {
  /** File name, e.g. "fig4.csv". */
  name: string;
  text: string;
}

const PROBABILITIES = ['S', 'T0', 'T+', 'T-'] as const;

/** CSV text: a header line and one line per row, numbers with full precision. */
export function csvTable(header: readonly string[], columns: readonly (readonly number[])[]): string {
  const rows = Math.max(0, ...columns.map((c) => c.length));
  const lines = [header.map(csvField).join(',')];
  for (let r = 0; r < rows; r++) lines.push(columns.map((c) => (r < c.length ? String(c[r]) : '')).join(','));
  return `${lines.join('\n')}\n`;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every series of the study as CSV: one file, or two for fig4 (the sweep, and the time series). */
export function studyCsvFiles(result: StudyResult): ExportFile[] {
  switch (result.study) {
    case 'fig2a':
      return [{
        name: 'fig2a.csv',
        text: csvTable(['t_fs', ...FIG2A_STATES.map((s) => `deltaSigmaZ_${s}`)], [result.t, ...FIG2A_STATES.map((s) => result.series[s])]),
      }];
    case 'fig2b':
      return [{
        name: 'fig2b.csv',
        text: csvTable(['d_a', ...FIG2B_STATES.map((s) => `final_deltaSigmaZ_${s}`)], [result.d, ...FIG2B_STATES.map((s) => result.final[s])]),
      }];
    case 'fig3': {
      const header = ['t_fs'];
      const columns: (readonly number[])[] = [result.t];
      for (const sd of FIG3_SD_TERMS) {
        for (const start of FIG3_STARTS) {
          for (const chi of PROBABILITIES) {
            header.push(`P_${chi}_${sd}_from_${start}`);
            columns.push(result.panels[sd][start][chi]);
          }
        }
      }
      return [{ name: 'fig3.csv', text: csvTable(header, columns) }];
    }
    case 'fig4': {
      const { C, D, phi0 } = result.fit;
      const fitted = result.theta.map((th) => C + D * Math.cos(th + phi0));
      return [
        { name: 'fig4.csv', text: csvTable(['theta_rad', 'final_deltaSigmaZ', 'fit'], [result.theta, result.final, fitted]) },
        {
          name: 'fig4-series.csv',
          text: csvTable(
            ['t_fs', ...result.theta.map((th) => `deltaSigmaZ_theta_${th.toFixed(6)}`), 'theta_average', 'single_down'],
            [result.t, ...result.series, result.average, result.single],
          ),
        },
      ];
    }
    case 'spin':
      return [{
        name: 'spin.csv',
        text: csvTable(
          ['S', ...SPIN_STATES.map((s) => `final_deltaSigmaZ_${s === 'single' ? 'single_down' : s}`), 'Jsd_eV', 'Jex_eV'],
          [result.S, ...SPIN_STATES.map((s) => result.final[s]), result.Jsd, result.Jex],
        ),
      }];
    case 'length': {
      const g = result.geometry;
      return [{
        name: 'length.csv',
        text: csvTable(
          ['L', ...LENGTH_STATES.map((s) => `final_deltaSigmaZ_${s === 'single' ? 'single_down' : s}`), 'tEnd_fs', 'spinStart', 'x2'],
          [result.L, ...LENGTH_STATES.map((s) => result.final[s]), g.map((x) => x.tEnd), g.map((x) => x.spinStart), g.map((x) => x.x2)],
        ),
      }];
    }
  }
}

/** The study's figure as SVG, laid out like the paper's. */
export function studyFigureSvg(result: StudyResult): string {
  const c = result.config;
  const about = `N = ${c.N}, L = ${c.L}, d = ${c.d}, Jsd = ${c.Jsd} eV, ${result.backend} (${result.precision})`;
  switch (result.study) {
    case 'fig2a':
      return svgChart([fig2aPanel(result)], { title: `Fig. 2a: spin transfer (${about})`, panelWidth: 640, panelHeight: 400 });
    case 'fig2b':
      return svgChart([fig2bPanel(result)], { title: `Fig. 2b: final spin transfer against d (N = ${c.N}, L = ${c.L}, t = ${c.tEnd} fs)`, panelWidth: 640, panelHeight: 400 });
    case 'fig3':
      return svgChart(fig3Panels(result), { title: `Fig. 3: spin-state probabilities (${about})`, columns: 2 });
    case 'fig4':
      return svgChart(fig4Panels(result), { title: `Fig. 4: phase state (${about})`, columns: 2, panelWidth: 520, panelHeight: 360 });
    case 'spin':
      return svgChart([spinPanel(result)], {
        title: `Spin left in a chain of spin-S moments (L = ${c.L}, couplings ${result.scaling === 'classical' ? 'Jsd·S, Jex·S² fixed' : 'fixed'}, basis sector, ${result.backend} (${result.precision}))`,
        panelWidth: 640, panelHeight: 400,
      });
    case 'length':
      return svgChart([lengthPanel(result)], {
        title: `Spin left in the chain against its length (N = ${c.N}, d = ${c.d}, Jsd = ${c.Jsd} eV, basis ${c.basis}, ${result.backend} (${result.precision}))`,
        panelWidth: 640, panelHeight: 400,
      });
  }
}

function spinPanel(r: SpinResult): ChartPanel {
  return {
    title: `Δσ_z at t = ${r.config.tEnd} fs`,
    xLabel: 'local spin S',
    yLabel: 'final Δσ_z',
    series: SPIN_STATES.map((s) => ({ name: s === 'single' ? 'single down' : s, x: r.S, y: r.final[s], markers: true })),
  };
}

function lengthPanel(r: LengthResult): ChartPanel {
  return {
    title: 'Δσ_z once the pair has crossed the chain',
    xLabel: 'local spins L',
    yLabel: 'final Δσ_z',
    series: LENGTH_STATES.map((s) => ({ name: s === 'single' ? 'single down' : s, x: r.L, y: r.final[s], markers: true })),
  };
}

function fig2aPanel(r: Fig2aResult): ChartPanel {
  return {
    title: 'Δσ_z(t)',
    xLabel: 't (fs)',
    yLabel: 'Δσ_z',
    shade: r.chainIntervals,
    series: FIG2A_STATES.map((s) => ({ name: s === 'single' ? 'single down' : s, x: r.t, y: r.series[s] })),
  };
}

function fig2bPanel(r: Fig2bResult): ChartPanel {
  return {
    title: `Δσ_z at t = ${r.config.tEnd} fs`,
    xLabel: 'packet distance d (a)',
    yLabel: 'final Δσ_z',
    series: FIG2B_STATES.map((s) => ({ name: s, x: r.d, y: r.final[s], markers: true })),
  };
}

function fig3Panels(r: Fig3Result): ChartPanel[] {
  return FIG3_SD_TERMS.flatMap((sd) =>
    FIG3_STARTS.map((start) => ({
      title: `sdTerms ${sd}, from ${start}`,
      xLabel: 't (fs)',
      yLabel: 'probability',
      series: PROBABILITIES.map((chi) => ({ name: chi, x: r.t, y: r.panels[sd][start][chi] })),
    })),
  );
}

function fig4Panels(r: Fig4Result): ChartPanel[] {
  const { C, D, phi0, rms } = r.fit;
  const fine = Array.from({ length: 181 }, (_, k) => (2 * Math.PI * k) / 180);
  return [
    {
      title: `(a) final Δσ_z against θ (fit rms ${rms.toExponential(1)})`,
      xLabel: 'θ (rad)',
      xAxis: { min: 0, max: 2 * Math.PI, ticks: ['0', 'π/2', 'π', '3π/2', '2π'].map((label, k) => ({ value: (k * Math.PI) / 2, label })) },
      yLabel: `Δσ_z at ${r.config.tEnd} fs`,
      series: [
        { name: 'computed', x: r.theta, y: r.final, markers: true },
        { name: 'C + D cos(θ + φ0)', x: fine, y: fine.map((th) => C + D * Math.cos(th + phi0)), dashed: true },
      ],
    },
    {
      title: '(b) θ average against one spin-down electron',
      xLabel: 't (fs)',
      yLabel: 'Δσ_z',
      series: [
        { name: 'θ average', x: r.t, y: r.average },
        { name: 'single down', x: r.t, y: r.single, dashed: true },
      ],
    },
  ];
}
