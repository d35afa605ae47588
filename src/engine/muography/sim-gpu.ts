/// <reference types="@webgpu/types" />
// simulateMuons on the GPU, for a step that computes on webgpu: the muons generated, slowed in the panels above,
// propagated through the volume and seen by the detector (gpu/muons.ts, gpu/entering.ts, gpu/propagate.ts,
// gpu/detector.ts), from the same per-muon streams as the CPU, so muon i is the CPU's muon i within float32
// rounding. The tracks, the momenta at the stack above and the detector's draws come back in one wait (the hit noise
// and the kicks only where asked: a batch reconstructed on the GPU never reads them on the CPU); the tracks and the
// draws stay on the GPU too, for the step's true lines (gpu/track-lines.ts) and its reconstruction's inputs
// (gpu/reco-inputs.ts). Work queued behind the simulation (a step's true and entry paths' traces) reads back in the
// same wait. A simulation queued now can be awaited later: a step queues the next step's behind its loss, so that
// both read-backs wait together (queueMuonsGpu; pipeline.ts queueSimulationOnGpu).
import { timedAsync } from '../core/phases'
import { readFloats } from '../gpu/device'
import { drawLayout, detectorGpu, unpackDetector } from '../gpu/detector'
import { enteringGpu } from '../gpu/entering'
import { generateMuonsGpu } from '../gpu/muons'
import type { SimBuffers } from '../gpu/reco-inputs'
import { propagateGpu, readTracks, tracksWritten } from '../gpu/propagate'
import { simOutputs, type SimJob } from './sim-blocks'

/** the step's phase (core/phases.ts) of the simulation on the GPU and its read-back (for a batch queued behind the
 *  step before: what is left of its wait) */
export const GPU_PHASE = 'simulate (GPU)'

/** the propagation kernel's tracks and the detector kernel's draws of a batch simulated on the GPU (both rewritten
 *  by the next simulation), and the propagation count they were made at */
export interface GpuTracks extends SimBuffers { written: number }

/** the buffers if they still hold their batch (no later propagation has run), else null */
export function liveTracks(t: GpuTracks | undefined): GpuTracks | null {
  return t && t.written === tracksWritten() ? t : null
}

/** work queued behind a simulation on the GPU, from its buffers, before the simulation's read-back is awaited: the
 *  reads it starts wait together with the simulation's */
export type QueuedBehind = (gpu: GpuTracks) => void

/** queueMuonsGpu, awaited: its wait timed as the phase GPU_PHASE */
export function simulateMuonsGpu(
  device: GPUDevice, job: Omit<SimJob, 'out'>, behind?: QueuedBehind, noise = true,
): Promise<{ out: SimJob['out']; gpu: GpuTracks }> {
  return timedAsync(GPU_PHASE, async () => {
    const q = queueMuonsGpu(device, job, behind, noise)
    return { out: await q.out, gpu: q.gpu }
  })
}

/** the simulation queued on `device` with its read-back started, `behind` queued after it: its buffers now, its
 *  outputs once the read is back. `noise`: whether the hit noise and the kicks come back too (else `out` has none) */
export function queueMuonsGpu(
  device: GPUDevice, job: Omit<SimJob, 'out'>, behind?: QueuedBehind, noise = true,
): { gpu: GpuTracks; out: Promise<SimJob['out']> } {
  const out = simOutputs(job, noise)
  const { n } = job
  const P = job.efficiency.length
  const muons = generateMuonsGpu(device, { ...job.flux, n, seed: job.seed })
  const entering = enteringGpu(device, muons, n, job.flux.z, job.layout, job.propagate.energyLoss ?? false)
  const tracks = propagateGpu(device, job.vol, entering, n, { seed: job.seed }, job.propagate)
  const written = tracksWritten()
  const draws = detectorGpu(device, { ...job, n }, tracks, muons.p)
  const reads = Promise.all([
    readFloats(device, muons.p, n), readFloats(device, draws, noise ? drawLayout(n, P).total : drawLayout(n, P).kept),
    readTracks(device, tracks, n, out.tracks),
  ])
  const gpu = { tracks, draws, written }
  behind?.(gpu)
  return {
    gpu,
    out: reads.then(([pAbove, detector]) => {
      out.pAbove.set(pAbove)
      unpackDetector(detector, n, P, out)
      return out
    }),
  }
}
