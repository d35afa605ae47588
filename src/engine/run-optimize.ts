// The optimisation loop shared by the CLI for both kinds of design: validate the start, step, keep the best by
// the hard-panel (or held-out) validation metric, and report.
import type { Design } from './design/schema'
import type { Session } from './session-types'

export interface OptimizeReport {
  steps: number
  nan_steps: number
  initial: { loss: number | null; validation: number }
  final: { loss: number | null; validation: number }
  best: { step: number; validation: number }
  design: Design
}

export async function runOptimize(
  session: Session, steps: number, onProgress?: (step: number, loss: number | null, validation: number | null) => void,
): Promise<OptimizeReport> {
  const initialValidation = await session.validate()
  let initialLoss: number | null = null
  let lastLoss: number | null = null
  for (let k = 0; k < steps; k++) {
    const r = await session.step()
    const l = r.loss && Number.isFinite(r.loss.total) ? r.loss.total : null
    if (k === 0) initialLoss = l
    lastLoss = l
    onProgress?.(r.step, l, r.validation)
  }
  const finalValidation = await session.validate()
  const snap = session.snapshot({ tracks: 0, x0: false })
  return {
    steps,
    nan_steps: snap.nanSteps,
    initial: { loss: initialLoss, validation: initialValidation },
    final: { loss: lastLoss, validation: finalValidation },
    best: snap.best ?? { step: 0, validation: initialValidation },
    design: session.exportDesign('best'),
  }
}
