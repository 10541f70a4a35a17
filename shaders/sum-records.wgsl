// sum-records.wgsl — one level of the parallel sum of the first-level
// reduction records (reduce-state.wgsl: one record per workgroup;
// sector-reduce-state.wgsl: one record per strip of blocks). A record is
// `width` vec4; `count` records in partsIn become ceil(count / RWG) records in
// partsOut, each the tree sum of RWG consecutive records. The backend repeats
// it (records -> partials -> records …) until one record is left, and the last
// level writes it into the chunk's share in finals. So every f32 sum is a tree
// of depth log2(RWG) per level (short sums: issue 19), every level runs on as
// many workgroups as it has groups times vec4s, and no workgroup reads more
// than RWG vec4.
//
// Bindings (group 0):
//   0  uniform, dynamic offset  level     Level (below)
//   1  storage, read            partsIn   count records of width vec4, back to back
//   2  storage, read_write      partsOut  ceil(count / RWG) records, from outOffset (vec4s)
//
// Workgroup (g, v), g over groups (x, then y when x is full), v = wid.z the
// vec4 of the record (and every nwg.z-th after it): invocation t reads vec4 v of record g RWG + t.
// Cost: each input vec4 read once; reads of one workgroup are `width` vec4s
// apart (the records are a few thousandths of the state).

struct Level {
  count: u32,
  width: u32,
  outOffset: u32,
  pad0: u32,
}

@group(0) @binding(0) var<uniform> level: Level;
@group(0) @binding(1) var<storage, read> partsIn: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> partsOut: array<vec4<f32>>;

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let g = wid.y * nwg.x + wid.x;
  let groups = (level.count + REDUCE_WORKGROUP_SIZE - 1u) / REDUCE_WORKGROUP_SIZE;
  if (g >= groups) {
    return;
  }
  let r = g * REDUCE_WORKGROUP_SIZE + t;
  // Records wider than the grid's z dimension: each workgroup takes every nwg.z-th vec4.
  for (var v = wid.z; v < level.width; v += nwg.z) {
    var x = vec4<f32>(0.0);
    if (r < level.count) {
      x = partsIn[r * level.width + v];
    }
    let total = workgroupSum(t, x);
    if (t == 0u) {
      partsOut[level.outOffset + g * level.width + v] = total;
    }
  }
}
