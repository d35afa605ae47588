import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from './rng'
import { matMul2d } from './matmul-2d'
import { readBack, tf, useNodeBackend } from './tensor'

beforeAll(async () => { await useNodeBackend('wasm') })

function random(shape: [number, number], seed: number): tf.Tensor2D {
  const r = createRng(seed, 'matmul-2d')
  return tf.tensor2d(Float32Array.from({ length: shape[0] * shape[1] }, () => r.normal()), shape)
}

/** largest |x − y| relative to the largest |y| */
function relErr(x: Float32Array, y: Float32Array): number {
  let d = 0, m = 0
  for (let i = 0; i < y.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); m = Math.max(m, Math.abs(y[i])) }
  return d / m
}

/** the product and the gradients of Σ w ⊙ sin(a·b) in a and b */
function withGradients(mm: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor[] {
  const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(mm(x as tf.Tensor2D, y as tf.Tensor2D).sin(), w)) as tf.Scalar)([a, b])
  return [mm(a, b), ...g]
}

describe('matMul2d', () => {
  test('its product and both gradients are tf.matMul’s', async () => {
    const a = random([50, 6], 1), b = random([6, 40], 2), w = random([50, 40], 3)
    const ours = withGradients(matMul2d, a, b, w), theirs = withGradients((x, y) => tf.matMul(x, y), a, b, w)
    const [o, t] = [await readBack(ours), await readBack(theirs)]
    expect(ours.map((x) => x.shape)).toEqual([[50, 40], [50, 6], [6, 40]])
    expect(Array.from(o[0])).toEqual(Array.from(t[0]))
    expect(relErr(o[1], t[1])).toBeLessThan(1e-6)
    expect(relErr(o[2], t[2])).toBeLessThan(1e-6)
    tf.dispose([a, b, w, ...ours, ...theirs])
  })

  test('shapes that do not multiply are named', () => {
    const a = tf.zeros([3, 4]) as tf.Tensor2D, b = tf.zeros([5, 6]) as tf.Tensor2D
    expect(() => matMul2d(a, b)).toThrow('matMul2d: shapes [3,4] and [5,6] do not multiply')
    tf.dispose([a, b])
  })

  test('the calorimeter’s shape [4000, 6] × [6, 270]: each gradient product against tf.matMul’s, timed', async () => {
    const a = random([4000, 6], 4), b = random([6, 270], 5), dy = random([4000, 270], 6)
    const timed = (f: () => tf.Tensor): { t: tf.Tensor; ms: number } => {
      f().dispose()
      const t0 = performance.now(), t = f()
      return { t, ms: performance.now() - t0 }
    }
    // what tf.matMul's gradient computes, and what matMul2d's does
    const theirs = [timed(() => tf.matMul(dy, b, false, true)), timed(() => tf.matMul(a, dy, true, false))]
    const ours = [timed(() => tf.matMul(dy, tf.transpose(b))), timed(() => tf.transpose(tf.matMul(tf.transpose(dy), a)))]
    console.log(`dy·Bᵀ ${theirs[0].ms.toFixed(1)} → ${ours[0].ms.toFixed(1)} ms, Aᵀ·dy ${theirs[1].ms.toFixed(1)} → ${ours[1].ms.toFixed(1)} ms`)
    const [o, t] = [await readBack(ours.map((x) => x.t)), await readBack(theirs.map((x) => x.t))]
    // sums of 270 and 4000 float32 terms in another order
    expect(relErr(o[0], t[0])).toBeLessThan(1e-5)
    expect(relErr(o[1], t[1])).toBeLessThan(1e-5)
    tf.dispose([a, b, dy, ...ours.map((x) => x.t), ...theirs.map((x) => x.t)])
  })
})
