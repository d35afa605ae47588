// Calorimeter charts: σ/E against E with the fitted a/√E ⊕ b/E ⊕ c (and σ/E after the rear-leakage correction),
// the mean longitudinal profile per layer,
// and the loss with its parts, drawn by the plain-SVG Plot. Re-rendered only when what they show changes: the
// evaluated stack they draw (caloChart) and the loss history are republished together, every 2 s while the
// optimiser runs (store.ts), and each chart takes the change in a task of its own, staggered.
import { memo, useMemo } from 'react'
import { ChartExport } from '../../ui/ChartExport'
import { LossScanFigure } from '../../ui/LossScan'
import { resolutionAt } from '../../engine/calorimeter/fit'
import { meanResolution, useMuonBeam } from './store'
import { sampleIndices } from '../../state/downsample'
import { useStudio } from '../../state/store'
import { PROFILE_COLOUR } from '../../ui/colours'
import { formatter, logScale, niceScale, plannedSteps, stepAxis, useChartInputs, useGrowingScale, useLagged, useStable } from '../../ui/chart-kit'
import { Plot, type PlotMark, type PlotSeries, type PlotTooltip } from '../../ui/plot/Plot'

const fmt = formatter(3)

const COLOURS = { points: 'var(--series-task)', fit: 'var(--series-fg)', corrected: 'var(--series-good)', total: 'var(--series-fg)', task: 'var(--series-task)', validation: 'var(--series-good)' }
const pct = (v: number) => `${+(v * 100).toPrecision(3)}%`
const RESOLUTION_TIP: PlotTooltip = { label: (e) => `${fmt(e)} GeV`, value: pct }
const STEP_TIP: PlotTooltip = { label: (s) => `step ${s}`, value: (v) => fmt(v) }

function Caption({ title, children }: { title: string; children?: React.ReactNode }) {
  return <figcaption><strong>{title}</strong>{children}<ChartExport /></figcaption>
}

// ---- resolution ----------------------------------------------------------------------------------------

/** a key that changes only when the evaluated stack does */
const useCaloKey = () => useStudio((s) => (s.caloChart ? `${s.caloChart.points.map((p) => p.sigma_over_e).join(',')}|${s.caloChart.depth_m}` : ''))

const ResolutionChart = memo(function ResolutionChart({ caloKey, tips }: { caloKey: string; tips: boolean }) {
  const view = useMemo(() => {
    void caloKey
    const c = useStudio.getState().caloChart
    if (!c || c.points.length === 0) return null
    const pts = c.points.map((p) => ({ e: p.energy_gev, measured: p.sigma_over_e }))
    // a segmented stack's σ/E after the rear-leakage correction (none for a crystal)
    const corrected = c.points.flatMap((p) => (p.sigma_over_e_leakage_corrected == null ? [] : [{ e: p.energy_gev, corrected: p.sigma_over_e_leakage_corrected }]))
    const eLo = Math.min(...pts.map((p) => p.e)), eHi = Math.max(...pts.map((p) => p.e))
    const x = logScale(eLo, eHi)
    const curve: { e: number; fit: number }[] = []
    if (c.fit) {
      const a = Math.log(x.domain[0]), b = Math.log(x.domain[1])
      for (let i = 0; i <= 40; i++) { const e = Math.exp(a + ((b - a) * i) / 40); curve.push({ e, fit: resolutionAt(c.fit, e) }) }
    }
    const all = [...pts.map((p) => p.measured), ...curve.map((p) => p.fit)].filter(Number.isFinite)
    const y = niceScale(0, Math.max(...all) * 1.05)
    const series: PlotSeries[] = [
      ...(curve.length > 0 ? [{ key: 'fit', name: 'fit', colour: COLOURS.fit, rows: curve }] : []),
      { key: 'measured', name: 'σ/E', colour: COLOURS.points, rows: pts, line: false, dot: 3 },
      ...(corrected.length > 0 ? [{ key: 'corrected', name: 'σ/E leakage-corrected', colour: COLOURS.corrected, rows: corrected, line: false, dot: 2 }] : []),
    ]
    return { series, xAxis: { ...x, log: true, title: 'E (GeV)' }, yAxis: { ...y, format: pct, width: 48, title: 'σ/E' } }
  }, [caloKey])
  if (!view) return <p className="muted hint">no evaluation yet</p>
  return <Plot label="Energy resolution against energy" xKey="e" x={view.xAxis} left={view.yAxis} series={view.series} tooltip={tips ? RESOLUTION_TIP : null} />
})

// each chart re-renders in a task of its own, staggered: a republished evaluation does not land as one long task
const LAG_MS = { loss: 0, resolution: 500, profile: 1000 }

function ResolutionFigure() {
  const caloKey = useLagged(useCaloKey(), LAG_MS.resolution)
  const tips = useLagged(useStudio((s) => s.status !== 'running'), LAG_MS.resolution)
  const fit = useStudio((s) => s.caloChart?.fit ?? null)
  const corrected = useStudio((s) => s.caloChart?.fit_leakage_corrected ?? null)
  const mean = useStudio((s) => meanResolution(s.caloChart))
  const muon = useMuonBeam()
  return (
    <figure className="chart" aria-label="Resolution">
      <Caption title={muon ? 'muon signal width σ/⟨Ê⟩ vs E (GeV)' : 'σ/E vs E (GeV)'}>
        <span className="swatches">
          <span><i style={{ borderColor: COLOURS.points }} />{muon ? 'σ/⟨Ê⟩' : 'σ/E'}</span>
          <span title={muon ? 'a muon crosses the stack: its energy is not measured, so σ/E has no a/√E ⊕ b/E ⊕ c to fit' : 'a/√E ⊕ b/E ⊕ c'} data-testid="resolution-fit">
            <i style={{ borderColor: COLOURS.fit }} />
            {fit ? `${pct(fit.stochastic)}/√E ⊕ ${fmt(fit.noise)}/E ⊕ ${pct(fit.constant)}` : muon ? 'no fit (a muon)' : 'fit: —'}
          </span>
          {corrected && (
            <span
              title={`σ/E after the rear-leakage correction (the energy leaking out of the back, estimated per beam energy from each shower's share in the last 3 X0): ${pct(corrected.stochastic)}/√E ⊕ ${fmt(corrected.noise)}/E ⊕ ${pct(corrected.constant)}`}
              data-testid="resolution-fit-corrected"
            >
              <i style={{ borderColor: COLOURS.corrected }} />leakage-corrected c {pct(corrected.constant)}
            </span>
          )}
          <span>mean {mean == null ? '—' : pct(mean)}</span>
        </span>
      </Caption>
      <div className="chart-body"><ResolutionChart caloKey={caloKey} tips={tips} /></div>
    </figure>
  )
}

// ---- profile -------------------------------------------------------------------------------------------

const PROFILE_SERIES: PlotSeries[] = [{ key: 'fraction', colour: PROFILE_COLOUR, area: true }]

const ProfileChart = memo(function ProfileChart({ caloKey, selected }: { caloKey: string; selected: number | null }) {
  const view = useMemo(() => {
    void caloKey
    const c = useStudio.getState().caloChart
    if (!c || c.profile.length === 0) return null
    // layer i spans [i, i + 1) on the x axis; the last point closes the step of the last layer
    const data = Array.from(c.profile, (f, i) => ({ layer: i, fraction: f }))
    const n = data.length
    data.push({ layer: n, fraction: c.profile[n - 1] })
    let hi = 0
    for (const r of data) hi = Math.max(hi, r.fraction)
    const x = niceScale(0, Math.max(1, n), 5)
    return {
      data,
      xAxis: { domain: [0, n] as [number, number], ticks: x.ticks.filter((t) => t <= n && Number.isInteger(t)), title: 'layer' },
      yAxis: { ...niceScale(0, hi * 1.05), format: pct, width: 48, title: 'fraction of E per layer' },
    }
  }, [caloKey])
  const marks = useMemo<PlotMark[]>(() => (selected == null ? [] : [{ x: selected + 0.5, colour: 'var(--highlight)', dash: '3 3' }]), [selected])
  if (!view) return <p className="muted hint">no evaluation yet</p>
  // one stepped area, not a bar per layer: a 79-layer stack is 79 SVG elements less to re-draw each update
  return <Plot label="Mean longitudinal profile per layer" rows={view.data} xKey="layer" x={view.xAxis} left={view.yAxis} series={PROFILE_SERIES} marks={marks} />
})

function ProfileFigure({ selected }: { selected: number | null }) {
  const caloKey = useLagged(useCaloKey(), LAG_MS.profile)
  const leak = useStudio((s) => {
    const l = s.caloChart?.leakage
    return l && l.length ? Math.max(...l) : null
  })
  return (
    <figure className="chart" aria-label="Longitudinal profile">
      <Caption title="Longitudinal profile (mean deposited fraction per layer)">
        {leak != null && <span className="swatches"><span>max leakage {pct(leak)}</span></span>}
      </Caption>
      <div className="chart-body"><ProfileChart caloKey={caloKey} selected={selected} /></div>
    </figure>
  )
}

// ---- loss ----------------------------------------------------------------------------------------------

const LOSS_SERIES: PlotSeries[] = [
  { key: 'total', colour: COLOURS.total },
  { key: 'task', colour: COLOURS.task },
  { key: 'validation', colour: COLOURS.validation, dot: 3 },
]

const LossChart = memo(function LossChart({ version, tips }: { version: number; tips: boolean }) {
  const view = useMemo(() => {
    void version
    const h = useStudio.getState().history
    const idx = sampleIndices(h.step.length, tips ? 200 : 60)
    const val: number[] = []
    for (let i = 0; i < h.step.length; i++) if (h.validation[i] != null) val.push(i)
    const keep = [...new Set([...idx, ...val.filter((_, j) => j % Math.max(1, Math.ceil(val.length / 60)) === 0)])].sort((a, b) => a - b)
    const data = keep.map((i) => ({ step: h.step[i], total: h.total[i], task: h.task[i], validation: h.validation[i] }))
    let lo = Infinity, hi = -Infinity
    for (const r of data) for (const v of [r.total, r.task, r.validation]) if (v != null && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v) }
    return { data, y: data.length === 0 ? niceScale(0, 1) : niceScale(lo, hi), x: stepAxis(data, plannedSteps(useStudio.getState().design)) }
  }, [version, tips])
  const xs = useStable(view.x), ys = useGrowingScale(view.y, !tips && view.data.length > 0, niceScale)
  const xAxis = useMemo(() => ({ ...xs, title: 'step' }), [xs])
  const left = useMemo(() => ({ ...ys, format: fmt, width: 48, title: 'loss' }), [ys])
  return <Plot label="Loss against step" rows={view.data} xKey="step" x={xAxis} left={left} series={LOSS_SERIES} tooltip={tips ? STEP_TIP : null} />
})

const PART_ORDER = ['resolution', 'linearity', 'cost', 'depth', 'budget'] as const

function LossFigure() {
  const { version, tips } = useChartInputs(LAG_MS.loss)
  const parts = useStudio((s) => s.loss?.parts ?? null)
  const total = useStudio((s) => s.loss?.total ?? null)
  return (
    <figure className="chart wide" aria-label="Loss">
      <Caption title="Loss">
        <span className="swatches">
          <span><i style={{ borderColor: COLOURS.total }} />total</span>
          <span><i style={{ borderColor: COLOURS.task }} />task</span>
          <span><i style={{ borderColor: COLOURS.validation }} />validation</span>
        </span>
      </Caption>
      <div className="calo-loss-parts" data-testid="loss-parts">
        {total != null && parts
          ? <>{fmt(total)} = {PART_ORDER.map((k) => `${k} ${fmt(parts[k] ?? 0)}`).join(' + ')}</>
          : <span className="muted">no step yet</span>}
      </div>
      <div className="chart-body"><LossChart version={version} tips={tips} /></div>
    </figure>
  )
}

export function CaloCharts({ selected }: { selected: number | null }) {
  return (
    <section className="charts calo-charts" aria-label="Charts">
      <ResolutionFigure />
      <ProfileFigure selected={selected} />
      <LossFigure />
      <LossScanFigure />
    </section>
  )
}
