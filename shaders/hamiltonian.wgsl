// hamiltonian.wgsl — the matrix-free H of MODEL.md on one chunk of the state.
// A library, not a kernel: src/backends/webgpu/kernels.ts puts it in front of
// chebyshev-term.wgsl and reduce-state.wgsl, which use applyHamiltonian().
//
// Bindings (group 0), declared here for both kernels:
//   0  uniform               chunk       Chunk: where the chunk lies, the operator's scalars
//   2  storage, read         srcPrev     state of the previous chunk (its last row is the xA-1 neighbour of our first)
//   3  storage, read         src         state of this chunk
//   4  storage, read         srcNext     state of the next chunk (its first row is the xA+1 neighbour of our last)
//   8  storage, read         diagonal    J_ex diagonal + shift per local-spin configuration m, two operators back to back
//   9  storage, read         spinAtSite  local spin j on each site, or -1
// With one chunk, srcPrev, src and srcNext are the same buffer.
//
// Layout (src/model/layout.ts): amplitude (xA, xB, e, m) sits at
// ((xA N + xB) ns + e) 2^L + m, interleaved complex as vec2<f32>. A chunk holds
// the whole rows rowStart … rowStart+rows-1, a row being one xA (two
// electrons: N orbital blocks) or one x (one electron: one block). Local index
// l counts from the chunk's first amplitude; a buffer may hold the chunk at an
// offset (selfOffset …) so an accumulator slot can be read like a state.
//
// Every number comes from HamiltonianTerms (src/model/hamiltonian.ts), through
// the uniform and the diagonal buffer: the shader knows the structure of H,
// not its physics.
// Cost per amplitude: 4 neighbour reads (2 for one electron), the diagonal,
// up to L-1 exchange flips, and the sd terms on the 2L/N fraction of blocks
// where an electron sits on a local spin.

struct Chunk {
  N: u32,               // sites on the ring
  L: u32,               // local spins; 2^L configurations m
  electrons: u32,       // 1 or 2
  eBitA: u32,           // bit of electron A's spin in e: 2 (two electrons) or 1 (one)
  rowAmps: u32,         // amplitudes per row
  rowStart: u32,        // first row (xA or x) of the chunk
  rows: u32,            // rows in the chunk
  chunkAmps: u32,       // rows * rowAmps
  prevLast: u32,        // local index of the previous chunk's last row
  selfOffset: u32,      // where the chunk starts in src (amplitudes)
  prevOffset: u32,      // … in srcPrev
  nextOffset: u32,      // … in srcNext
  diagonalOffset: u32,  // which operator's diagonal: 0 or 2^L
  pad0: u32,
  pad1: u32,
  pad2: u32,
  hop: f32,             // -t_h (scaled)
  exchangeFlip: f32,    // -J_ex/2 (scaled)
  sdZz: f32,            // sd diagonal, + parallel / - antiparallel (scaled)
  sdFlip: f32,          // sd flip element (scaled)
}

@group(0) @binding(0) var<uniform> chunk: Chunk;
@group(0) @binding(2) var<storage, read> srcPrev: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> srcNext: array<vec2<f32>>;
@group(0) @binding(8) var<storage, read> diagonal: array<f32>;
@group(0) @binding(9) var<storage, read> spinAtSite: array<i32>;

fn srcAt(l: u32) -> vec2<f32> {
  return src[chunk.selfOffset + l];
}

// Amplitude at offset o inside row `row` (0 … N-1), wherever that row lives:
// this chunk, the previous one (row rowStart-1) or the next (row rowStart+rows).
fn rowAmplitude(row: u32, o: u32) -> vec2<f32> {
  let d = (row + chunk.N - chunk.rowStart) % chunk.N;
  if (d < chunk.rows) {
    return src[chunk.selfOffset + d * chunk.rowAmps + o];
  }
  if (d == chunk.N - 1u) {
    return srcPrev[chunk.prevOffset + chunk.prevLast + o];
  }
  return srcNext[chunk.nextOffset + o];
}

// -J_sd sigma.S_j for the electron whose spin is bit eBit of e: +-sdZz on the
// diagonal (parallel / antiparallel), sdFlip to (e ^ eBit, m ^ 2^j) when antiparallel.
fn sdTerm(l: u32, c: vec2<f32>, e: u32, m: u32, j: u32, eBit: u32) -> vec2<f32> {
  let be = (e & eBit) != 0u;
  let bl = ((m >> j) & 1u) != 0u;
  if (be == bl) {
    return chunk.sdZz * c;
  }
  return chunk.sdFlip * srcAt(l ^ (eBit << chunk.L) ^ (1u << j)) - chunk.sdZz * c;
}

// (H src)[l] for local index l, where c = src[l].
fn applyHamiltonian(l: u32, c: vec2<f32>) -> vec2<f32> {
  let N = chunk.N;
  let L = chunk.L;
  let mMask = (1u << L) - 1u;
  let nsBits = select(1u, 2u, chunk.electrons == 2u);
  let blockBits = L + nsBits;
  let rowIndex = l / chunk.rowAmps;
  let o = l - rowIndex * chunk.rowAmps;
  let row = chunk.rowStart + rowIndex;
  let i = o & ((1u << blockBits) - 1u);
  let m = i & mMask;
  let e = i >> L;

  // Hopping of A (two electrons) or of the one electron: the neighbouring rows.
  let rowMinus = select(row - 1u, N - 1u, row == 0u);
  let rowPlus = select(row + 1u, 0u, row + 1u == N);
  var neighbours = rowAmplitude(rowMinus, o) + rowAmplitude(rowPlus, o);
  var jB = -1;
  if (chunk.electrons == 2u) {
    // Hopping of B: neighbouring blocks inside the same row.
    let xB = o >> blockBits;
    let base = l - o;
    let xBm = select(xB - 1u, N - 1u, xB == 0u);
    let xBp = select(xB + 1u, 0u, xB + 1u == N);
    neighbours += srcAt(base + (xBm << blockBits) + i) + srcAt(base + (xBp << blockBits) + i);
    jB = spinAtSite[xB];
  }
  var h = chunk.hop * neighbours + diagonal[chunk.diagonalOffset + m] * c;

  // J_ex flips: m ^ (3 << j) when local spins j and j+1 differ.
  for (var j = 0u; j + 1u < L; j++) {
    if ((((m >> j) ^ (m >> (j + 1u))) & 1u) != 0u) {
      h += chunk.exchangeFlip * srcAt(l ^ (3u << j));
    }
  }

  // sd exchange, only where an electron sits on a local spin.
  let jA = spinAtSite[row];
  if (jA >= 0) {
    h += sdTerm(l, c, e, m, u32(jA), chunk.eBitA);
  }
  if (jB >= 0) {
    h += sdTerm(l, c, e, m, u32(jB), 1u);
  }
  return h;
}
