// The front tab: one optimisation of the open design per budget, on background workers, and the best validation
// each reached against the detector cost of that design. The points no other point beats on both axes (cheaper
// or as cheap and better or as good) form the cost–performance front; its slope is what the next unit of money
// buys. Clicking a point loads its design.
import { memo, useState } from 'react'
import { applyDesign } from '../../state/beyond/apply'
import { clearBatch, startFront, stopBatch, useBeyond, type FrontPoint } from '../../state/beyond/store'
import { useStudio } from '../../state/store'
import { fmt, niceScale, useLagged } from '../chart-kit'
import { ChartExport } from '../ChartExport'
import { Plot, type PlotSeries } from '../plot/Plot'

const FRONT_COLOUR = '#4ade80'
const OFF_COLOUR = '#64748b'
const TIP = { label: (c: number) => `cost ${fmt(c)}` }

/** budgets around the design's own (or its cost): a quarter, a half, one and two times */
function defaultBudgets(budget: number | null, cost: number): string {
  const b = budget ?? (cost > 0 ? cost : 1)
  return [0.25, 0.5, 1, 2].map((f) => +(b * f).toPrecision(3)).join(', ')
}

export function parseBudgets(text: string): number[] {
  return text.split(/[,\s]+/).filter(Boolean).map(Number)
}

const FrontChart = memo(function FrontChart({ points, unit }: { points: FrontPoint[]; unit: string }) {
  const runs = useBeyond((s) => s.batch?.runs ?? [])
  const front = points.filter((p) => p.onFront).sort((a, b) => a.cost - b.cost)
  const x = { ...niceScale(0, Math.max(1e-9, ...points.map((p) => p.cost)) * 1.05), title: unit === 'cost' ? 'detector cost' : `detector cost (${unit})` }
  const y = { ...niceScale(0, Math.max(1e-9, ...points.map((p) => p.validation)) * 1.05), title: 'best validation', width: 50 }
  const load = (run: number, budget: number) => { const r = runs[run]?.result; if (r) void applyDesign(r.design, `front budget ${budget}`) }
  const rows = points.map((p) => ({ cost: p.cost, validation: p.validation, run: p.run, budget: p.budget, onFront: p.onFront ? 1 : 0 }))
  const series: PlotSeries[] = [
    { key: 'validation', name: 'front', colour: FRONT_COLOUR, rows: front.map((p) => ({ cost: p.cost, validation: p.validation })) },
    { key: 'validation', name: 'best validation', colour: OFF_COLOUR, rows, line: false, dot: 5,
      pointColour: (r) => (r.onFront ? FRONT_COLOUR : OFF_COLOUR), onPoint: (r) => load(r.run as number, r.budget as number) },
  ]
  return (
    <figure className="chart beyond-chart" data-testid="front-chart" data-points={points.length} data-front={front.length}>
      <figcaption>
        <strong>Cost–performance front</strong>
        <span className="swatches"><span><i style={{ borderColor: FRONT_COLOUR }} />on the front</span><span><i style={{ borderColor: OFF_COLOUR }} />dominated</span></span>
        <ChartExport />
      </figcaption>
      <div className="chart-body">
        <Plot label="Best validation against detector cost, one point per budget" xKey="cost" x={x} left={y} series={series} tooltip={TIP} />
      </div>
    </figure>
  )
})

export function FrontView() {
  const design = useStudio((s) => s.design)
  const cost = useStudio((s) => s.cost)
  const unit = useStudio((s) => s.costUnit)
  const batch = useBeyond((s) => (s.batch?.mode === 'front' ? s.batch : null))
  const notice = useBeyond((s) => s.notice)
  useBeyond((s) => s.version)
  const [budgets, setBudgets] = useState(() => defaultBudgets(design?.optimizer.budget ?? null, cost))
  const [steps, setSteps] = useState(() => Math.min(40, design?.optimizer.steps ?? 40))
  const running = batch?.running ?? false
  // the chart re-renders in a task of its own, after the table
  const front = useLagged(batch?.front ?? null, 500)
  return (
    <div className="beyond-view">
      <p className="muted">Optimise the open design once per budget, on background workers, and see what each budget buys.{design?.kind === 'calorimeter' ? ' The cost weight is set to 0 here, so the budget alone limits the cost.' : ''}</p>
      <div className="beyond-controls">
        <label>budgets <input type="text" value={budgets} onChange={(e) => setBudgets(e.target.value)} aria-label="Budgets" size={18} /></label>
        <label>steps <input type="number" min={1} max={5000} value={steps} onChange={(e) => { const v = Math.round(Number(e.target.value)); if (v >= 1) setSteps(Math.min(5000, v)) }} aria-label="Steps per budget" /></label>
        <button type="button" className="primary" disabled={!design || running} onClick={() => startFront(parseBudgets(budgets), steps)}>Trace front</button>
        <button type="button" disabled={!running} onClick={stopBatch}>Stop</button>
        <button type="button" onClick={clearBatch}>Clear</button>
      </div>
      {notice && <p className="bad" role="status">{notice}</p>}
      {batch && (
        <>
          <table className="beyond-table" data-testid="front-runs">
            <thead><tr><th>budget</th><th>steps</th><th>cost</th><th>best validation</th><th /></tr></thead>
            <tbody>
              {batch.runs.map((r) => {
                const p = batch.front.find((q) => q.budget === r.budget)
                return (
                  <tr key={r.label}>
                    <td>{fmt(r.budget)}</td>
                    <td>{r.status === 'failed' ? <span className="bad" title={r.error}>failed</span> : r.status === 'stopped' ? 'not run' : `${r.steps.length}/${batch.planned}`}</td>
                    <td>{r.result ? fmt(r.result.cost) : '—'}</td>
                    <td>{r.result ? fmt(r.result.best.validation) : '—'}{p && !p.onFront ? <span className="muted"> (dominated)</span> : ''}</td>
                    <td><button type="button" className="link" disabled={!r.result} onClick={() => { if (r.result) void applyDesign(r.result.design, `front ${r.label}`) }} aria-label={`Load ${r.label}`}>load</button></td>
                  </tr>
                )
              })}
            </tbody>
          </table>
          {front && <FrontChart points={front} unit={unit} />}
        </>
      )}
    </div>
  )
}
