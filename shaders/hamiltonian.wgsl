// hamiltonian.wgsl — the matrix-free H of MODEL.md on one chunk of a state of
// basis "full". A library, not a kernel: src/backends/webgpu/kernels.ts puts
// state-chunk.wgsl in front of it and chebyshev-term.wgsl or reduce-state.wgsl
// after it, which use applyHamiltonian(). (sector-hamiltonian.wgsl is its twin
// for basis "sector", with the same function and the same bindings.)
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4):
//   8  storage, read         diagonal    J_ex diagonal + shift per local-spin configuration m, two operators back to back
//                                        (EXTENDED_TERMS: per (e, m) of a block, index e 2^L + m, with the electron Zeeman term)
//   9  storage, read         spinAtSite  local spin j on each site, or -1; EXTENDED_TERMS: then, as f32 bits, the
//                                        weight of each bond j on exchangeFlip (L - 1) and of each local spin j on
//                                        sdZz and sdFlip (L) (src/backends/webgpu/kernels.ts, fullOperatorTable)
//
// Layout (src/model/layout.ts): amplitude (xA, xB, e, m) sits at
// ((xA N + xB) ns + e) 2^L + m; rowAmps = N ns 2^L (two electrons) or ns 2^L (one).
//
// Every number comes from HamiltonianTerms (src/model/hamiltonian.ts), through
// the uniform and the diagonal buffer: the shader knows the structure of H,
// not its physics.
// Cost per amplitude: 4 neighbour reads (2 for one electron), the diagonal,
// up to L-1 exchange flips, and the sd terms on the 2L/N fraction of blocks
// where an electron sits on a local spin. EXTENDED_TERMS: one weight read per
// J_ex flip and per sd term (cached: 2L - 1 floats).

@group(0) @binding(8) var<storage, read> diagonal: array<f32>;
@group(0) @binding(9) var<storage, read> spinAtSite: array<i32>;

// The terms beyond the paper (MODEL.md; src/model/hamiltonian.ts): per-bond J_ex,
// per-site J_sd and the electron Zeeman term read the weights and the (e, m)
// diagonal above. Left false for the paper's model, so its pipelines compile to
// the code they had before these terms existed (the branches fold away).
override EXTENDED_TERMS: bool = false;

// Weight k of the table after spinAtSite (EXTENDED_TERMS): bond j at k = j, local spin j at k = L - 1 + j.
fn operatorWeight(k: u32) -> f32 {
  return bitcast<f32>(spinAtSite[sites() + k]);
}

// -J_sd sigma.S_j for the electron whose spin is bit eBit of e: +-sdZz on the
// diagonal (parallel / antiparallel), sdFlip to (e ^ eBit, m ^ 2^j) when antiparallel
// (each times local spin j's weight with EXTENDED_TERMS).
fn sdTerm(l: u32, c: vec2<f32>, e: u32, m: u32, j: u32, eBit: u32) -> vec2<f32> {
  var zz = chunk.sdZz;
  var flip = chunk.sdFlip;
  if (EXTENDED_TERMS) {
    let w = operatorWeight(localSpins() - 1u + j);
    zz = zz * w;
    flip = flip * w;
  }
  let be = (e & eBit) != 0u;
  let bl = ((m >> j) & 1u) != 0u;
  if (be == bl) {
    return zz * c;
  }
  return flip * srcAt(l ^ (eBit << localSpins()) ^ (1u << j)) - zz * c;
}

// (H src)[l] for local index l, where c = src[l] (the reductions' entry: one division by the row length).
fn applyHamiltonian(l: u32, c: vec2<f32>) -> vec2<f32> {
  let rowIndex = l / rowAmps();
  return applyHamiltonianInRow(rowIndex, l - rowIndex * rowAmps(), c);
}

// (H src)[l] at offset o of the chunk's row rowIndex, l = rowIndex rowAmps + o
// (the term kernel's entry: its 2-D grid gives row and offset, no division).
fn applyHamiltonianInRow(rowIndex: u32, o: u32, c: vec2<f32>) -> vec2<f32> {
  let N = sites();
  let L = localSpins();
  let mMask = (1u << L) - 1u;
  let nsBits = select(1u, 2u, electrons() == 2u);
  let blockBits = L + nsBits;
  let l = rowIndex * rowAmps() + o;
  let row = chunk.rowStart + rowIndex;
  let i = o & ((1u << blockBits) - 1u);
  let m = i & mMask;
  let e = i >> L;

  // Hopping of A (two electrons) or of the one electron: the neighbouring rows.
  let rowMinus = select(row - 1u, N - 1u, row == 0u);
  let rowPlus = select(row + 1u, 0u, row + 1u == N);
  var neighbours = rowAmplitude(rowMinus, o) + rowAmplitude(rowPlus, o);
  var jB = -1;
  if (electrons() == 2u) {
    // Hopping of B: neighbouring blocks inside the same row.
    let xB = o >> blockBits;
    let base = l - o;
    let xBm = select(xB - 1u, N - 1u, xB == 0u);
    let xBp = select(xB + 1u, 0u, xB + 1u == N);
    neighbours += srcAt(base + (xBm << blockBits) + i) + srcAt(base + (xBp << blockBits) + i);
    jB = spinAtSite[xB];
  }
  var h = chunk.hop * neighbours + diagonal[chunk.diagonalOffset + select(m, i, EXTENDED_TERMS)] * c;

  // J_ex flips: m ^ (3 << j) when local spins j and j+1 differ.
  for (var j = 0u; j + 1u < L; j++) {
    if ((((m >> j) ^ (m >> (j + 1u))) & 1u) != 0u) {
      if (EXTENDED_TERMS) {
        h += chunk.exchangeFlip * operatorWeight(j) * srcAt(l ^ (3u << j));
      } else {
        h += chunk.exchangeFlip * srcAt(l ^ (3u << j));
      }
    }
  }

  // sd exchange, only where an electron sits on a local spin.
  let jA = spinAtSite[row];
  if (jA >= 0) {
    h += sdTerm(l, c, e, m, u32(jA), select(1u, 2u, electrons() == 2u));
  }
  if (jB >= 0) {
    h += sdTerm(l, c, e, m, u32(jB), 1u);
  }
  return h;
}
