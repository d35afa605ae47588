// Where each panel parameter may go: z inside its stack, the centre within a margin around the volume, the span
// between a minimum and the volume's footprint plus the margins.
import type { Bounds } from '../core/optimizer'
import type { MuographyDesign } from '../design/schema'

export interface PanelBounds {
  xy: Bounds
  z: Bounds
  span: Bounds
}

export function panelBounds(design: MuographyDesign): PanelBounds {
  const { volume, detector, optimizer } = design
  const P = detector.panels.length
  const xy = { lower: new Float64Array(2 * P), upper: new Float64Array(2 * P) }
  const z = { lower: new Float64Array(P), upper: new Float64Array(P) }
  const span = { lower: new Float64Array(2 * P), upper: new Float64Array(2 * P) }
  detector.panels.forEach((p, i) => {
    for (let k = 0; k < 2; k++) {
      xy.lower[2 * i + k] = volume.origin[k] - optimizer.margin
      xy.upper[2 * i + k] = volume.origin[k] + volume.size[k] + optimizer.margin
      span.lower[2 * i + k] = optimizer.span_min
      span.upper[2 * i + k] = Math.max(optimizer.span_min, volume.size[k] + 2 * optimizer.margin)
    }
    const s = detector.stacks[p.stack]
    z.lower[i] = s.z_min
    z.upper[i] = s.z_max
  })
  return { xy, z, span }
}

export function clampInto(values: Float64Array, b: Bounds): void {
  for (let i = 0; i < values.length; i++) values[i] = Math.min(b.upper[i], Math.max(b.lower[i], values[i]))
}
