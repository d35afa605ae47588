// The per-muon part of simulate() (pipeline.ts) as a block kernel (parallel/blocks.ts): generation, the energy
// lost in the panels above, propagation through the volume, hit noise, the panels' own kicks and their efficiency
// draws, and the panels' scattering geometry, for muons [b·SIM_BLOCK, (b + 1)·SIM_BLOCK). Every draw comes from
// Philox at the muon's batch index (generation, propagation, detector-draws.ts), so the muons of a seed do not
// depend on how many threads simulate them, and the GPU's kernels draw the same.
import { blockCount, outFloat32, outUint8, startBlocks } from '../parallel/blocks'
import { detectorRange } from './detector-draws'
import { generateMuons, type GenerateOptions } from './flux'
import { afterStack, type PanelLayout, type PanelScatterGeometry } from './panel-material'
import { propagate, type PropagateOptions } from './propagate'
import type { MuonBatch, MuonTracks, VoxelVolume } from './types'

/** muons per block: large enough that a block's set-up (streams, tables) is negligible, small enough to balance */
export const SIM_BLOCK = 4096

export interface SimJob {
  n: number
  /** the batch's seed (deriveSeed(seed, label)) */
  seed: number
  flux: Omit<GenerateOptions, 'n' | 'seed' | 'stream' | 'first'>
  vol: VoxelVolume
  propagate: PropagateOptions
  layout: PanelLayout
  /** per panel: detection efficiency */
  efficiency: Float64Array
  /** whether the panels scatter (any has material) */
  kicks: boolean
  out: {
    tracks: MuonTracks
    /** momentum at the stack above, before its panels' loss */
    pAbove: Float32Array
    noise: Float32Array
    kicks: Float32Array
    present: Float32Array
    /** the panels' scattering geometry (panel-material.ts) */
    panel: PanelScatterGeometry
  }
}

/** the per-muon fields of MuonTracks (also the GPU propagation's output layout) */
export const TRACK_KEYS = ['p', 'pOut', 'xin', 'yin', 'zin', 'uxin', 'uyin', 'uzin', 'xout', 'yout', 'zout', 'uxout', 'uyout', 'uzout', 'alive'] as const

/** muons [i0, i0 + nb) as they reach the volume: generated, and slowed by the panels above (with energy loss) */
function enteringMuons(job: SimJob, i0: number, nb: number): MuonBatch {
  const muons = generateMuons({ ...job.flux, n: nb, seed: job.seed, first: i0 })
  job.out.pAbove.set(muons.p, i0)
  if (job.propagate.energyLoss) muons.p = afterStack(job.layout, 0, muons.p, Float32Array.from(muons.uz, (u) => Math.abs(u)))
  return muons
}

const blockRange = (n: number, b: number): [number, number] => {
  const i0 = b * SIM_BLOCK
  return [i0, Math.min(n, i0 + SIM_BLOCK) - i0]
}

export function simulateBlock(job: SimJob, b: number): void {
  const [i0, nb] = blockRange(job.n, b)
  const t = propagate(job.vol, enteringMuons(job, i0, nb), { seed: job.seed, first: i0 }, job.propagate)
  for (const k of TRACK_KEYS) job.out.tracks[k].set(t[k], i0)
  detectorRange(job, i0, i0 + nb)
}

/** the batch packed as the GPU propagation reads it, per muon x, y, z, ux, uy, uz, p, into out from index `at` */
export function packMuons(mu: MuonBatch, out: Float32Array, at = 0): void {
  for (let i = 0, o = at; i < mu.n; i++, o += 7) {
    out[o] = mu.x[i]; out[o + 1] = mu.y[i]; out[o + 2] = mu.z[i]
    out[o + 3] = mu.ux[i]; out[o + 4] = mu.uy[i]; out[o + 5] = mu.uz[i]; out[o + 6] = mu.p[i]
  }
}

/** the outputs of a simulation of the job's n muons, on memory the kernel threads can write */
/** the outputs of a simulation of job.n muons; without `noise`, none for the hit noise and the kicks (left on the GPU) */
export function simOutputs(job: Pick<SimJob, 'n' | 'efficiency' | 'kicks'>, noise = true): SimJob['out'] {
  const { n } = job
  const f = outFloat32
  const P = job.efficiency.length
  const tracks: MuonTracks = {
    n, p: f(n), pOut: f(n), xin: f(n), yin: f(n), zin: f(n), uxin: f(n), uyin: f(n), uzin: f(n),
    xout: f(n), yout: f(n), zout: f(n), uxout: f(n), uyout: f(n), uzout: f(n), alive: outUint8(n),
  }
  return {
    tracks, pAbove: f(n), noise: f(noise ? n * P * 2 : 0), kicks: f(job.kicks && noise ? n * P * 2 : 0), present: f(n * P),
    panel: { g: f(n * P), above: f(n), below: f(n) },
  }
}

/** Simulate the job's n muons on the kernel threads; outputs are allocated here. `local`: blocks the caller ran. */
export function simulateMuons(job: Omit<SimJob, 'out'>): SimJob['out'] & { local: number } {
  return startSimulateMuons(job)()
}

/** simulateMuons started on the kernel threads (parallel/blocks.ts startBlocks): the returned function joins */
export function startSimulateMuons(job: Omit<SimJob, 'out'>): () => SimJob['out'] & { local: number } {
  const out = simOutputs(job)
  const run = startBlocks('simulate', simulateBlock, { ...job, out }, blockCount(job.n, SIM_BLOCK))
  return () => ({ ...out, local: run.join() })
}
