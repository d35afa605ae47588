/// <reference types="@webgpu/types" />
// The true entry and exit lines of simulated muons (muography/pipeline.ts truthLines), and the absorption term's
// entry lines (muography/absorption-data.ts innerEntryLines), as a WGSL kernel, made from the propagation kernel's
// tracks where they lie: on webgpu a step's true paths and entry paths are traced from them (gpu/paths.ts) without
// the lines going through the CPU. Float32 instead of float64: gpu/check.ts compares them with the CPU's.
import type { VoxelVolume } from '../muography/types'
import { TRACK_KEYS } from '../muography/sim-blocks'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { STRIDE } from './propagate'

/** lines in the trace kernel's layout (gpu/paths.ts): per muon inX, inY, inTx, inTy, outX, outY, outTx, outTy, use */
export interface GpuLines {
  n: number
  zIn: number
  zOut: number
  buffer: GPUBuffer
}

export const LINE_FLOATS = 9

const field = (k: (typeof TRACK_KEYS)[number]) => `${TRACK_KEYS.indexOf(k)}u`

/** WGSL: a muon's entry line at zTop and exit line at zBottom (inX, inY, inTx, inTy, outX, outY, outTx, outTy) from
 *  its track at offset t of the propagation kernel's output, bound as `tracks` */
export const TRACK_LINES_WGSL = /* wgsl */ `
fn track_lines(t: u32, zTop: f32, zBottom: f32) -> array<f32, 8> {
  let uzin = tracks[t + ${field('uzin')}];
  let uzout = tracks[t + ${field('uzout')}];
  let inTx = tracks[t + ${field('uxin')}] / uzin;
  let inTy = tracks[t + ${field('uyin')}] / uzin;
  let outTx = tracks[t + ${field('uxout')}] / uzout;
  let outTy = tracks[t + ${field('uyout')}] / uzout;
  let dIn = zTop - tracks[t + ${field('zin')}];
  let dOut = zBottom - tracks[t + ${field('zout')}];
  return array<f32, 8>(
    tracks[t + ${field('xin')}] + inTx * dIn, tracks[t + ${field('yin')}] + inTy * dIn, inTx, inTy,
    tracks[t + ${field('xout')}] + outTx * dOut, tracks[t + ${field('yout')}] + outTy * dOut, outTx, outTy,
  );
}
`

const SHADER = /* wgsl */ `
// entry: 0 for the true lines, 1 for the entry lines (the entry line continued to zBottom; used only at least
// margin inside the side faces, at both planes: muography/absorption-data.ts innerEntryLines)
struct Params { n: u32, entry: u32, zTop: f32, zBottom: f32, sides: vec4<f32>, margin: f32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> tracks: array<f32>;
@group(0) @binding(2) var<storage, read_write> lines: array<f32>;
` + TRACK_LINES_WGSL + /* wgsl */ `
fn inner(x: f32, y: f32) -> bool {
  return min(min(x - prm.sides.x, prm.sides.z - x), min(y - prm.sides.y, prm.sides.w - y)) >= prm.margin;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.n) { return; }
  let t = i * ${STRIDE}u;
  let o = i * ${LINE_FLOATS}u;
  // the buffer persists across steps: a muon without lines writes its zeros too
  for (var k = 0u; k < ${LINE_FLOATS}u; k++) { lines[o + k] = 0.0; }
  if (prm.entry != 0u) {
    let uzin = tracks[t + ${field('uzin')}];
    if (!(uzin < 0.0)) { return; }
    let tx = tracks[t + ${field('uxin')}] / uzin;
    let ty = tracks[t + ${field('uyin')}] / uzin;
    let dIn = prm.zTop - tracks[t + ${field('zin')}];
    let inX = tracks[t + ${field('xin')}] + tx * dIn;
    let inY = tracks[t + ${field('yin')}] + ty * dIn;
    let outX = inX + tx * (prm.zBottom - prm.zTop);
    let outY = inY + ty * (prm.zBottom - prm.zTop);
    var v = array<f32, 8>(inX, inY, tx, ty, outX, outY, tx, ty);
    for (var k = 0u; k < 8u; k++) { lines[o + k] = v[k]; }
    lines[o + 8u] = select(0.0, 1.0, inner(inX, inY) && inner(outX, outY));
    return;
  }
  if (tracks[t + ${field('alive')}] == 0.0 || !(tracks[t + ${field('uzin')}] < 0.0) || !(tracks[t + ${field('uzout')}] < 0.0)) { return; }
  var v = track_lines(t, prm.zTop, prm.zBottom);
  for (var k = 0u; k < 8u; k++) { lines[o + k] = v[k]; }
  lines[o + 8u] = 1.0;
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds track lines', SHADER),
  buffers: new KernelBuffers(device),
}))

function linesGpu(device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, n: number, entry: boolean, margin = 0): GpuLines {
  const k = kernel(device)
  const zBottom = vol.origin[2], zTop = zBottom + vol.nz * vol.voxel
  const [x0, y0] = vol.origin
  const prm = new ArrayBuffer(48)
  new Uint32Array(prm, 0, 2).set([n, entry ? 1 : 0])
  new Float32Array(prm, 8, 2).set([zTop, zBottom])
  new Float32Array(prm, 16, 5).set([x0, y0, x0 + vol.nx * vol.voxel, y0 + vol.ny * vol.voxel, margin])
  const name = entry ? 'entry lines' : 'truth lines'
  const params = k.buffers.uniform(`${name} params`, 48)
  device.queue.writeBuffer(params, 0, prm)
  const buffer = k.buffers.storage(name, 4 * LINE_FLOATS * n)
  dispatch(device, k.pipeline, [params, tracks, buffer], n)
  return { n, zIn: zTop, zOut: zBottom, buffer }
}

/** truthLines of the n muons in `tracks` (the propagation kernel's output, gpu/propagate.ts), on the GPU */
export function truthLinesGpu(device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, n: number): GpuLines {
  return linesGpu(device, vol, tracks, n, false)
}

/** innerEntryLines (muography/absorption-data.ts) of the n muons in `tracks`, on the GPU, used when at least
 *  `margin` (m) inside the volume's side faces */
export function entryLinesGpu(device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, n: number, margin: number): GpuLines {
  return linesGpu(device, vol, tracks, n, true, margin)
}
