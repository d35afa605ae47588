// SVG and PNG buttons for a chart's caption: they export the figure they sit in (its chart <svg>, its caption's
// title and legend swatches) through chart-export.ts.
import { useRef } from 'react'
import { downloadBlob } from '../state/download'
import { slug } from '../state/actions'
import { cssVar } from '../state/theme'
import { resolveCssVars, standaloneSvg, svgToPng, type ChartFile, type LegendItem } from './chart-export'

/** what the figure around `from` shows, read from the page */
function chartOf(from: HTMLElement): ChartFile | null {
  const figure = from.closest('figure')
  const svg = figure?.querySelector<SVGSVGElement>('svg.chart-surface')
  if (!figure || !svg) return null
  const title = figure.querySelector('figcaption strong')?.textContent?.trim() || 'chart'
  const legend: LegendItem[] = [...figure.querySelectorAll<HTMLElement>('.swatches > span')].map((s) => {
    const i = s.querySelector<HTMLElement>('i')
    return { label: (s.textContent ?? '').trim(), colour: resolveCssVars(i?.style.borderColor || i?.style.background || 'var(--text)', cssVar), dashed: i?.style.borderStyle === 'dashed' }
  }).filter((l) => l.label)
  const box = svg.getBoundingClientRect()
  // a surface sized by a 100 % style would fill the whole file, heading included: the file gets its drawn size
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.removeAttribute('style')
  copy.setAttribute('width', String(Math.round(box.width)))
  copy.setAttribute('height', String(Math.round(box.height)))
  return { svg: resolveCssVars(new XMLSerializer().serializeToString(copy), cssVar), width: Math.round(box.width), height: Math.round(box.height), title, legend }
}

export function ChartExport() {
  const ref = useRef<HTMLSpanElement>(null)
  const save = async (format: 'svg' | 'png') => {
    const c = ref.current && chartOf(ref.current)
    if (!c) return
    const svg = standaloneSvg(c, { background: cssVar('--panel'), text: cssVar('--text'), muted: cssVar('--muted') })
    const blob = format === 'svg' ? new Blob([svg], { type: 'image/svg+xml' }) : await svgToPng(svg)
    downloadBlob(`${slug(c.title)}.${format}`, blob)
  }
  return (
    <span className="chart-export" ref={ref}>
      <button type="button" className="link" onClick={() => void save('svg')} title="save this chart as SVG (vector)">SVG</button>
      <button type="button" className="link" onClick={() => void save('png')} title="save this chart as PNG (2× resolution)">PNG</button>
    </span>
  )
}
