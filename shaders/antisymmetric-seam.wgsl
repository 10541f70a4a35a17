// antisymmetric-seam.wgsl — gathers the ring's seam of a state of basis
// "antisymmetric" that lies in several chunks: triangle row 0, (0, b) for b < N,
// and the last column, (a, N - 1) for a < N, which the hopping across the ring's
// wrap reads from every chunk (antisymmetric-hamiltonian.wgsl: row 0 reads the
// last column's partners, the last column row 0's). Dispatched on every chunk
// before each Chebyshev term (on T_{k-1}) and before the reduction of each
// output state; a state in one chunk reads them from itself and skips this.
// Needs state-chunk.wgsl in front of it (the Chunk uniform, src).
//
// Bindings (group 0):
//   0  uniform              chunk     Chunk of this chunk (selfOffset: which state: psi, work or a slot)
//   3  storage, read        src       the chunk's state
//   8  storage, read_write  seam      the diagonal buffer, whose first 4 N C floats are the seam:
//                                     row 0 (2 N C floats), then the last column (2 N C), interleaved complex
//
// Items, one per invocation (flattened 2-D grid of WORKGROUP_SIZE): first, for
// the chunk holding folded row 0, the N C amplitudes of triangle row 0; then
// per folded row p of the chunk and part (triangle row p, then N - 1 - p when
// it exists) the C amplitudes of its last-column block. Cost: 2 N C amplitudes
// read and written per state, over every chunk (N + 1 times fewer than the state).

@group(0) @binding(8) var<storage, read_write> seam: array<f32>;

override WORKGROUP_SIZE: u32 = 64u;

fn put(i: u32, v: vec2<f32>) {
  seam[2u * i] = v.x;
  seam[2u * i + 1u] = v.y;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
) {
  let N = sites();
  let C = configs();
  var i = (wid.y * nwg.x + wid.x) * WORKGROUP_SIZE + lid;
  if (chunk.rowStart == 0u) {
    if (i < N * C) {
      put(i, srcAt(i));
      return;
    }
    i -= N * C;
  }
  if (i >= 2u * chunk.rows * C) {
    return;
  }
  let q = i / C;
  let c = i - q * C;
  let r = q / 2u;
  let p = chunk.rowStart + r;
  if ((q & 1u) == 0u) {
    // Triangle row p: its block (p, N - 1) is the last of its N - p.
    put((N + p) * C + c, srcAt(r * rowAmps() + (N - 1u - p) * C + c));
  } else if (N - 1u - p > p) {
    // Triangle row N - 1 - p: its last block is the folded row's last, N.
    put((N + N - 1u - p) * C + c, srcAt(r * rowAmps() + N * C + c));
  }
}
