// `--report FILE` of the CLI: what a design report shows of a session (its X0 maps or its stack and showers), and
// the report of the commands that run many optimisations (ensemble, front): the best design found, evaluated once
// more in this process for its figures, with the section of the many runs.
import type { Design } from '../engine/design/schema'
import { useNodeBackend } from '../engine/core/tensor'
import { createSession } from '../engine/session'
import type { OptimizeReport } from '../engine/run-optimize'
import type { Session } from '../engine/session-types'
import { reportHtml } from '../report/report-html'
import type { EnsembleSummary, FrontSummary, ReportInput } from '../report/report-input'
import { writeFileAtomic } from './files'
import { VERSION } from './package-info'

/** the unit of detector costs: the designs' price unit */
const COST_UNIT = 'cost'

/** the figures of a session's current state: the true and predicted X0 maps (the map solved on the last step's
 *  batch, if the step left it), or the stack and its showers */
export async function sessionFigures(session: Session): Promise<Pick<ReportInput, 'muography' | 'calorimeter'>> {
  await session.solveMap?.()
  const snap = session.snapshot({ tracks: 0, x0: true })
  const volume = session.view()
  return {
    muography: volume ? { volume, x0Pred: snap.x0Pred ?? null } : undefined,
    calorimeter: snap.calo && snap.layers ? { calo: snap.calo, layers: snap.layers } : undefined,
  }
}

/** the index of the run with the lowest best validation (the first of equals) */
export const bestRunIndex = (reports: OptimizeReport[]): number =>
  reports.reduce((b, r, i) => (r.best.validation < reports[b].best.validation ? i : b), 0)

export async function writeManyRunReport(
  file: string, start: Design, best: Design, many: { ensemble?: EnsembleSummary; front?: FrontSummary }, backend: 'wasm' | 'cpu',
): Promise<void> {
  await useNodeBackend(backend)
  const session = await createSession(best)
  try {
    await session.validate()
    writeFileAtomic(file, reportHtml({
      design: best,
      start,
      history: { step: [], total: [], task: [], penalties: [], validation: [], detectorCost: [] },
      costUnit: COST_UNIT,
      version: VERSION,
      generatedAt: new Date().toISOString(),
      madeWith: `CLI (${backend})`,
      ...await sessionFigures(session),
      ...many,
    }))
  } finally {
    session.dispose()
  }
}
