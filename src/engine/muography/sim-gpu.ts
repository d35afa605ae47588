/// <reference types="@webgpu/types" />
// simulateMuons with the muons generated, slowed in the panels above and propagated through the volume on the GPU
// (gpu/muons.ts, gpu/entering.ts, gpu/propagate.ts), for a step that computes on webgpu: the same per-muon streams
// as the CPU, so muon i is the CPU's muon i within float32 rounding. The tracks and the momenta at the stack above
// come back in one wait, and the kernel threads draw the detector's response (detectorBlock) from the same block
// streams as the CPU.
import { timed, timedAsync } from '../core/phases'
import { readFloats } from '../gpu/device'
import { enteringGpu } from '../gpu/entering'
import { generateMuonsGpu } from '../gpu/muons'
import { propagateGpu, readTracks } from '../gpu/propagate'
import { blockCount, runBlocks } from '../parallel/blocks'
import { detectorBlock, simOutputs, SIM_BLOCK, type SimJob } from './sim-blocks'

/** the step's phase (core/phases.ts) of the simulation's GPU part and its read-back; the detector's draws count as
 *  'simulate' */
export const GPU_PHASE = 'simulate (GPU)'

export async function simulateMuonsGpu(device: GPUDevice, job: Omit<SimJob, 'out'>): Promise<SimJob['out'] & { local: number }> {
  const out = simOutputs(job)
  const { n } = job
  await timedAsync(GPU_PHASE, async () => {
    const muons = generateMuonsGpu(device, { ...job.flux, n, seed: job.seed })
    const entering = enteringGpu(device, muons, n, job.flux.z, job.layout, job.propagate.energyLoss ?? false)
    const tracks = propagateGpu(device, job.vol, entering, n, { seed: job.seed }, job.propagate)
    const [pAbove] = await Promise.all([readFloats(device, muons.p, n), readTracks(device, tracks, n, out.tracks)])
    out.pAbove.set(pAbove)
  })
  const local = timed('simulate', () => runBlocks('simulate-detector', detectorBlock, { ...job, out }, blockCount(n, SIM_BLOCK)))
  return { ...out, local }
}
