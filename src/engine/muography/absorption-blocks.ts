// The absorption term's crossing energies and its muons near their threshold (absorption.ts) on the kernel threads
// (parallel/blocks.ts), per block of muons: each muon's numbers are its own, so they are the same on any number of
// threads.
import { blockCount, outFloat64, outUint8, runBlocks } from '../parallel/blocks'
import { crossingEnergy, crossingRange, nearThresholdRange, type AbsorptionEntry, type CrossingEnergy, type CrossingOut, type NearThresholdJob } from './absorption'
import { referenceWeights, type ReferenceWeights } from './momentum-model'
import { rowStarts, type PathMatrix } from './paths'

/** muons per block: the EM's iterations between full evaluations walk only the few thousand muons near their
 *  threshold (absorption.ts muonSubset), which blocks of 4096 left on one thread (9.2 ms a call at 100 000 muons on
 *  2 threads, 6.4 ms with these) */
export const CROSSING_BLOCK = 512

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

export function nearThresholdBlock(job: NearThresholdJob, b: number): void {
  nearThresholdRange(job, b * CROSSING_BLOCK, Math.min(job.paths.nMuons, (b + 1) * CROSSING_BLOCK))
}

/** the marks of nearThreshold (a point entry momentum) on the kernel threads */
export function nearThresholdBlocks(paths: PathMatrix, lambda: ArrayLike<number>, entry: AbsorptionEntry): Uint8Array {
  const out = outUint8(paths.nMuons)
  const job = { paths, rows: rowStarts(paths), lambda: Float64Array.from(lambda), entry, out }
  runBlocks('near-threshold', nearThresholdBlock, job, blockCount(paths.nMuons, CROSSING_BLOCK))
  return out
}
