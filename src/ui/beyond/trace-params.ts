// The parameters a background run's trace can follow, for either kind, with their place in a step's parameter
// vector (StepResult.parameters: per panel x, y, z, span_x, span_y; per expanded layer absorber and active
// thickness) and in the best design's vector (paramVector: the same for panels, per layer entry for a stack).
import type { Design } from '../../engine/design/schema'
import { layersOf } from '../../kinds/calorimeter/live-design'

export interface TraceParam {
  /** the name the CLI's `ensemble` uses for it (`<panel>.z`, `layers[k].absorber_thickness`) */
  name: string
  /** index in a step's parameter vector */
  index: number
}

const PANEL_KEYS = ['x', 'y', 'z', 'span_x', 'span_y'] as const

export function traceParams(d: Design): TraceParam[] {
  if (d.kind === 'muography') {
    return d.detector.panels.flatMap((p, j) => PANEL_KEYS.map((k, i) => ({ name: `${p.id}.${k}`, index: 5 * j + i })))
  }
  return layersOf(d).flatMap((_, i) => [
    { name: `layer ${i} absorber_thickness`, index: 2 * i },
    { name: `layer ${i} active_thickness`, index: 2 * i + 1 },
  ])
}
