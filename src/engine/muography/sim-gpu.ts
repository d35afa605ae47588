/// <reference types="@webgpu/types" />
// simulateMuons on the GPU, for a step that computes on webgpu: the muons generated, slowed in the panels above,
// propagated through the volume and seen by the detector (gpu/muons.ts, gpu/entering.ts, gpu/propagate.ts,
// gpu/detector.ts), from the same per-muon streams as the CPU, so muon i is the CPU's muon i within float32
// rounding. The tracks, the momenta at the stack above and the detector's draws come back in one wait.
import { timedAsync } from '../core/phases'
import { readFloats } from '../gpu/device'
import { detectorFloats, detectorGpu, unpackDetector } from '../gpu/detector'
import { enteringGpu } from '../gpu/entering'
import { generateMuonsGpu } from '../gpu/muons'
import { propagateGpu, readTracks } from '../gpu/propagate'
import { simOutputs, type SimJob } from './sim-blocks'

/** the step's phase (core/phases.ts) of the simulation on the GPU and its read-back */
export const GPU_PHASE = 'simulate (GPU)'

export async function simulateMuonsGpu(device: GPUDevice, job: Omit<SimJob, 'out'>): Promise<SimJob['out']> {
  const out = simOutputs(job)
  const { n } = job
  const P = job.efficiency.length
  await timedAsync(GPU_PHASE, async () => {
    const muons = generateMuonsGpu(device, { ...job.flux, n, seed: job.seed })
    const entering = enteringGpu(device, muons, n, job.flux.z, job.layout, job.propagate.energyLoss ?? false)
    const tracks = propagateGpu(device, job.vol, entering, n, { seed: job.seed }, job.propagate)
    const draws = detectorGpu(device, { ...job, n }, tracks, muons.p)
    const [pAbove, detector] = await Promise.all([
      readFloats(device, muons.p, n), readFloats(device, draws, detectorFloats(n, P)), readTracks(device, tracks, n, out.tracks),
    ])
    out.pAbove.set(pAbove)
    unpackDetector(detector, n, P, out)
  })
  return out
}
