/// <reference types="@webgpu/types" />
// The reconstruction's inputs (muography/fit.ts RecoInputs) as a WGSL kernel on the simulation's buffers where they
// lie: each muon's true lines at the reference planes (fit.ts referenceLines, in float32) from the propagation
// kernel's tracks, and each stack's hit noise times σ, fired flags and kicks, panel-major, from the detector
// kernel's draws (gpu/detector.ts planar layout). So on webgpu a step's taped reconstruction reads its inputs on the
// GPU instead of having them made on the CPU and uploaded; gpu/check.ts compares them with recoInputs.
import type { RecoInputs } from '../muography/fit'
import type { StackInputs, StackPanels } from '../muography/hits'
import type { PanelLayout } from '../muography/panel-material'
import type { StackName } from '../muography/panels'
import { TRACK_KEYS } from '../muography/sim-blocks'
import { tf } from '../core/tensor'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'
import { drawLayout } from './detector'
import { STRIDE } from './propagate'
import { TRACK_LINES_WGSL } from './track-lines'

/** the simulation's buffers of a batch: the propagation kernel's tracks and the detector kernel's draws */
export interface SimBuffers { tracks: GPUBuffer; draws: GPUBuffer }

/** rows of the output before the gathered ones: the lines' eight columns (fit.ts RECO_TENSOR_KEYS order) and alive */
const LINE_ROWS = 9

const field = (k: (typeof TRACK_KEYS)[number]) => `${TRACK_KEYS.indexOf(k)}u`

const SHADER = /* wgsl */ `
struct Params { n: u32, rows: u32, zTop: f32, zBottom: f32 }
// a gathered row: out[r][i] = draws[base + stride·i]·scale
struct Row { base: u32, stride: u32, scale: f32, pad: u32 }
@group(0) @binding(0) var<uniform> prm: Params;
@group(0) @binding(1) var<storage, read> tracks: array<f32>;
@group(0) @binding(2) var<storage, read> draws: array<f32>;
@group(0) @binding(3) var<storage, read> rowTable: array<Row>;
@group(0) @binding(4) var<storage, read_write> outp: array<f32>;
` + TRACK_LINES_WGSL + /* wgsl */ `

// finite by its bits: WGSL may assume that no value is NaN or infinite
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  let n = prm.n;
  if (i >= n) { return; }
  for (var r = ${LINE_ROWS}u; r < prm.rows; r++) {
    let row = rowTable[r - ${LINE_ROWS}u];
    outp[r * n + i] = draws[row.base + row.stride * i] * row.scale;
  }
  // the buffer persists across steps: a muon without lines writes its zeros too
  for (var r = 0u; r < ${LINE_ROWS}u; r++) { outp[r * n + i] = 0.0; }
  let t = i * ${STRIDE}u;
  if (tracks[t + ${field('alive')}] == 0.0 || !(abs(tracks[t + ${field('uzin')}]) > 1e-6) || !(abs(tracks[t + ${field('uzout')}]) > 1e-6)) { return; }
  var v = track_lines(t, prm.zTop, prm.zBottom);
  for (var r = 0u; r < 8u; r++) { if (!finite(v[r])) { return; } }
  for (var r = 0u; r < 8u; r++) { outp[r * n + i] = v[r]; }
  outp[8u * n + i] = 1.0;
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds reco inputs', SHADER),
  buffers: new KernelBuffers(device),
}))

type Gather = [base: number, stride: number, scale: number]

/** the gathered rows of one stack: noise x and y times σ, fired, then the kicks' x and y (gpu/detector.ts drawLayout) */
function stackRows(panels: StackPanels, stack: StackName, n: number, kicks: boolean): Gather[] {
  const P = panels.n
  const L = drawLayout(n, P)
  const idx = panels.indicesOf(stack)
  const rows: Gather[] = []
  for (const c of [0, 1]) for (const p of idx) rows.push([L.noise + 2 * p + c, 2 * P, panels.sigmaValues[p]])
  for (const p of idx) rows.push([L.present + p, P, 1])
  if (kicks) for (const c of [0, 1]) for (const p of idx) rows.push([L.kicks + 2 * p + c, 2 * P, 1])
  return rows
}

/**
 * RecoInputs of the n muons of a batch simulated on the GPU (fired flags always; kicks where `layout` is given),
 * with the reference planes zIn (top) and zOut (bottom). Fresh tensors, copied by tfjs from the kernel's output,
 * so a later kernel call does not change them.
 */
export function recoInputsGpu(
  device: GPUDevice, src: SimBuffers, n: number, panels: StackPanels, layout: PanelLayout | null, zIn: number, zOut: number,
): RecoInputs {
  const k = kernel(device)
  const above = stackRows(panels, 'above', n, layout !== null), below = stackRows(panels, 'below', n, layout !== null)
  const gathers = [...above, ...below]
  const R = LINE_ROWS + gathers.length
  const table = new ArrayBuffer(16 * gathers.length)
  const u = new Uint32Array(table), f = new Float32Array(table)
  gathers.forEach(([base, stride, scale], r) => { u[4 * r] = base; u[4 * r + 1] = stride; f[4 * r + 2] = scale })
  const prm = new ArrayBuffer(16)
  new Uint32Array(prm, 0, 2).set([n, R])
  new Float32Array(prm, 8, 2).set([zIn, zOut])
  const params = k.buffers.uniform('reco inputs params', 16)
  device.queue.writeBuffer(params, 0, prm)
  const rowBuf = k.buffers.storage('reco inputs rows', table.byteLength)
  device.queue.writeBuffer(rowBuf, 0, table)
  const out = k.buffers.storage('reco inputs', 4 * R * n)
  dispatch(device, k.pipeline, [params, src.tracks, src.draws, rowBuf, out], n)

  return tf.tidy(() => {
    const all = tf.tensor({ buffer: out }, [R, n], 'float32') as tf.Tensor2D
    const rows = (r: number, count: number) => tf.slice(all, [r, 0], [count, n]) as tf.Tensor2D
    const stack = (first: number, K: number): StackInputs => ({
      noiseX: rows(first, K), noiseY: rows(first + K, K), fired: rows(first + 2 * K, K),
      kicks: layout ? { layout, x: rows(first + 3 * K, K), y: rows(first + 4 * K, K) } : null,
    })
    const inputs: RecoInputs = {
      lineIn: { x: rows(0, 1), y: rows(1, 1), tx: rows(2, 1), ty: rows(3, 1) },
      lineOut: { x: rows(4, 1), y: rows(5, 1), tx: rows(6, 1), ty: rows(7, 1) },
      alive: tf.reshape(rows(8, 1), [n]) as tf.Tensor1D,
      above: stack(LINE_ROWS, panels.indicesOf('above').length),
      below: stack(LINE_ROWS + above.length, panels.indicesOf('below').length),
    }
    return inputs as unknown as tf.TensorContainerObject
  }) as unknown as RecoInputs
}
