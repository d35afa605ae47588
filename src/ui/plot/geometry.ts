// The geometry of a plot, free of React: axis maps (linear or log) from data to pixels, the plot area inside a
// box, and the SVG paths of a series. Kept apart so tests can check them against hand-worked numbers.

export interface PlotAxis {
  domain: [number, number]
  ticks: number[]
  log?: boolean
  /** tick label text (default: 4 significant digits) */
  format?: (v: number) => string
  /** the axis title, drawn inside the plot area next to the axis */
  title?: string
  /** colour of the tick labels and title (default: the theme's tick colour) */
  colour?: string
  /** room for the tick labels, px (y axes only) */
  width?: number
}

export type Margin = { top: number; right: number; bottom: number; left: number }
export type Area = { x0: number; x1: number; y0: number; y1: number }
/** data → pixels; undefined for a value the axis cannot show (not finite, or not positive on a log axis) */
export type AxisMap = (v: number) => number | undefined

/** height of the band under the plot area that holds the x tick labels */
export const X_LABEL_BAND = 18

/** the plot area of a `width` × `height` box: the margins and the y axes' label room taken off */
export function plotArea(width: number, height: number, margin: Margin, left: PlotAxis, right?: PlotAxis): Area {
  const x0 = margin.left + (left.width ?? 44)
  const x1 = Math.max(x0 + 1, width - margin.right - (right ? right.width ?? 44 : 0))
  const y0 = margin.top
  const y1 = Math.max(y0 + 1, height - margin.bottom - X_LABEL_BAND)
  return { x0, x1, y0, y1 }
}

/** the map of `axis` onto pixels [p0, p1] (p0 at the domain's low end) */
export function axisMap(axis: Pick<PlotAxis, 'domain' | 'log'>, p0: number, p1: number): AxisMap {
  const [a, b] = axis.domain
  if (axis.log) {
    const la = Math.log10(a), lb = Math.log10(b)
    return (v) => (v > 0 && Number.isFinite(v) && lb !== la ? p0 + ((Math.log10(v) - la) / (lb - la)) * (p1 - p0) : undefined)
  }
  return (v) => (Number.isFinite(v) && b !== a ? p0 + ((v - a) / (b - a)) * (p1 - p0) : undefined)
}

export type Row = { [field: string]: number | null | undefined }

/** the pixel points of field `key` against `xKey` in `rows`, rows the axes cannot show skipped */
export function pixelPoints(rows: Row[], xKey: string, key: string, sx: AxisMap, sy: AxisMap): { i: number; X: number; Y: number }[] {
  const out: { i: number; X: number; Y: number }[] = []
  rows.forEach((r, i) => {
    const x = r[xKey], v = r[key]
    if (x == null || v == null) return
    const X = sx(x), Y = sy(v)
    if (X !== undefined && Y !== undefined) out.push({ i, X, Y })
  })
  return out
}

const px = (v: number) => +v.toFixed(2)

/** a polyline through the points (gaps joined, as a run's history skips a missing value) */
export function linePath(points: { X: number; Y: number }[]): string {
  return points.map((p, k) => `${k ? 'L' : 'M'}${px(p.X)},${px(p.Y)}`).join('')
}

/** a filled step (each value held until the next x) down to the baseline pixel `base` */
export function stepAreaPath(points: { X: number; Y: number }[], base: number): string {
  if (points.length === 0) return ''
  let d = `M${px(points[0].X)},${px(base)}L${px(points[0].X)},${px(points[0].Y)}`
  for (let k = 1; k < points.length; k++) d += `L${px(points[k].X)},${px(points[k - 1].Y)}L${px(points[k].X)},${px(points[k].Y)}`
  return `${d}L${px(points[points.length - 1].X)},${px(base)}Z`
}

/** the index of the x value in `xs` nearest to `x` (xs need not be sorted); -1 when empty */
export function nearest(xs: number[], x: number): number {
  let best = -1, d = Infinity
  xs.forEach((v, i) => { const e = Math.abs(v - x); if (e < d) { d = e; best = i } })
  return best
}
