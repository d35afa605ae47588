// The ensemble's run traces: one parameter of every run against the step, as plain SVG polylines. Recharts' line
// chart cost a long main-thread task on a 2-core machine each time it mounted or took new steps while the runs went
// on (its store dispatches through immer on every update); a few polylines cost a millisecond.
import { memo, useMemo, useState } from 'react'
import { runColour } from '../../state/beyond/ghosts'
import { useBeyond, type BackgroundRun } from '../../state/beyond/store'
import { sampleIndices } from '../../state/downsample'
import { AXIS_STROKE, fmt, GRID, niceScale, TICK_FILL } from '../chart-kit'
import { ChartExport } from '../ChartExport'
import { traceParams } from './trace-params'

const TRACE_POINTS = 80
const W = 420, H = 190, L = 50, B = 24, T = 10, R = 10

/** each run's trace of parameter `index` (downsampled) and the range of its values */
function traces(runs: BackgroundRun[], index: number | undefined) {
  let lo = Infinity, hi = -Infinity
  const lines = runs.map((r) => {
    if (index == null || r.steps.length === 0) return null
    const pts: [number, number][] = []
    for (const i of sampleIndices(r.steps.length, TRACE_POINTS)) {
      const st = r.steps[i], v = st.parameters[index]
      if (!Number.isFinite(v)) continue
      pts.push([st.step, v])
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
    return pts
  })
  return { lines, y: Number.isFinite(lo) ? niceScale(lo, hi) : niceScale(0, 1) }
}

export const TraceChart = memo(function TraceChart({ runs, version, planned }: { runs: BackgroundRun[]; version: number; planned: number }) {
  const base = useBeyond((s) => s.batch?.base ?? null)
  const params = useMemo(() => (base ? traceParams(base) : []), [base])
  const [name, setName] = useState('')
  const param = params.find((p) => p.name === name) ?? params.find((p) => p.name.endsWith('.z')) ?? params[0]
  // `version` says when the runs' steps (mutated in place) grew
  const { lines, y } = useMemo(() => { void version; return traces(runs, param?.index) }, [runs, version, param])
  const x = niceScale(0, Math.max(1, planned))
  const [x0, x1] = x.domain, [y0, y1] = y.domain
  const px = (s: number) => L + (W - L - R) * (s - x0) / (x1 - x0)
  const py = (v: number) => T + (H - T - B) * (1 - (v - y0) / (y1 - y0))
  return (
    <figure className="chart beyond-chart" data-testid="ensemble-trace" data-lines={lines.filter((l) => l && l.length > 0).length}>
      <figcaption>
        <strong>Run traces</strong>
        <select value={param?.name ?? ''} onChange={(e) => setName(e.target.value)} aria-label="Ensemble trace parameter">
          {params.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
        </select>
        <ChartExport />
      </figcaption>
      <div className="chart-body">
        <svg className="chart-surface" viewBox={`0 0 ${W} ${H}`} width="100%" height="100%" preserveAspectRatio="none" role="img" aria-label={`Run traces of ${param?.name ?? 'a parameter'}`}>
          {y.ticks.map((t) => (
            <g key={`y${t}`}>
              <line x1={L} x2={W - R} y1={py(t)} y2={py(t)} stroke={GRID} />
              <text x={L - 4} y={py(t) + 4} textAnchor="end" fontSize={11} fill={TICK_FILL}>{fmt(t)}</text>
            </g>
          ))}
          {x.ticks.map((t) => (
            <text key={`x${t}`} x={px(t)} y={H - B + 14} textAnchor="middle" fontSize={11} fill={TICK_FILL}>{fmt(t)}</text>
          ))}
          <line x1={L} x2={W - R} y1={H - B} y2={H - B} stroke={AXIS_STROKE} />
          <line x1={L} x2={L} y1={T} y2={H - B} stroke={AXIS_STROKE} />
          {lines.map((pts, k) => pts && pts.length > 0 && (
            <polyline key={k} className="trace-line" fill="none" stroke={runColour(k)} strokeWidth={1.5} vectorEffect="non-scaling-stroke"
              points={pts.map(([s, v]) => `${px(s).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}>
              <title>{`run ${k}`}</title>
            </polyline>
          ))}
          <text x={L + 4} y={T + 10} fontSize={11} fill={TICK_FILL}>{param ? `${param.name} (m)` : ''}</text>
          <text x={W - R} y={H - 2} textAnchor="end" fontSize={11} fill={TICK_FILL}>step</text>
        </svg>
      </div>
    </figure>
  )
})
