// antisymmetric-reduce-state.wgsl — first level of the observable reductions of
// basis "antisymmetric" (the f32 twin of reduceAntisymmetricBlocks in
// src/backends/cpu/antisymmetric-kernel.ts) on one chunk of one state:
// sector-reduce-state.wgsl with each block at its weight, 1/2 on the diagonal
// blocks (a, a), 1 elsewhere. The host then counts both partners of every
// kept block (antisymmetricSpinObservables: everything doubled, rho's partner
// with the electron spins swapped). Needs state-chunk.wgsl,
// antisymmetric-hamiltonian.wgsl and workgroup-sum.wgsl in front of it; the
// uniform carries the UNSCALED H, for <H>.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4) and
// antisymmetric-hamiltonian.wgsl (8, 9; pairOf follows the sd partners):
//   10  storage, read_write  records   per strip of blocks and configuration c, one vec4:
//                                      (w_c, Re, Im of psi(b, c) conj(psi(b, pairOf[c])), <psi|H|psi> over c)
//                                      weighted and summed over the strip's blocks; record of strip s = C vec4 from s C
//
// The tiling is sector-reduce-state.wgsl's: (configurations) x (strips of
// STRIP block steps), consecutive invocations on consecutive amplitudes. A
// block's place in its folded row (a division by N + 1 per step) says whether
// it is diagonal: the first block of either part. Padding blocks (odd N) are
// zeros and add nothing. Cost per amplitude: one H application, the pair partner
// (same block, mostly cached).

@group(0) @binding(10) var<storage, read_write> records: array<vec4<f32>>;

const STRIP: u32 = 64u;

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let N = sites();
  let C = configs();
  let blocks = chunk.chunkAmps / C;
  let wide = C >= REDUCE_WORKGROUP_SIZE;
  let tiles = select(1u, (C + REDUCE_WORKGROUP_SIZE - 1u) / REDUCE_WORKGROUP_SIZE, wide);
  let perTile = select(REDUCE_WORKGROUP_SIZE / C, 1u, wide);
  let stripBlocks = perTile * STRIP;
  let strips = (blocks + stripBlocks - 1u) / stripBlocks;
  let wg = wid.y * nwg.x + wid.x;
  if (wg >= tiles * strips) {
    return;
  }
  let strip = wg / tiles;
  let tile = wg - strip * tiles;
  var c = tile * REDUCE_WORKGROUP_SIZE + t;
  var offset = 0u;
  if (!wide) {
    offset = t / C;
    c = t - offset * C;
  }
  let holdsConfig = c < C && offset < perTile;
  let pairsOffset = chunk.partnersOffset + electrons() * localSpins() * C;

  var v = vec4<f32>(0.0);
  if (holdsConfig) {
    let partner = sectorTable[pairsOffset + c];
    let firstBlock = strip * stripBlocks + offset;
    for (var s = 0u; s < STRIP; s++) {
      let b = firstBlock + s * perTile;
      if (b >= blocks) {
        break;
      }
      let r = b / (N + 1u);
      let k = b - r * (N + 1u);
      let weight = select(1.0, 0.5, k == 0u || k == N - (chunk.rowStart + r));
      let l = b * C + c;
      let x = srcAt(l);
      v.x += weight * dot(x, x);
      v.w += weight * dot(x, applyHamiltonian(l, x));
      if (partner >= 0) {
        let y = weight * srcAt(b * C + u32(partner));
        v.y += x.x * y.x + x.y * y.y;
        v.z += x.y * y.x - x.x * y.y;
      }
    }
  }
  if (wide) {
    if (holdsConfig) {
      records[strip * C + c] = v;
    }
    return;
  }
  shared4[t] = v;
  workgroupBarrier();
  if (t < C) {
    var total = vec4<f32>(0.0);
    for (var k = 0u; k < perTile; k++) {
      total += shared4[k * C + t];
    }
    records[strip * C + t] = total;
  }
}
