/**
 * A figure as a flat list of shapes (rectangles, lines, circles, text), so
 * one layout gives both the SVG and the PNG of a sweep figure. Coordinates in
 * pixels, origin top left.
 */

import { escapeXml } from '../studies/svg-chart.js';

export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill?: string; stroke?: string }
  | { kind: 'line'; points: [number, number][]; stroke: string; width: number; dashed?: boolean }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string }
  | { kind: 'text'; x: number; y: number; text: string; anchor?: 'start' | 'middle' | 'end'; bold?: boolean; vertical?: boolean; size?: number };

export interface Drawing {
  width: number;
  height: number;
  title: string;
  shapes: Shape[];
}

export function drawingSvg(d: Drawing): string {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${d.width}" height="${d.height}" viewBox="0 0 ${d.width} ${d.height}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12"><title>${escapeXml(d.title)}</title>`,
    `<rect width="${d.width}" height="${d.height}" fill="white"/>`,
  ];
  for (const s of d.shapes) {
    switch (s.kind) {
      case 'rect':
        // Filled cells edge to edge (heatmap, colour bar): crisp edges, or anti-aliasing leaves seams between them.
        out.push(
          `<rect x="${f(s.x)}" y="${f(s.y)}" width="${f(s.w)}" height="${f(s.h)}" fill="${s.fill ?? 'none'}"` +
            `${s.stroke ? ` stroke="${s.stroke}"` : ' shape-rendering="crispEdges"'}/>`,
        );
        break;
      case 'line':
        out.push(
          `<path d="${s.points.map(([x, y], k) => `${k ? 'L' : 'M'}${f(x)},${f(y)}`).join('')}" fill="none" stroke="${s.stroke}" ` +
            `stroke-width="${s.width}"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
        );
        break;
      case 'circle':
        out.push(`<circle cx="${f(s.cx)}" cy="${f(s.cy)}" r="${s.r}" fill="${s.fill}"/>`);
        break;
      case 'text': {
        const attrs = s.vertical ? `transform="translate(${f(s.x)},${f(s.y)}) rotate(-90)"` : `x="${f(s.x)}" y="${f(s.y)}"`;
        out.push(
          `<text ${attrs} text-anchor="${s.anchor ?? 'start'}"${s.bold ? ' font-weight="bold"' : ''}${s.size ? ` font-size="${s.size}"` : ''}>${escapeXml(s.text)}</text>`,
        );
        break;
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function f(v: number): string {
  return v.toFixed(1);
}
