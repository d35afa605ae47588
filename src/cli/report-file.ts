// `--report FILE` of the commands that run many optimisations (ensemble, front): the report of the best design
// found, evaluated once more in this process for its figures, with the section of the many runs.
import type { Design } from '../engine/design/schema'
import { useNodeBackend } from '../engine/core/tensor'
import { createSession } from '../engine/session'
import { reportHtml } from '../report/report-html'
import type { EnsembleSummary, FrontSummary } from '../report/report-input'
import { writeFileAtomic } from './files'
import { VERSION } from './package-info'

/** the unit of detector costs: the designs' price unit */
const COST_UNIT = 'cost'

export async function writeManyRunReport(
  file: string, start: Design, best: Design, many: { ensemble?: EnsembleSummary; front?: FrontSummary }, backend: 'wasm' | 'cpu',
): Promise<void> {
  await useNodeBackend(backend)
  const session = await createSession(best)
  try {
    await session.validate()
    const snap = session.snapshot({ tracks: 0, x0: true })
    const volume = session.view()
    writeFileAtomic(file, reportHtml({
      design: best,
      start,
      history: { step: [], total: [], task: [], penalties: [], validation: [], detectorCost: [] },
      costUnit: COST_UNIT,
      version: VERSION,
      generatedAt: new Date().toISOString(),
      madeWith: `CLI (${backend})`,
      muography: volume ? { volume, x0Pred: snap.x0Pred ?? null } : undefined,
      calorimeter: snap.calo && snap.layers ? { calo: snap.calo, layers: snap.layers } : undefined,
      ...many,
    }))
  } finally {
    session.dispose()
  }
}
