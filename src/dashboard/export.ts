/**
 * Exports of what the dashboard shows: the result JSON (the INTERFACE.md
 * shape, as the CLI writes it), the charts' data as CSV and the charts as one
 * PNG.
 */

import type { ChartSpec } from './chart-spec.js';
import type { AnyResult } from './protocol.js';

/** The result as the CLI writes it. */
export function resultJson(result: AnyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

const csvCell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * The charts' data as CSV: charts sharing an x grid make one table (x, then
 * every series); tables are separated by a blank line and headed by a
 * comment line naming their charts.
 */
export function chartsToCsv(charts: readonly ChartSpec[]): string {
  const tables: { x: number[]; xLabel: string; titles: string[]; columns: { label: string; values: (number | null)[] }[] }[] = [];
  for (const c of charts) {
    const same = tables.find((tb) => tb.xLabel === c.xLabel && tb.x.length === c.x.length && tb.x.every((v, i) => v === c.x[i]));
    const columns = c.series.map((s) => ({ label: s.label, values: s.values }));
    const title = c.note ? `${c.title} (${c.note})` : c.title;
    if (same) {
      same.titles.push(title);
      same.columns.push(...columns.map((col) => ({ ...col, label: uniqueLabel(same.columns, col.label, c.id) })));
    } else {
      tables.push({ x: c.x, xLabel: c.xLabel, titles: [title], columns });
    }
  }
  return tables
    .map((tb) => {
      const lines = [`# ${tb.titles.join('; ')}`, [tb.xLabel, ...tb.columns.map((c) => c.label)].map(csvCell).join(',')];
      tb.x.forEach((x, i) => lines.push([x, ...tb.columns.map((c) => c.values[i])].map(csvCell).join(',')));
      return lines.join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

function uniqueLabel(columns: { label: string }[], label: string, chartId: string): string {
  return columns.some((c) => c.label === label) ? `${chartId}: ${label}` : label;
}

/** Offers `data` as a file download. */
export function download(filename: string, data: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface PngPanel {
  title: string;
  /** A smaller line under the title (the chart's note). */
  note?: string;
  canvas: HTMLCanvasElement;
  /** Legend entries drawn under the panel (uPlot's legend is HTML, not on the canvas). */
  legend?: { label: string; color: string }[];
}

/** The panels in a grid of `columns`, titled, on white, as one PNG. */
export async function composePng(panels: readonly PngPanel[], heading: string, columns = 2): Promise<Blob> {
  const pad = 16, noteH = panels.some((p) => p.note) ? 18 : 0, titleH = 22 + noteH, legendH = 20, headingH = 34;
  const cellW = Math.max(1, ...panels.map((p) => p.canvas.width));
  const cellH = Math.max(1, ...panels.map((p) => p.canvas.height)) + titleH + legendH;
  const cols = Math.max(1, Math.min(columns, panels.length));
  const rows = Math.ceil(panels.length / cols);
  const canvas = document.createElement('canvas');
  canvas.width = pad + cols * (cellW + pad);
  canvas.height = headingH + pad + rows * (cellH + pad);
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.font = '600 18px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(heading, pad, pad);
  panels.forEach((p, i) => {
    const x = pad + (i % cols) * (cellW + pad);
    const y = headingH + pad + Math.floor(i / cols) * (cellH + pad);
    ctx.fillStyle = '#111';
    ctx.font = '600 14px system-ui, sans-serif';
    ctx.fillText(p.title, x, y, cellW);
    if (p.note) {
      ctx.fillStyle = '#555';
      ctx.font = '12px system-ui, sans-serif';
      ctx.fillText(p.note, x, y + 20, cellW);
    }
    ctx.drawImage(p.canvas, x, y + titleH);
    let lx = x;
    ctx.font = '13px system-ui, sans-serif';
    for (const entry of p.legend ?? []) {
      ctx.fillStyle = entry.color;
      ctx.fillRect(lx, y + titleH + p.canvas.height + 6, 14, 4);
      ctx.fillStyle = '#333';
      ctx.fillText(entry.label, lx + 18, y + titleH + p.canvas.height + 1);
      lx += 26 + ctx.measureText(entry.label).width;
    }
  });
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}
