// The hover read-out of a plot: a guide line at the x nearest the pointer, the values there, and clicks on a
// clickable series' points (the nearest within reach). Its own component so that a pointer move re-renders the
// read-out alone, not the plot.
import { useMemo, useState, type PointerEvent } from 'react'
import { fmt, TICK_FONT_SIZE } from '../chart-kit'
import { nearest, pixelPoints, type Area, type AxisMap, type Row } from './geometry'
import type { PlotSeries } from './Plot'

export interface PlotTooltip {
  /** the heading for data x */
  label: (x: number) => string
  /** a value as shown (default: 4 significant digits) */
  value?: (v: number, s: PlotSeries) => string
}

/** how far from a point (px) a click still picks it */
const REACH = 10
const LINE = 14

interface Props {
  tooltip?: PlotTooltip | null
  area: Area
  rows: Row[]
  xKey: string
  series: PlotSeries[]
  sx: AxisMap
  yOf: (axis?: 'left' | 'right') => AxisMap
}

export function PlotHover({ tooltip, area, rows, xKey, series, sx, yOf }: Props) {
  const [at, setAt] = useState<number | null>(null)
  const points = useMemo(() => series.map((s) => {
    const r = s.rows ?? rows
    return { s, rows: r, pts: pixelPoints(r, xKey, s.key, sx, yOf(s.axis)) }
  }), [series, rows, xKey, sx, yOf])
  const local = (e: PointerEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect()
    return { X: area.x0 + e.clientX - box.left, Y: area.y0 + e.clientY - box.top }
  }
  const move = (e: PointerEvent<SVGRectElement>) => {
    if (!tooltip) return
    const { X } = local(e)
    const all = points.flatMap((p) => p.pts.map((q) => ({ X: q.X, x: p.rows[q.i][xKey] as number })))
    const k = nearest(all.map((a) => a.X), X)
    setAt(k < 0 ? null : all[k].x)
  }
  const click = (e: PointerEvent<SVGRectElement>) => {
    const { X, Y } = local(e)
    let pick: (() => void) | null = null, d = REACH
    for (const p of points) {
      const on = p.s.onPoint
      if (!on) continue
      for (const q of p.pts) {
        const e2 = Math.hypot(q.X - X, q.Y - Y)
        if (e2 <= d) { d = e2; pick = () => on(p.rows[q.i]) }
      }
    }
    pick?.()
  }
  const clickable = series.some((s) => s.onPoint)
  const read = at == null || !tooltip ? null : readOut(at, points, xKey, tooltip)
  const X = at == null ? undefined : sx(at)
  return (
    <g className="chart-hover">
      {read && X !== undefined && (
        <g pointerEvents="none">
          <line x1={X} x2={X} y1={area.y0} y2={area.y1} stroke="var(--muted)" strokeDasharray="2 2" />
          {read.dots.map((p, k) => <circle key={k} cx={p.X} cy={p.Y} r={3.5} fill={p.colour} />)}
          <ReadOutBox lines={read.lines} X={X} area={area} />
        </g>
      )}
      <rect x={area.x0} y={area.y0} width={area.x1 - area.x0} height={area.y1 - area.y0} fill="transparent"
        style={clickable ? { cursor: 'pointer' } : undefined}
        onPointerMove={move} onPointerLeave={() => setAt(null)} onClick={clickable ? click : undefined} />
    </g>
  )
}

type Points = { s: PlotSeries; rows: Row[]; pts: { i: number; X: number; Y: number }[] }[]

/** the heading and each series' value at data x `at`, with the points to mark */
export function readOut(at: number, points: Points, xKey: string, tooltip: PlotTooltip) {
  const lines: { text: string; colour?: string }[] = [{ text: tooltip.label(at) }]
  const dots: { X: number; Y: number; colour: string }[] = []
  for (const { s, rows, pts } of points) {
    const q = pts.find((p) => rows[p.i][xKey] === at)
    if (!q) continue
    const v = rows[q.i][s.key] as number
    lines.push({ text: `${s.name ?? s.key}: ${tooltip.value ? tooltip.value(v, s) : fmt(v)}`, colour: s.colour })
    dots.push({ X: q.X, Y: q.Y, colour: s.colour })
  }
  return { lines, dots }
}

function ReadOutBox({ lines, X, area }: { lines: { text: string; colour?: string }[]; X: number; area: Area }) {
  // text is not measured (a forced layout per label): 0.6 em per character is wide enough for these digits
  const w = 12 + 0.6 * TICK_FONT_SIZE * Math.max(...lines.map((l) => l.text.length))
  const h = 6 + LINE * lines.length
  // beside the guide line, on the side with room; kept inside the chart when neither side has enough
  const left = Math.max(0, X + 8 + w > area.x1 ? X - 8 - w : X + 8)
  return (
    <g className="chart-read-out" transform={`translate(${left.toFixed(1)},${area.y0 + 2})`}>
      <rect width={w} height={h} rx={3} fill="var(--panel)" stroke="var(--border)" />
      {lines.map((l, k) => (
        <text key={k} x={6} y={LINE * (k + 1)} fill={l.colour ?? 'var(--text)'} fontSize={TICK_FONT_SIZE + 1}>{l.text}</text>
      ))}
    </g>
  )
}
