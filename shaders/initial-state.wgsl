// initial-state.wgsl — the initial state built on the GPU from its product
// terms (src/model/initial-state.ts: initialProductState), one chunk of rows
// at a time, so no state-sized f64 array exists on the host (issue 19):
//   psi(xA, xB, c) = scale * sum over terms t of coef_t(c) f_t(xA) g_t(xB)
// (one electron: psi(x, c) = scale * sum_t coef_t(c) f_t(x)), where coef_t(c)
// = weight_t chi_t(e) for the at most 4 configurations c = allUpIndex(e) with
// chi_t(e) != 0 (local spins all up), 0 elsewhere. Same layout in every basis:
// amplitude (block, c) at block blockSize + c; in basis "antisymmetric" (folded:
// src/backends/webgpu/antisymmetric-layout.ts) folded row p holds the blocks
// (p, b >= p), then (N - 1 - p, b >= N - 1 - p), and the kept terms are the
// product terms' with xA <= xB (model/initial-state.ts: addProductState).
//
// Bindings (group 0):
//   0  uniform              params    Init (below)
//   1  storage, read        product   per term, TERM_FLOATS floats: f (2 N), g (2 N), then 4 entries
//                                     (configuration as bitcast i32, -1 unused; Re, Im of scale weight chi_e)
//   2  storage, read_write  psi       this chunk's state buffer
//
// Grid as the term kernel's: (rows of the chunk) x (tiles of WORKGROUP_SIZE
// amplitudes along a row). Runs once per load; cost: one write per amplitude.

struct Init {
  N: u32,
  blockSize: u32,
  electrons: u32,
  rowStart: u32,
  rows: u32,
  rowAmps: u32,
  terms: u32,
  folded: u32,          // 1: basis "antisymmetric" (rows are folded rows of the triangle)
}

@group(0) @binding(0) var<uniform> params: Init;
@group(0) @binding(1) var<storage, read> product: array<f32>;
@group(0) @binding(2) var<storage, read_write> psi: array<vec2<f32>>;

override WORKGROUP_SIZE: u32 = 64u;

fn packetAt(base: u32, x: u32) -> vec2<f32> {
  return vec2<f32>(product[base + 2u * x], product[base + 2u * x + 1u]);
}

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
  if (rowIndex >= params.rows || o >= params.rowAmps) {
    return;
  }
  let N = params.N;
  var x = params.rowStart + rowIndex;
  var xB = o / params.blockSize;
  let c = i32(o - xB * params.blockSize);
  if (params.folded != 0u && xB >= N - x) {
    // The second part of folded row p = x: triangle row N - 1 - p (none, padding, in the middle of odd N).
    let a = N - 1u - x;
    if (a <= x) {
      psi[rowIndex * params.rowAmps + o] = vec2<f32>(0.0);
      return;
    }
    xB = a + xB - (N - x);
    x = a;
  } else if (params.folded != 0u) {
    xB += x;
  }
  let termFloats = 4u * N + 12u;
  var v = vec2<f32>(0.0);
  for (var t = 0u; t < params.terms; t++) {
    let base = t * termFloats;
    var coef = vec2<f32>(0.0);
    for (var k = 0u; k < 4u; k++) {
      let e = base + 4u * N + 3u * k;
      if (bitcast<i32>(product[e]) == c) {
        coef += vec2<f32>(product[e + 1u], product[e + 2u]);
      }
    }
    if (coef.x != 0.0 || coef.y != 0.0) {
      var orbital = packetAt(base, x);
      if (params.electrons == 2u) {
        orbital = cmul(orbital, packetAt(base + 2u * N, xB));
      }
      v += cmul(coef, orbital);
    }
  }
  psi[rowIndex * params.rowAmps + o] = v;
}
