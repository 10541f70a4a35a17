// reduce-state.wgsl — first level of the observable reductions (the f32 twin
// of reduceBlocks in src/backends/cpu/kernel.ts) on one chunk of one state.
// Basis "full" (sector-reduce-state.wgsl is the sector's). Needs
// state-chunk.wgsl, hamiltonian.wgsl and workgroup-sum.wgsl in front of it;
// srcPrev / src / srcNext hold the state to reduce (psi, or an accumulator slot at an offset) and the uniform
// carries the UNSCALED H, for <H>.
//
// Bindings (group 0), besides those of state-chunk.wgsl (0, 2, 3, 4) and
// hamiltonian.wgsl (8, 9):
//   10  storage, read_write  records         per workgroup: one record of fullRecordVec4s(L) vec4 (below)
//   11  storage, read_write  segmentWeights  sum of |psi|^2 over a segment of min(2^L, RWG) pairs of one block
//
// One invocation per pair (block b, local-spin configuration m); it reads the
// ns amplitudes psi(b, e, m), applies H to each (energy) and forms a record of
// 5 + ceil(L / 4) vec4, with rho[e][f] = psi_e conj(psi_f):
//   r0 = (<psi|H|psi>, 0, 0, 0)
//   r1 = (rho00, rho11, rho22, rho33)                      (real)
//   r2 = (rho01, rho02) as (Re, Im, Re, Im)
//   r3 = (rho03, rho12)
//   r4 = (rho13, rho23)
//   then <S_z,j> = sum_m w(m) (1/2 - bit_j(m)) for j < L, zero-padded to whole vec4s
// For one electron (ns = 2) only rho00, rho11 and rho01 are nonzero. The
// workgroup then reduces, in trees over one shared vec4 per invocation (a
// small workgroup array: SwiftShader's compile time grows fast with its size):
//   - first (energy, weight by segment, weight by m, -):
//       the energy over the workgroup;
//       |psi|^2 by segments of min(2^L, RWG) pairs (one block, or the part of a
//       block the workgroup covers), for the density n(x) — reduce-final.wgsl
//       adds the segments of a block;
//       |psi|^2 by m: folded onto the first min(2^L, RWG) slots, from which
//       invocation j forms <S_z,j> of the workgroup (a loop over those slots
//       in workgroup memory, so no per-m array leaves the workgroup);
//   - then r1 … r4 over the workgroup, one tree each.
// sum-records.wgsl then adds the records of all workgroups in parallel trees
// (records never pass through one workgroup: issue 19).
// Cost per pair: ns amplitudes and their H neighbours read, one record
// (80 + 4 L bytes, rounded up to vec4) per RWG pairs written.

@group(0) @binding(10) var<storage, read_write> records: array<f32>;
@group(0) @binding(11) var<storage, read_write> segmentWeights: array<f32>;

// psi_e conj(psi_f) as (Re, Im)
fn outer(x: vec2<f32>, y: vec2<f32>) -> vec2<f32> {
  return vec2<f32>(x.x * y.x + x.y * y.y, x.y * y.x - x.x * y.y);
}

@compute @workgroup_size(REDUCE_WORKGROUP_SIZE)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
  @builtin(local_invocation_index) t: u32,
) {
  let wg = wid.y * nwg.x + wid.x;
  let p = wg * REDUCE_WORKGROUP_SIZE + t;
  let L = localSpins();
  let S = 1u << L;
  let ns = select(2u, 4u, electrons() == 2u);
  let pairs = chunk.chunkAmps / ns;
  // Workgroups past the end (the 2-D grid rounds up) write nothing.
  if (wg * REDUCE_WORKGROUP_SIZE >= pairs) {
    return;
  }

  var energy = 0.0;
  var r1 = vec4<f32>(0.0);
  var r2 = vec4<f32>(0.0);
  var r3 = vec4<f32>(0.0);
  var r4 = vec4<f32>(0.0);
  if (p < pairs) {
    let b = p >> L;
    let first = b * ns * S + (p & (S - 1u));
    for (var e = 0u; e < ns; e++) {
      let l = first + e * S;
      let x = srcAt(l);
      energy += dot(x, applyHamiltonian(l, x));
    }
    let a0 = srcAt(first);
    let a1 = srcAt(first + S);
    if (ns == 4u) {
      let a2 = srcAt(first + 2u * S);
      let a3 = srcAt(first + 3u * S);
      r1 = vec4<f32>(dot(a0, a0), dot(a1, a1), dot(a2, a2), dot(a3, a3));
      r2 = vec4<f32>(outer(a0, a1), outer(a0, a2));
      r3 = vec4<f32>(outer(a0, a3), outer(a1, a2));
      r4 = vec4<f32>(outer(a1, a3), outer(a2, a3));
    } else {
      r1 = vec4<f32>(dot(a0, a0), dot(a1, a1), 0.0, 0.0);
      r2 = vec4<f32>(outer(a0, a1), 0.0, 0.0);
    }
  }
  let weight = r1.x + r1.y + r1.z + r1.w;

  // Tree 1: x energy (whole workgroup), y weight by segment, z weight by m.
  let segment = min(S, REDUCE_WORKGROUP_SIZE);
  shared4[t] = vec4<f32>(energy, weight, weight, 0.0);
  workgroupBarrier();
  for (var s = REDUCE_WORKGROUP_SIZE / 2u; s > 0u; s >>= 1u) {
    if (t < s) {
      shared4[t].x += shared4[t + s].x;
      // By m: fold the blocks of the workgroup onto the first 2^L slots.
      if (s >= S) {
        shared4[t].z += shared4[t + s].z;
      }
    }
    // By segment: a tree inside each run of `segment` slots.
    if (s < segment && (t & (segment - 1u)) < s) {
      shared4[t].y += shared4[t + s].y;
    }
    workgroupBarrier();
  }
  let mine = shared4[t];
  let energyTotal = shared4[0].x;
  // <S_z,j> of the workgroup from the weights by m (slot u holds m = (wg RWG + u) mod 2^L).
  let spinSlots = min(S, REDUCE_WORKGROUP_SIZE);
  let o = wg * 4u * fullRecordVec4s(L);
  for (var j = t; j < 4u * (fullRecordVec4s(L) - RECORD); j += REDUCE_WORKGROUP_SIZE) {
    var sz = 0.0;
    for (var u = 0u; j < L && u < spinSlots; u++) {
      let m = (wg * REDUCE_WORKGROUP_SIZE + u) & (S - 1u);
      let w = shared4[u].z;
      sz += select(0.5 * w, -0.5 * w, ((m >> j) & 1u) != 0u);
    }
    records[o + 4u * RECORD + j] = sz;
  }
  workgroupBarrier();
  if (p < pairs && (t & (segment - 1u)) == 0u) {
    segmentWeights[p / segment] = mine.y;
  }

  let s1 = workgroupSum(t, r1);
  let s2 = workgroupSum(t, r2);
  let s3 = workgroupSum(t, r3);
  let s4 = workgroupSum(t, r4);
  if (t == 0u) {
    var v = array<vec4<f32>, 5>(vec4<f32>(energyTotal, 0.0, 0.0, 0.0), s1, s2, s3, s4);
    for (var i = 0u; i < RECORD; i++) {
      for (var k = 0u; k < 4u; k++) {
        records[o + 4u * i + k] = v[i][k];
      }
    }
  }
}
