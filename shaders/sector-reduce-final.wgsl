// sector-reduce-final.wgsl — the density n(x) of one chunk of a basis-"sector"
// state, read from the state itself (reduce-final.wgsl is the full basis's).
// The rest of a chunk's share (per configuration c: w_c, the spin pair of c,
// and <H> over c) is the sum of sector-reduce-state's strip records, which
// sum-records.wgsl forms in parallel trees and writes in front of n(x):
//   finals[outOffset …]:  [ C vec4 (w_c, Re, Im of the pair, <H> part), n(x) for x < N ]
// The host adds the shares of the chunks in f64 and turns the C weights into
// rho[e][e] and <S_z,j> (sectorSpinObservables), the pairs into rho[e][f] and
// the C energy parts into <H>: a few hundred bytes per output time come back.
//
// Bindings (group 0):
//   0   uniform              params   SectorFinal (below)
//   3   storage, read        state    the state reduced (psi, or an accumulator slot at selfOffset)
//   13  storage, read_write  finals   the shares, one slice per (state, chunk)
//
// Layout: amplitude (block, c) at block C + c, blocks xA N + xB (two
// electrons) or x (one); the chunk holds the rows rowStart … rowStart+rows-1.
// Workgroup x (flattened 2-D grid, N of them) sums n(x), every invocation
// striding over consecutive amplitudes: the blocks of column x (electron B at
// x, C amplitudes in a run per row) and, if row x is in the chunk, the whole
// row x (electron A at x, N C amplitudes in a run); for one electron, block x.
// Then one tree over a shared vec4 per invocation.
// Cost: every amplitude read twice (once in its column, once in its row).

struct SectorFinal {
  N: u32,
  electrons: u32,
  configs: u32,         // C
  rowStart: u32,
  rows: u32,
  selfOffset: u32,      // where the chunk starts in state (amplitudes)
  densityOffset: u32,   // where n(0) of this share lies in finals (floats)
  pad0: u32,
  pad1: u32,
  pad2: u32,
  pad3: u32,
  pad4: u32,
}

@group(0) @binding(0) var<uniform> params: SectorFinal;
@group(0) @binding(3) var<storage, read> state: array<vec2<f32>>;
@group(0) @binding(13) var<storage, read_write> finals: array<f32>;

fn weightAt(l: u32) -> f32 {
  let x = state[params.selfOffset + l];
  return dot(x, x);
}

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let x = wid.y * nwg.x + wid.x;
  let N = params.N;
  let C = params.configs;
  if (x >= N) {
    return;
  }
  let inRows = x >= params.rowStart && x < params.rowStart + params.rows;
  var n = 0.0;
  if (params.electrons == 2u) {
    // Electron B at x: block (xA, x) for every row xA of the chunk, C amplitudes each.
    // Invocations walk (row, c) with c fastest; the division by C happens once per
    // row step of each invocation, not per amplitude.
    let step = REDUCE_WORKGROUP_SIZE;
    var r = t / C;
    var c = t - r * C;
    let dr = step / C;
    let dc = step - dr * C;
    while (r < params.rows) {
      n += weightAt((r * N + x) * C + c);
      r += dr;
      c += dc;
      if (c >= C) {
        c -= C;
        r += 1u;
      }
    }
    // Electron A at x: the whole row x, if it is in the chunk.
    if (inRows) {
      let first = (x - params.rowStart) * N * C;
      for (var i = t; i < N * C; i += REDUCE_WORKGROUP_SIZE) {
        n += weightAt(first + i);
      }
    }
  } else if (inRows) {
    let first = (x - params.rowStart) * C;
    for (var i = t; i < C; i += REDUCE_WORKGROUP_SIZE) {
      n += weightAt(first + i);
    }
  }
  let total = workgroupSum(t, vec4<f32>(n, 0.0, 0.0, 0.0));
  if (t == 0u) {
    finals[params.densityOffset + x] = total.x;
  }
}
