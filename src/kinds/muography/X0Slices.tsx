// Per z layer, the true and the predicted X0 side by side as heat maps (canvas 2D), with a layer slider.
// Same log colour scale as the 3D view; x to the right, y up. Both save as one PNG with their titles.
import { useEffect, useId, useRef, useState } from 'react'
import { cssColour, viridis, x0Position, x0Range, type LogRange } from '../../ui/colours'
import { slug } from '../../state/actions'
import { downloadBlob } from '../../state/download'
import { useStudio } from '../../state/store'
import { cssVar, useTheme } from '../../state/theme'
import type { VolumeView } from '../../workers/protocol'

const CELL_MAX = 18

function draw(canvas: HTMLCanvasElement | null, vol: VolumeView, data: ArrayLike<number> | null, iz: number, range: LogRange): void {
  if (!canvas) return
  const { nx, ny } = vol
  const cell = Math.max(2, Math.min(CELL_MAX, Math.floor(180 / Math.max(nx, ny))))
  const w = nx * cell, h = ny * cell
  if (canvas.width !== w) canvas.width = w
  if (canvas.height !== h) canvas.height = h
  const ctx = canvas.getContext('2d')
  if (!ctx) return
  if (!data) {
    ctx.fillStyle = cssVar('--control')
    ctx.fillRect(0, 0, w, h)
    ctx.fillStyle = cssVar('--muted')
    ctx.font = '12px Roboto, sans-serif'
    ctx.textAlign = 'center'
    ctx.fillText('no prediction yet', w / 2, h / 2)
    return
  }
  const c: [number, number, number] = [0, 0, 0]
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const v = data[ix + nx * (iy + ny * iz)]
      ctx.fillStyle = cssColour(viridis(x0Position(v, range), c))
      ctx.fillRect(ix * cell, (ny - 1 - iy) * cell, cell, cell)
    }
  }
}

/** both slices side by side with their titles and the layer's z range, as one PNG */
function slicesPng(canvases: (HTMLCanvasElement | null)[], titles: string[], caption: string): Promise<Blob | null> {
  const pad = 10, head = 22, foot = 20
  const shown = canvases.filter((c): c is HTMLCanvasElement => !!c)
  const out = document.createElement('canvas')
  out.width = shown.reduce((w, c) => w + c.width + pad, pad)
  out.height = head + Math.max(0, ...shown.map((c) => c.height)) + foot
  const ctx = out.getContext('2d')
  if (!ctx) return Promise.resolve(null)
  ctx.fillStyle = cssVar('--panel')
  ctx.fillRect(0, 0, out.width, out.height)
  ctx.fillStyle = cssVar('--text')
  ctx.font = '12px Roboto, sans-serif'
  let x = pad
  shown.forEach((c, i) => {
    ctx.fillText(titles[i], x, 15)
    ctx.drawImage(c, x, head)
    x += c.width + pad
  })
  ctx.fillStyle = cssVar('--muted')
  ctx.fillText(caption, pad, out.height - 6)
  return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'))
}

export function X0Slices() {
  const volume = useStudio((s) => s.volume)
  const x0Pred = useStudio((s) => s.x0Pred)
  const [layer, setLayer] = useState(0)
  const trueRef = useRef<HTMLCanvasElement>(null)
  const predRef = useRef<HTMLCanvasElement>(null)
  const id = useId()
  const nz = volume?.nz ?? 0
  const iz = Math.min(layer, Math.max(0, nz - 1))
  // the placeholder follows the theme
  const theme = useTheme()

  useEffect(() => {
    if (!volume) return
    const range = x0Range(volume.x0)
    const pred = x0Pred && x0Pred.length === volume.x0.length ? x0Pred : null
    draw(trueRef.current, volume, volume.x0, iz, range)
    draw(predRef.current, volume, pred, iz, range)
  }, [volume, x0Pred, iz, theme])

  if (!volume) return null
  const zLo = volume.origin[2] + iz * volume.voxel
  const save = async () => {
    const caption = `layer ${iz + 1}/${nz}, z ${zLo.toFixed(2)}–${(zLo + volume.voxel).toFixed(2)} m; x to the right, y up; log colour scale of X0`
    const png = await slicesPng([trueRef.current, predRef.current], ['true X0', 'predicted X0'], caption)
    if (png) downloadBlob(`${slug(useStudio.getState().design?.name ?? 'design')}-x0-layer${iz + 1}.png`, png)
  }
  return (
    <section className="slices" aria-label="X0 slices">
      <header>
        <label htmlFor={id}>layer</label>
        <input id={id} type="range" min={0} max={Math.max(0, nz - 1)} step={1} value={iz} onChange={(e) => setLayer(Number(e.target.value))} aria-label="Layer" />
        <span className="muted">{iz + 1}/{nz} · z {zLo.toFixed(2)}–{(zLo + volume.voxel).toFixed(2)} m</span>
        <button type="button" className="link" title="save both slices as a PNG" onClick={() => void save()}>PNG</button>
      </header>
      <div className="slice-pair">
        <figure><canvas ref={trueRef} aria-label="True X0 of the layer" /><figcaption>true X0</figcaption></figure>
        <figure><canvas ref={predRef} aria-label="Predicted X0 of the layer" /><figcaption>predicted X0</figcaption></figure>
      </div>
    </section>
  )
}
