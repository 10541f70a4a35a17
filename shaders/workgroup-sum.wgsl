// workgroup-sum.wgsl — the tree sum both reduction kernels share (listed in
// front of the reduction kernels by src/backends/webgpu/kernels.ts).
// No bindings. One vec4 per invocation keeps the workgroup array small, which
// keeps shader compilation fast on software adapters.

override REDUCE_WORKGROUP_SIZE: u32 = 128u;

// The fixed part of a record of reduce-state.wgsl (basis "full"): <H> and rho, in vec4s.
const RECORD: u32 = 5u;

// A whole record of reduce-state.wgsl: RECORD vec4, then <S_z,j> for j < L in ceil(L / 4) vec4.
fn fullRecordVec4s(L: u32) -> u32 {
  return RECORD + (L + 3u) / 4u;
}

var<workgroup> shared4: array<vec4<f32>, REDUCE_WORKGROUP_SIZE>;

// Sum of v over the workgroup (every invocation gets it).
fn workgroupSum(t: u32, v: vec4<f32>) -> vec4<f32> {
  shared4[t] = v;
  workgroupBarrier();
  for (var s = REDUCE_WORKGROUP_SIZE / 2u; s > 0u; s >>= 1u) {
    if (t < s) {
      shared4[t] += shared4[t + s];
    }
    workgroupBarrier();
  }
  let total = shared4[0];
  workgroupBarrier();
  return total;
}
