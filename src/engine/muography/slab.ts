// Slab mode: a pencil beam of vertical muons of one momentum through a homogeneous slab, run through the same
// stepping code as the volume (propagate.ts), and the PDG observables of the exit (RPP 2024 eqs. 34.15–34.21):
// projected-angle width θ0 (PDG: the Gaussian that describes the central 98 %, see width98) beside the plain RMS, RMS lateral displacement (x·θ0/√3 expected) and their correlation
// (√3/2 expected), the fraction of projected angles beyond 4 θ0 of Highland, the mean exit momentum and the
// fraction of muons that stopped.
import { MATERIALS, type MaterialName } from '../core/materials'
import { highlandTheta0 } from './highland'
import { propagate, type PropagateOptions } from './propagate'
import type { MuonBatch, MuonTracks, VoxelVolume } from './types'

/** columns on each side of the beam: the slab is (2·HALF+1)·T wide, far wider than any lateral spread */
const HALF = 50

/** A wide slab of one material, thickness T, top face at z = T, bottom at z = 0, beam axis at x = y = 0. */
export function slabVolume(materialName: MaterialName, thickness: number): VoxelVolume {
  const mat = MATERIALS[materialName]
  const n = 2 * HALF + 1
  const nv = n * n
  const w = n * thickness
  return {
    origin: [-w / 2, -w / 2, 0], size: [w, w, thickness], voxel: thickness, nx: n, ny: n, nz: 1,
    palette: [materialName], material: new Uint8Array(nv),
    x0: new Float64Array(nv).fill(mat.x0_m),
  }
}

/** n vertical muons of momentum p entering the slab's top face at the origin. */
export function pencilBeam(n: number, p: number, zTop: number): MuonBatch {
  return {
    n, x: new Float32Array(n), y: new Float32Array(n), z: new Float32Array(n).fill(zTop),
    ux: new Float32Array(n), uy: new Float32Array(n), uz: new Float32Array(n).fill(-1), p: new Float32Array(n).fill(p),
  }
}

export interface ExitStats {
  /** muons that left through the bottom face */
  used: number
  /** central-98 % width of the projected angle (rad) */
  theta0_x: number
  theta0_y: number
  /** RMS of the projected angle (rad) */
  rms_x: number
  rms_y: number
  /** fraction of projected angles (x and y pooled) beyond 4× the given Highland θ0 */
  tail_4sigma: number
  /** mean momentum of the muons that left, GeV/c */
  p_out_mean: number
  /** fraction of the muons that stopped inside (range cut) */
  stopped: number
  /** RMS lateral displacement per projection (m) */
  disp_x: number
  disp_y: number
  /** Pearson correlation of displacement and angle per projection */
  corr_x: number
  corr_y: number
}

function rms(a: Float64Array, k: number): number {
  let s = 0
  for (let i = 0; i < k; i++) s += a[i] * a[i]
  return Math.sqrt(s / k)
}

/**
 * The σ of the Gaussian that describes the central 98 %: the RMS of the sample between its 1 % and 99 % quantiles,
 * over 0.93460 (the RMS of a unit Gaussian truncated at ±2.3263).
 */
function width98(a: Float64Array, k: number): number {
  if (k < 2) return NaN
  const s = Float64Array.from(a.subarray(0, k)).sort()
  const lo = Math.round(0.01 * (k - 1)), hi = Math.round(0.99 * (k - 1))
  let m = 0
  for (let i = lo; i <= hi; i++) m += s[i]
  m /= hi - lo + 1
  let v = 0
  for (let i = lo; i <= hi; i++) v += (s[i] - m) ** 2
  return Math.sqrt(v / (hi - lo + 1)) / 0.9346
}

function pearson(a: Float64Array, b: Float64Array, k: number): number {
  let ma = 0, mb = 0
  for (let i = 0; i < k; i++) { ma += a[i]; mb += b[i] }
  ma /= k; mb /= k
  let sab = 0, saa = 0, sbb = 0
  for (let i = 0; i < k; i++) {
    const da = a[i] - ma, db = b[i] - mb
    sab += da * db; saa += da * da; sbb += db * db
  }
  return sab / Math.sqrt(saa * sbb)
}

/**
 * Projected exit angles atan(u_x/|u_z|) and displacements from the extrapolated entry line, at the bottom face
 * z = zBottom, over the muons alive and going down there.
 */
export function exitStats(t: MuonTracks, zBottom: number, highland = Infinity): ExitStats {
  const ax = new Float64Array(t.n), ay = new Float64Array(t.n), dx = new Float64Array(t.n), dy = new Float64Array(t.n)
  let k = 0, stopped = 0, pSum = 0
  for (let i = 0; i < t.n; i++) {
    if (!t.alive[i] && t.pOut[i] === 0) stopped++
    if (!t.alive[i] || !(t.uzout[i] < 0) || Math.abs(t.zout[i] - zBottom) > 1e-6) continue
    pSum += t.pOut[i]
    ax[k] = Math.atan(t.uxout[i] / -t.uzout[i])
    ay[k] = Math.atan(t.uyout[i] / -t.uzout[i])
    const dz = t.zin[i] - zBottom
    dx[k] = t.xout[i] - (t.xin[i] + (t.uxin[i] / -t.uzin[i]) * dz)
    dy[k] = t.yout[i] - (t.yin[i] + (t.uyin[i] / -t.uzin[i]) * dz)
    k++
  }
  let beyond = 0
  for (let i = 0; i < k; i++) beyond += (Math.abs(ax[i]) > 4 * highland ? 1 : 0) + (Math.abs(ay[i]) > 4 * highland ? 1 : 0)
  return {
    used: k, theta0_x: width98(ax, k), theta0_y: width98(ay, k), rms_x: rms(ax, k), rms_y: rms(ay, k),
    disp_x: rms(dx, k), disp_y: rms(dy, k), corr_x: pearson(dx, ax, k), corr_y: pearson(dy, ay, k),
    tail_4sigma: k ? beyond / (2 * k) : 0, p_out_mean: k ? pSum / k : NaN, stopped: t.n ? stopped / t.n : 0,
  }
}

export interface SlabRun {
  material: MaterialName
  thickness: number
  momentum: number
  muons: number
  step: number
  seed: number
  msc?: PropagateOptions['msc']
  energyLoss?: boolean
  tail?: boolean
}

/** Run a pencil beam through a slab (seeded 'volume' stream) and return the exit tracks and their statistics. */
export function runSlab(r: SlabRun): { tracks: MuonTracks; stats: ExitStats } {
  const vol = slabVolume(r.material, r.thickness)
  const tracks = propagate(vol, pencilBeam(r.muons, r.momentum, r.thickness), { seed: r.seed }, {
    maxStep: r.step, msc: r.msc, energyLoss: r.energyLoss, tail: r.tail,
  })
  return { tracks, stats: exitStats(tracks, 0, highlandTheta0(r.thickness, MATERIALS[r.material].x0_m, r.momentum)) }
}
