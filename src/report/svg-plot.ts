// A line and point chart as an SVG string, from data alone: no DOM, so the studio and the CLI draw the report's
// figures the same way. Axes carry titles with units; ticks come from d3-scale.
import { scaleLinear, scaleLog } from 'd3-scale'
import { esc, num } from './html-text'

export interface PlotSeries {
  name: string
  colour: string
  /** [x, y] pairs; non-finite values break the line */
  points: [number, number | null][]
  dashed?: boolean
  /** draw markers: alone, or on the line when `line` is true */
  markers?: boolean
  line?: boolean
}

export interface PlotSpec {
  title: string
  xTitle: string
  yTitle: string
  series: PlotSeries[]
  logY?: boolean
  width?: number
  height?: number
}

const M = { left: 64, right: 12, top: 28, bottom: 44 }
const TEXT = '#1f2937'
const GRID = '#e5e7eb'

function extent(values: number[], log: boolean): [number, number] | null {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0))
  if (v.length === 0) return null
  let lo = Math.min(...v), hi = Math.max(...v)
  if (lo === hi) { lo = log ? lo / 2 : lo - (Math.abs(lo) || 1) / 2; hi = log ? hi * 2 : hi + (Math.abs(hi) || 1) / 2 }
  return [lo, hi]
}

/** the chart as one <svg> element (title, legend, axes, series), or a note when there is nothing to draw */
export function plotSvg(p: PlotSpec): string {
  const width = p.width ?? 480, height = p.height ?? 250
  const xs = p.series.flatMap((s) => s.points.map((q) => q[0]))
  const ys = p.series.flatMap((s) => s.points.map((q) => q[1] ?? NaN))
  const xe = extent(xs, false), ye = extent(ys, !!p.logY)
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(p.title)}" font-family="Helvetica, Arial, sans-serif" font-size="11">`
  const title = `<text x="${M.left}" y="16" fill="${TEXT}" font-size="13" font-weight="bold">${esc(p.title)}</text>`
  if (!xe || !ye) return `${open}${title}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="${TEXT}">no data</text></svg>`
  const x = scaleLinear().domain(xe).range([M.left, width - M.right]).nice()
  const y = (p.logY ? scaleLog().domain(ye) : scaleLinear().domain(ye)).range([height - M.bottom, M.top]).nice()
  const xt = x.ticks(6), yt = p.logY ? y.ticks(4) : y.ticks(5)
  const yFormat = y.tickFormat(p.logY ? 4 : 5, p.logY ? '.1~e' : undefined)
  const xFormat = x.tickFormat(6)
  const grid = yt.map((t) => `<line x1="${M.left}" x2="${width - M.right}" y1="${num(y(t))}" y2="${num(y(t))}" stroke="${GRID}"/>`).join('')
  const yTicks = yt.map((t) => `<text x="${M.left - 4}" y="${num(y(t) + 4)}" text-anchor="end" fill="${TEXT}">${esc(yFormat(t))}</text>`).join('')
  const xTicks = xt.map((t) => `<text x="${num(x(t))}" y="${height - M.bottom + 14}" text-anchor="middle" fill="${TEXT}">${esc(xFormat(t))}</text>`).join('')
  const axes = `<line x1="${M.left}" x2="${width - M.right}" y1="${height - M.bottom}" y2="${height - M.bottom}" stroke="${TEXT}"/>` +
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${height - M.bottom}" stroke="${TEXT}"/>` +
    `<text x="${(M.left + width - M.right) / 2}" y="${height - 8}" text-anchor="middle" fill="${TEXT}">${esc(p.xTitle)}</text>` +
    `<text transform="translate(14 ${(M.top + height - M.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="${TEXT}">${esc(p.yTitle)}</text>`
  const ok = (v: number | null): v is number => v != null && Number.isFinite(v) && (!p.logY || v > 0)
  const lines = p.series.map((s) => {
    const marks = s.markers ? s.points.filter((q) => ok(q[1])).map(([a, b]) => `<circle cx="${num(x(a))}" cy="${num(y(b as number))}" r="3" fill="${s.colour}"/>`).join('') : ''
    if (s.markers && !s.line) return marks
    // one path, broken where a value is missing
    let d = '', pen = false
    for (const [a, b] of s.points) {
      if (!ok(b)) { pen = false; continue }
      d += `${pen ? 'L' : 'M'}${num(x(a))},${num(y(b))}`
      pen = true
    }
    return (d ? `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>` : '') + marks
  }).join('')
  let lx = M.left + 8
  const legend = p.series.map((s) => {
    const at = lx
    lx += 30 + s.name.length * 6
    const mark = s.markers && !s.line
      ? `<circle cx="${at + 8}" cy="${M.top + 6}" r="3" fill="${s.colour}"/>`
      : `<line x1="${at}" x2="${at + 16}" y1="${M.top + 6}" y2="${M.top + 6}" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`
    return `${mark}<text x="${at + 20}" y="${M.top + 10}" fill="${TEXT}">${esc(s.name)}</text>`
  }).join('')
  return `${open}${title}${grid}${axes}${yTicks}${xTicks}${lines}${legend}</svg>`
}
