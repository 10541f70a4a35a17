// antisymmetric-hamiltonian.wgsl — the matrix-free H of MODEL.md on one chunk of
// a state of basis "antisymmetric" (model/antisymmetric.ts: the sector's blocks
// (a, b) with a <= b; the partner psi(b, a, sigma c) = -psi(a, b, c)), the f32
// twin of src/backends/cpu/antisymmetric-kernel.ts. A library, not a kernel,
// with the functions and bindings of sector-hamiltonian.wgsl, so that
// chebyshev-term.wgsl runs it unchanged: kernels.ts puts state-chunk.wgsl in
// front of it and chebyshev-term.wgsl or antisymmetric-reduce-state.wgsl after it.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4):
//   8  storage, read  diagonal     [seam (4 N C floats) | J_ex diagonal + shift per configuration, H~ then H (C each)]
//                                  seam: row 0, (0, b) for b < N, then the last column, (a, N - 1) for a < N, as
//                                  interleaved complex, C each; written by antisymmetric-seam.wgsl, read only when
//                                  the state is in several chunks (chunk.diagonalOffset skips it)
//   9  storage, read  sectorTable  i32: [sigma (C) | the sector's table (sector-hamiltonian.wgsl) from C on]:
//                                  sigma at 0, spinAtSite at C, exchangeStart at C + N, exchangeNeighbours at
//                                  chunk.neighboursOffset, sdPartner at chunk.partnersOffset, pairOf after it
//
// Layout on the device (src/backends/webgpu/antisymmetric-layout.ts): folded row
// p < R = ceil(N / 2) holds triangle row p (blocks (p, p) … (p, N - 1)) and then
// triangle row N - 1 - p: N + 1 blocks of C configurations, rowAmps = (N + 1) C;
// for odd N the middle row's second half is padding (H there is 0, so it stays 0).
// Triangle rows a - 1 and a + 1 lie in folded rows p - 1, p, p + 1: the chunk
// before and after bind them, as in the sector.
//
// Hopping where a neighbour leaves the triangle (x > y: read -psi(y, x, sigma c)):
//   (a + 1, a) on the diagonal: the next block of the same row, sigma, sign;
//   (a, a - 1) on the diagonal: block (a - 1, a) of the previous row, sigma, sign;
//   (N - 1, b) for row 0, b < N - 1: the last column's (b, N - 1), sigma, sign;
//   (a, 0) for the last column, a > 0: row 0's (0, a), sigma, sign;
// the last two from the state (one chunk) or from the seam (several chunks).
// Cost per amplitude: the sector's (4 neighbour reads, the diagonal, the J_ex
// gather list, the sd partner on blocks with an electron on a local spin), one
// division by C (a pipeline constant in the term kernel), and on the edges a
// sigma read.

@group(0) @binding(8) var<storage, read> diagonal: array<f32>;
@group(0) @binding(9) var<storage, read> sectorTable: array<i32>;

fn sigmaOf(cfg: u32) -> u32 {
  return u32(sectorTable[cfg]);
}

// Entries of sectorTable in front of the sector's own table (sigma).
fn tablePrefix() -> u32 {
  return configs();
}

// The state in one chunk: the wrapped edges are read from it, not from the seam.
fn wholeState() -> bool {
  return chunk.rows == (sites() + 1u) / 2u;
}

// Amplitude at offset o of folded row f: this chunk's, or the row just before or after it.
fn foldedRowAmp(f: u32, o: u32) -> vec2<f32> {
  let d = f - chunk.rowStart;
  if (d < chunk.rows) {
    return src[chunk.selfOffset + d * rowAmps() + o];
  }
  if (f < chunk.rowStart) {
    return srcPrev[chunk.prevOffset + chunk.prevLast + o];
  }
  return srcNext[chunk.nextOffset + o];
}

// Amplitude of configuration cfg in the kept block (t, col), t <= col, whose triangle
// row t lies in this chunk's folded rows or in the row just before or after them.
fn triangleAmp(t: u32, col: u32, cfg: u32) -> vec2<f32> {
  let N = sites();
  var f = t;
  var first = 0u;
  if (2u * t > N - 1u) {
    f = N - 1u - t;
    first = N - f;
  }
  return foldedRowAmp(f, (first + col - t) * configs() + cfg);
}

// Block (0, b) of triangle row 0, configuration cfg.
fn rowZero(b: u32, cfg: u32) -> vec2<f32> {
  if (wholeState()) {
    return src[chunk.selfOffset + b * configs() + cfg];
  }
  let i = 2u * (b * configs() + cfg);
  return vec2<f32>(diagonal[i], diagonal[i + 1u]);
}

// Block (a, N - 1) of the last column, configuration cfg.
fn lastColumn(a: u32, cfg: u32) -> vec2<f32> {
  let N = sites();
  if (wholeState()) {
    return triangleAmp(a, N - 1u, cfg);
  }
  let i = 2u * ((N + a) * configs() + cfg);
  return vec2<f32>(diagonal[i], diagonal[i + 1u]);
}

// -J_sd sigma.S_j for one electron on local spin j; `at` = (X L + j) C + c indexes
// the partner table: +sdZz when parallel, -sdZz and sdFlip to the partner otherwise.
fn sectorSdTerm(blockStart: u32, c: vec2<f32>, at: u32) -> vec2<f32> {
  let partner = sectorTable[chunk.partnersOffset + at];
  if (partner < 0) {
    return chunk.sdZz * c;
  }
  return chunk.sdFlip * srcAt(blockStart + u32(partner)) - chunk.sdZz * c;
}

// (H src)[l] for local index l, where c = src[l] (the reductions' entry: one division by the row length).
fn applyHamiltonian(l: u32, c: vec2<f32>) -> vec2<f32> {
  let rowIndex = l / rowAmps();
  return applyHamiltonianInRow(rowIndex, l - rowIndex * rowAmps(), c);
}

// (H src)[l] at offset o of the chunk's folded row rowIndex, l = rowIndex rowAmps + o.
fn applyHamiltonianInRow(rowIndex: u32, o: u32, c: vec2<f32>) -> vec2<f32> {
  let N = sites();
  let C = configs();
  let p = chunk.rowStart + rowIndex;
  let k = o / C;
  let cfg = o - k * C;
  // Electron A on a, B on b: the first part of the folded row is triangle row p, the second row N - 1 - p.
  var a = p;
  var b = p + k;
  if (k >= N - p) {
    a = N - 1u - p;
    if (a <= p) {
      return vec2<f32>(0.0);
    }
    b = a + (k - (N - p));
  }
  let l = rowIndex * rowAmps() + o;
  let blockStart = l - cfg;

  var kept = vec2<f32>(0.0);     // neighbours in the triangle
  var partner = vec2<f32>(0.0);  // neighbours outside it, read as their partners (subtracted)
  // A at a - 1.
  if (a > 0u) {
    kept += triangleAmp(a - 1u, b, cfg);
  } else if (b == N - 1u) {
    kept += triangleAmp(N - 1u, N - 1u, cfg);
  } else {
    partner += lastColumn(b, sigmaOf(cfg));
  }
  // A at a + 1.
  if (a < b) {
    kept += triangleAmp(a + 1u, b, cfg);
  } else if (a + 1u < N) {
    partner += srcAt(blockStart + C + sigmaOf(cfg));
  } else {
    kept += triangleAmp(0u, N - 1u, cfg);
  }
  // B at b - 1.
  if (b > a) {
    kept += srcAt(l - C);
  } else if (a > 0u) {
    partner += triangleAmp(a - 1u, a, sigmaOf(cfg));
  } else {
    kept += srcAt(blockStart + (N - 1u) * C + cfg);
  }
  // B at b + 1.
  if (b + 1u < N) {
    kept += srcAt(l + C);
  } else if (a == 0u) {
    kept += srcAt(blockStart - (N - 1u) * C + cfg);
  } else {
    partner += rowZero(a, sigmaOf(cfg));
  }
  var h = chunk.hop * (kept - partner) + diagonal[chunk.diagonalOffset + cfg] * c;

  // J_ex flips: the gather list of cfg, as in the sector.
  let T = tablePrefix();
  let first = u32(sectorTable[T + N + cfg]);
  let last = u32(sectorTable[T + N + cfg + 1u]);
  for (var n = first; n < last; n++) {
    h += chunk.exchangeFlip * srcAt(blockStart + u32(sectorTable[chunk.neighboursOffset + n]));
  }

  // sd exchange, only where an electron sits on a local spin (electron B's partners follow A's).
  let jA = sectorTable[T + a];
  if (jA >= 0) {
    h += sectorSdTerm(blockStart, c, u32(jA) * C + cfg);
  }
  let jB = sectorTable[T + b];
  if (jB >= 0) {
    h += sectorSdTerm(blockStart, c, (localSpins() + u32(jB)) * C + cfg);
  }
  return h;
}
