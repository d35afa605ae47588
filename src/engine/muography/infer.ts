// Simulate and reconstruct once, report per-voxel X0 against the truth: the calibration check of
// docs/physics-inference.md and the `infer` command. "ideal" replaces the design's panels by full-coverage panels with 100 µm
// resolution and efficiency 1 at the same heights.
import type { MuographyDesign } from '../design/schema'
import { buildPaths, pocaOfLines } from './paths'
import { createPanelParams } from './panels'
import { absorptionObservations, absorptionUsed, entryLines, entryResolution } from './absorption-data'
import { observeBatch, simulate, solveX0 } from './pipeline'
import { pocaX0 } from './poca-x0'
import type { MuonTracks, VoxelVolume } from './types'
import { buildVolume } from './volume'

export interface InferOptions {
  muons: number
  detector: 'ideal' | 'design'
  momentum: MuographyDesign['simulation']['momentum']
  seed: number
  iterations?: number
  /** use the muons that stop (absorption term); default: the design's simulation.absorption */
  absorption?: boolean
}

export interface VoxelResult {
  ix: number; iy: number; iz: number
  material: string
  x0_true_m: number
  x0_pred_m: number | null
  x0_poca_m: number | null
}

export interface MaterialSummary {
  x0_true_m: number
  x0_pred_median_m: number | null
  x0_poca_median_m: number | null
  ratio_median: number | null
  n_voxels: number
  /** of the entry-line path length through this material's voxels, the fraction that belongs to muons that stopped */
  stopped_path_fraction: number | null
}

export interface InferResult {
  muons: number
  muons_used: number
  /** muons that stopped inside the volume (range out): no exit track */
  muons_stopped: number
  /** e.g. a vertical path beyond Highland's range (x/X0 > 100) */
  warnings: string[]
  by_material: Record<string, MaterialSummary>
  voxels: VoxelResult[]
}

export function idealDetector(design: MuographyDesign): MuographyDesign['detector'] {
  const v = design.volume
  const cx = v.origin[0] + v.size[0] / 2
  const cy = v.origin[1] + v.size[1] / 2
  // wide enough that every muon through the volume (θ < 85°) crosses every panel of its stack
  const reach = (z: number) => 2 * Math.abs(z - (z > v.origin[2] ? v.origin[2] + v.size[2] : v.origin[2])) * 11.5
  return {
    ...design.detector,
    technology: {
      name: 'ideal', resolution: 1e-4, efficiency: 1, cost_per_m2: design.detector.technology.cost_per_m2, thickness_x0: 0,
      momentum_resolution: design.detector.technology.momentum_resolution,
    },
    panels: design.detector.panels.map((p) => ({
      id: p.id, stack: p.stack, x: cx, y: cy, z: p.z,
      span_x: Math.min(100, v.size[0] + reach(p.z) + 0.2), span_y: Math.min(100, v.size[1] + reach(p.z) + 0.2),
    })),
  }
}

function median(a: number[]): number | null {
  const s = a.filter(Number.isFinite).sort((x, y) => x - y)
  if (!s.length) return null
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/**
 * Per voxel, Σ L over the entry lines of the muons that stopped and Σ L over all entry lines (each muon's line
 * as it entered, continued straight through the volume): the absorption view of the same muons.
 */
export function stoppedPathLength(vol: VoxelVolume, t: MuonTracks): { stopped: Float64Array; all: Float64Array } {
  const paths = buildPaths(vol, entryLines(vol, t))
  const V = paths.nVoxels
  const stopped = new Float64Array(V), all = new Float64Array(V)
  for (let k = 0; k < paths.nnz; k++) {
    const i = paths.muon[k], j = paths.voxel[k]
    all[j] += paths.length[k]
    if (!t.alive[i] && t.pOut[i] === 0) stopped[j] += paths.length[k]
  }
  return { stopped, all }
}

/** Highland's stated range is x/X0 ≤ 100 (PDG RPP 2024 §34.3): say so when a vertical column holds more. */
export function volumeWarnings(vol: VoxelVolume): string[] {
  let most = 0
  for (let iy = 0; iy < vol.ny; iy++) for (let ix = 0; ix < vol.nx; ix++) {
    let t = 0
    for (let iz = 0; iz < vol.nz; iz++) t += vol.voxel / vol.x0[ix + vol.nx * (iy + vol.ny * iz)]
    most = Math.max(most, t)
  }
  return most > 100 ? [`a vertical path crosses ${most.toPrecision(3)} radiation lengths, beyond Highland's range (≤ 100): the scattering model is extrapolated there`] : []
}

export async function runInference(design: MuographyDesign, opts: InferOptions): Promise<InferResult> {
  const d: MuographyDesign = structuredClone(design)
  d.simulation.momentum = opts.momentum
  if (opts.detector === 'ideal') d.detector = idealDetector(d)
  const vol = buildVolume(d.volume)
  const panels = createPanelParams(d.detector)
  try {
    const batch = simulate(d, vol, panels, opts.muons, opts.seed, 'infer')
    const { lines, obs } = await observeBatch(batch, vol, panels, 'hard', 1)
    const { m, w } = obs
    const absorbed = absorptionUsed(d, opts.absorption ?? d.simulation.absorption)
      ? absorptionObservations(batch, vol, panels, entryResolution(d)) : null
    const { em } = solveX0(batch, vol, lines, obs, { iterations: opts.iterations ?? 20, absorption: absorbed })
    const n = batch.tracks.n
    const poca = new Float32Array(3 * n)
    const cosT = new Float32Array(n)
    for (let i = 0; i < n; i++) {
      const k = pocaOfLines([lines.inX[i], lines.inY[i], lines.zIn], [lines.inTx[i], lines.inTy[i], 1],
        [lines.outX[i], lines.outY[i], lines.zOut], [lines.outTx[i], lines.outTy[i], 1])
      poca.set(k, 3 * i)
      const tx = (lines.inTx[i] + lines.outTx[i]) / 2
      const ty = (lines.inTy[i] + lines.outTy[i]) / 2
      cosT[i] = 1 / Math.sqrt(1 + tx * tx + ty * ty)
    }
    const pocaPred = pocaX0(vol, { n, poca, m, e: em.e, w: em.weight, c: em.c, cosTheta: cosT })
    const voxels: VoxelResult[] = []
    const absorption = stoppedPathLength(vol, batch.tracks)
    const groups = new Map<string, { t: number; p: number[]; q: number[]; stop: number; all: number }>()
    const list = (): number[] => []
    for (let iz = 0; iz < vol.nz; iz++) for (let iy = 0; iy < vol.ny; iy++) for (let ix = 0; ix < vol.nx; ix++) {
      const j = ix + vol.nx * (iy + vol.ny * iz)
      const mat = vol.palette[vol.material[j]]
      const pred = em.coverage[j] > 0 ? 1 / em.lambda[j] : null
      const pp = Number.isFinite(pocaPred[j]) ? pocaPred[j] : null
      voxels.push({ ix, iy, iz, material: mat, x0_true_m: vol.x0[j], x0_pred_m: pred, x0_poca_m: pp })
      const g = groups.get(mat) ?? { t: vol.x0[j], p: list(), q: list(), stop: 0, all: 0 }
      g.stop += absorption.stopped[j]
      g.all += absorption.all[j]
      if (pred !== null) g.p.push(pred)
      if (pp !== null) g.q.push(pp)
      groups.set(mat, g)
    }
    const by_material: Record<string, MaterialSummary> = {}
    for (const [mat, g] of groups) {
      const med = median(g.p)
      by_material[mat] = {
        x0_true_m: g.t, x0_pred_median_m: med, x0_poca_median_m: median(g.q),
        ratio_median: med === null ? null : med / g.t,
        n_voxels: voxels.filter((v) => v.material === mat).length,
        stopped_path_fraction: g.all > 0 ? g.stop / g.all : null,
      }
    }
    let used = 0
    for (let i = 0; i < n; i++) if (w[i] > 0.5) used++
    return { muons: n, muons_used: used, muons_stopped: batch.stopped, warnings: volumeWarnings(vol), by_material, voxels }
  } finally {
    panels.dispose()
  }
}
