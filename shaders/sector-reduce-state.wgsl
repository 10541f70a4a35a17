// sector-reduce-state.wgsl — first level of the observable reductions of basis
// "sector" on one chunk of one state: <psi|H|psi> per workgroup. Needs
// state-chunk.wgsl, sector-hamiltonian.wgsl and workgroup-sum.wgsl in front of
// it; srcPrev / src / srcNext hold the state to reduce (psi, or an accumulator
// slot at an offset) and the uniform carries the UNSCALED H.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4) and
// sector-hamiltonian.wgsl (8, 9):
//   10  storage, read_write  records   per workgroup: (sum of Re conj(psi_l) (H psi)_l, 0, 0, 0)
//
// One invocation per amplitude l of the chunk (block C + c, so neighbouring
// invocations read neighbouring amplitudes, like the term kernel); a 2-D grid
// of workgroups, flattened. The weights of each configuration, the spin pairs
// and n(x) need no H and are summed by sector-reduce-final.wgsl straight from
// the state.
// Cost per amplitude: one H application (as in sector-hamiltonian.wgsl), one
// workgroup tree per RWG amplitudes.

@group(0) @binding(10) var<storage, read_write> records: array<vec4<f32>>;

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let wg = wid.y * nwg.x + wid.x;
  let l = wg * REDUCE_WORKGROUP_SIZE + t;
  // Workgroups past the end (the 2-D grid rounds up) write nothing.
  if (wg * REDUCE_WORKGROUP_SIZE >= chunk.chunkAmps) {
    return;
  }
  var energy = 0.0;
  if (l < chunk.chunkAmps) {
    let x = srcAt(l);
    energy = dot(x, applyHamiltonian(l, x));
  }
  let total = workgroupSum(t, vec4<f32>(energy, 0.0, 0.0, 0.0));
  if (t == 0u) {
    records[wg] = total;
  }
}
