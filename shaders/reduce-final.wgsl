// reduce-final.wgsl — the density n(x) of one chunk of a basis-"full" state,
// from the segment weights of reduce-state.wgsl (sector-reduce-final.wgsl is
// the sector's). The rest of a chunk's share (<H>, rho, <S_z,j>) is the sum of
// reduce-state's records, which sum-records.wgsl forms in parallel trees and
// writes in front of n(x):
//   finals[outOffset …]:  [ record (4 fullRecordVec4s(L) floats), n(x) for x < N ]
// The host adds the shares of the chunks (in f64) and fills in the Hermitian
// half of rho: a few hundred bytes per output time come back.
//
// Bindings (group 0):
//   0   uniform              params          Final (below)
//   11  storage, read        segmentWeights  reduce-state's segment weights
//   13  storage, read_write  finals          the shares, one slice per (state, chunk)
//
// Workgroup x (flattened 2-D grid, N of them) forms n(x), every invocation
// striding over its inputs, then one tree over a shared vec4 per invocation:
// the blocks of row x (electron A at x) and of column x (electron B at x) in
// this chunk; for one electron, block x.
// Cost: each segment weight read twice (once as a row, once as a column).

struct Final {
  N: u32,
  L: u32,
  electrons: u32,
  rowStart: u32,
  rows: u32,
  segmentsPerBlock: u32,
  densityOffset: u32,      // where n(0) of this share lies in finals (floats)
  pad0: u32,
  pad1: u32,
  pad2: u32,
  pad3: u32,
  pad4: u32,
}

@group(0) @binding(0) var<uniform> params: Final;
@group(0) @binding(11) var<storage, read> segmentWeights: array<f32>;
@group(0) @binding(13) var<storage, read_write> finals: array<f32>;

fn blockWeight(block: u32) -> f32 {
  var w = 0.0;
  let first = block * params.segmentsPerBlock;
  for (var s = 0u; s < params.segmentsPerBlock; s++) {
    w += segmentWeights[first + s];
  }
  return w;
}

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let x = wid.y * nwg.x + wid.x;
  let N = params.N;
  if (x >= N) {
    return;
  }
  let inRows = x >= params.rowStart && x < params.rowStart + params.rows;
  var n = 0.0;
  if (params.electrons == 2u) {
    // Electron B at x: block (xA, x) for every row xA of the chunk.
    for (var r = t; r < params.rows; r += REDUCE_WORKGROUP_SIZE) {
      n += blockWeight(r * N + x);
    }
    // Electron A at x: the whole row x, if it is in the chunk.
    if (inRows) {
      let first = (x - params.rowStart) * N;
      for (var xB = t; xB < N; xB += REDUCE_WORKGROUP_SIZE) {
        n += blockWeight(first + xB);
      }
    }
  } else if (inRows && t == 0u) {
    n = blockWeight(x - params.rowStart);
  }
  let total = workgroupSum(t, vec4<f32>(n, 0.0, 0.0, 0.0));
  if (t == 0u) {
    finals[params.densityOffset + x] = total.x;
  }
}
