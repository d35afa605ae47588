/// <reference types="@webgpu/types" />
// The absorption term's Fisher constants per path entry (muography/absorption-fisher.ts: each selected muon's a_ij²
// shared among its voxels by a_ij λ_j / Σ_k a_ik λ_k) made on the GPU from an entry trace where it lies
// (muography/entry-paths-gpu.ts: the rows and the crossing walk's ∂ ln T_cross/∂λ per entry), so that a webgpu step
// reads no path entry back before its loss. One invocation per muon walks its row twice: the sum, then the shares.
// Every entry gets an output, 0 for the muons left out (the CPU's list keeps only the selected ones: the sums over
// voxels are the same). float32 instead of float64.
import { tf } from '../core/tensor'
import { computePipeline, dispatch, KernelBuffers, perDevice, WGSL_INDEX, WORKGROUP } from './device'

const SHADER = /* wgsl */ `
@group(0) @binding(0) var<uniform> prm: vec4<u32>;
@group(0) @binding(1) var<storage, read> rowStart: array<u32>;
// per entry: voxel, bits of the length
@group(0) @binding(2) var<storage, read> entries: array<vec2<u32>>;
// per entry: ∂ ln T_cross/∂λ of its voxel, then the walk's scratch
@group(0) @binding(3) var<storage, read> walk: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> lambda: array<f32>;
// per muon: its index among the selected muons, −1 if left out
@group(0) @binding(5) var<storage, read> selected: array<i32>;
@group(0) @binding(6) var<storage, read_write> muon: array<i32>;
@group(0) @binding(7) var<storage, read_write> voxel: array<i32>;
@group(0) @binding(8) var<storage, read_write> grad2: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = ${WGSL_INDEX};
  if (i >= prm.x) { return; }
  let k1 = rowStart[i];
  let k2 = rowStart[i + 1u];
  var sum = 0.0;
  for (var k = k1; k < k2; k++) { sum += abs(walk[k].x) * lambda[entries[k].x]; }
  let m = selected[i];
  let keep = m >= 0 && sum > 0.0;
  for (var k = k1; k < k2; k++) {
    let v = entries[k].x;
    let a = abs(walk[k].x);
    voxel[k] = i32(v);
    muon[k] = select(0, m, keep);
    grad2[k] = select(0.0, a * a * a * lambda[v] / sum, keep);
  }
}
`

const kernel = perDevice((device) => ({
  pipeline: computePipeline(device, 'dds absorption fisher entries', SHADER),
  buffers: new KernelBuffers(device),
}))

/** an entry trace on the GPU: n muons' rows, nnz entries, and the crossing walk over them */
export interface EntryRowsGpu {
  n: number
  nnz: number
  rowStart: GPUBuffer
  entries: GPUBuffer
  walk: GPUBuffer
}

/** per entry: its selected muon (0 when left out), its voxel, and a_ij² times the voxel's share (0 when left out), as
 *  tensors (tfjs copies the kernel's buffers into them, so the next call may rewrite those); nnz ≥ 1 */
export function absorptionEntriesGpu(
  device: GPUDevice, rows: EntryRowsGpu, selected: Int32Array, lambdaTrue: ArrayLike<number>,
): { muon: tf.Tensor1D; voxel: tf.Tensor1D; grad2: tf.Tensor1D } {
  const buf = kernel(device).buffers
  const out = ['muon', 'voxel', 'grad2'].map((c) => buf.room(`absorption fisher ${c}`, 4 * rows.nnz))
  dispatch(device, kernel(device).pipeline, [
    buf.upload('absorption fisher params', Uint32Array.of(rows.n, 0, 0, 0), true), rows.rowStart, rows.entries, rows.walk,
    buf.upload('absorption fisher lambda', Float32Array.from(lambdaTrue)), buf.upload('absorption fisher selected', Int32Array.from(selected)), ...out,
  ], rows.n)
  const [muon, voxel, grad2] = out.map((buffer, c) => tf.tensor({ buffer }, [rows.nnz], c === 2 ? 'float32' : 'int32') as tf.Tensor1D)
  return { muon, voxel, grad2 }
}
