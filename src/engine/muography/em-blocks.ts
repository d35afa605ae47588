// One EM iteration of em.ts on the kernel threads (parallel/blocks.ts), in two passes: per block of muons their
// path in radiation lengths t, core weight and update terms (with the block's sums of w and w − weight), then per
// block of voxels the update of λ from the sums over the voxel's entries. The voxel pass reads the path matrix by
// voxel (a stable transpose made once per solve), so each voxel's sums run over its entries in muon order, as a
// single loop over the entries would; the sums over muons add the blocks in block order. The numbers therefore do
// not depend on the thread count.
import { outFloat32, outFloat64, outInt32, parallel, readable, runBlocks } from '../parallel/blocks'
import { highlandG, highlandGPrime } from './highland'
import { coreProbability, INFO_FLOOR, LAMBDA_MAX, LAMBDA_MIN, mixtureUpdate, type MuonObservations } from './em'
import { rowStarts, type PathMatrix } from './paths'

export const EM_MUON_BLOCK = 4096
export const EM_VOXEL_BLOCK = 128

export interface EmJob {
  nMuons: number
  nVoxels: number
  /** entries by muon (the path matrix) */
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
  /** per muon: first entry (nMuons + 1) */
  rowStart: Int32Array
  /** entries by voxel: first (nVoxels + 1), then each entry's muon and length */
  colStart: Int32Array
  colMuon: Int32Array
  colLength: Float32Array
  m: Float64Array
  e: Float64Array
  w: Float64Array
  c: Float64Array
  /** an unknown momentum's values per muon (MuonObservations.mix): Q (0 for a known momentum) and c [N, Q] */
  mixQ: number
  mixC: Float64Array
  lambda: Float64Array
  t: Float64Array
  aNum: Float64Array
  aDen: Float64Array
  weight: Float64Array
  /** per muon block: Σ w, Σ (w − weight) */
  partial: Float64Array
  /** the tail weight of this iteration */
  eps: number
  /** per voxel, optional: another term's additions to the update's numerator and denominator (em.ts, EmOptions.absorption) */
  absPos?: Float64Array
  absNeg?: Float64Array
}

function share<T extends Int32Array | Float32Array>(a: T, out: (n: number) => T): T {
  if (readable(a)) return a
  const o = out(a.length)
  o.set(a)
  return o
}

function copy64(a: ArrayLike<number>): Float64Array {
  const o = outFloat64(a.length)
  o.set(a)
  return o
}

/** the arrays of an EM solve, on shared memory when the kernel threads run */
export function emJob(paths: PathMatrix, obs: MuonObservations, lambda: Float64Array): Omit<EmJob, 'eps'> {
  const N = paths.nMuons, V = paths.nVoxels
  const rowStart = rowStarts(paths)
  const { muon, voxel, length, colStart, colMuon, colLength } = pathsByVoxel(paths)
  return {
    nMuons: N, nVoxels: V, muon, voxel, length, rowStart, colStart, colMuon, colLength,
    m: copy64(obs.m), e: copy64(obs.e), w: copy64(obs.w), c: copy64(obs.c), lambda: copy64(lambda),
    mixQ: obs.mix?.q ?? 0, mixC: copy64(obs.mix?.c ?? []),
    t: outFloat64(N), aNum: outFloat64(N), aDen: outFloat64(N), weight: outFloat64(N),
    partial: outFloat64(2 * Math.ceil(N / EM_MUON_BLOCK)),
  }
}

/** the transpose in chunks of entries on the kernel threads: a counting sort by voxel, stable, so its order does
 *  not depend on the chunks */
interface TransposeJob {
  muon: Int32Array
  voxel: Int32Array
  length: Float32Array
  nnz: number
  nVoxels: number
  chunks: number
  /** per chunk and voxel: its entries (the count pass), then where they go (the fill pass) */
  at: Int32Array
  colMuon: Int32Array
  colLength: Float32Array
}

const TRANSPOSE_CHUNKS = 8

function chunkRange(job: TransposeJob, c: number): [number, number] {
  const n = job.nnz
  return [Math.floor((n * c) / job.chunks), Math.floor((n * (c + 1)) / job.chunks)]
}

export function transposeCountBlock(job: TransposeJob, c: number): void {
  const [k0, k1] = chunkRange(job, c), at = job.at, voxel = job.voxel, o = c * job.nVoxels
  for (let k = k0; k < k1; k++) at[o + voxel[k]]++
}

export function transposeFillBlock(job: TransposeJob, c: number): void {
  const [k0, k1] = chunkRange(job, c), { at, voxel, muon, length, colMuon, colLength } = job, o = c * job.nVoxels
  for (let k = k0; k < k1; k++) {
    const q = at[o + voxel[k]]++
    colMuon[q] = muon[k]
    colLength[q] = length[k]
  }
}

/** the path matrix where the kernel threads can read it, and by voxel (transpose) */
export function pathsByVoxel(paths: PathMatrix) {
  // the path matrix is read only: copied only where the threads cannot read it (tracePaths puts it on shared memory)
  const muon = share(paths.muon, outInt32), voxel = share(paths.voxel, outInt32), length = share(paths.length, outFloat32)
  return { muon, voxel, length, ...transpose(muon, voxel, length, paths.nnz, paths.nVoxels) }
}

/** the path matrix by voxel: first entry per voxel (V + 1), each entry's muon and length, in muon order */
function transpose(muon: Int32Array, voxel: Int32Array, length: Float32Array, nnz: number, V: number) {
  const chunks = parallel() ? TRANSPOSE_CHUNKS : 1
  const job: TransposeJob = { muon, voxel, length, nnz, nVoxels: V, chunks, at: outInt32(chunks * V), colMuon: outInt32(nnz), colLength: outFloat32(nnz) }
  runBlocks('em-count', transposeCountBlock, job, chunks)
  const colStart = outInt32(V + 1)
  let q = 0
  for (let j = 0; j < V; j++) {
    colStart[j] = q
    for (let c = 0; c < chunks; c++) {
      const n = job.at[c * V + j]
      job.at[c * V + j] = q
      q += n
    }
  }
  colStart[V] = q
  runBlocks('em-fill', transposeFillBlock, job, chunks)
  return { colStart, colMuon: job.colMuon, colLength: job.colLength }
}

/** muons [b·EM_MUON_BLOCK, …): t, the core weight and the update terms under the current λ */
export function emMuonBlock(job: EmJob, b: number): void {
  const i0 = b * EM_MUON_BLOCK, i1 = Math.min(job.nMuons, i0 + EM_MUON_BLOCK)
  const { voxel, length, rowStart, lambda, t, m, e, w, c, aNum, aDen, weight, eps, mixQ, mixC } = job
  const scratch = new Float64Array(3 + mixQ)
  let sw = 0, sTail = 0
  for (let i = i0; i < i1; i++) {
    let ti = 0
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) ti += length[k] * lambda[voxel[k]]
    t[i] = ti
    if (!(w[i] > 0) || !(ti > 0)) { aNum[i] = 0; aDen[i] = 0; weight[i] = 0; continue }
    if (mixQ) {
      mixtureUpdate(m[i], e[i], highlandG(ti), mixC, i * mixQ, mixQ, eps, scratch)
      weight[i] = w[i] * scratch[0]
      sw += w[i]
      sTail += w[i] - weight[i]
      const a = weight[i] * highlandGPrime(ti)
      aNum[i] = a * scratch[1]
      aDen[i] = a * scratch[2]
      continue
    }
    const s = c[i] * highlandG(ti) + e[i]
    weight[i] = w[i] * coreProbability(m[i], s, eps)
    sw += w[i]
    sTail += w[i] - weight[i]
    const a = weight[i] * c[i] * highlandGPrime(ti)
    aNum[i] = (a * m[i]) / (s * s)
    aDen[i] = a / s
  }
  job.partial[2 * b] = sw
  job.partial[2 * b + 1] = sTail
}

/** voxels [b·EM_VOXEL_BLOCK, …): the multiplicative update of λ */
export function emVoxelBlock(job: EmJob, b: number): void {
  const j0 = b * EM_VOXEL_BLOCK, j1 = Math.min(job.nVoxels, j0 + EM_VOXEL_BLOCK)
  const { colStart, colMuon, colLength, aNum, aDen, lambda, absPos, absNeg } = job
  for (let j = j0; j < j1; j++) {
    let num = 0, den = 0
    for (let q = colStart[j]; q < colStart[j + 1]; q++) {
      const i = colMuon[q], L = colLength[q]
      num += aNum[i] * L
      den += aDen[i] * L
    }
    if (absPos && absNeg) { num += absPos[j]; den += absNeg[j] }
    if (den * lambda[j] > INFO_FLOOR) lambda[j] = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, (lambda[j] * num) / den))
  }
}
