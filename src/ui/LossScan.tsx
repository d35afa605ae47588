// One-parameter loss scan (both kinds): pick a parameter, scan the loss along it around its current value (the
// others held, the next step's batch), with the current value and the gradient's tangent marked. A flat or
// bumpy curve next to a steep tangent shows where the gradient is local and noisy; a clean valley shows the
// direction the optimiser will take and how far it can go.
import { useEffect, useMemo, useState } from 'react'
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { LossScan as Scan } from '../engine/scan'
import { scanLoss, scanParameterList } from '../state/actions'
import { useStudio } from '../state/store'
import { ChartExport } from './ChartExport'
import { AXIS, axisTitle, fmt, GRID_PROPS, MARGIN, niceScale, TOOLTIP_STYLE } from './chart-kit'

const LOSS_COLOUR = 'var(--accent)'
const TANGENT_COLOUR = '#f472b6'
const LOSS_TITLE = axisTitle('loss', 'left')

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
  const rows = useMemo(() => scan?.values.map((v, i) => ({ value: v, loss: scan.losses[i], tangent: scan.loss + scan.slope * (v - scan.current) })) ?? [], [scan])
  // ticks of our own on the parameter axis: recharts' own, over a ±10 % span, crowd into unreadable labels
  const x = useMemo(() => {
    if (!scan) return null
    const lo = scan.values[0], hi = scan.values[scan.values.length - 1]
    return { domain: [lo, hi] as [number, number], ticks: niceScale(lo, hi, 3).ticks.filter((t) => t >= lo && t <= hi) }
  }, [scan])
  const y = useMemo(() => {
    if (rows.length === 0) return niceScale(0, 1)
    const ls = rows.map((r) => r.loss)
    return niceScale(Math.min(...ls), Math.max(...ls))
  }, [rows])
  const run = async () => {
    setBusy(true)
    setScan(await scanLoss(param))
    setBusy(false)
  }
  return (
    <figure className="chart" data-testid="loss-scan" data-points={rows.length}>
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
        {scan && (
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={rows} margin={MARGIN}>
              <CartesianGrid {...GRID_PROPS} />
              <XAxis dataKey="value" type="number" domain={x?.domain} ticks={x?.ticks} {...AXIS} tickFormatter={fmt} label={axisTitle(`${scan.parameter} (m)`, 'x')} />
              <YAxis domain={y.domain} ticks={y.ticks} {...AXIS} tickFormatter={fmt} width={44} allowDataOverflow label={LOSS_TITLE} />
              <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => fmt(v)} labelFormatter={(v) => `${scan.parameter} = ${fmt(v)} m`} />
              <ReferenceLine x={scan.current} stroke="var(--series-fg)" strokeDasharray="4 3" />
              <Line dataKey="loss" stroke={LOSS_COLOUR} dot isAnimationActive={false} />
              <Line dataKey="tangent" stroke={TANGENT_COLOUR} strokeDasharray="5 3" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  )
}
