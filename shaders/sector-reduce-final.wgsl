// sector-reduce-final.wgsl — second level of the observable reductions of basis
// "sector" (the f32 twin of reduceSectorBlocks in src/backends/cpu/sector-kernel.ts):
// one chunk's share of a StateReduction, SECTOR_FINAL = 4 + 3 C + N floats at
// finals[outOffset]:
//   [ <H> (the records of sector-reduce-state.wgsl summed), 0, 0, 0,
//     for each configuration c < C: w_c = sum over blocks |psi(b, c)|^2,
//       and Re, Im of sum over blocks psi(b, c) conj(psi(b, pairOf[c])) (0 when c has no pair),
//     n(x) for x < N ]
// The host adds the shares of the chunks in f64 and turns the C weights into
// rho[e][e] and <S_z,j> (sectorSpinObservables) and the pairs into rho[e][f]:
// a few hundred bytes per output time come back.
//
// Bindings (group 0):
//   0   uniform              params       SectorFinal (below)
//   3   storage, read        state        the state reduced (psi, or an accumulator slot at selfOffset)
//   9   storage, read        sectorTable  the sector's tables (sector-hamiltonian.wgsl); here only
//                                         pairOf at pairsOffset: the configuration sharing the chain
//                                         with c and differing in e, or -1 (each c has at most one)
//   10  storage, read        records      sector-reduce-state's records, one vec4 per workgroup
//   13  storage, read_write  finals       the shares, one SECTOR_FINAL-long slice per (state, chunk)
//
// Layout: amplitude (block, c) at block C + c, blocks xA N + xB (two
// electrons) or x (one); the chunk holds the rows rowStart … rowStart+rows-1.
// Workgroup g (flattened 2-D grid) does one job, every invocation striding over
// its inputs, then one tree over a shared vec4 per invocation:
//   g = 0:        the records
//   1 <= g <= C:  configuration c = g - 1, over every block of the chunk (stride C)
//   g > C:        n(x), x = g - 1 - C: the blocks of column x (electron B at x) and,
//                 if row x is in the chunk, of row x (electron A at x), C amplitudes each,
//                 read in order; for one electron, block x.
// Cost: every amplitude read three times (weights and pairs, column, row), the
// pairs' partners once more.

struct SectorFinal {
  N: u32,
  electrons: u32,
  configs: u32,         // C
  rowStart: u32,
  rows: u32,
  records: u32,         // workgroups of sector-reduce-state
  selfOffset: u32,      // where the chunk starts in state (amplitudes)
  outOffset: u32,       // where this share starts in finals (floats)
  pairsOffset: u32,     // where pairOf starts in sectorTable
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: SectorFinal;
@group(0) @binding(3) var<storage, read> state: array<vec2<f32>>;
@group(0) @binding(9) var<storage, read> sectorTable: array<i32>;
@group(0) @binding(10) var<storage, read> records: array<vec4<f32>>;
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
  let g = wid.y * nwg.x + wid.x;
  let N = params.N;
  let C = params.configs;
  if (g >= 1u + C + N) {
    return;
  }
  let blocks = select(params.rows, params.rows * N, params.electrons == 2u);

  var v = vec4<f32>(0.0);
  if (g == 0u) {
    for (var r = t; r < params.records; r += REDUCE_WORKGROUP_SIZE) {
      v += records[r];
    }
  } else if (g <= C) {
    let c = g - 1u;
    let partner = sectorTable[params.pairsOffset + c];
    for (var b = t; b < blocks; b += REDUCE_WORKGROUP_SIZE) {
      let x = state[params.selfOffset + b * C + c];
      v.x += dot(x, x);
      if (partner >= 0) {
        let y = state[params.selfOffset + b * C + u32(partner)];
        // psi_c conj(psi_c')
        v.y += x.x * y.x + x.y * y.y;
        v.z += x.y * y.x - x.x * y.y;
      }
    }
  } else {
    let x = g - 1u - C;
    let inRows = x >= params.rowStart && x < params.rowStart + params.rows;
    if (params.electrons == 2u) {
      // Electron B at x: block (xA, x) for every row xA of the chunk.
      for (var i = t; i < params.rows * C; i += REDUCE_WORKGROUP_SIZE) {
        let r = i / C;
        v.x += weightAt((r * N + x) * C + i - r * C);
      }
      // Electron A at x: the whole row x, if it is in the chunk.
      if (inRows) {
        let first = (x - params.rowStart) * N * C;
        for (var i = t; i < N * C; i += REDUCE_WORKGROUP_SIZE) {
          v.x += weightAt(first + i);
        }
      }
    } else if (inRows) {
      let first = (x - params.rowStart) * C;
      for (var i = t; i < C; i += REDUCE_WORKGROUP_SIZE) {
        v.x += weightAt(first + i);
      }
    }
  }

  let total = workgroupSum(t, v);
  if (t == 0u) {
    let o = params.outOffset;
    if (g == 0u) {
      finals[o] = total.x;
      finals[o + 1u] = 0.0;
      finals[o + 2u] = 0.0;
      finals[o + 3u] = 0.0;
    } else if (g <= C) {
      let k = o + 4u + 3u * (g - 1u);
      finals[k] = total.x;
      finals[k + 1u] = total.y;
      finals[k + 2u] = total.z;
    } else {
      finals[o + 4u + 3u * C + g - 1u - C] = total.x;
    }
  }
}
