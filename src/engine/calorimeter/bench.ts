// Throughput of one full optimisation step (draws, forward, backward, Adam) for a 30-layer stack: the median over
// `repeats` timed steps after one warm-up. Validation is switched off while timing.
import type { CalorimeterDesign } from '../design/calorimeter'
import { tf } from '../core/tensor'
import { collectPhases, perStep, takePhases } from '../core/phases'
import { collectReads, readsPerStep, takeReads, type ReadCounts } from '../core/read-backs'
import { takeBuffersMade } from '../gpu/device'
import { createCalorimeterSession } from './session'
import { caloBenchDesign } from './bench-design'

export interface CaloBenchOptions {
  showers: number
  layers?: number
  repeats?: number
}

export interface CaloBenchResult {
  showers: number
  layers: number
  step_ms: number
  showers_per_s: number
  peak_rss_mb: number | null
  backend: string
  /** mean ms per timed step of each phase (core/phases.ts) */
  phases_ms: Record<string, number>
  /** read-backs per timed step (core/read-backs.ts): how often the step waits for its device */
  reads_per_step: ReadCounts
  /** the GPU kernels' buffers made during the timed steps, by name (gpu/device.ts): none where they persist */
  gpu_buffers_made: Record<string, number>
}

function rssMb(): number | null {
  const p = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process
  return p?.memoryUsage ? p.memoryUsage().rss / 2 ** 20 : null
}

export async function runCaloBench(opts: CaloBenchOptions): Promise<CaloBenchResult> {
  const layers = opts.layers ?? 30
  const repeats = opts.repeats ?? 5
  const design: CalorimeterDesign = caloBenchDesign(layers, opts.showers)
  const session = await createCalorimeterSession(design, { validationShowers: 10 })
  let peak = rssMb()
  const times: number[] = []
  try {
    for (let k = 0; k <= repeats; k++) {
      if (k === 1) { collectPhases(); collectReads(); takeBuffersMade() }
      const t0 = performance.now()
      await session.step()
      const dt = performance.now() - t0
      if (k > 0) times.push(dt)
      const r = rssMb()
      if (r !== null && (peak === null || r > peak)) peak = r
    }
  } finally {
    session.dispose()
  }
  const phases = takePhases()
  const reads = readsPerStep(takeReads(), repeats)
  const buffers = takeBuffersMade()
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]
  return {
    showers: opts.showers,
    layers,
    step_ms: median,
    showers_per_s: opts.showers / (median / 1000),
    peak_rss_mb: peak,
    backend: tf.getBackend(),
    phases_ms: perStep(phases, times.length, times.reduce((a, b) => a + b, 0)),
    reads_per_step: reads,
    gpu_buffers_made: buffers,
  }
}
