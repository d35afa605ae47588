// A chart as a file that reads on its own: the chart's SVG with its title and legend above it, on the studio's
// panel colour (of the theme on screen), as standalone SVG (vector, for a paper) or PNG (for slides). The string
// assembly is pure; the PNG is rasterised by the browser.
import { esc } from '../report/html-text'

export interface LegendItem { label: string; colour: string; dashed?: boolean }

export interface ChartFile {
  /** the chart's own <svg>, serialised as XML */
  svg: string
  width: number
  height: number
  title: string
  legend: LegendItem[]
}

export interface ExportColours { background: string; text: string; muted: string }

/** the dark theme's panel and text colours (App.css); the studio passes those of the theme on screen */
export const DARK_EXPORT_COLOURS: ExportColours = { background: '#111827', text: '#e2e8f0', muted: '#94a3b8' }

/** CSS variables (var(--name)) in a serialised chart replaced by their values: a file has no stylesheet */
export function resolveCssVars(text: string, value: (name: string) => string): string {
  return text.replace(/var\((--[\w-]+)\)/g, (whole, name: string) => value(name) || whole)
}
const HEAD = 22
const LEGEND_ROW = 16


/** legend entries laid out left to right, wrapping at the chart's width (an estimate of 6.5 px per character) */
function legendRows(items: LegendItem[], width: number): { item: LegendItem; x: number; row: number }[] {
  const out: { item: LegendItem; x: number; row: number }[] = []
  let x = 8, row = 0
  for (const item of items) {
    const w = 22 + item.label.length * 6.5 + 12
    if (x > 8 && x + w > width) { x = 8; row++ }
    out.push({ item, x, row })
    x += w
  }
  return out
}

/** one standalone SVG document: title, legend, then the chart */
export function standaloneSvg(c: ChartFile, colours: ExportColours = DARK_EXPORT_COLOURS): string {
  const placed = legendRows(c.legend, c.width)
  const rows = placed.length ? placed[placed.length - 1].row + 1 : 0
  const top = HEAD + rows * LEGEND_ROW + 4
  const height = top + c.height
  const legend = placed.map(({ item, x, row }) => {
    const y = HEAD + row * LEGEND_ROW + 8
    return `<line x1="${x}" y1="${y}" x2="${x + 16}" y2="${y}" stroke="${esc(item.colour)}" stroke-width="2"${item.dashed ? ' stroke-dasharray="4 3"' : ''}/>` +
      `<text x="${x + 22}" y="${y + 4}" fill="${colours.text}" font-size="11">${esc(item.label)}</text>`
  }).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${height}" viewBox="0 0 ${c.width} ${height}" font-family="Roboto, Helvetica, Arial, sans-serif">` +
    `<rect width="${c.width}" height="${height}" fill="${colours.background}"/>` +
    `<text x="8" y="16" fill="${colours.text}" font-size="13" font-weight="bold">${esc(c.title)}</text>` +
    legend +
    `<g transform="translate(0 ${top})">${c.svg}</g></svg>\n`
}

/** the standalone SVG rasterised at `scale` × its size (a crisp PNG for slides) */
export async function svgToPng(svg: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }))
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    const canvas = document.createElement('canvas')
    // the image's natural size is the document's width and height
    canvas.width = Math.round(img.naturalWidth * scale)
    canvas.height = Math.round(img.naturalHeight * scale)
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas')
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height)
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'))
  } finally {
    URL.revokeObjectURL(url)
  }
}
