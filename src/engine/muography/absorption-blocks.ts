// The absorption term's crossing energies (absorption.ts) on the kernel threads (parallel/blocks.ts), per block of
// muons: each muon's numbers are its own, so they are those of crossingEnergy on any number of threads.
import { blockCount, outFloat64, runBlocks } from '../parallel/blocks'
import { crossingEnergy, crossingRange, type CrossingEnergy, type CrossingOut } from './absorption'
import { referenceWeights, type ReferenceWeights } from './momentum-model'
import type { PathMatrix } from './paths'

export const CROSSING_BLOCK = 4096

interface CrossingJob {
  paths: PathMatrix
  lambda: Float64Array
  active: Uint8Array | null
  ref: ReferenceWeights
  out: CrossingOut
}

export function crossingBlock(job: CrossingJob, b: number): void {
  const i0 = b * CROSSING_BLOCK
  crossingRange(job.paths, job.lambda, job.active, job.ref, i0, Math.min(job.paths.nMuons, i0 + CROSSING_BLOCK), job.out)
}

/** crossingEnergy on the kernel threads */
export function crossingEnergyBlocks(paths: PathMatrix, lambda: ArrayLike<number>, active: Uint8Array | null = null): CrossingEnergy {
  const blocks = blockCount(paths.nMuons, CROSSING_BLOCK)
  if (blocks < 2) return crossingEnergy(paths, lambda, active)
  const out: CrossingOut = { lnT: outFloat64(paths.nMuons), grad: outFloat64(paths.nnz), carry: outFloat64(paths.nnz) }
  runBlocks('crossing', crossingBlock, { paths, lambda: Float64Array.from(lambda), active, ref: referenceWeights(lambda), out }, blocks)
  return { lnT: out.lnT, grad: out.grad }
}
