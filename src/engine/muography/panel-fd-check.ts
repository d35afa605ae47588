// For the gradient tests: the tape's derivative of a loss in one panel parameter, beside a central finite
// difference of the same loss (the panels put back afterwards).
import { tf } from '../core/tensor'
import type { PanelParams } from './panels'

export function panelFdCheck(
  panels: PanelParams, loss: () => tf.Scalar, which: 'xy' | 'z' | 'span', index: number, eps: number,
): { g: number; fd: number } {
  const { value, grads } = tf.variableGrads(loss, panels.variableList)
  const g = grads[panels.variables[which].name].dataSync()[index]
  tf.dispose([value, ...Object.values(grads)])
  const base = panels.values()
  const at = (d: number) => {
    const v = { ...panels.values() }
    v[which] = Float64Array.from(base[which])
    v[which][index] += d
    panels.setValues(v)
    const l = tf.tidy(() => loss().dataSync()[0])
    panels.setValues(base)
    return l
  }
  return { g, fd: (at(eps) - at(-eps)) / (2 * eps) }
}
