/// <reference types="@webgpu/types" />
// The x0 loss's constants as a webgpu step makes them (muography/solve-from-tensors.ts x0ConstantsOnGpu: the fitted lines'
// paths traced with the tape's columns and the EM solved from a reconstruction's tensors where they lie, its
// solution left there as tensors) against the same solve of the same reconstruction read back (its lines traced and
// left on the GPU, the observations uploaded, the absorption term's entry paths of the muons seen entering): the same
// kernels summing in the same order, so λ, c, the weights and c at the stacks are identical, and the tape's path
// columns are the trace read back, entry by entry.
import { tf } from '../core/tensor'
import type { AbsorptionObservations } from '../muography/absorption'
import { gpuMomentum, x0Problem, type Observations, type SimBatch } from '../muography/pipeline'
import { x0ConstantsOnGpu } from '../muography/solve-from-tensors'
import type { LinePair } from '../muography/paths'
import type { VoxelVolume } from '../muography/types'
import type { ResidentAbsorption } from './absorption'
import { largestDifference, type OutputCheck } from './check-compare'
import { solveScatteringDensityGpu } from './em'
import { tracePathsOnGpu } from './paths'
import { residentPathTensors, traceResidentGpu } from './path-resident'

export async function x0Outputs(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, observed: tf.Tensor[], smooth: { lines: LinePair; obs: Observations },
  abs: AbsorptionObservations, rows: ResidentAbsorption['rows'],
): Promise<OutputCheck[]> {
  const opts = { iterations: 20 }
  const got = await x0ConstantsOnGpu(device, batch, vol, observed, opts, { seen: abs, rows })
  const p = x0Problem(batch, await traceResidentGpu(device, vol, smooth.lines, 'fitted'), smooth.obs, { ...opts, absorption: abs })
  const em = await solveScatteringDensityGpu(device, p.paths, p.obs, p.opts, { momentum: gpuMomentum(batch, smooth.obs, p.obs), absorption: abs })
  const want = await tracePathsOnGpu(device, vol, smooth.lines)
  if (!got) return ['x0 constants', 'x0 paths'].map((name) => ({ name, maxError: Infinity, tolerance: 0, scale: 'absolute' }))
  const s = got.solution
  const P = residentPathTensors(got.paths)
  const [lambda, c, weight, cIn, cOut, muon, voxel, length] = await Promise.all(
    [s.lambda, s.c, s.weight, s.cIn, s.cOut, P.muon, P.voxel, P.length].map(async (t) => Float32Array.from(await t.data())),
  )
  tf.dispose([...Object.values(s), got.fitW, P.muon, P.voxel, P.length, P.covered])
  return [
    {
      name: 'x0 constants', tolerance: 0, scale: 'absolute',
      maxError: largestDifference([[lambda, em.lambda], [c, em.c], [weight, em.weight], [cIn, p.panelC.cIn], [cOut, p.panelC.cOut]]),
    },
    { name: 'x0 paths', tolerance: 0, scale: 'absolute', maxError: largestDifference([[muon, want.muon], [voxel, want.voxel], [length, want.length]]) },
  ]
}
