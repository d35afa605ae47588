// Line series drawn as plain SVG paths through recharts' own axis scales (useXAxisScale / useYAxisScale, public
// since recharts 3.8 for custom shapes), used by the charts while the optimiser runs.
//
// Why: handing a recharts chart new `data` re-runs its whole store (setChartData twice, every selector of every
// axis, grid and line, one synchronous re-render): 15–35 ms per chart update on a software-rendered 2-core
// machine, the longest main-thread work of a run. With the axes' domains fixed by us, the scales do not depend on
// the data, so a path per series is all an update needs. Stopped, the charts use recharts' <Line> again (same
// geometry, plus tooltips): RunLineChart switches between the two.
import { memo, useId, useMemo, type ReactElement, type ReactNode } from 'react'
import { DefaultZIndexes, Line, LineChart, ResponsiveContainer, Tooltip, usePlotArea, useXAxisScale, useYAxisScale, ZIndexLayer } from 'recharts'
import { TOOLTIP_STYLE } from './chart-kit'

export interface SeriesSpec {
  /** the row field drawn */
  key: string
  /** the name a stopped chart's tooltip shows (the key when absent) */
  name?: string
  colour: string
  /** the YAxis the series is drawn against (recharts' default axis id is 0) */
  yAxisId?: string | number
  opacity?: number
  /** radius of a dot at each point (as recharts' dot: white fill, outlined in the series colour) */
  dot?: number
}

export type SeriesRow = { [field: string]: number | null | undefined }

type Scale = (v: number) => number | undefined

/** the polyline through the finite points, nulls skipped (recharts' connectNulls), and the points themselves */
export function seriesPath(rows: SeriesRow[], xKey: string, key: string, sx: Scale, sy: Scale): { d: string; points: [number, number][] } {
  const points: [number, number][] = []
  for (const r of rows) {
    const x = r[xKey], v = r[key]
    if (x == null || v == null || !Number.isFinite(x) || !Number.isFinite(v)) continue
    const X = sx(x), Y = sy(v)
    if (X == null || Y == null || !Number.isFinite(X) || !Number.isFinite(Y)) continue
    points.push([X, Y])
  }
  const d = points.map(([X, Y], i) => `${i ? 'L' : 'M'}${+X.toFixed(2)},${+Y.toFixed(2)}`).join('')
  return { d, points }
}

function Series({ rows, xKey, spec }: { rows: SeriesRow[]; xKey: string; spec: SeriesSpec }) {
  const sx = useXAxisScale() as Scale | undefined
  const sy = useYAxisScale(spec.yAxisId ?? 0) as Scale | undefined
  if (!sx || !sy) return null
  const { d, points } = seriesPath(rows, xKey, spec.key, sx, sy)
  if (!d) return null
  return (
    <g className="live-series" data-key={spec.key}>
      <path d={d} fill="none" stroke={spec.colour} strokeWidth={1} strokeOpacity={spec.opacity ?? 1} />
      {spec.dot != null && points.map(([X, Y], i) => <circle key={i} cx={X} cy={Y} r={spec.dot} fill="var(--panel)" stroke={spec.colour} strokeWidth={1} />)}
    </g>
  )
}

/** the series of `rows`, clipped to the plot area (the axes allow data outside their domains) */
export const LiveSeries = memo(function LiveSeries({ rows, series, xKey = 'step' }: { rows: SeriesRow[]; series: SeriesSpec[]; xKey?: string }) {
  const area = usePlotArea()
  const clip = `live-series-clip-${useId().replace(/[^\w-]/g, '')}` // useId's colons are not valid in url(#…)
  if (!area) return null
  return (
    <ZIndexLayer zIndex={DefaultZIndexes.line}>
      <defs><clipPath id={clip}><rect x={area.x} y={area.y} width={area.width} height={area.height} /></clipPath></defs>
      <g clipPath={`url(#${clip})`}>
        {series.map((s) => <Series key={s.key} rows={rows} xKey={xKey} spec={s} />)}
      </g>
    </ZIndexLayer>
  )
})

const axisRowCache = new WeakMap<object, SeriesRow[]>()

/**
 * The chart data while the series are drawn by LiveSeries: just the ends of the step axis (recharts draws no x
 * axis without data), the same array while the axis stays, so recharts' data-driven work runs only when it changes.
 */
export function axisRows(x: { domain: [number, number] }, xKey = 'step'): SeriesRow[] {
  let rows = axisRowCache.get(x)
  if (!rows) axisRowCache.set(x, (rows = x.domain.map((v) => ({ [xKey]: v }))))
  return rows
}

/** the same series as recharts <Line> elements, for a stopped chart (tooltips, the full history) */
export function seriesLines(series: SeriesSpec[]): ReactElement[] {
  return series.map((s) => (
    <Line key={s.key} name={s.name ?? s.key} yAxisId={s.yAxisId ?? 0} type="linear" dataKey={s.key} stroke={s.colour} strokeOpacity={s.opacity ?? 1}
      dot={s.dot != null ? { r: s.dot } : false} isAnimationActive={false} connectNulls />
  ))
}

interface RunLineChartProps {
  rows: SeriesRow[]
  series: SeriesSpec[]
  /** the step axis the chart shows (the same object while it stays) */
  x: { domain: [number, number] }
  /** stopped: recharts' own lines and a tooltip; running: LiveSeries */
  stopped: boolean
  format: (v: unknown) => string
  /** the series' unit, shown in the tooltip (none: dimensionless) */
  unit?: string
  margin: { top: number; right: number; bottom: number; left: number }
  /** grid and axes (and anything drawn under the series), the same elements while their domains stay */
  axes: ReactNode
  /** drawn over the series (reference lines) */
  children?: ReactNode
}

/** a line chart whose series are LiveSeries while the optimiser runs and recharts' <Line>s once it stops */
export function RunLineChart({ rows, series, x, stopped, format, unit, margin, axes, children }: RunLineChartProps) {
  const lines = useMemo(() => seriesLines(series), [series])
  const tip = useMemo(() => (
    <Tooltip formatter={(v) => (unit ? `${format(v)} ${unit}` : format(v))} labelFormatter={(s) => `step ${String(s)}`} contentStyle={TOOLTIP_STYLE} isAnimationActive={false} />
  ), [format, unit])
  const full = stopped && rows.length > 0
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={full ? rows : axisRows(x)} margin={margin}>
        {axes}
        {full ? <>{tip}{lines}</> : <LiveSeries rows={rows} series={series} />}
        {children}
      </LineChart>
    </ResponsiveContainer>
  )
}
