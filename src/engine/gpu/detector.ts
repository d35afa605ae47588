/// <reference types="@webgpu/types" />
// The detector's draws (muography/detector-draws.ts) and the panels' scattering geometry (panel-material.ts
// panelScatterRange) as a WGSL kernel on the propagation kernel's tracks and the generation kernel's momenta: one
// invocation per muon draws its hit noise, its panels' efficiency and their kicks from the muon's own stream, as the
// CPU does, so a webgpu step's batch is the CPU's batch within float32 rounding.
import { philoxKey } from '../core/philox'
import { HIGHLAND_GEV, HIGHLAND_LOG, MUON_MASS_GEV } from '../core/units'
import { DETECTOR_STREAM, type DetectorJob } from '../muography/detector-draws'
import type { PanelScatterGeometry } from '../muography/panel-material'
import { TRACK_KEYS } from '../muography/sim-blocks'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { ITEM_STREAM_WGSL, zigTable } from './item-stream-wgsl'
import { PHILOX_WGSL } from './philox-wgsl'
import { STRIDE } from './propagate'

const f = (x: number) => x.toExponential(9)
const field = (k: (typeof TRACK_KEYS)[number]) => `${TRACK_KEYS.indexOf(k)}u`

const SHADER = PHILOX_WGSL + /* wgsl */ `
struct Params { n: u32, nPanels: u32, k0: u32, k1: u32, kicks: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
// the propagation kernel's tracks (STRIDE floats per muon) and the momenta at the stack above
@group(0) @binding(1) var<storage, read> tracks: array<f32>;
@group(0) @binding(2) var<storage, read> pAbove: array<f32>;
// per panel: stack (0 above, 1 below), thickness in X0, b², and the efficiency's cut on a uniform's 24 bits
@group(0) @binding(3) var<storage, read> panel: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> zig: array<u32>;
// planar (drawLayout): present [P] and g [P] per muon, above [n], below [n], then noise [2P] and kicks [2P] per muon
@group(0) @binding(5) var<storage, read_write> outp: array<f32>;
` + ITEM_STREAM_WGSL + /* wgsl */ `
const KH: f32 = ${f(HIGHLAND_GEV)};
const B: f32 = ${f(HIGHLAND_LOG)};
const M: f32 = ${f(MUON_MASS_GEV)};

fn highland_g(t: f32) -> f32 {
  let g = 1.0 + B * log(t);
  return t * g * g;
}

// (13.6 MeV / βcp)²
fn highland_c(p: f32) -> f32 {
  let bp = p * p / sqrt(p * p + M * M);
  let r = KH / bp;
  return r * r;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  let n = prm.n;
  if (i >= n) { return; }
  let P = prm.nPanels;
  var st = item_seed(i, 0u, vec2<u32>(prm.k0, prm.k1));
  let noise = 2u * P * n + 2u * n + 2u * P * i;
  for (var k = 0u; k < 2u * P; k++) { outp[noise + k] = draw_normal(&st); }
  let present = P * i;
  for (var k = 0u; k < P; k++) { outp[present + k] = select(0.0, 1.0, (next32(&st) >> 8u) < u32(panel[k].w)); }
  let t = i * ${STRIDE}u;
  let cosIn = max(0.05, abs(tracks[t + ${field('uzin')}]));
  let cosOut = max(0.05, abs(tracks[t + ${field('uzout')}]));
  let pOut = tracks[t + ${field('pOut')}];
  let kicks = 4u * P * n + 2u * n + 2u * P * i;
  let geo = P * n;
  var above = 0.0;
  var below = 0.0;
  for (var k = 0u; k < P; k++) {
    let pk = panel[k];
    // the buffer persists across steps: a panel without material writes its 0 too
    outp[geo + P * i + k] = 0.0;
    if (pk.y <= 0.0) { continue; }
    let up = pk.x == 0.0;
    let g = highland_g(pk.y / select(cosOut, cosIn, up));
    outp[geo + P * i + k] = g;
    if (up) { above += g * pk.z; } else { below += g * pk.z; }
  }
  outp[2u * P * n + i] = above;
  outp[2u * P * n + n + i] = below;
  if (prm.kicks == 0u) { return; }
  for (var k = 0u; k < P; k++) {
    let pk = panel[k];
    let up = pk.x == 0.0;
    let p = select(pOut, pAbove[i], up);
    var th = 0.0;
    if (pk.y > 0.0 && p > 0.0) { th = sqrt(highland_c(p) * highland_g(pk.y / select(cosOut, cosIn, up))); }
    // both normals are drawn whatever the width, as the CPU fills them
    outp[kicks + 2u * k] = th * draw_normal(&st);
    outp[kicks + 2u * k + 1u] = th * draw_normal(&st);
  }
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds detector', SHADER),
  buffers: new KernelBuffers(device),
  zig: null as GPUBuffer | null,
}))

/** the detector's draws for the n muons of `tracks` (gpu/propagate.ts) with momenta pAbove at the stack above; the
 *  output buffer (planar: the shader's layout) persists across calls */
export function detectorGpu(
  device: GPUDevice, job: Omit<DetectorJob, 'out'> & { n: number }, tracks: GPUBuffer, pAbove: GPUBuffer,
): GPUBuffer {
  const k = kernel(device)
  const { n, layout } = job
  const P = layout.z.length
  const panel = new Float32Array(4 * P)
  for (let j = 0; j < P; j++) {
    // u24 < ceil(e·2²⁴) ⇔ u24/2²⁴ < e: the CPU's test, in integers (exact in float32 up to 2²⁴)
    const cut = Math.ceil(job.efficiency[j] * 16777216)
    panel.set([layout.stack[j], layout.thickness[j], layout.sensitivity[j] ** 2, cut], 4 * j)
  }
  const panelBuf = k.buffers.storage('detector panels', panel.byteLength)
  device.queue.writeBuffer(panelBuf, 0, panel)
  if (!k.zig) {
    const z = zigTable()
    k.zig = k.buffers.storage('detector ziggurat', z.byteLength)
    device.queue.writeBuffer(k.zig, 0, z)
  }
  const [k0, k1] = philoxKey(job.seed, DETECTOR_STREAM)
  const params = k.buffers.uniform('detector params', 32)
  device.queue.writeBuffer(params, 0, Uint32Array.of(n, P, k0, k1, job.kicks ? 1 : 0, 0, 0, 0))
  const out = k.buffers.storage('detector draws', 4 * detectorFloats(n, P))
  dispatch(device, k.pipeline, [params, tracks, pAbove, panelBuf, k.zig, out], n)
  return out
}

/** where each output starts in the kernel's planar buffer for n muons and P panels, in floats: first what the CPU
 *  takes of every batch (which panels fired, the scattering geometry: `kept` floats), then what only a
 *  reconstruction from the arrays reads (the hit noise and the kicks: a batch reconstructed on the GPU leaves them
 *  there) */
export function drawLayout(n: number, P: number) {
  const kept = 2 * P * n + 2 * n
  return { present: 0, g: P * n, above: 2 * P * n, below: 2 * P * n + n, noise: kept, kicks: kept + 2 * P * n, kept, total: kept + 4 * P * n }
}

/** floats of the output for n muons and P panels */
export const detectorFloats = (n: number, P: number) => drawLayout(n, P).total

/** the kernel's read-back spread into the simulation's arrays: the geometry and which panels fired, and the noise and
 *  the kicks when `all` holds them (a read of the first `kept` floats does not) */
export function unpackDetector(all: Float32Array, n: number, P: number, into: {
  noise: Float32Array; present: Float32Array; kicks: Float32Array; panel: PanelScatterGeometry
}): void {
  const L = drawLayout(n, P)
  into.present.set(all.subarray(L.present, L.present + P * n))
  into.panel.g.set(all.subarray(L.g, L.g + P * n))
  into.panel.above.set(all.subarray(L.above, L.above + n))
  into.panel.below.set(all.subarray(L.below, L.below + n))
  if (all.length < L.total) return
  into.noise.set(all.subarray(L.noise, L.noise + 2 * P * n))
  if (into.kicks.length) into.kicks.set(all.subarray(L.kicks, L.kicks + 2 * P * n))
}
