// sector-hamiltonian.wgsl — the matrix-free H of MODEL.md on one chunk of a
// state of basis "sector" (the fixed-S_z sector; the f32 twin of termOnBlock in
// src/backends/cpu/sector-kernel.ts). A library, not a kernel, with the same
// function and the same bindings as hamiltonian.wgsl (so the term kernel and
// its bind groups are shared): kernels.ts puts state-chunk.wgsl in front of it
// and chebyshev-term.wgsl or sector-reduce-state.wgsl after it.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4):
//   8  storage, read  diagonal     J_ex diagonal + shift per configuration c, two operators back to back (C each)
//   9  storage, read  sectorTable  the sector's tables (src/model/sector.ts), i32, one after the other:
//        [0, N)                         spinAtSite: local spin j on each site, or -1
//        [N, N + C + 1)                 exchangeStart: the J_ex gather list of c is
//                                       neighbours[exchangeStart[c] … exchangeStart[c + 1])
//        [neighboursOffset, …)          exchangeNeighbours: configurations one J_ex flip away
//        [partnersOffset, … + 2 L C)    sdPartner at (X L + j) C + c: the configuration with the spins of
//                                       electron X (0 = A, 1 = B) and local spin j swapped, or -1 when parallel
//        [pairsOffset, … + C)           pairOf, read by sector-reduce-state.wgsl only
//      EXTENDED_TERMS only, then, as f32 bits (src/backends/webgpu/kernels.ts, sectorTableData):
//        [pairsOffset + C, …)           each gather entry's element over exchangeFlip (bond weight x ladder factors)
//        (next electrons L C)           per (X L + j) C + c: the sd flip over sdFlip (site weight x ladder factor)
//        (next electrons L C)           … and the sd zz diagonal over sdZz (site weight x 2 sigma m_j; -+1 for spin 1/2)
// One buffer, not four: the term kernel keeps the 8 storage bindings of the
// full basis (the WebGPU default limit per stage).
//
// Layout (model/sector.ts): amplitude (block, c) sits at block C + c, block =
// xA N + xB (two electrons) or x (one); rowAmps = N C or C. Hopping couples the
// same c in neighbouring blocks, every spin term stays inside a block.
//
// Cost per amplitude: 4 neighbour reads (2 for one electron), the diagonal, two
// table reads for the gather list and one table read and one amplitude read per
// J_ex neighbour (about 2 for K = 1, 4 for K = 2, whatever L), and on the 2L/N
// fraction of blocks with an electron on a local spin one partner read and at
// most one amplitude per electron. Two integer divisions (row, block) where
// the full basis shifts. EXTENDED_TERMS: one table read more per J_ex
// neighbour and two per sd term.

@group(0) @binding(8) var<storage, read> diagonal: array<f32>;
@group(0) @binding(9) var<storage, read> sectorTable: array<i32>;

// The terms beyond the paper (MODEL.md; src/model/hamiltonian.ts) that change
// elements off the diagonal: per-bond J_ex, per-site J_sd and the ladder factors
// of local spins S > 1/2 read the weight tables above (the fields and the
// anisotropy are in the diagonal already). Left false for the paper's model, so
// its pipelines compile to the code they had before these terms existed.
override EXTENDED_TERMS: bool = false;

// Where the weight tables start (EXTENDED_TERMS), from the offsets the uniform has.
fn exchangeWeightsOffset() -> u32 {
  return chunk.partnersOffset + (electrons() * localSpins() + 1u) * configs();
}
fn sdFlipWeightsOffset() -> u32 {
  return exchangeWeightsOffset() + chunk.partnersOffset - chunk.neighboursOffset;
}
fn tableWeight(k: u32) -> f32 {
  return bitcast<f32>(sectorTable[k]);
}

// -J_sd sigma.S_j for one electron on local spin j; `at` = (X L + j) C + c indexes
// the partner table: +sdZz when parallel, -sdZz and sdFlip to the partner otherwise
// (EXTENDED_TERMS: both times their weights at `at`).
fn sectorSdTerm(blockStart: u32, c: vec2<f32>, at: u32) -> vec2<f32> {
  let partner = sectorTable[chunk.partnersOffset + at];
  if (EXTENDED_TERMS) {
    let flipAt = sdFlipWeightsOffset() + at;
    let zz = chunk.sdZz * tableWeight(flipAt + electrons() * localSpins() * configs()) * c;
    if (partner < 0) {
      return zz;
    }
    return chunk.sdFlip * tableWeight(flipAt) * srcAt(blockStart + u32(partner)) + zz;
  }
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

// (H src)[l] at offset o of the chunk's row rowIndex, l = rowIndex rowAmps + o
// (the term kernel's entry: its 2-D grid gives row and offset; the division by
// C is by a pipeline constant there, which the driver's compiler strength-reduces).
fn applyHamiltonianInRow(rowIndex: u32, o: u32, c: vec2<f32>) -> vec2<f32> {
  let N = sites();
  let C = configs();
  let l = rowIndex * rowAmps() + o;
  let row = chunk.rowStart + rowIndex;
  // Two electrons: o = xB C + cfg; one electron: the row is one block, xB = 0.
  let xB = o / C;
  let cfg = o - xB * C;
  let blockStart = l - cfg;

  // Hopping of A (two electrons) or of the one electron: the neighbouring rows.
  let rowMinus = select(row - 1u, N - 1u, row == 0u);
  let rowPlus = select(row + 1u, 0u, row + 1u == N);
  var neighbours = rowAmplitude(rowMinus, o) + rowAmplitude(rowPlus, o);
  var jB = -1;
  if (electrons() == 2u) {
    // Hopping of B: neighbouring blocks inside the same row.
    let rowStartLocal = l - o;
    let xBm = select(xB - 1u, N - 1u, xB == 0u);
    let xBp = select(xB + 1u, 0u, xB + 1u == N);
    neighbours += srcAt(rowStartLocal + xBm * C + cfg) + srcAt(rowStartLocal + xBp * C + cfg);
    jB = sectorTable[xB];
  }
  var h = chunk.hop * neighbours + diagonal[chunk.diagonalOffset + cfg] * c;

  // J_ex flips: the gather list of cfg (configurations one bond flip away).
  let first = u32(sectorTable[N + cfg]);
  let last = u32(sectorTable[N + cfg + 1u]);
  for (var n = first; n < last; n++) {
    if (EXTENDED_TERMS) {
      h += chunk.exchangeFlip * tableWeight(exchangeWeightsOffset() + n) * srcAt(blockStart + u32(sectorTable[chunk.neighboursOffset + n]));
    } else {
      h += chunk.exchangeFlip * srcAt(blockStart + u32(sectorTable[chunk.neighboursOffset + n]));
    }
  }

  // sd exchange, only where an electron sits on a local spin (electron B's tables follow A's).
  let jA = sectorTable[row];
  if (jA >= 0) {
    h += sectorSdTerm(blockStart, c, u32(jA) * C + cfg);
  }
  if (jB >= 0) {
    h += sectorSdTerm(blockStart, c, (localSpins() + u32(jB)) * C + cfg);
  }
  return h;
}
