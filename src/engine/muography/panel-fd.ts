// For the gradient tests: a task loss as a function of one panel parameter, and its gradient by the tape, so
// that finite differences and autodiff look at the same function.
import { tf } from '../core/tensor'
import type { PanelParams } from './panels'

export type PanelParam = 'xy' | 'z' | 'span'

/** the loss with parameter `which`[index] moved by d (the panels are restored afterwards) */
export function shiftedLoss(panels: PanelParams, loss: () => tf.Scalar, which: PanelParam, index: number): (d: number) => Promise<number> {
  const base = panels.values()
  return async (d) => {
    const v = { ...panels.values() }
    v[which] = Float64Array.from(base[which])
    v[which][index] += d
    panels.setValues(v)
    const t = tf.tidy(loss)
    const l = (await t.data())[0]
    t.dispose()
    panels.setValues(base)
    return l
  }
}

/** ∂loss/∂`which`[index] from the tape */
export async function tapeGradient(panels: PanelParams, loss: () => tf.Scalar, which: PanelParam, index: number): Promise<number> {
  const { value, grads } = tf.variableGrads(loss, panels.variableList)
  const g = (await grads[panels.variables[which].name].data())[index]
  tf.dispose([value, ...Object.values(grads)])
  return g
}

/** the tape's gradient and the central difference at ±eps */
export async function fdCheck(panels: PanelParams, loss: () => tf.Scalar, which: PanelParam, index: number, eps: number): Promise<{ g: number; fd: number }> {
  const at = shiftedLoss(panels, loss, which, index)
  return { g: await tapeGradient(panels, loss, which, index), fd: ((await at(eps)) - (await at(-eps))) / (2 * eps) }
}
