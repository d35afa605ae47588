// The shower draws as tensors for the model: copied on the GPU from the draw kernel's buffers when it made them
// (gpu/showers.ts), uploaded from the arrays otherwise. Constants either way: the gradient tape is unchanged.
import { tf } from '../core/tensor'
import type { ShowerDraws } from './draws'

type DrawKey = 'z1' | 'z2' | 'zs' | 'zn' | 'zl' | 'ux' | 'uy'

export function drawTensor(d: ShowerDraws, key: DrawKey): tf.Tensor {
  const shape = key === 'zs' || key === 'zn' ? [d.nE, d.S, d.L] : [d.nE, d.S]
  const buffer = d.gpu?.[key]
  if (buffer) return tf.tensor({ buffer }, shape, 'float32')
  const values = d[key]
  if (!values) throw new Error(`no ${key} draws`)
  return tf.tensor(values, shape)
}
