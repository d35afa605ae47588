// One pass of the muography chain: generate → propagate (no tape) → reconstruct with the panels (on the tape)
// → per-muon observations for inference. The session, the CLI and the benchmark all go through here.
import { createRng, deriveSeed } from '../core/rng'
import { readBack, tf } from '../core/tensor'
import type { MuographyDesign } from '../design/schema'
import { anglesFromReco } from './angles'
import { generateMuons } from './flux'
import { highlandC } from './highland'
import type { LinePair } from './paths'
import type { PanelParams } from './panels'
import { propagate } from './propagate'
import { reconstruct, type Reco } from './fit'
import type { MuonTracks, VoxelVolume } from './types'

export interface SimBatch {
  tracks: MuonTracks
  /** N(0,1) hit noise, [N, P, 2], drawn once per muon and panel */
  noise: Float32Array
  /** (13.6 MeV/βp)² per muon as the inference sees it (true p, or the spectrum mean if momentum is unknown) */
  c: Float32Array
}

export function volumeZ(vol: VoxelVolume): { zTop: number; zBottom: number } {
  return { zBottom: vol.origin[2], zTop: vol.origin[2] + vol.nz * vol.voxel }
}

/** Simulate n muons through the volume with the seed's streams. */
export function simulate(
  design: MuographyDesign, vol: VoxelVolume, nPanels: number, n: number, seed: number, label: string,
): SimBatch {
  const sim = design.simulation
  const { zTop } = volumeZ(vol)
  const muons = generateMuons({
    n,
    model: sim.flux,
    thetaMaxDeg: sim.theta_max_deg,
    eMin: sim.energy_min_gev,
    eMax: sim.energy_max_gev,
    area: { x0: vol.origin[0], x1: vol.origin[0] + vol.size[0], y0: vol.origin[1], y1: vol.origin[1] + vol.size[1] },
    z: zTop,
    rng: createRng(deriveSeed(seed, label), 'muons'),
  })
  const tracks = propagate(vol, muons, createRng(deriveSeed(seed, label), 'volume'), {
    energyLoss: sim.energy_loss,
    maxStep: sim.step_m,
  })
  const noise = new Float32Array(tracks.n * nPanels * 2)
  createRng(deriveSeed(seed, label), 'noise').fillNormal(noise)
  const c = new Float32Array(tracks.n)
  if (sim.momentum === 'known') {
    for (let i = 0; i < tracks.n; i++) c[i] = highlandC(tracks.p[i])
  } else {
    let mean = 0
    for (let i = 0; i < tracks.n; i++) mean += highlandC(tracks.p[i])
    c.fill(mean / Math.max(1, tracks.n))
  }
  return { tracks, noise, c }
}

/** The true entry and exit lines of the simulated muons (for the detector-independent truth paths). */
export function truthLines(t: MuonTracks, vol: VoxelVolume): LinePair {
  const { zTop, zBottom } = volumeZ(vol)
  const n = t.n
  const inX = new Float32Array(n), inY = new Float32Array(n), inTx = new Float32Array(n), inTy = new Float32Array(n)
  const outX = new Float32Array(n), outY = new Float32Array(n), outTx = new Float32Array(n), outTy = new Float32Array(n)
  const use = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    if (!t.alive[i] || !(t.uzin[i] < 0) || !(t.uzout[i] < 0)) continue
    use[i] = 1
    inTx[i] = t.uxin[i] / t.uzin[i]
    inTy[i] = t.uyin[i] / t.uzin[i]
    inX[i] = t.xin[i] + inTx[i] * (zTop - t.zin[i])
    inY[i] = t.yin[i] + inTy[i] * (zTop - t.zin[i])
    outTx[i] = t.uxout[i] / t.uzout[i]
    outTy[i] = t.uyout[i] / t.uzout[i]
    outX[i] = t.xout[i] + outTx[i] * (zBottom - t.zout[i])
    outY[i] = t.yout[i] + outTy[i] * (zBottom - t.zout[i])
  }
  return { n, zIn: zTop, zOut: zBottom, inX, inY, inTx, inTy, outX, outY, outTx, outTy, use }
}

export interface TapeReco {
  reco: Reco
  /** θ²/2 per muon */
  m: tf.Tensor1D
  /** measurement variance of one projected angle */
  e: tf.Tensor1D
  /** detection weight (0 for muons that stopped) */
  w: tf.Tensor1D
}

/** Reconstruct on the tape (call inside tf.tidy / variableGrads). */
export function reconstructBatch(
  batch: SimBatch, vol: VoxelVolume, panels: PanelParams, mode: 'smooth' | 'hard', smoothness: number,
): TapeReco {
  const { zTop, zBottom } = volumeZ(vol)
  const reco = reconstruct(batch.tracks, panels, batch.noise, { mode, smoothness, zIn: zTop, zOut: zBottom })
  const ang = anglesFromReco(reco)
  // reco.weight is already 0 for muons that stopped in the volume
  return { reco, m: ang.thetaMsq, e: ang.varProj, w: reco.weight }
}

/** per-muon observations for the gradient-free inference (em.ts) */
export interface Observations {
  m: Float32Array
  e: Float32Array
  w: Float32Array
  c: Float32Array
}

const LINE_KEYS = ['inX', 'inY', 'inTx', 'inTy', 'outX', 'outY', 'outTx', 'outTy'] as const

/**
 * Reconstruct without the tape and read the fitted lines and the observations back in one transfer, for the
 * gradient-free path matrix and EM solve. The taped pass that follows recomputes the same reconstruction (the
 * same inputs give the same numbers), because a read-back is asynchronous and the gradient tape is not.
 */
export async function observeBatch(
  batch: SimBatch, vol: VoxelVolume, panels: PanelParams, mode: 'smooth' | 'hard', smoothness: number,
): Promise<{ lines: LinePair; obs: Observations }> {
  const ts = tf.tidy(() => {
    const r = reconstructBatch(batch, vol, panels, mode, smoothness)
    return [r.w, r.m, r.e, ...LINE_KEYS.map((k) => r.reco[k])]
  })
  const [w, m, e, ...cols] = await readBack(ts)
  tf.dispose(ts)
  const { zTop, zBottom } = volumeZ(vol)
  const use = new Uint8Array(w.length)
  for (let i = 0; i < w.length; i++) use[i] = w[i] > 1e-6 ? 1 : 0
  const [inX, inY, inTx, inTy, outX, outY, outTx, outTy] = cols
  const lines = { n: w.length, zIn: zTop, zOut: zBottom, inX, inY, inTx, inTy, outX, outY, outTx, outTy, use }
  return { lines, obs: { m, e, w, c: batch.c } }
}
