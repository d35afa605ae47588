/// <reference types="@webgpu/types" />
// The absorption term's Fisher information about each voxel's λ (absorption.ts), on the tape, for the Fisher task
// term of the optimiser (fisher.ts). Muon i, seen entering with probability u_i = P(≥ 2 hits above) along its entry
// line, is seen leaving with π_i = (1 − P_i)·A_i·(1 − η), A_i = P(≥ 2 hits below) along the line continued through
// the volume; this Bernoulli carries (∂π_i/∂λ_j)²/(π_i(1 − π_i)) = A_i²(1 − η)² (∂P_i/∂ ln T)² a_ij² / (π_i(1 − π_i))
// about λ_j, a_ij = ∂ ln T_cross/∂λ_j, at the true densities along the true entry lines. u_i and A_i depend on the
// panels (smooth edges × efficiency, as the reconstruction's detection weight does), so the optimiser sees that a
// stack below that misses the lines of the stopping muons' neighbours loses this information.
// A stop says something about the line's integrated density, not about one voxel of it: the diagonal of the
// information matrix, which treats every voxel as if the others were known, would credit each voxel of a line with
// all of it (in a uranium block, ten times the scattering information, where the X0 map's spread shrinks by a third
// only). Each muon's information is therefore shared among the voxels of its line in proportion to their share of
// ln T_cross, a_ij λ_j / Σ_k a_ik λ_k (a uniform line of n voxels gives each 1/n of a_ij²·…).
// Only the muons near their stopping threshold (∂P/∂ ln T > 0), on lines away from the volume's sides (as in the
// EM, absorption-data.ts), go on the tape.
import { gather1d, scatterAdd1d, tf } from '../core/tensor'
import { LOST_BELOW, OUTLIER, nearThreshold, stopProbability, type AbsorptionEntry, type CrossingEnergy } from './absorption'
import { crossingEnergyBlocks } from './absorption-blocks'
import { traceEntryLines, type EntryPaths } from './absorption-data'
import { probAtLeastTwo } from './fit'
import { computeStackHits, disposeStackHits, type LineTensors } from './hits'
import type { AcceptanceMode, PanelParams } from './panels'
import { crossingEnergyGpu } from '../gpu/absorption'
import { absorptionEntriesGpu } from '../gpu/absorption-fisher-entries'
import type { EntryWalk } from './entry-paths-gpu'
import type { MuonTracks, VoxelVolume } from './types'

export interface AbsorptionFisherConstants {
  n: number
  nVoxels: number
  zIn: number
  zOut: number
  /** the selected muons' entry lines at the volume's top and bottom */
  inX: Float32Array; inY: Float32Array; outX: Float32Array; outY: Float32Array; tx: Float32Array; ty: Float32Array
  /** per selected muon: 1 − P and (∂P/∂ ln T)² */
  survive: Float32Array
  dP2: Float32Array
  /** per path entry: muon (selected index), voxel, a_ij² times the voxel's share a_ij λ_j / Σ_k a_ik λ_k */
  entries: AbsorptionFisherEntries
}

/** the per-entry constants: the CPU's arrays (the selected muons' entries), or tensors the GPU made (every entry, 0
 *  for those left out: gpu/absorption-fisher-entries.ts), which disposeAbsorptionFisher frees */
export type AbsorptionFisherEntries = { muon: Int32Array; voxel: Int32Array; grad2: Float32Array } | EntryTensors
type EntryTensors = { muon: tf.Tensor1D; voxel: tf.Tensor1D; grad2: tf.Tensor1D }

function madeOnGpu(e: AbsorptionFisherEntries): e is EntryTensors {
  return e.muon instanceof tf.Tensor
}

/** The muons near their threshold under the true densities, their lines and path derivatives (plain numbers).
 *  `traced`: the batch's inner entry lines, traced (absorption-data.ts). */
export function absorptionFisherConstants(
  vol: VoxelVolume, tracks: MuonTracks, lambdaTrue: ArrayLike<number>, entry: AbsorptionEntry, traced = traceEntryLines(vol, tracks),
): AbsorptionFisherConstants {
  const { paths } = traced
  // muons far above a bound on their crossing energy carry no information (∂P/∂ ln T below e^−100)
  return nearThresholdConstants(lambdaTrue, entry, traced, crossingEnergyBlocks(paths, lambdaTrue, nearThreshold(paths, lambdaTrue, entry)))
}

/** absorptionFisherConstants with the crossing energies computed on `device` (every muon's: those the CPU leaves
 *  out carry no information either way) */
export async function absorptionFisherConstantsGpu(
  device: GPUDevice, lambdaTrue: ArrayLike<number>, entry: AbsorptionEntry, traced: EntryPaths,
): Promise<AbsorptionFisherConstants> {
  return nearThresholdConstants(lambdaTrue, entry, traced, await crossingEnergyGpu(device, traced.paths, lambdaTrue))
}

/** absorptionFisherConstants of an entry trace left on the GPU with its crossing walk under lambdaTrue
 *  (entry-paths-gpu.ts): the muons are selected here from ln T_cross, the per-entry constants made there, so no
 *  entry comes back. The caller disposes them (disposeAbsorptionFisher). */
export function absorptionFisherConstantsResident(
  device: GPUDevice, lambdaTrue: ArrayLike<number>, entry: AbsorptionEntry, lines: EntryPaths['lines'], walked: EntryWalk,
): AbsorptionFisherConstants {
  const { index, ...m } = nearThresholdMuons(entry, lines, walked.lnT)
  const entries = m.n > 0 && walked.rows.nnz > 0 ? absorptionEntriesGpu(device, walked.rows, index, lambdaTrue) : noEntries()
  return { ...m, nVoxels: lambdaTrue.length, entries }
}

function noEntries(): AbsorptionFisherEntries {
  return { muon: new Int32Array(0), voxel: new Int32Array(0), grad2: new Float32Array(0) }
}

/** free the tensors of constants the GPU made (nothing for the CPU's) */
export function disposeAbsorptionFisher(k: AbsorptionFisherConstants | null): void {
  const e = k?.entries
  if (e && madeOnGpu(e)) tf.dispose([e.muon, e.voxel, e.grad2])
}

/** the muons whose stop probability moves with their crossing energy (ln T_cross per muon): their lines, 1 − P and
 *  (∂P/∂ ln T)², and per muon its index among them (−1: left out) */
function nearThresholdMuons(entry: AbsorptionEntry, lines: EntryPaths['lines'], lnT: ArrayLike<number>) {
  // typed arrays sized for every muon, cut to the selected ones at the end: plain arrays grown muon by muon copied
  // their storage over and over as they grew, for the garbage collector to clear
  const N = lines.n
  const index = new Int32Array(N).fill(-1)
  const sel = new Int32Array(N), survive = new Float32Array(N), dP2 = new Float32Array(N)
  let n = 0
  for (let i = 0; i < N; i++) {
    if (!lines.use[i]) continue
    const s = stopProbability(entry, i, lnT[i])
    if (!(s.dLnT > 1e-6)) continue
    index[i] = n
    sel[n] = i
    survive[n] = 1 - (OUTLIER + (1 - 2 * OUTLIER) * s.p)
    dP2[n++] = ((1 - 2 * OUTLIER) * s.dLnT) ** 2
  }
  const pick = (a: ArrayLike<number>) => Float32Array.from(sel.subarray(0, n), (i) => a[i])
  return {
    index, n, zIn: lines.zIn, zOut: lines.zOut,
    inX: pick(lines.inX), inY: pick(lines.inY), outX: pick(lines.outX), outY: pick(lines.outY), tx: pick(lines.inTx), ty: pick(lines.inTy),
    survive: survive.slice(0, n), dP2: dP2.slice(0, n),
  }
}

/** the constants of the muons whose stop probability moves with their crossing energy */
function nearThresholdConstants(
  lambdaTrue: ArrayLike<number>, entry: AbsorptionEntry, { lines, paths }: EntryPaths, cross: CrossingEnergy,
): AbsorptionFisherConstants {
  const { index, ...m } = nearThresholdMuons(entry, lines, cross.lnT)
  const sum = new Float64Array(lines.n)
  for (let k = 0; k < paths.nnz; k++) sum[paths.muon[k]] += Math.abs(cross.grad[k]) * lambdaTrue[paths.voxel[k]]
  const muon = new Int32Array(paths.nnz), voxel = new Int32Array(paths.nnz), grad2 = new Float32Array(paths.nnz)
  let e = 0
  for (let k = 0; k < paths.nnz; k++) {
    const i = paths.muon[k], s = index[i], a = Math.abs(cross.grad[k])
    if (s < 0 || !(sum[i] > 0)) continue
    muon[e] = s; voxel[e] = paths.voxel[k]; grad2[e++] = (a * a * a * lambdaTrue[paths.voxel[k]]) / sum[i]
  }
  return { ...m, nVoxels: paths.nVoxels, entries: { muon: muon.slice(0, e), voxel: voxel.slice(0, e), grad2: grad2.slice(0, e) } }
}

/** The absorption information per voxel [V] for the current panels (call inside tf.tidy / variableGrads). */
export function absorptionInformation(panels: PanelParams, k: AbsorptionFisherConstants, mode: AcceptanceMode, smoothness: number): tf.Tensor1D {
  if (k.n === 0) return tf.zeros([k.nVoxels])
  return tf.tidy(() => {
    const t2 = (a: Float32Array) => tf.tensor2d(a, [1, k.n])
    const slope = { tx: t2(k.tx), ty: t2(k.ty) }
    const lineIn: LineTensors = { x: t2(k.inX), y: t2(k.inY), ...slope }
    const lineOut: LineTensors = { x: t2(k.outX), y: t2(k.outY), ...slope }
    // the hits' noise does not enter the detection probabilities
    const noise = new Float32Array(k.n * panels.n * 2)
    const opts = { mode, smoothness }
    const hIn = computeStackHits(panels, 'above', lineIn, k.zIn, noise, opts)
    const hOut = computeStackHits(panels, 'below', lineOut, k.zOut, noise, opts)
    const u = probAtLeastTwo(hIn.detProb)
    const a = tf.mul(probAtLeastTwo(hOut.detProb), 1 - LOST_BELOW)
    disposeStackHits(hIn)
    disposeStackHits(hOut)
    const pi = tf.mul(a, tf.tensor1d(k.survive))
    const q = tf.div(tf.mul(tf.mul(u, tf.square(a)), tf.tensor1d(k.dP2)), tf.add(tf.mul(pi, tf.sub(1, pi)), 1e-12)) as tf.Tensor1D
    const e = k.entries
    const { muon, voxel, grad2 } = madeOnGpu(e) ? e : { muon: tf.tensor1d(e.muon, 'int32'), voxel: tf.tensor1d(e.voxel, 'int32'), grad2: tf.tensor1d(e.grad2) }
    return scatterAdd1d(tf.mul(gather1d(q, muon), grad2) as tf.Tensor1D, voxel, k.nVoxels)
  })
}
