// workgroup-sum.wgsl — the tree sum both reduction kernels share (listed in
// front of reduce-state.wgsl and reduce-final.wgsl by src/backends/webgpu/kernels.ts).
// No bindings. One vec4 per invocation keeps the workgroup array small, which
// keeps shader compilation fast on software adapters.

override REDUCE_WORKGROUP_SIZE: u32 = 128u;

// Records of reduce-state, read by reduce-final: vec4s per workgroup.
const RECORD: u32 = 5u;

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
