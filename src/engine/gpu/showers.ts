/// <reference types="@webgpu/types" />
// The calorimeter's per-shower draws (calorimeter/draws.ts) as a WGSL kernel: one invocation per shower, the same
// Philox counters as showerDraw, so the numbers are the CPU's within float32 rounding. The buffers persist across
// steps; the model makes its tensors from them on the GPU (draw-tensors.ts), so nothing crosses to the CPU.
import { philoxKey } from '../core/philox'
import type { ShowerDraws } from '../calorimeter/draws'
import { computePipeline, dispatch, KernelBuffers, perDevice, webgpuDevice, WGSL_INDEX, WORKGROUP } from './device'
import { PHILOX_WGSL } from './philox-wgsl'

const SHADER = PHILOX_WGSL + /* wgsl */ `
struct Params { nE: u32, S: u32, L: u32, noise: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> keys: array<vec2<u32>>;
@group(0) @binding(2) var<storage, read_write> z1: array<f32>;
@group(0) @binding(3) var<storage, read_write> z2: array<f32>;
@group(0) @binding(4) var<storage, read_write> zl: array<f32>;
@group(0) @binding(5) var<storage, read_write> ux: array<f32>;
@group(0) @binding(6) var<storage, read_write> uy: array<f32>;
@group(0) @binding(7) var<storage, read_write> zs: array<f32>;
@group(0) @binding(8) var<storage, read_write> zn: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.nE * prm.S) { return; }
  let e = i / prm.S;
  let s = i - e * prm.S;
  let key = keys[e];
  let w0 = philox(vec4<u32>(s, 0u, 0u, 0u), key);
  let z = normal_pair(w0.x, w0.y);
  z1[i] = z.x;
  z2[i] = z.y;
  ux[i] = uniform24(w0.z);
  uy[i] = uniform24(w0.w);
  let w1 = philox(vec4<u32>(s, 1u, 0u, 0u), key);
  zl[i] = normal_pair(w1.x, w1.y).x;
  for (var l = 0u; l < prm.L; l++) {
    let w = philox(vec4<u32>(s, 2u, l, 0u), key);
    let q = normal_pair(w.x, w.y);
    zs[i * prm.L + l] = q.x;
    if (prm.noise != 0u) { zn[i * prm.L + l] = q.y; }
  }
}
`

export const SHOWER_OUTPUTS = ['z1', 'z2', 'zl', 'ux', 'uy', 'zs', 'zn'] as const
export type ShowerKey = (typeof SHOWER_OUTPUTS)[number]
export type ShowerBuffers = Record<ShowerKey, GPUBuffer>

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds showers', SHADER),
  buffers: new KernelBuffers(device),
}))

/** The draws of drawShowers(seeds, stream, S, L, noise) made on the GPU: buffers, with empty arrays beside them. */
export function drawShowersGpu(device: GPUDevice, seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): ShowerDraws {
  const k = kernel(device)
  const nE = seeds.length
  const keys = k.buffers.storage('shower keys', 8 * nE)
  device.queue.writeBuffer(keys, 0, Uint32Array.from(seeds.flatMap((s) => philoxKey(s, stream))))
  const params = k.buffers.uniform('shower params', 16)
  device.queue.writeBuffer(params, 0, Uint32Array.of(nE, S, L, noise ? 1 : 0))
  const n = nE * S
  const size = (name: ShowerKey) => (name === 'zs' || (name === 'zn' && noise) ? n * L : name === 'zn' ? 1 : n)
  const gpu = Object.fromEntries(SHOWER_OUTPUTS.map((name) => [name, k.buffers.storage(`shower ${name}`, 4 * size(name))])) as ShowerBuffers
  dispatch(device, k.pipeline, [params, keys, ...SHOWER_OUTPUTS.map((name) => gpu[name])], n)
  const none = new Float32Array(0)
  return { nE, S, L, z1: none, z2: none, zs: none, zn: noise ? none : null, zl: none, ux: none, uy: none, gpu }
}

/** drawShowersGpu on the active backend's device, or null when tfjs is not on webgpu */
export function gpuShowerDraws(seeds: readonly number[], stream: string, S: number, L: number, noise: boolean): ShowerDraws | null {
  const device = webgpuDevice()
  return device ? drawShowersGpu(device, seeds, stream, S, L, noise) : null
}
