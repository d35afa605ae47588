// The Fisher task term's per-entry constants (fisher.ts) on the kernel threads (parallel/blocks.ts), per block of
// muons: each muon's numbers are its own, so they are the same on any number of threads.
import { blockCount, outFloat32, runBlocks } from '../parallel/blocks'
import { highlandG, highlandGPrime } from './highland'
import { rowStarts, type PathMatrix } from './paths'

export const FISHER_BLOCK = 4096

/** the momentum model along the true paths (fisher.ts fisherConstants) */
export interface FisherMomentum {
  c: ArrayLike<number>
  dc?: ArrayLike<number>
  kappa?: ArrayLike<number>
  ds?: ArrayLike<number>
}

interface FisherJob {
  paths: PathMatrix
  rows: Int32Array
  lambda: Float64Array
  m: FisherMomentum
  /** c g per muon; per path entry κ (c g′ L)² and κ (c g′ L) ∂s/∂λ */
  out: { cg: Float32Array; a: Float32Array; b: Float32Array }
}

export function fisherBlock(job: FisherJob, b: number): void {
  const { paths, rows, lambda, m, out } = job
  const { voxel, length } = paths
  const { c, dc, kappa, ds: dsMix } = m
  const i0 = b * FISHER_BLOCK, i1 = Math.min(paths.nMuons, i0 + FISHER_BLOCK)
  for (let i = i0; i < i1; i++) {
    const k0 = rows[i], k1 = rows[i + 1]
    let t = 0
    for (let k = k0; k < k1; k++) t += length[k] * lambda[voxel[k]]
    if (!(t > 0)) continue
    const g = highlandG(t), cgp = c[i] * highlandGPrime(t), share = kappa ? kappa[i] : 1
    out.cg[i] = c[i] * g
    for (let k = k0; k < k1; k++) {
      const score = cgp * length[k]
      const ds = dsMix ? dsMix[k] : score + (dc ? g * dc[k] : 0)
      out.a[k] = share * score * score
      out.b[k] = share * score * ds
    }
  }
}

/** the Fisher term's constants on the kernel threads */
export function fisherArrays(paths: PathMatrix, lambdaTrue: ArrayLike<number>, m: FisherMomentum): FisherJob['out'] {
  const out = { cg: outFloat32(paths.nMuons), a: outFloat32(paths.nnz), b: outFloat32(paths.nnz) }
  const job = { paths, rows: rowStarts(paths), lambda: Float64Array.from(lambdaTrue), m, out }
  runBlocks('fisher', fisherBlock, job, blockCount(paths.nMuons, FISHER_BLOCK))
  return out
}
