/// <reference types="@webgpu/types" />
// The x0 loss's constants as a webgpu step makes them (muography/solve-from-tensors.ts x0ConstantsOnGpu: the fitted lines'
// paths traced with the tape's columns and the EM solved from a reconstruction's tensors where they lie, its
// solution left there as tensors) against the same solve of the same reconstruction read back (its lines traced and
// left on the GPU, the observations uploaded, the absorption term's entry paths of the muons seen entering): the same
// kernels summing in the same order, so λ, c, the weights and c at the stacks are identical, and the tape's path
// columns are the trace read back, entry by entry. Made before the count comes back, sized by a guess above it (as a
// step after the first makes them), the columns are the trace followed by zeros, and the count is the trace's.
import { tf } from '../core/tensor'
import type { AbsorptionObservations } from '../muography/absorption'
import { gpuMomentum, x0Problem, type Observations, type SimBatch } from '../muography/pipeline'
import { x0ConstantsOnGpu } from '../muography/solve-from-tensors'
import type { LinePair } from '../muography/paths'
import type { VoxelVolume } from '../muography/types'
import type { ResidentAbsorption } from './absorption'
import { largestDifference, tensorValues, type OutputCheck } from './check-compare'
import { solveScatteringDensityGpu } from './em'
import { tracePathsOnGpu } from './paths'
import { entryCount, residentPathTensors, traceResidentGpu, type ResidentPaths } from './path-resident'

export async function x0Outputs(
  device: GPUDevice, batch: SimBatch, vol: VoxelVolume, observed: tf.Tensor[], smooth: { lines: LinePair; obs: Observations },
  abs: AbsorptionObservations, rows: ResidentAbsorption['rows'],
): Promise<OutputCheck[]> {
  const opts = { iterations: 20 }
  const got = await x0ConstantsOnGpu(device, batch, vol, observed, opts, { seen: abs, rows })
  const p = x0Problem(batch, await traceResidentGpu(device, vol, smooth.lines, 'fitted'), smooth.obs, { ...opts, absorption: abs })
  const em = await solveScatteringDensityGpu(device, p.paths, p.obs, p.opts, { momentum: gpuMomentum(batch, smooth.obs, p.obs), absorption: abs })
  const want = await tracePathsOnGpu(device, vol, smooth.lines)
  const names = ['x0 constants', 'x0 paths', 'x0 paths sized by a guess']
  if (!got) return names.map((name) => ({ name, maxError: Infinity, tolerance: 0, scale: 'absolute' }))
  const s = got.solution
  const [lambda, c, weight, cIn, cOut] = await Promise.all([s.lambda, s.c, s.weight, s.cIn, s.cOut].map(read))
  // fitW is the caller's observed[0], which the next solve reads
  tf.dispose(Object.values(s))
  const columns = await pathColumns(got.paths)
  // a guess 500 entries above the count: the columns as a tape takes them, and the count as the loss reads it. The
  // packing's buffers are first filled past the count (lines that cross more voxels), as a step's other traces
  // leave them
  await traceResidentGpu(device, vol, across(smooth.lines, vol), 'fitted')
  const guessed = await x0ConstantsOnGpu(device, batch, vol, observed, opts, { seen: abs, rows }, want.nnz + 500)
  let padded = Infinity
  if (guessed?.paths.count) {
    const zeros = new Float32Array(500)
    const cat = (a: ArrayLike<number>) => Float32Array.from([...Array.from(a), ...zeros])
    const [count] = await read(entryCount(guessed.paths.count))
    padded = Math.max(
      Math.abs(count - want.nnz),
      largestDifference((await pathColumns(guessed.paths)).map((col, i) => [col, cat([want.muon, want.voxel, want.length][i])] as const)),
    )
  }
  if (guessed) tf.dispose(Object.values(guessed.solution))
  const errors = [
    largestDifference([[lambda, em.lambda], [c, em.c], [weight, em.weight], [cIn, p.panelC.cIn], [cOut, p.panelC.cOut]]),
    largestDifference([[columns[0], want.muon], [columns[1], want.voxel], [columns[2], want.length]]),
    padded,
  ]
  return names.map((name, i) => ({ name, maxError: errors[i], tolerance: 0, scale: 'absolute' }))
}

/** lines of as many muons as `l`, each straight across the volume from one side to the other, so that they cross
 *  more voxels than the muons of `l` (in the same buffers: a trace of another size would make its buffers anew) */
function across(l: LinePair, vol: VoxelVolume): LinePair {
  const n = l.n, [x0, y0] = vol.origin, sx = vol.nx * vol.voxel, sy = vol.ny * vol.voxel
  const u = (i: number) => (i + 0.5) / n
  const col = (f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i))
  const inX = col(() => x0 + 0.05 * sx), outX = col(() => x0 + 0.95 * sx)
  const inY = col((i) => y0 + sy * (0.05 + 0.9 * u(i))), outY = col((i) => y0 + sy * (0.95 - 0.9 * u(i)))
  const dz = l.zOut - l.zIn
  const tx = col((i) => (outX[i] - inX[i]) / dz), ty = col((i) => (outY[i] - inY[i]) / dz)
  return { n, zIn: l.zIn, zOut: l.zOut, inX, inY, inTx: tx, inTy: ty, outX, outY, outTx: tx, outTy: ty }
}

/** a tensor's values, the tensor disposed */
async function read(t: tf.Tensor): Promise<Float32Array> {
  const v = await tensorValues(t)
  t.dispose()
  return v
}

/** the tape's path columns (muon, voxel, length) of resident paths, read back */
async function pathColumns(paths: ResidentPaths): Promise<Float32Array[]> {
  const P = residentPathTensors(paths)
  P.covered.dispose()
  return Promise.all([P.muon, P.voxel, P.length].map(read))
}
