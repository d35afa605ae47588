// The ensemble tab: N optimisations from N starts (start 0 the open design, the others perturbed within the
// bounds) on background workers, shown live: each run's trace of one parameter, the best validation per run, the
// runs' best designs as ghosts in the 3D view, and the clusters of runs that reached the same design. Loading a
// run or a cluster puts its design into the studio (an undo step).
import { memo, useMemo, useState } from 'react'
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import type { Cluster } from '../../engine/ensemble/clusters'
import { applyDesign } from '../../state/beyond/apply'
import { runColour } from '../../state/beyond/ghosts'
import { clearBatch, startEnsemble, stopBatch, useBeyond, type BackgroundRun } from '../../state/beyond/store'
import { sampleIndices } from '../../state/downsample'
import { useStudio } from '../../state/store'
import { AXIS, axisTitle, fmt, GRID, MARGIN, niceScale, TOOLTIP_STYLE, useLagged, useStable } from '../chart-kit'
import { RunLineChart, type SeriesRow, type SeriesSpec } from '../LiveSeries'
import { ChartExport } from '../ChartExport'
import { traceParams } from './trace-params'

const TRACE_POINTS = 80
const STEP_TITLE = axisTitle('step', 'x')
const VALIDATION_TITLE = axisTitle('best validation', 'left')
const RUN_TITLE = axisTitle('run', 'x')

export async function loadRun(r: BackgroundRun): Promise<void> {
  if (r.result) await applyDesign(r.result.design, `ensemble ${r.label}`)
}

/** a cluster loads its member with the lowest validation: a design the optimiser reached (the mean of the
 *  members need not be one) */
function clusterBest(c: Cluster, runs: BackgroundRun[]): BackgroundRun | null {
  let best: BackgroundRun | null = null
  for (const i of c.members) {
    const r = runs[i]
    if (r?.result && (!best?.result || r.result.best.validation < best.result.best.validation)) best = r
  }
  return best
}

function Controls() {
  const design = useStudio((s) => s.design)
  const running = useBeyond((s) => s.batch?.running ?? false)
  const [starts, setStarts] = useState(3)
  const [steps, setSteps] = useState(() => Math.min(40, design?.optimizer.steps ?? 40))
  const [spread, setSpread] = useState(0.1)
  const num = (set: (v: number) => void, lo: number, hi: number) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = Number(e.target.value)
    if (Number.isFinite(v)) set(Math.min(hi, Math.max(lo, v)))
  }
  return (
    <div className="beyond-controls">
      <label>starts <input type="number" min={1} max={16} step={1} value={starts} onChange={num((v) => setStarts(Math.round(v)), 1, 16)} aria-label="Starts" /></label>
      <label>steps <input type="number" min={1} max={5000} step={1} value={steps} onChange={num((v) => setSteps(Math.round(v)), 1, 5000)} aria-label="Steps per run" /></label>
      <label title="each parameter of starts 1… moves by a uniform draw within ± this fraction of its range">spread <input type="number" min={0} max={1} step={0.05} value={spread} onChange={num(setSpread, 0, 1)} aria-label="Spread" /></label>
      <button type="button" className="primary" disabled={!design || running} onClick={() => startEnsemble({ starts, steps, spread })}>Run ensemble</button>
      <button type="button" disabled={!running} onClick={stopBatch}>Stop</button>
      <button type="button" onClick={clearBatch}>Clear</button>
    </div>
  )
}

const RunTable = memo(function RunTable({ runs, planned, version }: { runs: BackgroundRun[]; planned: number; version: number }) {
  void version
  return (
    <table className="beyond-table" data-testid="ensemble-runs" data-done={runs.filter((r) => r.status === 'done').length}>
      <thead><tr><th /><th>run</th><th>steps</th><th>best validation</th><th>cost</th><th /></tr></thead>
      <tbody>
        {runs.map((r, i) => (
          <tr key={r.label}>
            <td><i className="swatch" style={{ background: runColour(i) }} /></td>
            <td>{r.label}</td>
            <td>{r.status === 'failed' ? <span className="bad" title={r.error}>failed</span> : r.status === 'stopped' ? 'not run' : `${r.steps.length}/${planned}`}</td>
            <td>{r.result ? fmt(r.result.best.validation) : '—'}</td>
            <td>{r.result ? fmt(r.result.cost) : '—'}</td>
            <td><button type="button" className="link" disabled={!r.result} onClick={() => void loadRun(r)} aria-label={`Load ${r.label}`}>load</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  )
})

/** re-rendered when a run's result arrives (`results` names them) */
const ValidationChart = memo(function ValidationChart({ runs, results }: { runs: BackgroundRun[]; results: string }) {
  void results
  const rows = runs.map((r, i) => ({ run: i, validation: r.result?.best.validation ?? null }))
  const vals = rows.flatMap((r) => (r.validation != null ? [r.validation] : []))
  const y = niceScale(0, vals.length ? Math.max(...vals) * 1.05 : 1)
  return (
    <figure className="chart beyond-chart" data-testid="ensemble-validation" data-bars={vals.length}>
      <figcaption><strong>Best validation per run</strong><span className="muted">click a bar to load its design</span><ChartExport /></figcaption>
      <div className="chart-body">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={MARGIN}>
            <CartesianGrid stroke={GRID} />
            <XAxis dataKey="run" {...AXIS} label={RUN_TITLE} />
            <YAxis domain={y.domain} ticks={y.ticks} {...AXIS} tickFormatter={fmt} width={50} label={VALIDATION_TITLE} />
            <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => fmt(v)} labelFormatter={(v) => `run ${v}`} isAnimationActive={false} />
            <Bar dataKey="validation" isAnimationActive={false} onClick={(_, i) => void loadRun(runs[i])} cursor="pointer">
              {rows.map((r) => <Cell key={r.run} fill={runColour(r.run)} />)}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  )
})

const TraceChart = memo(function TraceChart({ runs, version, planned, running }: { runs: BackgroundRun[]; version: number; planned: number; running: boolean }) {
  const base = useBeyond((s) => s.batch?.base ?? null)
  const params = useMemo(() => (base ? traceParams(base) : []), [base])
  const [name, setName] = useState('')
  const param = params.find((p) => p.name === name) ?? params.find((p) => p.name.endsWith('.z')) ?? params[0]
  // one row per step, one column per run (every run counts the same steps)
  const { rows, lines, y } = useMemo(() => {
    void version
    const byStep = new Map<number, SeriesRow>()
    let lo = Infinity, hi = -Infinity, lines = 0
    runs.forEach((r, k) => {
      if (!param || r.steps.length === 0) return
      lines++
      for (const i of sampleIndices(r.steps.length, TRACE_POINTS)) {
        const st = r.steps[i], v = st.parameters[param.index]
        const row = byStep.get(st.step) ?? { step: st.step }
        row[`run ${k}`] = v
        byStep.set(st.step, row)
        if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v) }
      }
    })
    const rows = [...byStep.values()].sort((a, b) => (a.step ?? 0) - (b.step ?? 0))
    return { rows, lines, y: Number.isFinite(lo) ? niceScale(lo, hi) : niceScale(0, 1) }
  }, [runs, version, param])
  const x = useStable(niceScale(0, planned))
  const ys = useStable(y)
  const series = useMemo<SeriesSpec[]>(() => runs.map((_, k) => ({ key: `run ${k}`, colour: runColour(k) })), [runs])
  const title = param?.name ?? ''
  const frame = useMemo(() => [
    <CartesianGrid key="grid" stroke={GRID} />,
    <XAxis key="x" dataKey="step" type="number" domain={x.domain} ticks={x.ticks} {...AXIS} label={STEP_TITLE} />,
    <YAxis key="y" domain={ys.domain} ticks={ys.ticks} {...AXIS} tickFormatter={fmt} width={50} allowDataOverflow label={axisTitle(`${title} (m)`, 'left')} />,
  ], [x, ys, title])
  return (
    <figure className="chart beyond-chart" data-testid="ensemble-trace" data-lines={lines}>
      <figcaption>
        <strong>Run traces</strong>
        <select value={param?.name ?? ''} onChange={(e) => setName(e.target.value)} aria-label="Ensemble trace parameter">
          {params.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
        </select>
        <ChartExport />
      </figcaption>
      <div className="chart-body">
        <RunLineChart rows={rows} series={series} x={x} stopped={!running} format={fmt} margin={MARGIN} axes={frame} />
      </div>
    </figure>
  )
})

function Clusters({ clusters, runs }: { clusters: Cluster[]; runs: BackgroundRun[] }) {
  if (clusters.length === 0) return null
  return (
    <div data-testid="ensemble-clusters">
      <h3>Clusters <span className="muted">(optimised designs within 5 % of the parameter ranges, RMS)</span></h3>
      <ul className="beyond-list">
        {clusters.map((c, k) => {
          const best = clusterBest(c, runs)
          return (
            <li key={k}>
              {c.members.map((m) => <i key={m} className="swatch" style={{ background: runColour(m) }} title={`run ${m}`} />)}
              <span>cluster {k + 1}: run{c.members.length > 1 ? 's' : ''} {c.members.join(', ')}; median validation {fmt(c.validation_median)}</span>
              <button type="button" className="link" disabled={!best} onClick={() => { if (best) void loadRun(best) }} aria-label={`Load cluster ${k + 1}`}>load best</button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}

export function EnsembleView() {
  const batch = useBeyond((s) => (s.batch?.mode === 'ensemble' ? s.batch : null))
  const version = useBeyond((s) => s.version)
  const results = batch ? batch.runs.map((r) => r.result?.best.validation ?? '').join(',') : ''
  // each part re-renders in a task of its own, staggered (as the studio's charts): one long task otherwise
  const tableVersion = useLagged(version, 0)
  const traceVersion = useLagged(version, 500)
  const shownResults = useLagged(results, 1000)
  return (
    <div className="beyond-view">
      <p className="muted">Optimise the open design from several starts at once, on background workers: where the runs end up shows how many good designs there are.</p>
      <Controls />
      {batch && (
        <>
          <RunTable runs={batch.runs} planned={batch.planned} version={tableVersion} />
          <TraceChart runs={batch.runs} version={traceVersion} planned={batch.planned} running={batch.running} />
          <ValidationChart runs={batch.runs} results={shownResults} />
          <Clusters clusters={batch.clusters} runs={batch.runs} />
        </>
      )}
    </div>
  )
}
