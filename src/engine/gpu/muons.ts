/// <reference types="@webgpu/types" />
// Muon generation (muography/flux.ts generateMuons) as a WGSL kernel: the same sampler table (uint32 cut points,
// searched by the same integer comparison), the same Philox counters per muon, so muon i is the CPU's muon i within
// float32 rounding. One invocation per muon; the outputs stay in buffers that persist across calls.
import { MUON_MASS_GEV } from '../core/units'
import { philoxKey } from '../core/philox'
import { sampler, type GenerateOptions } from '../muography/flux'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { PHILOX_WGSL } from './philox-wgsl'

const SHADER = PHILOX_WGSL + /* wgsl */ `
struct Params {
  n: u32, first: u32, k0: u32, k1: u32, nT: u32, nCut: u32, pad0: u32, pad1: u32,
  lnE0: f32, dlnE: f32, dth: f32, m2: f32, x0: f32, dx: f32, y0: f32, dy: f32,
}
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> cut: array<u32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> ux: array<f32>;
@group(0) @binding(5) var<storage, read_write> uy: array<f32>;
@group(0) @binding(6) var<storage, read_write> uz: array<f32>;
@group(0) @binding(7) var<storage, read_write> p: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let key = vec2<u32>(prm.k0, prm.k1);
  let w = philox(vec4<u32>(prm.first + i, 0u, 0u, 0u), key);
  // the first cut point above the word (flux.ts binOf)
  var lo = 0u;
  var hi = prm.nCut - 1u;
  while (lo < hi) {
    let mid = (lo + hi) >> 1u;
    if (cut[mid] > w.x) { hi = mid; } else { lo = mid + 1u; }
  }
  let iE = lo / prm.nT;
  let iT = lo - iE * prm.nT;
  let e = exp(prm.lnE0 + (f32(iE) + uniform24(w.y)) * prm.dlnE);
  let th = (f32(iT) + uniform24(w.z)) * prm.dth;
  let t = sincos(th);
  let f = sincos(PI * (2.0 * uniform24(w.w) - 1.0));
  ux[i] = t.x * f.y;
  uy[i] = t.x * f.x;
  uz[i] = -t.y;
  p[i] = sqrt(e * e - prm.m2);
  let w2 = philox(vec4<u32>(prm.first + i, 1u, 0u, 0u), key);
  x[i] = prm.x0 + prm.dx * uniform24(w2.x);
  y[i] = prm.y0 + prm.dy * uniform24(w2.y);
}
`

export const MUON_OUTPUTS = ['x', 'y', 'ux', 'uy', 'uz', 'p'] as const
export type MuonBuffers = Record<(typeof MUON_OUTPUTS)[number], GPUBuffer>

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds muons', SHADER),
  buffers: new KernelBuffers(device),
  /** the table last uploaded, so an unchanged flux model is not sent again */
  table: null as Uint32Array | null,
}))

/** Generate o.n muons on the GPU into buffers of n floats each (z is o.z for every muon, as on the CPU). */
export function generateMuonsGpu(device: GPUDevice, o: GenerateOptions): MuonBuffers {
  const k = kernel(device)
  const s = sampler(o.model, o)
  const cut = k.buffers.storage('muon table', s.cut.byteLength)
  if (k.table !== s.cut) {
    device.queue.writeBuffer(cut, 0, s.cut)
    k.table = s.cut
  }
  const prm = new ArrayBuffer(64)
  const u = new Uint32Array(prm), f = new Float32Array(prm)
  const [k0, k1] = philoxKey(o.seed, o.stream ?? 'muons')
  u.set([o.n, o.first ?? 0, k0, k1, s.nT, s.cut.length])
  const a = o.area
  f.set([s.lnE0, s.dlnE, s.dth, MUON_MASS_GEV * MUON_MASS_GEV, a.x0, a.x1 - a.x0, a.y0, a.y1 - a.y0], 8)
  const params = k.buffers.uniform('muon params', 64)
  device.queue.writeBuffer(params, 0, prm)
  const out = Object.fromEntries(MUON_OUTPUTS.map((name) => [name, k.buffers.storage(`muon ${name}`, 4 * o.n)])) as MuonBuffers
  dispatch(device, k.pipeline, [params, cut, ...MUON_OUTPUTS.map((name) => out[name])], o.n)
  return out
}
