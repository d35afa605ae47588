// The studio's design report: the run's best design, its start, the history and what the view shows (X0 maps, or
// the stack and its showers), written by the same function as the CLI's `optimize --report` and loaded when first
// used, so the page's first download does not grow. An ensemble or budget sweep of the same kind, when one has
// run, gets its section.
import { version } from '../../package.json'
import { engine } from '../workers/supervisor'
import { currentDesign, errorText, slug } from './actions'
import { downloadBlob } from './download'
import { useStudio } from './store'

export async function exportReport(): Promise<void> {
  const c = engine()
  const s = useStudio.getState()
  const d = currentDesign(s)
  if (!c || !d) return
  try {
    const [{ reportHtml }, { manyRunsOf }, best, start] = await Promise.all([
      import('../report/report-html'),
      import('./beyond/report-summary'),
      c.api.exportDesign(s.best ? 'best' : 'current'),
      c.api.exportDesign('start'),
    ])
    const h = s.history
    const html = reportHtml({
      design: best,
      start,
      history: { step: h.step, total: h.total, task: h.task, penalties: h.cost, validation: h.validation, detectorCost: h.detectorCost },
      costUnit: s.costUnit,
      version,
      generatedAt: new Date().toISOString(),
      madeWith: `studio (${s.backend?.name ?? 'no backend'}); edits made during the run are not replayed by a re-run`,
      muography: d.kind === 'muography' && s.volume ? { volume: s.volume, x0Pred: s.x0Pred } : undefined,
      calorimeter: d.kind === 'calorimeter' && s.calo ? { calo: s.calo, layers: s.layers } : undefined,
      ...manyRunsOf(d.kind),
    })
    downloadBlob(`${slug(d.name)}.report.html`, new Blob([html], { type: 'text/html' }))
  } catch (e) {
    useStudio.setState({ alert: { title: 'Report failed', errors: [{ path: '', message: errorText(e) }] } })
  }
}
