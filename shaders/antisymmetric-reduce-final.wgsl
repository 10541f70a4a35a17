// antisymmetric-reduce-final.wgsl — the density n(x) of one chunk of a state of
// basis "antisymmetric", read from the state itself (sector-reduce-final.wgsl's
// twin for the folded triangle, src/backends/webgpu/antisymmetric-layout.ts).
// The rest of a chunk's share (per configuration c: w_c, the spin pair of c,
// <H> over c) is the sum of antisymmetric-reduce-state's strip records, which
// sum-records.wgsl writes in front of n(x):
//   finals[outOffset …]:  [ C vec4 (w_c, Re, Im of the pair, <H> part), n(x) for x < N ]
//
// Counting both partners: the sector's n(x) adds every block with A or B on x,
// and a kept block (a, b), a < b, and its partner (b, a) put the same weight on
// a and on b; so n(x) = 2 (row x of the triangle + its column x above the
// diagonal), the diagonal block (x, x) once. This kernel writes the bracket,
// the host doubles it with everything else (antisymmetricSpinObservables).
//
// Bindings (group 0): as sector-reduce-final.wgsl
//   0   uniform              params   SectorFinal (rows and rowStart in folded rows)
//   3   storage, read        state    the state reduced (psi, or an accumulator slot at selfOffset)
//   13  storage, read_write  finals   the shares, one slice per (state, chunk)
//
// Workgroup x (flattened 2-D grid, N of them): the blocks (a, x), a < x, of the
// chunk's triangle rows (both parts of each folded row: C amplitudes in a run,
// invocations walking (part of a row, c) with c fastest), and triangle row x
// if its folded row is in the chunk ((N - x) C amplitudes in a run). Then one
// tree over a shared vec4 per invocation. Cost: every amplitude read about
// twice, as in the sector.

struct SectorFinal {
  N: u32,
  electrons: u32,
  configs: u32,         // C
  rowStart: u32,        // first folded row of the chunk
  rows: u32,            // folded rows in the chunk
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
  let rowAmps = (N + 1u) * C;
  var n = 0.0;
  // Column x above the diagonal: part q % 2 of folded row q / 2 is triangle row a, block (a, x) if a < x.
  let step = REDUCE_WORKGROUP_SIZE;
  var q = t / C;
  var c = t - q * C;
  let dq = step / C;
  let dc = step - dq * C;
  while (q < 2u * params.rows) {
    let p = params.rowStart + q / 2u;
    var a = p;
    var first = 0u;
    if ((q & 1u) == 1u) {
      a = N - 1u - p;
      first = N - p;
    }
    // The second part exists only when a > p (for odd N, the middle row has none).
    if (a < x && ((q & 1u) == 0u || a > p)) {
      n += weightAt((q / 2u) * rowAmps + (first + x - a) * C + c);
    }
    q += dq;
    c += dc;
    if (c >= C) {
      c -= C;
      q += 1u;
    }
  }
  // Triangle row x, if its folded row is in the chunk.
  var f = x;
  var first = 0u;
  if (2u * x > N - 1u) {
    f = N - 1u - x;
    first = N - f;
  }
  if (f >= params.rowStart && f < params.rowStart + params.rows) {
    let start = (f - params.rowStart) * rowAmps + first * C;
    for (var i = t; i < (N - x) * C; i += REDUCE_WORKGROUP_SIZE) {
      n += weightAt(start + i);
    }
  }
  let total = workgroupSum(t, vec4<f32>(n, 0.0, 0.0, 0.0));
  if (t == 0u) {
    finals[params.densityOffset + x] = total.x;
  }
}
