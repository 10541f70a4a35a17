// chebyshev-term.wgsl — one Chebyshev term on one chunk, recurrence and
// accumulation fused (the f32 twin of chebyshevTermBlocks in
// src/backends/cpu/kernel.ts, and of sectorTermOnBlock in sector-kernel.ts).
// Needs state-chunk.wgsl and an operator library in front of it:
// hamiltonian.wgsl (basis "full") or sector-hamiltonian.wgsl (basis "sector"),
// which bind the same slots; this file is the same for both.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4) and of the
// operator library (8, 9),
// where srcPrev / src / srcNext hold T_{k-1}:
//   1  uniform, dynamic offset  term   Term: k and the number of accumulators
//   5  storage, read_write      next   T_{k-2} on entry, T_k on exit (this chunk)
//   6  storage, read_write      acc    accumulator slots q = 0 … accumulators-1, each chunkAmps long
//   7  storage, read            coef   (-i)^k w_q[k] as vec2, row k holds the accumulators' coefficients
//
// One invocation per amplitude; the grid is (rows of the chunk) x (tiles of
// WORKGROUP_SIZE amplitudes along a row; y, then z beyond the grid's limit).
// Workgroups run x fastest, so consecutive workgroups take the same tile of
// consecutive rows: the rows xA - 1 and xA + 1 that a tile reads for the
// hopping of A are read again by the workgroups just before and after it, a
// few tiles later rather than a whole row (several MB at large L) later, and
// stay in the GPU's cache (issue 19). Row and offset come from the grid: no
// division per amplitude.
//   k = 0:  acc_q = coef[0][q] src                                  (no H)
//   k = 1:  next  = H~ src;  acc_q = coef[0][q] src + coef[1][q] next
//   k >= 2: next  = 2 H~ src - next;  acc_q += coef[k][q] next
// Cost per amplitude (k >= 2): read T_{k-1} (and its neighbours, mostly
// cached), read and write next, read and write every accumulator.

struct Term {
  k: u32,
  accumulators: u32,
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(1) var<uniform> term: Term;
@group(0) @binding(5) var<storage, read_write> next: array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> acc: array<vec2<f32>>;
@group(0) @binding(7) var<storage, read> coef: array<vec2<f32>>;

override WORKGROUP_SIZE: u32 = 64u;
// Output times of the expansion as a pipeline constant (0: read term.accumulators).
override ACCUMULATORS: u32 = 0u;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let rowIndex = wid.x;
  let o = (wid.z * nwg.y + wid.y) * WORKGROUP_SIZE + lid;
  if (rowIndex >= chunk.rows || o >= rowAmps()) {
    return;
  }
  let l = rowIndex * rowAmps() + o;
  let amps = chunk.chunkAmps;
  let k = term.k;
  let accumulators = select(term.accumulators, ACCUMULATORS, ACCUMULATORS != 0u);
  let c = srcAt(l);
  if (k == 0u) {
    for (var q = 0u; q < accumulators; q++) {
      acc[q * amps + l] = cmul(coef[q], c);
    }
    return;
  }
  let h = applyHamiltonianInRow(rowIndex, o, c);
  var v = h;
  if (k >= 2u) {
    v = 2.0 * h - next[l];
  }
  next[l] = v;
  let row = k * accumulators;
  if (k == 1u) {
    for (var q = 0u; q < accumulators; q++) {
      acc[q * amps + l] = cmul(coef[q], c) + cmul(coef[row + q], v);
    }
  } else {
    for (var q = 0u; q < accumulators; q++) {
      let a = q * amps + l;
      acc[a] = acc[a] + cmul(coef[row + q], v);
    }
  }
}
