/// <reference types="@webgpu/types" />
// X0 solves queued from a step's reconstruction where its tensors lie (webgpu, pipeline.ts observationTensors), so that
// the step reads nothing between its simulation and its loss: the fitted lines' paths traced from the tensors, the
// EM's observations and the momentum model's fit e copied from them (gpu/em.ts, gpu/momentum.ts), the absorption
// term's entry paths those an entry trace left on the GPU (entry-paths-gpu.ts). The map's λ is read with the loss
// (queueMapOnGpu); the x0 loss's tape takes the whole solution as tensors (x0ConstantsOnGpu).
import { tf } from '../core/tensor'
import type { ResidentAbsorption } from '../gpu/absorption'
import { solveLambdaGpu, solveTensorsGpu, type GpuTerms, type SolutionTensors } from '../gpu/em'
import { queueResidentGpu, type QueuedPaths, type ResidentPaths } from '../gpu/path-resident'
import type { EmOptions, MuonObservations } from './em'
import { gpuMomentum, observations, TRACED_WEIGHT, volumeZ, type SimBatch } from './pipeline'
import type { VoxelVolume } from './types'

/**
 * The map's λ (solveMapOnGpu) queued from a step's reconstruction where its tensors lie (webgpu, observationTensors):
 * the fitted lines' paths queued from them (queueFittedPaths), the EM's observations and the momentum model's fit e
 * copied from them, the absorption term's entry paths those an entry trace left on the GPU. The iterations are
 * queued and the read of λ started before the call returns, so that it waits with the step's loss. nnz: the paths'
 * entries, read with λ (none: the λ is meaningless, and the CPU solves the map).
 */
export function queueMapOnGpu(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, observed: tf.Tensor[], opts: TensorSolveOptions, absorption: ResidentAbsorption | null,
): Promise<{ nnz: number; lambda: Float64Array }> {
  const queued = queueFittedPaths(device, vol, observed, 'fitted')
  const lambda = solveLambdaGpu(device, ...tensorSolve(batch, vol, queued, observed, opts, absorption))
  return Promise.all([queued.nnz(), lambda]).then(([nnz, l]) => ({ nnz, lambda: l }))
}

/** the x0 loss's constants of a step on webgpu, as queueMapOnGpu solves its EM, with the solution left on the GPU as
 *  tensors (gpu/em.ts solveTensorsGpu) and the fitted lines' paths traced with the tape's columns. Their entry
 *  count comes back first (the tape's tensors are made of exactly that many entries), or, given a `guess` at it,
 *  not: the columns are made of `guess` entries, zeros after the count (path-resident.ts ResidentPaths.count), and
 *  the caller reads the count with the loss. Null when no path crosses the volume (known only without a guess).
 *  `fitW`: the observations' w (observed[0]), which the caller disposes with the solution. */
export async function x0ConstantsOnGpu(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, observed: tf.Tensor[], opts: TensorSolveOptions, absorption: ResidentAbsorption | null,
  guess?: number,
): Promise<X0ConstantsGpu | null> {
  const queued = queueFittedPaths(device, vol, observed, 'reco')
  const solution = await solveTensorsGpu(device, ...tensorSolve(batch, vol, queued, observed, opts, absorption))
  if (guess) return { paths: queued.finish(guess, true), solution, fitW: observed[0] as tf.Tensor1D }
  const nnz = await queued.nnz()
  if (!nnz) {
    tf.dispose(Object.values(solution))
    return null
  }
  return { paths: queued.finish(nnz), solution, fitW: observed[0] as tf.Tensor1D }
}

/** the x0 loss's constants made on the GPU: the fitted lines' paths there, the EM's solution and the observations' w */
export interface X0ConstantsGpu {
  paths: ResidentPaths
  solution: SolutionTensors
  fitW: tf.Tensor1D
}

export type TensorSolveOptions = { iterations: number; init?: Float64Array }

/** the arguments of an EM solve on the GPU from observationTensors, on fitted paths queued from them: the entry count
 *  is not known yet, so the buffers are sized for every slot, and the rows say how many there are */
function tensorSolve(
  batch: SimBatch, vol: VoxelVolume, queued: QueuedPaths, observed: tf.Tensor[], opts: TensorSolveOptions, absorption: ResidentAbsorption | null,
): [ResidentPaths, MuonObservations, EmOptions, GpuTerms] {
  const [w, m, e] = observed as tf.Tensor1D[]
  const n = w.shape[0]
  const paths: ResidentPaths = { nMuons: n, nVoxels: vol.nx * vol.ny * vol.nz, nnz: n * queued.slots.cap, ...queued.rows, columns: null }
  // nothing on the CPU: the solve takes m, e and w from the tensors
  const none = new Float32Array(n), fit = { m: none, e: none, w: none }
  const obs = observations(batch, paths, fit)
  return [paths, obs, opts, { momentum: gpuMomentum(batch, fit, obs), absorption, observed: { m, e, w } }]
}

/** the fitted lines of observationTensors traced where the tensors lie (webgpu), for a map or for the x0 loss's tape
 *  (role), queued, with the read of their size started: the lines observationsFrom makes of the same tensors */
function queueFittedPaths(device: GPUDevice, vol: VoxelVolume, observed: tf.Tensor[], role: 'fitted' | 'reco'): QueuedPaths {
  const [w, , , ...cols] = observed
  const packed = tf.tidy(() => tf.stack([...cols, tf.cast(tf.greater(w, TRACED_WEIGHT), 'float32')], 1))
  // tfjs copies the tensor into a buffer of the caller's and submits its queue first, so the trace reads its values
  const { tensorRef, buffer } = packed.dataToGPU()
  if (!buffer) throw new Error('the fitted lines are not in a WebGPU buffer')
  const { zTop, zBottom } = volumeZ(vol)
  const q = queueResidentGpu(device, vol, { n: w.shape[0], zIn: zTop, zOut: zBottom, buffer }, role)
  tf.dispose([packed, tensorRef])
  return q
}
