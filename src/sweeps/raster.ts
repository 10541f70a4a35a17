/**
 * A drawing (drawing.ts) rasterized into RGBA pixels, and the pixels as a PNG
 * file, with no dependency: the sweep figures are rectangles, lines, dots and
 * short labels, which a few dozen lines draw well enough at twice the SVG's
 * size. Text uses a 5 x 8 bitmap font drawn for this project (digits, Latin
 * letters, the punctuation of our labels, and Δ σ θ φ π ×); other characters
 * show as "?". The PNG's zlib stream comes from the caller (node:zlib's
 * deflateSync in the CLI), so this module stays free of Node imports.
 */

import type { Drawing, Shape } from './drawing.js';

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row by row from the top. */
  pixels: Uint8Array;
}

/** Pixels of the drawing at `scale` device pixels per drawing pixel. */
export function rasterize(d: Drawing, scale = 2): Raster {
  const width = Math.ceil(d.width * scale), height = Math.ceil(d.height * scale);
  const pixels = new Uint8Array(width * height * 4).fill(255);
  const canvas = { width, height, pixels };
  for (const s of d.shapes) drawShape(canvas, s, scale);
  return canvas;
}

function drawShape(c: Raster, s: Shape, k: number): void {
  switch (s.kind) {
    case 'rect': {
      if (s.fill && s.fill !== 'none') fillRect(c, s.x * k, s.y * k, s.w * k, s.h * k, parseColour(s.fill));
      if (s.stroke) {
        const col = parseColour(s.stroke);
        const pts: [number, number][] = [[s.x, s.y], [s.x + s.w, s.y], [s.x + s.w, s.y + s.h], [s.x, s.y + s.h], [s.x, s.y]];
        strokePath(c, pts.map(([x, y]) => [x * k, y * k]), k, col, false);
      }
      return;
    }
    case 'line':
      strokePath(c, s.points.map(([x, y]) => [x * k, y * k]), s.width * k, parseColour(s.stroke), s.dashed === true, k);
      return;
    case 'circle':
      disc(c, s.cx * k, s.cy * k, s.r * k, parseColour(s.fill));
      return;
    case 'text':
      drawText(c, s.text, s.x * k, s.y * k, k * ((s.size ?? 12) >= 14 ? 1.25 : 1), s.anchor ?? 'start', s.vertical === true, s.bold === true);
      return;
  }
}

type Rgb = [number, number, number];

function parseColour(text: string): Rgb {
  if (text === 'white') return [255, 255, 255];
  if (text === 'black') return [0, 0, 0];
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text) ?? /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(text);
  if (!m) return [0, 0, 0];
  return [1, 2, 3].map((i) => parseInt(m[i].length === 1 ? m[i] + m[i] : m[i], 16)) as Rgb;
}

function setPixel(c: Raster, x: number, y: number, col: Rgb): void {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const o = (y * c.width + x) * 4;
  c.pixels[o] = col[0];
  c.pixels[o + 1] = col[1];
  c.pixels[o + 2] = col[2];
  c.pixels[o + 3] = 255;
}

function fillRect(c: Raster, x: number, y: number, w: number, h: number, col: Rgb): void {
  const xa = Math.max(0, Math.round(x)), xb = Math.min(c.width, Math.round(x + w));
  const ya = Math.max(0, Math.round(y)), yb = Math.min(c.height, Math.round(y + h));
  for (let yy = ya; yy < yb; yy++) for (let xx = xa; xx < xb; xx++) setPixel(c, xx, yy, col);
}

function disc(c: Raster, cx: number, cy: number, r: number, col: Rgb): void {
  for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
    for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) setPixel(c, x, y, col);
    }
  }
}

/** A polyline of the given width: a square pen stamped every half pixel; dashes of 6 on, 4 off (drawing pixels). */
function strokePath(c: Raster, pts: [number, number][], width: number, col: Rgb, dashed: boolean, scale = 1): void {
  const half = Math.max(0.5, width / 2);
  let along = 0;
  for (let i = 1; i < pts.length; i++) {
    const [xa, ya] = pts[i - 1], [xb, yb] = pts[i];
    const len = Math.hypot(xb - xa, yb - ya);
    const steps = Math.max(1, Math.ceil(len * 2));
    for (let s = 0; s <= steps; s++) {
      const f = s / steps;
      if (dashed && ((along + f * len) / scale) % 10 >= 6) continue;
      const x = xa + f * (xb - xa), y = ya + f * (yb - ya);
      fillRect(c, x - half, y - half, 2 * half, 2 * half, col);
    }
    along += len;
  }
}

const GLYPH_W = 5, GLYPH_H = 8, ADVANCE = 6;

function drawText(c: Raster, text: string, x: number, y: number, scale: number, anchor: 'start' | 'middle' | 'end', vertical: boolean, bold: boolean): void {
  const px = Math.max(1, Math.round(scale));
  const width = text.length * ADVANCE * px;
  const shift = anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0;
  // (x, y) is the baseline, as in SVG: glyph row 6 sits on it.
  const ink: Rgb = [0x22, 0x22, 0x22];
  [...text].forEach((ch, n) => {
    const glyph = GLYPHS[ch] ?? GLYPHS['?'];
    for (let row = 0; row < GLYPH_H; row++) {
      for (let col = 0; col < GLYPH_W; col++) {
        if (glyph[row * GLYPH_W + col] !== '#') continue;
        const u = -shift + (n * ADVANCE + col) * px; // along the text
        const v = (row - 6) * px; // down from the baseline
        for (let b = 0; b <= (bold ? 1 : 0); b++) {
          if (vertical) fillRect(c, x + v, y - u - px - b, px, px, ink);
          else fillRect(c, x + u + b, y + v, px, px, ink);
        }
      }
    }
  });
}

/** 5 x 8 glyphs, rows top to bottom ("#" ink), row 6 on the baseline, row 7 for descenders. */
const GLYPH_ROWS: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... ..... .....',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###. .....',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###. .....',
  '2': '.###. #...# ....# ...#. ..#.. .#... ##### .....',
  '3': '####. ....# ....# .###. ....# ....# ####. .....',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#. .....',
  '5': '##### #.... ####. ....# ....# #...# .###. .....',
  '6': '..##. .#... #.... ####. #...# #...# .###. .....',
  '7': '##### ....# ...#. ..#.. .#... .#... .#... .....',
  '8': '.###. #...# #...# .###. #...# #...# .###. .....',
  '9': '.###. #...# #...# .#### ....# ...#. .##.. .....',
  '.': '..... ..... ..... ..... ..... .##.. .##.. .....',
  ',': '..... ..... ..... ..... ..... .##.. ..#.. .#...',
  '-': '..... ..... ..... .###. ..... ..... ..... .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. ..... .....',
  '=': '..... ..... ##### ..... ##### ..... ..... .....',
  ':': '..... .##.. .##.. ..... .##.. .##.. ..... .....',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#. .....',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#... .....',
  '/': '....# ....# ...#. ..#.. .#... #.... #.... .....',
  '_': '..... ..... ..... ..... ..... ..... ..... #####',
  '%': '##..# ##..# ...#. ..#.. .#... #..## #..## .....',
  "'": '..#.. ..#.. ..... ..... ..... ..... ..... .....',
  '×': '..... #...# .#.#. ..#.. .#.#. #...# ..... .....',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#.. .....',
  'Δ': '..#.. ..#.. .#.#. .#.#. #...# #...# ##### .....',
  'σ': '..... ..... .#### #..#. #...# #...# .###. .....',
  'θ': '.###. #...# #...# ##### #...# #...# .###. .....',
  'φ': '..#.. ..#.. .###. #.#.# #.#.# .###. ..#.. ..#..',
  'π': '..... ..... ##### .#.#. .#.#. .#.#. .#..# .....',
  A: '.###. #...# #...# ##### #...# #...# #...# .....',
  B: '####. #...# #...# ####. #...# #...# ####. .....',
  C: '.###. #...# #.... #.... #.... #...# .###. .....',
  D: '###.. #..#. #...# #...# #...# #..#. ###.. .....',
  E: '##### #.... #.... ####. #.... #.... ##### .....',
  F: '##### #.... #.... ####. #.... #.... #.... .....',
  G: '.###. #...# #.... #.### #...# #...# .#### .....',
  H: '#...# #...# #...# ##### #...# #...# #...# .....',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###. .....',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##.. .....',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...# .....',
  L: '#.... #.... #.... #.... #.... #.... ##### .....',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...# .....',
  N: '#...# #...# ##..# #.#.# #..## #...# #...# .....',
  O: '.###. #...# #...# #...# #...# #...# .###. .....',
  P: '####. #...# #...# ####. #.... #.... #.... .....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.# .....',
  R: '####. #...# #...# ####. #.#.. #..#. #...# .....',
  S: '.#### #.... #.... .###. ....# ....# ####. .....',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. .....',
  U: '#...# #...# #...# #...# #...# #...# .###. .....',
  V: '#...# #...# #...# #...# #...# .#.#. ..#.. .....',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#. .....',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...# .....',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#.. .....',
  Z: '##### ....# ...#. ..#.. .#... #.... ##### .....',
  a: '..... ..... .###. ....# .#### #...# .#### .....',
  b: '#.... #.... #.##. ##..# #...# #...# ####. .....',
  c: '..... ..... .###. #.... #.... #...# .###. .....',
  d: '....# ....# .##.# #..## #...# #...# .#### .....',
  e: '..... ..... .###. #...# ##### #.... .###. .....',
  f: '..##. .#..# .#... ###.. .#... .#... .#... .....',
  g: '..... ..... .#### #...# #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...# .....',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###. .....',
  j: '...#. ..... ..##. ...#. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#. .....',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###. .....',
  m: '..... ..... ##.#. #.#.# #.#.# #...# #...# .....',
  n: '..... ..... #.##. ##..# #...# #...# #...# .....',
  o: '..... ..... .###. #...# #...# #...# .###. .....',
  p: '..... ..... ####. #...# #...# ####. #.... #....',
  q: '..... ..... .#### #...# #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #.... .....',
  s: '..... ..... .#### #.... .###. ....# ####. .....',
  t: '.#... .#... ###.. .#... .#... .#..# ..##. .....',
  u: '..... ..... #...# #...# #...# #..## .##.# .....',
  v: '..... ..... #...# #...# #...# .#.#. ..#.. .....',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#. .....',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...# .....',
  y: '..... ..... #...# #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... ##### .....',
};

const GLYPHS: Record<string, string> = Object.fromEntries(Object.entries(GLYPH_ROWS).map(([ch, rows]) => [ch, rows.replace(/ /g, '')]));

/** The PNG file of a raster (8-bit RGBA, no interlace); `deflate` makes a zlib stream (node:zlib's deflateSync). */
export function encodePng(r: Raster, deflate: (data: Uint8Array) => Uint8Array): Uint8Array {
  // Each row: filter byte 0 (none), then the row's pixels.
  const stride = r.width * 4;
  const raw = new Uint8Array((stride + 1) * r.height);
  for (let y = 0; y < r.height; y++) raw.set(r.pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, r.width);
  view.setUint32(4, r.height);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflate(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG specifies) of the chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
