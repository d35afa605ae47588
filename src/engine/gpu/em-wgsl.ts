// What the EM's kernels (gpu/em.ts, gpu/em-start.ts) share in WGSL: their uniform (the sizes and the number of
// workgroups of a muon pass) and the total of a muon pass's per-workgroup sums, read from binding 1.

export const EM_PARAMS_WGSL = /* wgsl */ `
struct Params { nMuons: u32, nVoxels: u32, mixQ: u32, nGroups: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
`

export const PARTIAL_TOTAL_WGSL = /* wgsl */ `
@group(0) @binding(1) var<storage, read> partial: array<vec2<f32>>;

fn partial_total() -> vec2<f32> {
  var s = vec2<f32>(0.0);
  for (var b = 0u; b < prm.nGroups; b++) { s += partial[b]; }
  return s;
}
`
