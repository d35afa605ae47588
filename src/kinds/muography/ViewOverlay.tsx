// Controls and the colour legend that sit over the 3D view.
import { useEffect, useMemo } from 'react'
import { MATERIALS, isMaterialName } from '../../engine/core/materials'
import { cssColour, diverging, ERROR_SPAN, formatLength, viridis, x0Position, x0Range } from '../../ui/colours'
import type { ViewName } from '../../scenes/coords'
import { setCameraView } from '../../scenes/camera'
import { setView } from '../../state/actions'
import { GradientToggle } from '../../ui/GradientToggle'
import { ViewPngButton } from '../../ui/ViewPngButton'
import { useStudio, type ColourMode } from '../../state/store'
import { followMeasurement, useMeasurement } from '../../state/measurement'
import { PRECISION_RANGE } from '../../state/precision-scale'

const VIEWS: ViewName[] = ['front', 'side', 'top', 'iso']

function gradient(f: (t: number) => [number, number, number]): string {
  const stops = Array.from({ length: 11 }, (_, i) => `${cssColour(f(i / 10))} ${i * 10}%`)
  return `linear-gradient(to right, ${stops.join(', ')})`
}

function LegendBar() {
  const volume = useStudio((s) => s.volume)
  const colour = useStudio((s) => s.view.colour)
  const x0Pred = useStudio((s) => s.x0Pred)
  const info = useMemo(() => {
    if (!volume) return null
    const range = x0Range(volume.x0)
    const marks = volume.palette.filter(isMaterialName).map((m) => ({ name: m, t: x0Position(MATERIALS[m].x0_m, range), x0: MATERIALS[m].x0_m }))
    return { range, marks }
  }, [volume])
  if (!info) return null
  if (colour === 'measured') return <MeasuredLegend />
  if (colour === 'error') {
    return (
      <div className="legend" aria-label="Colour legend">
        <div className="legend-title">X0 error: predicted / true {x0Pred ? '' : '(no prediction yet)'}</div>
        <div className="legend-bar" style={{ background: gradient((t) => diverging(t)) }} />
        <div className="legend-ticks"><span>1/{ERROR_SPAN}</span><span>1</span><span>{ERROR_SPAN}</span></div>
      </div>
    )
  }
  const { range, marks } = info
  return (
    <div className="legend" aria-label="Colour legend">
      <div className="legend-title">{colour === 'true' ? 'true' : 'predicted'} X0 (log scale){colour === 'pred' && !x0Pred ? ' — no prediction yet' : ''}</div>
      <div className="legend-bar" style={{ background: gradient((t) => viridis(t)) }}>
        {marks.map((m) => <span key={m.name} className="legend-mark" style={{ left: `${Math.min(100, Math.max(0, m.t * 100))}%` }} title={`${m.name}: X0 = ${formatLength(m.x0)}`} />)}
      </div>
      <div className="legend-ticks">
        <span>{formatLength(10 ** range.hi)}</span>
        <span>{formatLength(10 ** ((range.hi + range.lo) / 2))}</span>
        <span>{formatLength(10 ** range.lo)}</span>
      </div>
      <div className="legend-materials">{marks.map((m) => `${m.name} ${formatLength(m.x0)}`).join(' · ')}</div>
    </div>
  )
}

/** the legend of the "how well measured" view: σ(X0)/X0 from 1 % (bright) to 100 % and worse (dark) */
function MeasuredLegend() {
  const { precision, step, busy } = useMeasurement()
  const [lo, hi] = PRECISION_RANGE
  const measured = useMemo(() => (precision ? precision.x0RelError.filter(Number.isFinite) : null), [precision])
  return (
    <div className="legend" aria-label="Colour legend" data-testid="measured-legend" data-ready={precision ? 'yes' : 'no'}
      data-measured={measured?.length ?? 0} data-best={measured?.length ? Math.min(...measured) : ''}>
      <div className="legend-title">
        how well measured: expected σ(X0)/X0 {busy ? '(computing…)' : precision ? `from ${precision.simulated} muons, step ${step}` : ''}
      </div>
      <div className="legend-bar" style={{ background: gradient((t) => viridis(1 - t)) }} />
      <div className="legend-ticks"><span>{lo * 100} %</span><span>{Math.sqrt(lo * hi) * 100} %</span><span>≥ {hi * 100} %</span></div>
      <div className="legend-materials">dark grey, small: no detected muon crosses the voxel</div>
    </div>
  )
}

const COLOUR_LABELS: Record<ColourMode, string> = { true: 'true', pred: 'predicted', error: 'error', measured: 'how well measured' }

export function ViewOverlay() {
  const view = useStudio((s) => s.view)
  useEffect(() => followMeasurement(), [])
  return (
    <>
      <div className="view-tools" role="toolbar" aria-label="View">
        <span className="group">
          {VIEWS.map((v, i) => (
            <button key={v} type="button" onClick={() => setCameraView(v)} title={`${v} view (${i + 1})`}>{v[0].toUpperCase() + v.slice(1)}</button>
          ))}
        </span>
        <span className="group" role="radiogroup" aria-label="Voxel colour">
          {(['true', 'pred', 'error', 'measured'] as ColourMode[]).map((c) => (
            <label key={c} className={view.colour === c ? 'on' : ''}>
              <input type="radio" name="colour" checked={view.colour === c} onChange={() => setView({ colour: c })} />
              {COLOUR_LABELS[c]}
            </label>
          ))}
        </span>
        <span className="group">
          <label><input type="checkbox" checked={view.voxels} onChange={(e) => setView({ voxels: e.target.checked })} /> voxels</label>
          <label><input type="checkbox" checked={view.tracks} onChange={(e) => setView({ tracks: e.target.checked })} /> tracks</label>
          <GradientToggle />
        </span>
        <span className="group"><ViewPngButton /></span>
      </div>
      <LegendBar />
    </>
  )
}
