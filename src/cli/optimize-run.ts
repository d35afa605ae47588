// One optimisation of a design with progress on stderr, stoppable by a signal: `optimize` and `sweep run`.
import type { Design } from '../engine/design/schema'
import { useNodeBackend } from '../engine/core/tensor'
import { runOptimize, type OptimizeReport } from '../engine/run-optimize'
import { createSession } from '../engine/session'
import { createProgress } from './progress'

export interface OptimizeRunOptions {
  backend: 'wasm' | 'cpu'
  /** prefix of the progress lines */
  label: string
  signal?: AbortSignal
  log: (msg: string) => void
}

const sig = (x: number | null) => x?.toPrecision(4) ?? 'n/a'

export async function optimizeDesign(design: Design, opts: OptimizeRunOptions): Promise<OptimizeReport> {
  await useNodeBackend(opts.backend)
  const steps = design.optimizer.steps
  const session = await createSession(design)
  try {
    opts.log(`${opts.label}: ${design.name} (${design.kind}), ${steps} steps, seed ${design.seed}, ${opts.backend}`)
    const progress = createProgress(opts.label, steps)
    const t0 = performance.now()
    const report = await runOptimize(session, steps, (step, loss, validation) => {
      progress.update(step, `loss ${sig(loss)}${validation !== null ? ` validation ${sig(validation)}` : ''}`)
    }, opts.signal)
    progress.end()
    opts.log(`${opts.label}: ${report.interrupted ? `interrupted after ${report.steps_done} steps, ` : ''}${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `validation ${sig(report.initial.validation)} → ${sig(report.final.validation)} (best ${sig(report.best.validation)} at step ${report.best.step})`)
    return report
  } finally {
    session.dispose()
  }
}
