// Live charts (recharts): loss and its parts with the hard-panel validation and the best step, cost vs budget,
// and the trace of each panel's parameters. Data are downsampled to a few hundred points; re-rendering is
// deferred (React transition) so a chart update never blocks input; no animation.
import { memo, startTransition, useEffect, useMemo, useState } from 'react'
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { setView } from '../state/actions'
import { sampleIndices } from '../state/downsample'
import { PANEL_FIELDS, type PanelField } from '../state/schema-meta'
import { useStudio, type History } from '../state/store'
import { STACK_COLOURS } from '../scenes/colormap'

const MAX_POINTS = 240

/**
 * The history version a chart shows, applied `delay` ms after the store's, as a transition. Each chart gets its
 * own delay, so the three charts render and commit in separate tasks instead of one long one.
 */
function useLaggedVersion(delay: number): number {
  const v = useStudio((s) => s.historyVersion)
  const [shown, setShown] = useState(v)
  useEffect(() => {
    if (v === shown) return
    const t = setTimeout(() => startTransition(() => setShown(v)), delay)
    return () => clearTimeout(t)
  }, [v, shown, delay])
  return shown
}
const AXIS = { stroke: '#64748b', fontSize: 11 }
const fmt = (v: unknown): string => (typeof v === 'number' ? (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(+v.toPrecision(4))) : String(v))

interface LossRow { step: number; total?: number | null; task?: number | null; cost?: number | null; validation?: number | null }

function lossRows(h: History, log: boolean): LossRow[] {
  const n = h.step.length
  const keep = new Set(sampleIndices(n, MAX_POINTS))
  const val: number[] = []
  for (let i = 0; i < n; i++) if (h.validation[i] != null) val.push(i)
  for (const j of sampleIndices(val.length, 100)) keep.add(val[j])
  const pos = (v: number | null) => (v == null || (log && !(v > 0)) ? null : v)
  return [...keep].sort((a, b) => a - b).map((i) => ({
    step: h.step[i], total: pos(h.total[i]), task: pos(h.task[i]), cost: pos(h.cost[i]), validation: pos(h.validation[i]),
  }))
}

const LossChart = memo(function LossChart({ version, log, best }: { version: number; log: boolean; best: { step: number } | null }) {
  const data = useMemo(() => { void version; return lossRows(useStudio.getState().history, log) }, [version, log])
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#1e293b" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={AXIS} stroke="#475569" allowDecimals={false} />
        <YAxis scale={log ? 'log' : 'linear'} domain={['auto', 'auto']} tick={AXIS} stroke="#475569" tickFormatter={fmt} width={56} allowDataOverflow />
        <Tooltip formatter={fmt} contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Line dataKey="total" name="total" stroke="#e2e8f0" dot={false} isAnimationActive={false} connectNulls />
        <Line dataKey="task" name="task" stroke="#60a5fa" dot={false} isAnimationActive={false} connectNulls />
        <Line dataKey="cost" name="cost" stroke="#f59e0b" dot={false} isAnimationActive={false} connectNulls />
        <Line dataKey="validation" name="validation (hard panels)" stroke="#4ade80" dot={{ r: 2 }} isAnimationActive={false} connectNulls />
        {best && <ReferenceLine x={best.step} stroke="#4ade80" strokeDasharray="4 3" label={{ value: `best ${best.step}`, fill: '#4ade80', fontSize: 11, position: 'insideTopRight' }} />}
      </LineChart>
    </ResponsiveContainer>
  )
})

const CostChart = memo(function CostChart({ version, budget }: { version: number; budget: number | null }) {
  const data = useMemo(() => {
    void version
    const h = useStudio.getState().history
    return sampleIndices(h.step.length, MAX_POINTS).map((i) => ({ step: h.step[i], cost: h.detectorCost[i] }))
  }, [version])
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#1e293b" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={AXIS} stroke="#475569" allowDecimals={false} />
        <YAxis domain={[0, (max: number) => Math.max(max, budget ?? 0) * 1.1 || 1]} tick={AXIS} stroke="#475569" tickFormatter={fmt} width={56} />
        <Tooltip formatter={fmt} contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }} />
        <Line dataKey="cost" name="detector cost" stroke="#f59e0b" dot={false} isAnimationActive={false} />
        {budget != null && <ReferenceLine y={budget} stroke="#f87171" strokeDasharray="4 3" label={{ value: `budget ${budget}`, fill: '#f87171', fontSize: 11, position: 'insideTopLeft' }} />}
      </LineChart>
    </ResponsiveContainer>
  )
})

const TraceChart = memo(function TraceChart({ version, field, panels }: { version: number; field: PanelField; panels: { id: string; stack: 'above' | 'below' }[] }) {
  const k = PANEL_FIELDS.indexOf(field)
  const data = useMemo(() => {
    void version
    const h = useStudio.getState().history
    return sampleIndices(h.step.length, MAX_POINTS).map((i) => {
      const row: Record<string, number> = { step: h.step[i] }
      panels.forEach((p, j) => { const v = h.panels[i]?.[5 * j + k]; if (v != null) row[p.id] = v })
      return row
    })
  }, [version, k, panels])
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="#1e293b" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={AXIS} stroke="#475569" allowDecimals={false} />
        <YAxis domain={['auto', 'auto']} tick={AXIS} stroke="#475569" tickFormatter={fmt} width={56} />
        <Tooltip formatter={fmt} contentStyle={{ background: '#0f172a', border: '1px solid #334155', fontSize: 12 }} />
        {panels.map((p, j) => (
          <Line key={p.id} dataKey={p.id} stroke={STACK_COLOURS[p.stack]} strokeOpacity={1 - 0.12 * (j % 5)} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  )
})

function LossFigure() {
  const version = useLaggedVersion(0)
  const log = useStudio((s) => s.view.logScale)
  const best = useStudio((s) => s.best)
  const bestStep = useMemo(() => (best ? { step: best.step } : null), [best?.step])
  return (
    <figure className="chart">
      <figcaption>
        Loss <span className="muted">(task + cost; validation on hard-edged panels)</span>
        <label className="inline">
          <input type="checkbox" checked={log} onChange={(e) => setView({ logScale: e.target.checked })} /> log scale
        </label>
      </figcaption>
      <div className="chart-body"><LossChart version={version} log={log} best={bestStep} /></div>
    </figure>
  )
}

function CostFigure() {
  const version = useLaggedVersion(90)
  const budget = useStudio((s) => s.budget)
  return (
    <figure className="chart">
      <figcaption>Cost vs budget</figcaption>
      <div className="chart-body"><CostChart version={version} budget={budget} /></div>
    </figure>
  )
}

function TraceFigure() {
  const version = useLaggedVersion(180)
  const panelKey = useStudio((s) => s.panels.map((p) => `${p.id}:${p.stack}`).join(','))
  const panels = useMemo(() => (panelKey ? panelKey.split(',').map((s) => { const [id, stack] = s.split(':'); return { id, stack: stack as 'above' | 'below' } }) : []), [panelKey])
  const [field, setField] = useState<PanelField>('z')
  return (
    <figure className="chart">
      <figcaption>
        Panel trace
        <label className="inline">
          parameter{' '}
          <select value={field} onChange={(e) => setField(e.target.value as PanelField)} aria-label="Trace parameter">
            {PANEL_FIELDS.map((f) => <option key={f} value={f}>{f.replace('_', ' ')}</option>)}
          </select>
        </label>
      </figcaption>
      <div className="chart-body"><TraceChart version={version} field={field} panels={panels} /></div>
    </figure>
  )
}

export function Charts() {
  return (
    <section className="charts" aria-label="Charts">
      <LossFigure />
      <CostFigure />
      <TraceFigure />
    </section>
  )
}
