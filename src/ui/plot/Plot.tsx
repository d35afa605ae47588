// A plain-SVG chart for every chart of the studio: x axis, one or two y axes (linear or log), grid, line and point
// series, a stepped area, reference lines and, when asked, a hover read-out. React renders it as a handful of
// elements: an update that changes the data changes a few path strings (about a millisecond), where a charting
// library's store, selectors and layout measurement cost 15–90 ms of main thread per update on a 2-core machine.
import { memo, useId, useMemo, type ReactElement } from 'react'
import { AXIS_STROKE, fmt, GRID, TICK_FILL, TICK_FONT_SIZE } from '../chart-kit'
import { axisMap, linePath, pixelPoints, plotArea, stepAreaPath, type Area, type AxisMap, type Margin, type PlotAxis, type Row } from './geometry'
import { PlotHover, type PlotTooltip } from './PlotHover'
import { useBoxSize } from './useBoxSize'

export type { PlotTooltip } from './PlotHover'

export interface PlotSeries {
  /** the row field drawn */
  key: string
  /** the name the hover read-out shows (the key when absent) */
  name?: string
  colour: string
  /** rows of its own (a fit curve, a scatter); default: the plot's rows */
  rows?: Row[]
  axis?: 'left' | 'right'
  /** draw the polyline (default); false: points only */
  line?: boolean
  /** radius of a mark at each point */
  dot?: number
  dash?: string
  opacity?: number
  /** fill a step (each value held to the next x) down to the axis' low end */
  area?: boolean
  pointColour?: (row: Row) => string
  /** a click on (or within a few px of) a point */
  onPoint?: (row: Row) => void
}

/** a reference line: vertical at `x` or horizontal at `y` (on the `axis` y axis) */
export interface PlotMark { x?: number; y?: number; axis?: 'left' | 'right'; colour: string; dash?: string; label?: string }

export interface PlotProps {
  /** what the chart shows, for assistive technology */
  label: string
  rows?: Row[]
  xKey?: string
  x: PlotAxis
  left: PlotAxis
  right?: PlotAxis
  series: PlotSeries[]
  marks?: PlotMark[]
  /** a hover read-out of the nearest x (null: none, e.g. while a run redraws the chart every second) */
  tooltip?: PlotTooltip | null
  margin?: Margin
  /** a fixed size instead of the box's (tests, exports) */
  size?: { width: number; height: number }
}

const PLOT_MARGIN: Margin = { top: 6, right: 12, bottom: 0, left: 0 }
const NO_ROWS: Row[] = []
const TICK = 4

export function Plot(props: PlotProps) {
  const [ref, measured] = useBoxSize<HTMLDivElement>()
  const { width, height } = props.size ?? measured
  return <div ref={ref} className="plot">{width > 0 && height > 0 && <PlotSvg {...props} width={width} height={height} />}</div>
}

function Ticks({ axis, map, at, side }: { axis: PlotAxis; map: AxisMap; at: number; side: 'bottom' | 'left' | 'right' }) {
  const fill = axis.colour ?? TICK_FILL
  const f = axis.format ?? fmt
  return (
    <g className={`chart-axis chart-axis-${side}`}>
      {axis.ticks.map((t) => {
        const p = map(t)
        if (p === undefined) return null
        return side === 'bottom'
          ? <g key={t}><line x1={p} x2={p} y1={at} y2={at + TICK} stroke={AXIS_STROKE} /><text x={p} y={at + TICK + 1} dy="0.71em" textAnchor="middle" fill={fill} fontSize={TICK_FONT_SIZE} className="chart-tick">{f(t)}</text></g>
          : <g key={t}><line x1={at} x2={side === 'left' ? at - TICK : at + TICK} y1={p} y2={p} stroke={AXIS_STROKE} /><text x={side === 'left' ? at - TICK - 2 : at + TICK + 2} y={p} dy="0.355em" textAnchor={side === 'left' ? 'end' : 'start'} fill={fill} fontSize={TICK_FONT_SIZE} className="chart-tick">{f(t)}</text></g>
      })}
    </g>
  )
}

function Titles({ area, x, left, right }: { area: Area; x: PlotAxis; left: PlotAxis; right?: PlotAxis }) {
  const t = (text: string | undefined, tx: number, ty: number, anchor: 'start' | 'end', fill = TICK_FILL) =>
    text ? <text x={tx} y={ty} textAnchor={anchor} fill={fill} fontSize={TICK_FONT_SIZE} className="axis-title">{text}</text> : null
  return (
    <>
      {t(x.title, area.x1 - 2, area.y1 - 4, 'end', x.colour)}
      {t(left.title, area.x0 + 4, area.y0 + 10, 'start', left.colour)}
      {right && t(right.title, area.x1 - 4, area.y0 + 10, 'end', right.colour)}
    </>
  )
}

function Series({ s, rows, xKey, sx, sy, base }: { s: PlotSeries; rows: Row[]; xKey: string; sx: AxisMap; sy: AxisMap; base: number }) {
  const pts = pixelPoints(rows, xKey, s.key, sx, sy)
  if (pts.length === 0) return null
  const opacity = s.opacity ?? 1
  return (
    <g className="chart-layer" data-key={s.key}>
      {s.area && <path className="chart-area" d={stepAreaPath(pts, base)} fill={s.colour} fillOpacity={0.7 * opacity} stroke={s.colour} />}
      {!s.area && s.line !== false && <path className="chart-series" d={linePath(pts)} fill="none" stroke={s.colour} strokeOpacity={opacity} strokeDasharray={s.dash} strokeWidth={1.5} />}
      {s.dot != null && pts.map((p) => (
        <circle key={p.i} className="chart-point" cx={+p.X.toFixed(2)} cy={+p.Y.toFixed(2)} r={s.dot}
          fill={s.pointColour ? s.pointColour(rows[p.i]) : s.line === false ? s.colour : 'var(--panel)'} stroke={s.pointColour ? 'none' : s.colour} strokeWidth={1} />
      ))}
    </g>
  )
}

function Mark({ m, area, sx, sy }: { m: PlotMark; area: Area; sx: AxisMap; sy: AxisMap }): ReactElement | null {
  if (m.x != null) {
    const X = sx(m.x)
    if (X === undefined || X < area.x0 - 0.5 || X > area.x1 + 0.5) return null
    return (
      <g className="chart-mark">
        <line x1={X} x2={X} y1={area.y0} y2={area.y1} stroke={m.colour} strokeDasharray={m.dash} />
        {m.label && <text x={X - 4} y={area.y0 + 12} textAnchor="end" fill={m.colour} fontSize={TICK_FONT_SIZE}>{m.label}</text>}
      </g>
    )
  }
  const Y = m.y != null ? sy(m.y) : undefined
  if (Y === undefined || Y < area.y0 - 0.5 || Y > area.y1 + 0.5) return null
  return <g className="chart-mark"><line x1={area.x0} x2={area.x1} y1={Y} y2={Y} stroke={m.colour} strokeDasharray={m.dash} /></g>
}

const PlotSvg = memo(function PlotSvg({ label, rows = NO_ROWS, xKey = 'x', x, left, right, series, marks, tooltip, margin = PLOT_MARGIN, width, height }: PlotProps & { width: number; height: number }) {
  const clip = `plot-clip-${useId().replace(/[^\w-]/g, '')}` // useId's colons are not valid in url(#…)
  const g = useMemo(() => {
    const area = plotArea(width, height, margin, left, right)
    const sl = axisMap(left, area.y1, area.y0), sr = right ? axisMap(right, area.y1, area.y0) : null
    return { area, sx: axisMap(x, area.x0, area.x1), sl, sr, yOf: (axis?: 'left' | 'right') => (axis === 'right' && sr ? sr : sl) }
  }, [width, height, margin, x, left, right])
  const { area, sx, sl, sr, yOf } = g
  return (
    <svg className="chart-surface" width={width} height={height} role="img" aria-label={label}>
      <g className="chart-grid">
        {x.ticks.map((t) => { const p = sx(t); return p === undefined ? null : <line key={`x${t}`} x1={p} x2={p} y1={area.y0} y2={area.y1} stroke={GRID} /> })}
        {left.ticks.map((t) => { const p = sl(t); return p === undefined ? null : <line key={`y${t}`} x1={area.x0} x2={area.x1} y1={p} y2={p} stroke={GRID} /> })}
      </g>
      <g className="chart-axes">
        <line x1={area.x0} x2={area.x1} y1={area.y1} y2={area.y1} stroke={AXIS_STROKE} />
        <line x1={area.x0} x2={area.x0} y1={area.y0} y2={area.y1} stroke={AXIS_STROKE} />
        {right && <line x1={area.x1} x2={area.x1} y1={area.y0} y2={area.y1} stroke={AXIS_STROKE} />}
        <Ticks axis={x} map={sx} at={area.y1} side="bottom" />
        <Ticks axis={left} map={sl} at={area.x0} side="left" />
        {right && sr && <Ticks axis={right} map={sr} at={area.x1} side="right" />}
      </g>
      <defs><clipPath id={clip}><rect x={area.x0} y={area.y0 - 4} width={area.x1 - area.x0} height={area.y1 - area.y0 + 8} /></clipPath></defs>
      <g clipPath={`url(#${clip})`}>
        {series.map((s, k) => <Series key={`${k}:${s.key}`} s={s} rows={s.rows ?? rows} xKey={xKey} sx={sx} sy={yOf(s.axis)} base={area.y1} />)}
      </g>
      {marks?.map((m, k) => <Mark key={k} m={m} area={area} sx={sx} sy={yOf(m.axis)} />)}
      <Titles area={area} x={x} left={left} right={right} />
      {(tooltip || series.some((s) => s.onPoint)) && <PlotHover tooltip={tooltip} area={area} rows={rows} xKey={xKey} series={series} sx={sx} yOf={yOf} />}
    </svg>
  )
})
