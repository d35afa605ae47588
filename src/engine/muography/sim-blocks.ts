// The per-muon part of simulate() (pipeline.ts) as a block kernel (parallel/blocks.ts): generation, the energy
// lost in the panels above, propagation through the volume, hit noise, the panels' own kicks and their efficiency
// draws, and the panels' scattering geometry, for muons [b·SIM_BLOCK, (b + 1)·SIM_BLOCK). Generation draws from
// Philox at each muon's batch index, the rest from the block's own streams (blockSeed), so the muons of a seed do
// not depend on how many threads simulate them.
import { createRng } from '../core/rng'
import { blockCount, blockSeed, outFloat32, outUint8, runBlocks } from '../parallel/blocks'
import { generateMuons, type GenerateOptions } from './flux'
import { afterStack, panelKicks, panelScatterRange, type PanelLayout, type PanelScatterGeometry } from './panel-material'
import { propagate, type PropagateOptions } from './propagate'
import type { MuonTracks, VoxelVolume } from './types'

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

const TRACK_KEYS = ['p', 'pOut', 'xin', 'yin', 'zin', 'uxin', 'uyin', 'uzin', 'xout', 'yout', 'zout', 'uxout', 'uyout', 'uzout', 'alive'] as const

export function simulateBlock(job: SimJob, b: number): void {
  const i0 = b * SIM_BLOCK, nb = Math.min(job.n, i0 + SIM_BLOCK) - i0
  const s = blockSeed(job.seed, b)
  const muons = generateMuons({ ...job.flux, n: nb, seed: job.seed, first: i0 })
  const o = job.out
  o.pAbove.set(muons.p, i0)
  if (job.propagate.energyLoss) muons.p = afterStack(job.layout, 0, muons.p, Float32Array.from(muons.uz, (u) => Math.abs(u)))
  const t = propagate(job.vol, muons, createRng(s, 'volume'), job.propagate)
  for (const k of TRACK_KEYS) o.tracks[k].set(t[k], i0)
  const P = job.efficiency.length
  createRng(s, 'noise').fillNormal(o.noise.subarray(i0 * P * 2, (i0 + nb) * P * 2))
  if (job.kicks) o.kicks.set(panelKicks(job.layout, t, o.pAbove.subarray(i0, i0 + nb), createRng(s, 'panel-scattering')), i0 * P * 2)
  const ru = createRng(s, 'efficiency')
  for (let i = i0; i < i0 + nb; i++) for (let k = 0; k < P; k++) o.present[i * P + k] = ru.uniform() < job.efficiency[k] ? 1 : 0
  panelScatterRange(job.layout, o.tracks, i0, i0 + nb, o.panel)
}

/** Simulate the job's n muons on the kernel threads; outputs are allocated here. `local`: blocks the caller ran. */
export function simulateMuons(job: Omit<SimJob, 'out'>): SimJob['out'] & { local: number } {
  const { n } = job
  const f = outFloat32
  const P = job.efficiency.length
  const tracks: MuonTracks = {
    n, p: f(n), pOut: f(n), xin: f(n), yin: f(n), zin: f(n), uxin: f(n), uyin: f(n), uzin: f(n),
    xout: f(n), yout: f(n), zout: f(n), uxout: f(n), uyout: f(n), uzout: f(n), alive: outUint8(n),
  }
  const out = {
    tracks, pAbove: f(n), noise: f(n * P * 2), kicks: f(job.kicks ? n * P * 2 : 0), present: f(n * P),
    panel: { g: f(n * P), above: f(n), below: f(n) },
  }
  const local = runBlocks('simulate', simulateBlock, { ...job, out }, blockCount(n, SIM_BLOCK))
  return { ...out, local }
}
