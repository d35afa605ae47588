// Where each panel parameter may go, the one rule for the optimiser, the validator and the UI: z inside its stack,
// the centre within a margin around the volume, the span between span_min and the volume's footprint plus the
// margins.
import type { Bounds } from '../core/optimizer'
import type { MuographyDesign } from '../design/schema'

export type PanelField = 'x' | 'y' | 'z' | 'span_x' | 'span_y'
/** [lowest, highest] per panel field */
export type PanelRanges = Record<PanelField, [number, number]>

export interface PanelBounds {
  xy: Bounds
  z: Bounds
  span: Bounds
}

type Limits = Pick<MuographyDesign, 'volume'> & {
  detector: Pick<MuographyDesign['detector'], 'stacks'>
  optimizer: Pick<MuographyDesign['optimizer'], 'margin' | 'span_min'>
}

/** the ranges of a panel in stack `stack` */
export function panelRanges(design: Limits, stack: 'above' | 'below'): PanelRanges {
  const { volume, detector, optimizer } = design
  const { margin, span_min } = optimizer
  const centre = (k: number): [number, number] => [volume.origin[k] - margin, volume.origin[k] + volume.size[k] + margin]
  const span = (k: number): [number, number] => [span_min, Math.max(span_min, volume.size[k] + 2 * margin)]
  const s = detector.stacks[stack]
  return { x: centre(0), y: centre(1), z: [s.z_min, s.z_max], span_x: span(0), span_y: span(1) }
}

/** the ranges of every panel's parameters as the optimiser's flat bounds (xy and span: 2 per panel) */
export function panelBounds(design: MuographyDesign): PanelBounds {
  const P = design.detector.panels.length
  const xy = { lower: new Float64Array(2 * P), upper: new Float64Array(2 * P) }
  const z = { lower: new Float64Array(P), upper: new Float64Array(P) }
  const span = { lower: new Float64Array(2 * P), upper: new Float64Array(2 * P) }
  const ranges = { above: panelRanges(design, 'above'), below: panelRanges(design, 'below') }
  design.detector.panels.forEach((p, i) => {
    const r = ranges[p.stack]
    ;[r.x, r.y].forEach(([lo, hi], k) => { xy.lower[2 * i + k] = lo; xy.upper[2 * i + k] = hi })
    ;[r.span_x, r.span_y].forEach(([lo, hi], k) => { span.lower[2 * i + k] = lo; span.upper[2 * i + k] = hi })
    ;[z.lower[i], z.upper[i]] = r.z
  })
  return { xy, z, span }
}

export function clampInto(values: Float64Array, b: Bounds): void {
  for (let i = 0; i < values.length; i++) values[i] = Math.min(b.upper[i], Math.max(b.lower[i], values[i]))
}
