// A one-parameter loss scan: the training loss of the current design on the next step's batch (the loss that
// `explain` prints) at a few values of one parameter around its current one, the others held, with the
// gradient's slope at the current value for the tangent. The session is left as it was.
import { paramSpace, paramVector } from './ensemble/param-space'
import type { LayerGradient, PanelGradient } from './explain-types'
import type { Session } from './session-types'

export interface LossScan {
  /** `<panel id>.<x|y|z|span_x|span_y>` or `layers[k].<absorber_thickness|active_thickness>` */
  parameter: string
  values: number[]
  losses: number[]
  current: number
  loss: number
  /** ∂loss/∂parameter at the current value */
  slope: number
}

/** the scannable parameters of a design, as named in a scan */
export function scanParameters(session: Session): string[] {
  return paramSpace(session.exportDesign('current')).names
}

function setParameter(session: Session, firstLayer: number[], parameter: string, value: number): void {
  const layer = /^layers\[(\d+)\]\.(absorber_thickness|active_thickness)$/.exec(parameter)
  if (layer) {
    session.setLayers?.([{ index: firstLayer[Number(layer[1])], [layer[2]]: value }])
    return
  }
  const dot = parameter.lastIndexOf('.')
  session.setPanels?.([{ id: parameter.slice(0, dot), [parameter.slice(dot + 1)]: value }])
}

/** `points` values evenly over ±width × the parameter's bound range (clipped to the bounds) */
export async function scanParameter(session: Session, parameter: string, opts: { points?: number; width?: number } = {}): Promise<LossScan> {
  const points = opts.points ?? 9
  const width = opts.width ?? 0.1
  const design = session.exportDesign('current')
  const space = paramSpace(design)
  const j = space.names.indexOf(parameter)
  if (j < 0) throw new Error(`no parameter "${parameter}" (known: ${space.names.slice(0, 6).join(', ')}, ...)`)
  const current = paramVector(design)[j]
  const range = space.upper[j] - space.lower[j]
  const lo = Math.max(space.lower[j], current - width * range)
  const hi = Math.min(space.upper[j], current + width * range)
  const firstLayer: number[] = []
  if (design.kind === 'calorimeter') design.calorimeter.layers.reduce((i, l) => { firstLayer.push(i); return i + l.repeat }, 0)
  const here = await session.explain()
  const dot = parameter.lastIndexOf('.')
  const g = here.gradient[parameter.slice(0, dot)] as PanelGradient & LayerGradient
  const values = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1))
  const losses: number[] = []
  try {
    for (const v of values) {
      setParameter(session, firstLayer, parameter, v)
      // a task boundary per point: on a backend whose read-backs resolve as microtasks (wasm, cpu) the whole scan
      // would otherwise be one task, and a worker's heartbeat and messages would wait for its end
      await new Promise((r) => setTimeout(r, 0))
      losses.push((await session.explain()).loss)
    }
  } finally {
    setParameter(session, firstLayer, parameter, current)
  }
  return { parameter, values, losses, current, loss: here.loss, slope: g[parameter.slice(dot + 1) as keyof typeof g] }
}
