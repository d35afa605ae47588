/// <reference types="@webgpu/types" />
// The absorption term's entry paths made from the propagation kernel's tracks where they lie
// (muography/entry-paths-gpu.ts) against the CPU's of the same tracks read back: the lines against innerEntryLines
// (float32 against float64; which muons are used, exactly), the paths against the trace of those lines uploaded
// (gpu/paths.ts, itself checked against buildPaths: every entry exactly), and the crossing energies walked on the
// resident rows against crossingEnergy of those paths, and the absorption term's Fisher information from the
// constants made there (absorptionFisherConstantsResident) against the CPU's (absorptionFisherConstants).
import { tf } from '../core/tensor'
import { crossingEnergy, type AbsorptionEntry } from '../muography/absorption'
import { innerEntryLines } from '../muography/absorption-data'
import {
  absorptionFisherConstants, absorptionFisherConstantsResident, absorptionInformation, disposeAbsorptionFisher, type AbsorptionFisherConstants,
} from '../muography/absorption-fisher'
import type { PanelParams } from '../muography/panels'
import { traceEntryTracksGpu } from '../muography/entry-paths-gpu'
import type { MuonTracks, VoxelVolume } from '../muography/types'
import { compare, finiteFloats, largestDifference, perMuonError, type OutputCheck } from './check-compare'
import { crossingGrad } from './absorption'
import { readFloats } from './device'
import { packLines, tracePathsOnGpu } from './paths'

/** ln T_cross and its gradient in float32 against float64 (as the absorption check's) */
const CROSSING_REL = 1e-4
/** the absorption information made from float32 crossing energies against float64 */
const INFORMATION_REL = 1e-3

export async function entryOutputs(
  device: GPUDevice, vol: VoxelVolume, tracks: GPUBuffer, read: MuonTracks, linesRel: number, panels: PanelParams,
): Promise<OutputCheck[]> {
  const n = read.n
  const lambda = Float64Array.from(vol.x0, (x) => 1 / x)
  const trace = traceEntryTracksGpu(device, vol, tracks, n, lambda)
  const sized = await trace.sized, walked = sized.walked
  // the absorption term's Fisher constants made from the trace where it lies, as a step makes them
  const entry: AbsorptionEntry = { kind: 'point', p: read.p, energyLoss: true, resolution: 0 }
  const resident = walked && absorptionFisherConstantsResident(device, lambda, entry, sized.lines, walked)
  const walk = walked ? await readFloats(device, walked.rows.walk, 2 * walked.rows.nnz) : null
  const got = await trace.paths()
  const want = innerEntryLines(vol, read)
  // the eight columns relative to the larger of 1 and the value, `use` apart
  const [g, w] = [packLines(got.lines), packLines(want)]
  let lines = 0, use = 0
  for (let k = 0; k < w.length; k++) {
    const d = Math.abs(g[k] - w[k])
    if (k % 9 === 8) use = Math.max(use, d)
    else lines = Math.max(lines, Number.isNaN(d) ? Infinity : d / Math.max(1, Math.abs(w[k])))
  }
  const traced = await tracePathsOnGpu(device, vol, got.lines)
  const entries = largestDifference([
    [Float32Array.from(got.paths.muon), traced.muon], [Float32Array.from(got.paths.voxel), traced.voxel],
    [got.paths.length, traced.length], [got.paths.total, traced.total],
  ])
  const cpu = crossingEnergy(got.paths, lambda)
  const grad = walk && crossingGrad(walk, got.paths.nnz)
  return [
    { name: 'entry lines', maxError: lines, tolerance: linesRel, scale: 'relative' },
    { name: 'entry lines used', maxError: use, tolerance: 0, scale: 'absolute' },
    { name: 'entry paths', maxError: entries, tolerance: 0, scale: 'absolute' },
    walked ? compare('entry crossing ln T', finiteFloats(walked.lnT), finiteFloats(cpu.lnT), 'absolute', CROSSING_REL)
      : { name: 'entry crossing ln T', maxError: Infinity, tolerance: CROSSING_REL, scale: 'absolute' },
    {
      name: 'entry crossing ∂ln T/∂λ', maxError: grad ? perMuonError(got.paths, grad, cpu.grad, () => false) : Infinity,
      tolerance: CROSSING_REL, scale: 'relative',
    },
    await informationOutput(resident, absorptionFisherConstants(vol, read, lambda, entry, got), panels),
  ]
}

/** the absorption term's Fisher information per voxel under `panels` (smooth edges), of the constants made on the GPU
 *  against the CPU's, relative to the larger of the value and a thousandth of the largest; Infinity when no muon is
 *  near its threshold (nothing would be compared) */
async function informationOutput(gpu: AbsorptionFisherConstants | null, cpu: AbsorptionFisherConstants, panels: PanelParams): Promise<OutputCheck> {
  const out: OutputCheck = { name: 'entry absorption information', maxError: Infinity, tolerance: INFORMATION_REL, scale: 'relative' }
  if (!gpu || cpu.n === 0) return out
  const [a, b] = tf.tidy(() => [absorptionInformation(panels, gpu, 'smooth', 0.3), absorptionInformation(panels, cpu, 'smooth', 0.3)])
  const [ga, cb] = (await Promise.all([a.data(), b.data()])) as Float32Array[]
  tf.dispose([a, b])
  disposeAbsorptionFisher(gpu)
  const floor = 1e-3 * cb.reduce((m, v) => Math.max(m, v), 0)
  out.maxError = cb.reduce((m, v, j) => Math.max(m, Math.abs(ga[j] - v) / Math.max(v, floor)), gpu.n === cpu.n ? 0 : Infinity)
  return out
}
