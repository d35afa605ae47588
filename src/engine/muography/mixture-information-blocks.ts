// The shape information κ of each muon of unknown momentum (mixture-information.ts) on the kernel threads
// (parallel/blocks.ts), per block of muons: each muon's κ is its own, so the numbers do not depend on the thread count.
import { blockCount, outFloat64, runBlocks } from '../parallel/blocks'
import { mixtureShapeInformation } from './mixture-information'

export const MIXTURE_BLOCK = 4096

interface MixtureJob {
  n: number
  q: number
  /** c of each value per muon, [n, q] */
  c: Float64Array
  out: Float64Array
}

export function mixtureBlock(job: MixtureJob, b: number): void {
  const scratch = new Float64Array(2 * job.q)
  for (let i = b * MIXTURE_BLOCK; i < Math.min(job.n, (b + 1) * MIXTURE_BLOCK); i++) {
    job.out[i] = mixtureShapeInformation(job.c, i * job.q, job.q, scratch)
  }
}

/** κ per muon for values c [n, q] */
export function mixtureInformation(c: Float64Array, n: number, q: number): Float64Array {
  const job = { n, q, c, out: outFloat64(n) }
  runBlocks('mixture', mixtureBlock, job, blockCount(n, MIXTURE_BLOCK))
  return job.out
}
