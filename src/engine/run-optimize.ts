// The optimisation loop shared by the CLI for both kinds of design: validate the start, step, keep the best by
// the hard-panel (or held-out) validation metric, and report. An aborted signal stops it between two steps: the
// report then says so, holds the best design so far and skips the final validation (seconds of work).
import type { Design } from './design/schema'
import type { Session, StepResult } from './session-types'

export interface OptimizeReport {
  steps: number
  /** the steps actually taken: fewer than `steps` when interrupted */
  steps_done: number
  interrupted: boolean
  nan_steps: number
  initial: { loss: number | null; validation: number }
  /** validation null when interrupted (not measured) */
  final: { loss: number | null; validation: number | null }
  best: { step: number; validation: number }
  design: Design
}

/** let a pending signal handler run: a step may never yield to the event loop on its own */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

export async function runOptimize(
  session: Session, steps: number,
  onProgress?: (step: number, loss: number | null, validation: number | null, record: StepResult) => void,
  signal?: AbortSignal,
): Promise<OptimizeReport> {
  const initialValidation = await session.validate()
  let initialLoss: number | null = null
  let lastLoss: number | null = null
  let done = 0
  for (; done < steps; done++) {
    if (signal) {
      await yieldToEvents()
      if (signal.aborted) break
    }
    // nothing here shows the predicted X0 map: a report solves it at the end (solveMap)
    const r = await session.step({ x0: false })
    const l = r.loss && Number.isFinite(r.loss.total) ? r.loss.total : null
    if (done === 0) initialLoss = l
    lastLoss = l
    onProgress?.(r.step, l, r.validation, r)
  }
  const interrupted = done < steps
  const finalValidation = interrupted ? null : await session.validate()
  const snap = session.snapshot({ tracks: 0, x0: false })
  return {
    steps,
    steps_done: done,
    interrupted,
    nan_steps: snap.nanSteps,
    initial: { loss: initialLoss, validation: initialValidation },
    final: { loss: lastLoss, validation: finalValidation },
    best: snap.best ?? { step: 0, validation: initialValidation },
    design: session.exportDesign('best'),
  }
}
