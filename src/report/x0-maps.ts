// The report's X0 maps: per z layer, the true X0, the predicted X0 and the error log2(pred/true), as SVG cells on
// the studio's colour scales (log X0 on viridis, the error on a diverging scale). x to the right, y up.
import { cssColour, diverging, ERROR_SPAN, errorPosition, viridis, x0Position, x0Range, type LogRange } from '../ui/colours'
import type { VolumeView } from '../engine/session-types'
import { esc, num, sig } from './html-text'

const MAP = 150
const GAP = 14
const HEAD = 16
/** more layers than this are sampled evenly: a report page, not a voxel dump */
export const MAX_LAYERS = 12

/** the z layers shown, top first */
export function shownLayers(nz: number): number[] {
  const n = Math.min(nz, MAX_LAYERS)
  const picked = Array.from({ length: n }, (_, i) => (n === 1 ? 0 : Math.round((i * (nz - 1)) / (n - 1))))
  return [...new Set(picked)].reverse()
}

function cells(vol: VolumeView, iz: number, colour: (i: number) => string, x0: number, y0: number): string {
  const cell = MAP / Math.max(vol.nx, vol.ny)
  let out = ''
  for (let iy = 0; iy < vol.ny; iy++) {
    for (let ix = 0; ix < vol.nx; ix++) {
      const i = ix + vol.nx * (iy + vol.ny * iz)
      out += `<rect x="${num(x0 + ix * cell)}" y="${num(y0 + (vol.ny - 1 - iy) * cell)}" width="${num(cell + 0.3)}" height="${num(cell + 0.3)}" fill="${colour(i)}"/>`
    }
  }
  return out
}

function scaleBar(label: string, colour: (t: number) => string, lo: string, hi: string, x: number, y: number): string {
  const n = 24, w = 160
  const stops = Array.from({ length: n }, (_, k) => `<rect x="${num(x + (k * w) / n)}" y="${y}" width="${num(w / n + 0.3)}" height="10" fill="${colour(k / (n - 1))}"/>`).join('')
  return `<text x="${x}" y="${y - 4}">${esc(label)}</text>${stops}<text x="${x}" y="${y + 22}">${esc(lo)}</text><text x="${x + w}" y="${y + 22}" text-anchor="end">${esc(hi)}</text>`
}

/** true, predicted and error maps of the shown layers, with both colour scales; null prediction: true map only */
export function x0MapsSvg(vol: VolumeView, pred: ArrayLike<number> | null): string {
  const range: LogRange = x0Range(vol.x0)
  const rgb: [number, number, number] = [0, 0, 0]
  const usePred = pred && pred.length === vol.x0.length ? pred : null
  const columns = usePred ? 3 : 1
  const layers = shownLayers(vol.nz)
  const rowH = HEAD + MAP * (vol.ny / Math.max(vol.nx, vol.ny)) + GAP
  const legendH = 44
  const width = 60 + columns * (MAP + GAP)
  const height = 20 + layers.length * rowH + legendH
  const titles = ['true X0', 'predicted X0', 'error log₂(pred/true)'].slice(0, columns)
  let body = titles.map((t, c) => `<text x="${60 + c * (MAP + GAP)}" y="14" font-weight="bold">${t}</text>`).join('')
  layers.forEach((iz, r) => {
    const y = 20 + r * rowH
    const zLo = vol.origin[2] + iz * vol.voxel
    body += `<text x="0" y="${num(y + HEAD + 10)}">z ${sig(zLo, 3)}–${sig(zLo + vol.voxel, 3)} m</text>`
    body += cells(vol, iz, (i) => cssColour(viridis(x0Position(vol.x0[i], range), rgb)), 60, y + 4)
    if (usePred) {
      body += cells(vol, iz, (i) => cssColour(viridis(x0Position(usePred[i], range), rgb)), 60 + MAP + GAP, y + 4)
      body += cells(vol, iz, (i) => cssColour(diverging(errorPosition(usePred[i], vol.x0[i]), rgb)), 60 + 2 * (MAP + GAP), y + 4)
    }
  })
  const ly = height - legendH + 14
  body += scaleBar('X0 (log scale)', (t) => cssColour(viridis(t, rgb)), `${sig(10 ** range.hi, 3)} m`, `${sig(10 ** range.lo, 3)} m`, 60, ly)
  if (usePred) body += scaleBar('pred/true', (t) => cssColour(diverging(t, rgb)), `1/${ERROR_SPAN}`, `${ERROR_SPAN}`, 60 + 2 * (MAP + GAP), ly)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${num(height)}" viewBox="0 0 ${width} ${num(height)}" role="img" aria-label="X0 maps" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#1f2937">${body}</svg>`
}
