// Time one full optimisation step (generate, propagate, hits, fits, inference, loss, backward, update). With
// `x0Map: false` the step leaves the predicted X0 map unsolved (StepOptions.x0), as a run that shows no map does
// (optimize, ensembles, sweeps): the benchmark design's Fisher loss needs no EM solve.
import { benchDesign, type BenchMomentum, type BenchPhysics } from './bench-scenario'
import { MuographySession } from './session'
import { collectPhases, perStep, takePhases } from '../core/phases'
import { collectReads, readsPerStep, takeReads, type ReadCounts } from '../core/read-backs'
import { takeBuffersMade } from '../gpu/device'

export interface BenchResult {
  muons: number
  step_ms: number
  muons_per_s: number
  peak_rss_mb: number
  steps_ms: number[]
  /** mean ms per timed step of each phase (core/phases.ts) */
  phases_ms: Record<string, number>
  /** read-backs per timed step (core/read-backs.ts): how often the step waits for its device */
  reads_per_step: ReadCounts
  /** the GPU kernels' buffers made during the timed steps, by name (gpu/device.ts): none where they persist */
  gpu_buffers_made: Record<string, number>
}

export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** peakMemoryMb: how the host measures peak memory (Node: resourceUsage().maxRSS) */
export async function runMuographyBench(
  opts: {
    muons: number; repeats: number; peakMemoryMb: () => number; physics?: BenchPhysics; momentum?: BenchMomentum; x0Map?: boolean
    /** the task term: the benchmark design's Fisher information (default), or the X0 error through the EM */
    loss?: 'fisher' | 'x0'
  },
): Promise<BenchResult> {
  const design = benchDesign(opts.muons, opts.physics, opts.momentum)
  if (opts.loss) design.optimizer.loss = opts.loss
  const session = new MuographySession(design)
  const step = { x0: opts.x0Map ?? true }
  await session.step(step) // warm-up: kernel compilation, table set-up
  const times: number[] = []
  collectPhases()
  collectReads()
  takeBuffersMade()
  for (let k = 0; k < opts.repeats; k++) {
    const t0 = performance.now()
    await session.step(step)
    times.push(performance.now() - t0)
  }
  const phases = perStep(takePhases(), times.length, times.reduce((a, b) => a + b, 0))
  const reads = readsPerStep(takeReads(), times.length)
  const buffers = takeBuffersMade()
  session.dispose()
  const step_ms = median(times)
  return { muons: opts.muons, step_ms, muons_per_s: (opts.muons / step_ms) * 1000, peak_rss_mb: opts.peakMemoryMb(), steps_ms: times, phases_ms: phases, reads_per_step: reads, gpu_buffers_made: buffers }
}
