// One-parameter loss scan (both kinds): pick a parameter, scan the loss along it around its current value (the
// others held, the next step's batch), with the current value and the gradient's tangent marked. A flat or
// bumpy curve next to a steep tangent shows where the gradient is local and noisy; a clean valley shows the
// direction the optimiser will take and how far it can go.
import { useEffect, useMemo, useState } from 'react'
import type { LossScan as Scan } from '../engine/scan'
import { scanLoss, scanParameterList } from '../state/actions'
import { useStudio } from '../state/store'
import { ChartExport } from './ChartExport'
import { fmt, niceScale } from './chart-kit'
import { Plot, type PlotMark, type PlotSeries } from './plot/Plot'

const LOSS_COLOUR = 'var(--accent)'
const TANGENT_COLOUR = '#f472b6'
const SERIES: PlotSeries[] = [
  { key: 'loss', colour: LOSS_COLOUR, dot: 3 },
  { key: 'tangent', colour: TANGENT_COLOUR, dash: '5 3' },
]

/** the scan's rows (loss and tangent), axes and current-value mark; the parameter axis spans the scan exactly, with
 * three nice ticks: over a ±10 % span more would crowd the labels */
function scanView(scan: Scan) {
  const rows = scan.values.map((v, i) => ({ value: v, loss: scan.losses[i], tangent: scan.loss + scan.slope * (v - scan.current) }))
  const lo = scan.values[0], hi = scan.values[scan.values.length - 1]
  const ls = rows.map((r) => r.loss)
  return {
    rows,
    x: { domain: [lo, hi] as [number, number], ticks: niceScale(lo, hi, 3).ticks.filter((t) => t >= lo && t <= hi), title: `${scan.parameter} (m)` },
    y: { ...(ls.length ? niceScale(Math.min(...ls), Math.max(...ls)) : niceScale(0, 1)), title: 'loss' },
    marks: [{ x: scan.current, colour: 'var(--series-fg)', dash: '4 3' }] as PlotMark[],
    tip: { label: (v: number) => `${scan.parameter} = ${fmt(v)} m` },
  }
}

export function LossScanFigure() {
  const generation = useStudio((s) => s.generation)
  const running = useStudio((s) => s.status === 'running')
  const [params, setParams] = useState<string[]>([])
  const [param, setParam] = useState('')
  const [scan, setScan] = useState<Scan | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    let live = true
    void scanParameterList().then((p) => { if (live) { setParams(p); setParam((cur) => (p.includes(cur) ? cur : p[0] ?? '')); setScan(null) } })
    return () => { live = false }
  }, [generation])
  const view = useMemo(() => (scan ? scanView(scan) : null), [scan])
  const run = async () => {
    setBusy(true)
    setScan(await scanLoss(param))
    setBusy(false)
  }
  return (
    <figure className="chart" data-testid="loss-scan" data-points={view?.rows.length ?? 0}>
      <figcaption>
        <strong>Loss scan</strong>
        <label className="inline">
          <select value={param} onChange={(e) => setParam(e.target.value)} aria-label="Scan parameter">
            {params.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void run()} disabled={busy || running || !param} title={running ? 'pause the optimiser to scan' : 'scan the loss along this parameter (±10 % of its range)'}>
          {busy ? 'Scanning…' : 'Scan'}
        </button>
        {scan && <ChartExport />}
      </figcaption>
      <div className="chart-body">
        {view && <Plot label="Loss along the scanned parameter" rows={view.rows} xKey="value" x={view.x} left={view.y} series={SERIES} marks={view.marks} tooltip={view.tip} />}
      </div>
    </figure>
  )
}
