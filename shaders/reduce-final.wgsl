// reduce-final.wgsl — second level of the observable reductions of basis
// "full" (sector-reduce-final.wgsl is the sector's): turns the
// partial sums of reduce-state.wgsl for one chunk into that chunk's share of a
// StateReduction, FINAL = 4 RECORD + L + N floats at finals[outOffset]:
//   [ record (4 RECORD floats: <H>, rho diagonal, rho off-diagonal pairs; see reduce-state.wgsl),
//     <S_z,j> for j < L,
//     n(x) for x < N ]
// The host adds the shares of the chunks (in f64) and fills in the Hermitian
// half of rho: a few hundred bytes per output time come back.
//
// Bindings (group 0):
//   0   uniform              params          Final (below)
//   10  storage, read        records         reduce-state's records, RECORD vec4 per workgroup
//   11  storage, read        segmentWeights  reduce-state's segment weights
//   12  storage, read        spinPartials    reduce-state's per-m weights, [group][m]
//   13  storage, read_write  finals          the shares, one FINAL-long slice per (state, chunk)
//
// Workgroup g (flattened 2-D grid) does one job, every thread striding over its
// inputs, then trees over one shared vec4 per invocation (one tree per record
// vec4 for g = 0, one for the other jobs):
//   g = 0:          the records (sum over reduce-state's workgroups)
//   1 <= g <= L:    <S_z,j> = sum_m w(m) (1/2 - bit_j(m)), j = g - 1 (paper Eq. 6)
//   g > L:          n(x), x = g - 1 - L: the blocks of row x (electron A at x) and of
//                   column x (electron B at x) in this chunk; for one electron, block x.
// Cost: each input read once, except the spin weights, read once per local spin.

struct Final {
  N: u32,
  L: u32,
  electrons: u32,
  rowStart: u32,
  rows: u32,
  records: u32,            // workgroups of reduce-state
  spinValues: u32,         // groups * 2^L
  segmentsPerBlock: u32,
  outOffset: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Final;
@group(0) @binding(10) var<storage, read> records: array<vec4<f32>>;
@group(0) @binding(11) var<storage, read> segmentWeights: array<f32>;
@group(0) @binding(12) var<storage, read> spinPartials: array<f32>;
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
  let g = wid.y * nwg.x + wid.x;
  let N = params.N;
  let L = params.L;
  let jobs = 1u + L + N;
  if (g >= jobs) {
    return;
  }

  var r0 = vec4<f32>(0.0);
  var r1 = vec4<f32>(0.0);
  var r2 = vec4<f32>(0.0);
  var r3 = vec4<f32>(0.0);
  var r4 = vec4<f32>(0.0);
  if (g == 0u) {
    for (var r = t; r < params.records; r += REDUCE_WORKGROUP_SIZE) {
      let i = r * RECORD;
      r0 += records[i];
      r1 += records[i + 1u];
      r2 += records[i + 2u];
      r3 += records[i + 3u];
      r4 += records[i + 4u];
    }
  } else if (g <= L) {
    let j = g - 1u;
    let mMask = (1u << L) - 1u;
    var sz = 0.0;
    for (var i = t; i < params.spinValues; i += REDUCE_WORKGROUP_SIZE) {
      let w = spinPartials[i];
      sz += select(0.5 * w, -0.5 * w, (((i & mMask) >> j) & 1u) != 0u);
    }
    r0.x = sz;
  } else {
    let x = g - 1u - L;
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
    r0.x = n;
  }

  if (g == 0u) {
    let s0 = workgroupSum(t, r0);
    let s1 = workgroupSum(t, r1);
    let s2 = workgroupSum(t, r2);
    let s3 = workgroupSum(t, r3);
    let s4 = workgroupSum(t, r4);
    if (t == 0u) {
      let o = params.outOffset;
      for (var i = 0u; i < 4u; i++) {
        finals[o + i] = s0[i];
        finals[o + 4u + i] = s1[i];
        finals[o + 8u + i] = s2[i];
        finals[o + 12u + i] = s3[i];
        finals[o + 16u + i] = s4[i];
      }
    }
  } else {
    let total = workgroupSum(t, r0);
    if (t == 0u) {
      finals[params.outOffset + 4u * RECORD + g - 1u] = total.x;
    }
  }
}
