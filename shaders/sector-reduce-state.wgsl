// sector-reduce-state.wgsl — first level of the observable reductions of basis
// "sector" (the f32 twin of reduceSectorBlocks in src/backends/cpu/sector-kernel.ts)
// on one chunk of one state. Needs state-chunk.wgsl, sector-hamiltonian.wgsl
// and workgroup-sum.wgsl in front of it; srcPrev / src / srcNext hold the
// state to reduce (psi, or an accumulator slot at an offset) and the uniform
// carries the UNSCALED H, for <H>.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4) and
// sector-hamiltonian.wgsl (8, 9; here also pairOf, which follows the sd
// partners in the sector table):
//   10  storage, read_write  records   per strip of blocks and configuration c, one vec4:
//                                      (w_c, Re, Im of psi(b, c) conj(psi(b, pairOf[c])), <psi|H|psi> over c)
//                                      summed over the strip's blocks; record of strip s = C vec4 from s C
//
// Workgroups tile (configurations) x (strips of blocks). Amplitude (block b, c)
// sits at b C + c, so invocations that take consecutive c of the same block
// read consecutive amplitudes (coalesced, unlike a walk over one c with stride C):
//   C >= RWG: tile i holds c = i RWG + t, one block per step;
//   C <  RWG: one tile; invocation t holds c = t mod C of block offset t / C,
//             perTile = floor(RWG / C) blocks per step (the rest idle).
// Each invocation sums STRIP steps serially (a short f32 sum), then the
// invocations holding the same c add up through workgroup memory, and one
// vec4 per c is written. sum-records.wgsl then adds the strips in parallel
// trees; n(x) needs no H and is summed by sector-reduce-final.wgsl.
// The only integer division by C is once per invocation, not per amplitude.
// Cost per amplitude: one H application, the pair partner (same block, mostly
// cached); one vec4 per c and strip written (1 / STRIP of the state's bytes x 2).

@group(0) @binding(10) var<storage, read_write> records: array<vec4<f32>>;

// Steps summed serially by one invocation: with C >= RWG, STRIP blocks per strip.
const STRIP: u32 = 64u;

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let C = configs();
  let blocks = chunk.chunkAmps / C;
  let wide = C >= REDUCE_WORKGROUP_SIZE;
  let tiles = select(1u, (C + REDUCE_WORKGROUP_SIZE - 1u) / REDUCE_WORKGROUP_SIZE, wide);
  let perTile = select(REDUCE_WORKGROUP_SIZE / C, 1u, wide);
  let stripBlocks = perTile * STRIP;
  let strips = (blocks + stripBlocks - 1u) / stripBlocks;
  let wg = wid.y * nwg.x + wid.x;
  // Workgroups past the end (the 2-D grid rounds up) write nothing.
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
      let l = b * C + c;
      let x = srcAt(l);
      v.x += dot(x, x);
      v.w += dot(x, applyHamiltonian(l, x));
      if (partner >= 0) {
        let y = srcAt(b * C + u32(partner));
        // psi_c conj(psi_c')
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
  // C < RWG: the perTile invocations of each c add up in workgroup memory.
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
