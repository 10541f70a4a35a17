// copy.wgsl — the bandwidth reference of bench/core/webgpu-target.ts: a plain
// copy of complex f32 amplitudes, dst[l] = src[l], 16 bytes moved per amplitude.
// The Chebyshev term's effective bandwidth is compared with it, measured in
// the same run on the same adapter.
//
// Bindings (group 0):
//   0  storage, read        src   vec2<f32> amplitudes
//   1  storage, read_write  dst   vec2<f32> amplitudes, as many
// One invocation per amplitude (2-D grid of workgroups, flattened).

@group(0) @binding(0) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec2<f32>>;

override WORKGROUP_SIZE: u32 = 64u;

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let l = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  if (l < arrayLength(&dst)) {
    dst[l] = src[l];
  }
}
