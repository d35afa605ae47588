// Live charts: the loss and its parts with the hard-panel validation and the best step, cost vs budget, and the
// trace of each panel's parameters, drawn by the plain-SVG Plot. Kept cheap for a software-rendered, 2-core
// machine: while the optimiser runs, 60 points per series, no hover read-out, y axes that only widen, and each
// chart re-rendered in its own task, staggered, at most once a second; stopped, 200 points and the read-out.
import { memo, useMemo, useState } from 'react'
import { STACK_COLOURS } from '../../ui/colours'
import { fmt, logScale, niceScale, plannedSteps, stepAxis, useChartInputs, useGrowingScale, useStable } from '../../ui/chart-kit'
import { setView } from '../../state/actions'
import { sampleIndices } from '../../state/downsample'
import { PANEL_FIELDS, type PanelField } from '../../state/schema-meta'
import { useStudio, type History } from '../../state/store'
import { Plot, type PlotMark, type PlotSeries, type PlotTooltip } from '../../ui/plot/Plot'
import { ChartExport } from '../../ui/ChartExport'
import { LossScanFigure } from '../../ui/LossScan'

/** points per series: fewer while the optimiser runs (cheaper re-renders), more once it stops */
const POINTS_RUNNING = 60
const POINTS_PAUSED = 200
const maxPoints = (paused: boolean) => (paused ? POINTS_PAUSED : POINTS_RUNNING)
const COLOURS = { total: 'var(--series-fg)', task: 'var(--series-task)', cost: 'var(--series-cost)', validation: 'var(--series-good)', budget: 'var(--bad)' }
const MARGIN_LOSS = { top: 6, right: 4, bottom: 0, left: 0 }
/** the hover read-out of a stopped chart */
const STEP_TIP: PlotTooltip = { label: (s) => `step ${s}` }
const tipWithUnit = (unit: string): PlotTooltip => ({ label: STEP_TIP.label, value: (v) => `${fmt(v)} ${unit}` })
const METRES_TIP = tipWithUnit('m')
const LOSS_DOMAIN_KEYS = ['total', 'task', 'cost']
const VAL_KEYS = ['validation']

function extent<T extends object>(rows: T[], keys: string[], positive = false): [number, number] {
  let lo = Infinity, hi = -Infinity
  for (const r of rows) for (const k of keys) {
    const v = (r as Record<string, number | null | undefined>)[k]
    if (v == null || !Number.isFinite(v) || (positive && !(v > 0))) continue
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return [lo, hi]
}

function Swatches({ items }: { items: { label: string; colour: string; dashed?: boolean }[] }) {
  return (
    <span className="swatches">
      {items.map((i) => (
        <span key={i.label}><i style={{ borderColor: i.colour, borderStyle: i.dashed ? 'dashed' : 'solid' }} />{i.label}</span>
      ))}
    </span>
  )
}

// ---- loss ----------------------------------------------------------------------------------------------

type LossRow = { step: number; total: number | null; task: number | null; cost: number | null; validation: number | null }

function lossRows(h: History, log: boolean, points: number): LossRow[] {
  const n = h.step.length
  const keep = new Set(sampleIndices(n, points))
  const val: number[] = []
  for (let i = 0; i < n; i++) if (h.validation[i] != null) val.push(i)
  for (const j of sampleIndices(val.length, points / 2)) keep.add(val[j])
  const pos = (v: number | null) => (v == null || !Number.isFinite(v) || (log && !(v > 0)) ? null : v)
  return [...keep].sort((a, b) => a - b).map((i) => ({
    step: h.step[i], total: pos(h.total[i]), task: pos(h.task[i]), cost: pos(h.cost[i]), validation: pos(h.validation[i]),
  }))
}

const LOSS_SERIES: PlotSeries[] = [
  { key: 'total', colour: COLOURS.total },
  { key: 'task', colour: COLOURS.task },
  { key: 'cost', colour: COLOURS.cost },
  { key: 'validation', colour: COLOURS.validation, axis: 'right', dot: 2 },
]

const LossChart = memo(function LossChart({ version, log, tips }: { version: number; log: boolean; tips: boolean }) {
  // the best step is read with the history, not subscribed to: a new best would re-draw the chart outside the
  // staggered schedule of the history updates, possibly in the same frame as another chart
  const { data, x, y, v, best } = useMemo(() => {
    void version
    const data = lossRows(useStudio.getState().history, log, maxPoints(tips))
    const [lo, hi] = extent(data, LOSS_DOMAIN_KEYS, log)
    const [vlo, vhi] = extent(data, VAL_KEYS, log)
    return {
      data,
      x: stepAxis(data, plannedSteps(useStudio.getState().design)),
      y: log ? logScale(lo, hi) : niceScale(Math.min(0, lo), hi),
      v: log ? logScale(vlo, vhi) : niceScale(Math.min(0, vlo), vhi),
      best: useStudio.getState().best?.step ?? null,
    }
  }, [version, log, tips])
  const growing = !tips && data.length > 0
  const remake = log ? logScale : niceScale
  const xs = useStable(x), ys = useGrowingScale(y, growing, remake), vs = useGrowingScale(v, growing, remake)
  const xAxis = useMemo(() => ({ ...xs, title: 'step' }), [xs])
  const left = useMemo(() => ({ ...ys, log, title: 'loss', width: 50 }), [ys, log])
  const right = useMemo(() => ({ ...vs, log, title: 'validation', colour: COLOURS.validation, width: 44 }), [vs, log])
  const marks = useMemo<PlotMark[]>(() => (best == null ? [] : [{ x: best, colour: COLOURS.validation, dash: '4 3', label: `best ${best}` }]), [best])
  return <Plot label="Loss against step" rows={data} xKey="step" x={xAxis} left={left} right={right} series={LOSS_SERIES} marks={marks} tooltip={tips ? STEP_TIP : null} margin={MARGIN_LOSS} />
})

function LossFigure() {
  const { version, tips } = useChartInputs(0)
  const log = useStudio((s) => s.view.logScale)
  return (
    <figure className="chart wide">
      <figcaption>
        <strong>Loss</strong>
        <Swatches items={[
          { label: 'total', colour: COLOURS.total }, { label: 'task', colour: COLOURS.task }, { label: 'cost', colour: COLOURS.cost },
          { label: 'validation, hard panels (right axis)', colour: COLOURS.validation }, { label: 'best', colour: COLOURS.validation, dashed: true },
        ]} />
        <label className="inline">
          <input type="checkbox" checked={log} onChange={(e) => setView({ logScale: e.target.checked })} /> log scale
        </label>
        <ChartExport />
      </figcaption>
      <div className="chart-body"><LossChart version={version} log={log} tips={tips} /></div>
    </figure>
  )
}

// ---- cost ----------------------------------------------------------------------------------------------

const COST_SERIES: PlotSeries[] = [{ key: 'cost', name: 'detector cost', colour: COLOURS.cost }]

const CostChart = memo(function CostChart({ version, budget, unit, tips }: { version: number; budget: number | null; unit: string; tips: boolean }) {
  const { data, x, y } = useMemo(() => {
    void version
    const h = useStudio.getState().history
    const data = sampleIndices(h.step.length, maxPoints(tips)).map((i) => ({ step: h.step[i], cost: h.detectorCost[i] }))
    const [, hi] = extent(data, ['cost'])
    return { data, x: stepAxis(data, plannedSteps(useStudio.getState().design)), y: niceScale(0, Math.max(Number.isFinite(hi) && hi > 0 ? hi : 1, budget ?? 0) * 1.05) }
  }, [version, budget, tips])
  const xs = useStable(x), ys = useGrowingScale(y, !tips && data.length > 0, niceScale)
  const xAxis = useMemo(() => ({ ...xs, title: 'step' }), [xs])
  const left = useMemo(() => ({ ...ys, title: unit === 'cost' ? 'cost' : `cost (${unit})`, width: 44 }), [ys, unit])
  const marks = useMemo<PlotMark[]>(() => (budget == null ? [] : [{ y: budget, colour: COLOURS.budget, dash: '4 3' }]), [budget])
  const tip = useMemo(() => (unit === 'cost' ? STEP_TIP : tipWithUnit(unit)), [unit])
  return <Plot label="Detector cost against step" rows={data} xKey="step" x={xAxis} left={left} series={COST_SERIES} marks={marks} tooltip={tips ? tip : null} />
})

function CostFigure() {
  const { version, tips } = useChartInputs(500)
  const budget = useStudio((s) => s.budget)
  const unit = useStudio((s) => s.costUnit)
  return (
    <figure className="chart">
      <figcaption>
        <strong>Cost vs budget</strong>
        <Swatches items={[{ label: 'cost', colour: COLOURS.cost }, { label: budget != null ? `budget ${fmt(budget)}` : 'no budget', colour: COLOURS.budget, dashed: true }]} />
        <ChartExport />
      </figcaption>
      <div className="chart-body"><CostChart version={version} budget={budget} unit={unit} tips={tips} /></div>
    </figure>
  )
}

// ---- panel trace ---------------------------------------------------------------------------------------

type PanelRef = { id: string; stack: 'above' | 'below' }

const TraceChart = memo(function TraceChart({ version, field, panels, tips }: { version: number; field: PanelField; panels: PanelRef[]; tips: boolean }) {
  const k = PANEL_FIELDS.indexOf(field)
  const { data, x, y } = useMemo(() => {
    void version
    const h = useStudio.getState().history
    const data = sampleIndices(h.step.length, maxPoints(tips)).map((i) => {
      const row: { step: number; [panel: string]: number } = { step: h.step[i] }
      panels.forEach((p, j) => { const v = h.panels[i]?.[5 * j + k]; if (v != null) row[p.id] = v })
      return row
    })
    const [lo, hi] = extent(data, panels.map((p) => p.id))
    return { data, x: stepAxis(data, plannedSteps(useStudio.getState().design)), y: data.length === 0 ? niceScale(0, 1) : niceScale(lo, hi) }
  }, [version, k, panels, tips])
  const xs = useStable(x), ys = useGrowingScale(y, !tips && data.length > 0, niceScale)
  const series = useMemo<PlotSeries[]>(() => panels.map((p, j) => ({ key: p.id, colour: STACK_COLOURS[p.stack], opacity: 1 - 0.15 * (j % 4) })), [panels])
  const xAxis = useMemo(() => ({ ...xs, title: 'step' }), [xs])
  const left = useMemo(() => ({ ...ys, title: `${field.replace('_', ' ')} (m)`, width: 44 }), [ys, field])
  return <Plot label={`Panel ${field.replace('_', ' ')} against step`} rows={data} xKey="step" x={xAxis} left={left} series={series} tooltip={tips ? METRES_TIP : null} />
})


function TraceFigure() {
  const { version, tips } = useChartInputs(1000)
  const panelKey = useStudio((s) => s.panels.map((p) => `${p.id}:${p.stack}`).join(','))
  const panels = useMemo<PanelRef[]>(() => (panelKey ? panelKey.split(',').map((s) => { const [id, stack] = s.split(':'); return { id, stack: stack as PanelRef['stack'] } }) : []), [panelKey])
  const [field, setField] = useState<PanelField>('z')
  return (
    <figure className="chart">
      <figcaption>
        <strong>Panel trace</strong>
        <label className="inline">
          <select value={field} onChange={(e) => setField(e.target.value as PanelField)} aria-label="Trace parameter">
            {PANEL_FIELDS.map((f) => <option key={f} value={f}>{f.replace('_', ' ')} (m)</option>)}
          </select>
        </label>
        <Swatches items={[{ label: 'above', colour: STACK_COLOURS.above }, { label: 'below', colour: STACK_COLOURS.below }]} />
        <ChartExport />
      </figcaption>
      <div className="chart-body"><TraceChart version={version} field={field} panels={panels} tips={tips} /></div>
    </figure>
  )
}

export function Charts() {
  return (
    <section className="charts" aria-label="Charts">
      <LossFigure />
      <CostFigure />
      <TraceFigure />
      <LossScanFigure />
    </section>
  )
}
