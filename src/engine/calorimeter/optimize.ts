// Headless optimisation of a calorimeter design (the CLI's `optimize` for kind 'calorimeter').
import type { CalorimeterDesign } from '../design/calorimeter'
import { runOptimize, type OptimizeReport } from '../run-optimize'
import { createCalorimeterSession, type CaloSessionOptions } from './session'

export interface CaloOptimizeOptions {
  steps?: number
  seed?: number
  /** progress lines (stderr in the CLI) */
  log?: (msg: string) => void
  session?: CaloSessionOptions
}

export async function runCaloOptimize(design: CalorimeterDesign, opts: CaloOptimizeOptions = {}): Promise<OptimizeReport> {
  const d = structuredClone(design)
  if (opts.seed !== undefined) d.seed = opts.seed
  const steps = opts.steps ?? d.optimizer.steps
  const session = await createCalorimeterSession(d, opts.session)
  try {
    const every = Math.max(1, Math.round(steps / 10))
    return await runOptimize(session, steps, (step, loss, validation) => {
      if (opts.log && (step % every === 0 || step === steps)) {
        opts.log(`step ${step}/${steps}: loss ${loss?.toPrecision(4) ?? 'NaN'}${validation !== null ? `, validation ${validation.toPrecision(4)}` : ''}`)
      }
    })
  } finally {
    session.dispose()
  }
}
