// The momentum model along the paths (momentum-model.ts) on the kernel threads (parallel/blocks.ts), per block of
// muons: each muon's numbers are its own, so they are those of pathMomentum on any number of threads.
import { blockCount, outFloat64, outUint8, startBlocks } from '../parallel/blocks'
import { momentumOutput, momentumRange, referenceWeights, type ReferenceWeights, type EntryMomentum, type MomentumOptions, type PathMomentum } from './momentum-model'
import type { PathMatrix } from './paths'

export const MOMENTUM_BLOCK = 4096

interface MomentumJob {
  paths: PathMatrix
  lambda: ArrayLike<number>
  entry: EntryMomentum
  ref: ReferenceWeights
  out: PathMomentum
}

export function momentumBlock(job: MomentumJob, b: number): void {
  const i0 = b * MOMENTUM_BLOCK
  momentumRange(job.paths, job.lambda, job.entry, job.ref, i0, Math.min(job.paths.nMuons, i0 + MOMENTUM_BLOCK), job.out)
}

/** pathMomentum on the kernel threads (a block writes ∂c̄/∂λ and the per-quantile c̄ only at its own muons) */
export function pathMomentumBlocks(
  paths: PathMatrix, lambda: ArrayLike<number>, entry: EntryMomentum, opts: MomentumOptions = {},
): PathMomentum {
  return startPathMomentum(paths, lambda, entry, opts)()
}

/** pathMomentumBlocks started on the pool threads (parallel/blocks.ts startBlocks): the returned function joins
 *  and gives the result, so the caller can do other work meanwhile */
export function startPathMomentum(
  paths: PathMatrix, lambda: ArrayLike<number>, entry: EntryMomentum, opts: MomentumOptions = {},
): () => PathMomentum {
  const out = momentumOutput(paths, entry, opts, outFloat64, outUint8)
  const blocks = blockCount(paths.nMuons, MOMENTUM_BLOCK)
  const run = startBlocks('momentum', momentumBlock, { paths, lambda: Float64Array.from(lambda), entry, ref: referenceWeights(lambda), out }, blocks)
  return () => {
    run.join()
    return out
  }
}
