// The ensemble tab: N optimisations from N starts (start 0 the open design, the others perturbed within the
// bounds) on background workers, shown live: each run's trace of one parameter, the best validation per run, the
// runs' best designs as ghosts in the 3D view, and the clusters of runs that reached the same design. Loading a
// run or a cluster puts its design into the studio (an undo step).
import { memo, useState } from 'react'
import type { Cluster } from '../../engine/ensemble/clusters'
import { applyDesign } from '../../state/beyond/apply'
import { runColour } from '../../state/beyond/ghosts'
import { clearBatch, startEnsemble, stopBatch, useBeyond, type BackgroundRun } from '../../state/beyond/store'
import { useStudio } from '../../state/store'
import { AXIS_STROKE, fmt, GRID, niceScale, TICK_FILL, useLagged } from '../chart-kit'
import { ChartExport } from '../ChartExport'
import { TraceChart } from './TraceChart'

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

/** Best validation per run as plain SVG bars (recharts' bar chart cost a long task per result on a slow machine);
 *  re-rendered when a run's result arrives (`results` names them) */
const ValidationChart = memo(function ValidationChart({ runs, results }: { runs: BackgroundRun[]; results: string }) {
  void results
  const W = 420, H = 170, L = 46, B = 22, T = 8, R = 8
  const vals = runs.map((r) => r.result?.best.validation ?? null)
  const y = niceScale(0, Math.max(1e-12, ...vals.filter((v): v is number => v != null)) * 1.05)
  const [y0, y1] = y.domain
  const py = (v: number) => T + (H - T - B) * (1 - (v - y0) / (y1 - y0))
  const slot = (W - L - R) / Math.max(1, runs.length)
  return (
    <figure className="chart beyond-chart" data-testid="ensemble-validation" data-bars={vals.filter((v) => v != null).length}>
      <figcaption><strong>Best validation per run</strong><span className="muted">click a bar to load its design</span><ChartExport /></figcaption>
      <div className="chart-body">
        <svg className="chart-surface" viewBox={`0 0 ${W} ${H}`} width="100%" height="100%" preserveAspectRatio="none" role="img" aria-label="Best validation per run">
          {y.ticks.map((t) => (
            <g key={t}>
              <line x1={L} x2={W - R} y1={py(t)} y2={py(t)} stroke={GRID} />
              <text x={L - 4} y={py(t) + 4} textAnchor="end" fontSize={11} fill={TICK_FILL}>{fmt(t)}</text>
            </g>
          ))}
          {runs.map((r, i) => {
            const v = vals[i]
            const x = L + slot * i + slot * 0.15
            return (
              <g key={r.label}>
                {v != null && (
                  <rect className="validation-bar" x={x} y={py(v)} width={slot * 0.7} height={py(y0) - py(v)} fill={runColour(i)} cursor="pointer" onClick={() => void loadRun(r)}>
                    <title>{`${r.label}: best validation ${fmt(v)}`}</title>
                  </rect>
                )}
                <text x={x + slot * 0.35} y={H - B + 14} textAnchor="middle" fontSize={11} fill={TICK_FILL}>{i}</text>
              </g>
            )
          })}
          <line x1={L} x2={W - R} y1={py(y0)} y2={py(y0)} stroke={AXIS_STROKE} />
          <text x={L + 4} y={T + 10} fontSize={11} fill={TICK_FILL}>best validation</text>
          <text x={W - R} y={H - 2} textAnchor="end" fontSize={11} fill={TICK_FILL}>run</text>
        </svg>
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
  // the charts mount one at a time too: the trace once the runs start, the bars with the first result
  const showTrace = useLagged(!!batch, 500)
  const showBars = /[^,]/.test(shownResults)
  return (
    <div className="beyond-view">
      <p className="muted">Optimise the open design from several starts at once, on background workers: where the runs end up shows how many good designs there are.</p>
      <Controls />
      {batch && (
        <>
          <RunTable runs={batch.runs} planned={batch.planned} version={tableVersion} />
          {showTrace && <TraceChart runs={batch.runs} version={traceVersion} planned={batch.planned} />}
          {showBars && <ValidationChart runs={batch.runs} results={shownResults} />}
          <Clusters clusters={batch.clusters} runs={batch.runs} />
        </>
      )}
    </div>
  )
}
