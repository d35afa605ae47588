/// <reference types="@webgpu/types" />
// simulateMuons with the propagation through the volume on the GPU (gpu/propagate.ts), for a step that computes on
// webgpu: the kernel threads generate the muons and slow them in the panels above (enteringBlock), the GPU tracks
// them through the volume from the same per-muon streams as the CPU, and the kernel threads draw the detector's
// response (detectorBlock) from the same block streams. So a seed gives the CPU's batch, within float32 rounding.
import { timed, timedAsync } from '../core/phases'
import { propagateGpu, readTracks } from '../gpu/propagate'
import { blockCount, outFloat32, runBlocks } from '../parallel/blocks'
import { detectorBlock, enteringBlock, simOutputs, SIM_BLOCK, type SimJob } from './sim-blocks'

/** the step's phase (core/phases.ts) of the propagation on the GPU and its read-back; the CPU parts count as 'simulate' */
export const GPU_PHASE = 'propagate (GPU)'

export async function simulateMuonsGpu(device: GPUDevice, job: Omit<SimJob, 'out'>): Promise<SimJob['out'] & { local: number }> {
  const out = simOutputs(job)
  const blocks = blockCount(job.n, SIM_BLOCK)
  const entering = outFloat32(7 * job.n)
  let local = timed('simulate', () => runBlocks('simulate-entering', enteringBlock, { ...job, out, entering }, blocks))
  await timedAsync(GPU_PHASE, () => readTracks(device, propagateGpu(device, job.vol, entering, job.n, { seed: job.seed }, job.propagate), job.n, out.tracks))
  local += timed('simulate', () => runBlocks('simulate-detector', detectorBlock, { ...job, out }, blocks))
  return { ...out, local }
}
