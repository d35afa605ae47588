// One optimisation of a design with progress on stderr, stoppable by a signal: `optimize` and `sweep run`.
import type { Design } from '../engine/design/schema'
import { useNodeBackend } from '../engine/core/tensor'
import { runOptimize, type OptimizeReport } from '../engine/run-optimize'
import { createSession } from '../engine/session'
import type { Session, StepResult } from '../engine/session-types'
import { historyOf, type ReportInput } from '../report/report-input'
import { VERSION } from './package-info'
import { createProgress } from './progress'
import { sessionFigures } from './report-file'

export interface OptimizeRunOptions {
  backend: 'wasm' | 'cpu'
  /** prefix of the progress lines */
  label: string
  signal?: AbortSignal
  log: (msg: string) => void
  /** gather what a design report needs (the step records, the X0 maps or the shower figures) */
  report?: boolean
}

const sig = (x: number | null) => x?.toPrecision(4) ?? 'n/a'

/** what the design report needs from a finished session */
async function reportInput(session: Session, start: Design, records: StepResult[], run: OptimizeReport, backend: string): Promise<ReportInput> {
  return {
    design: run.design,
    start,
    history: historyOf(records),
    startValidation: run.initial.validation,
    costUnit: records.at(-1)?.detectorCost.unit ?? '',
    version: VERSION,
    generatedAt: new Date().toISOString(),
    madeWith: `CLI (${backend})`,
    ...await sessionFigures(session),
  }
}

export async function optimizeDesign(design: Design, opts: OptimizeRunOptions): Promise<OptimizeReport & { reportInput?: ReportInput }> {
  await useNodeBackend(opts.backend)
  const steps = design.optimizer.steps
  const start = structuredClone(design)
  const session = await createSession(design)
  const records: StepResult[] = []
  try {
    opts.log(`${opts.label}: ${design.name} (${design.kind}), ${steps} steps, seed ${design.seed}, ${opts.backend}`)
    const progress = createProgress(opts.label, steps)
    const t0 = performance.now()
    const report = await runOptimize(session, steps, (step, loss, validation, record) => {
      if (opts.report) records.push(record)
      progress.update(step, `loss ${sig(loss)}${validation !== null ? ` validation ${sig(validation)}` : ''}`)
    }, opts.signal)
    progress.end()
    opts.log(`${opts.label}: ${report.interrupted ? `interrupted after ${report.steps_done} steps, ` : ''}${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `validation ${sig(report.initial.validation)} → ${sig(report.final.validation)} (best ${sig(report.best.validation)} at step ${report.best.step})`)
    return opts.report ? { ...report, reportInput: await reportInput(session, start, records, report, opts.backend) } : report
  } finally {
    session.dispose()
  }
}
