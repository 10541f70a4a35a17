// state-chunk.wgsl — one chunk of a state vector and its neighbours, and the
// uniform that places it. A library, not a kernel: src/backends/webgpu/kernels.ts
// puts it in front of the operator library (hamiltonian.wgsl for basis "full",
// sector-hamiltonian.wgsl for basis "sector") and of the kernels that use them.
//
// Bindings (group 0):
//   0  uniform               chunk       Chunk: where the chunk lies, the operator's scalars
//   2  storage, read         srcPrev     state of the previous chunk (its last row is the row-1 neighbour of our first)
//   3  storage, read         src         state of this chunk
//   4  storage, read         srcNext     state of the next chunk (its first row is the row+1 neighbour of our last)
// With one chunk, srcPrev, src and srcNext are the same buffer.
//
// Layout: interleaved complex as vec2<f32>, orbital blocks in the order of
// src/model/layout.ts (block xA N + xB, or x), `rowAmps` amplitudes per row, a
// row being one xA (two electrons: N orbital blocks) or one x (one electron:
// one block). A chunk holds the whole rows rowStart … rowStart+rows-1. Local
// index l counts from the chunk's first amplitude; a buffer may hold the chunk
// at an offset (selfOffset …) so an accumulator slot can be read like a state.
// No cost of its own: one read per call.

struct Chunk {
  N: u32,               // sites on the ring
  L: u32,               // local spins
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
  diagonalOffset: u32,  // which operator's diagonal: 0 (scaled H~) or one table further (unscaled H)
  configs: u32,         // basis "sector": configurations per orbital block, C (0 in basis "full")
  neighboursOffset: u32,// basis "sector": where the J_ex gather lists start in the sector table
  partnersOffset: u32,  // basis "sector": where the sd partner table starts in the sector table
  hop: f32,             // -t_h (scaled)
  exchangeFlip: f32,    // -J_ex/2 (scaled)
  sdZz: f32,            // sd diagonal, + parallel / - antiparallel (scaled)
  sdFlip: f32,          // sd flip element (scaled)
}

// The problem's shape as pipeline-overridable constants (issue 19): the term
// kernel's pipeline is compiled per shape (src/backends/webgpu/kernels.ts
// caches it by a key), so loop bounds, shifts and the divisions by C and by the
// row length are constants the driver's compiler folds (a division by a
// constant becomes a multiply and a shift). 0 (the default, what the reduction
// kernels keep) means: read it from the uniform, one pipeline for every shape.
override SITES: u32 = 0u;        // N
override LOCAL_SPINS: u32 = 0u;  // L
override ELECTRONS: u32 = 0u;    // 1 or 2
override CONFIGS: u32 = 0u;      // basis "sector": C
override ROW_AMPS: u32 = 0u;     // amplitudes per row

@group(0) @binding(0) var<uniform> chunk: Chunk;

fn sites() -> u32 {
  return select(chunk.N, SITES, SITES != 0u);
}
fn localSpins() -> u32 {
  return select(chunk.L, LOCAL_SPINS, LOCAL_SPINS != 0u);
}
fn electrons() -> u32 {
  return select(chunk.electrons, ELECTRONS, ELECTRONS != 0u);
}
fn configs() -> u32 {
  return select(chunk.configs, CONFIGS, CONFIGS != 0u);
}
fn rowAmps() -> u32 {
  return select(chunk.rowAmps, ROW_AMPS, ROW_AMPS != 0u);
}
@group(0) @binding(2) var<storage, read> srcPrev: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> srcNext: array<vec2<f32>>;

fn srcAt(l: u32) -> vec2<f32> {
  return src[chunk.selfOffset + l];
}

// Amplitude at offset o inside row `row` (0 … N-1), wherever that row lives:
// this chunk, the previous one (row rowStart-1) or the next (row rowStart+rows).
fn rowAmplitude(row: u32, o: u32) -> vec2<f32> {
  let N = sites();
  var d = row + N - chunk.rowStart;
  if (d >= N) {
    d -= N;
  }
  if (d < chunk.rows) {
    return src[chunk.selfOffset + d * rowAmps() + o];
  }
  if (d == N - 1u) {
    return srcPrev[chunk.prevOffset + chunk.prevLast + o];
  }
  return srcNext[chunk.nextOffset + o];
}
