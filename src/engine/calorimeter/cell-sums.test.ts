// The fused profile integral (cell-sums.ts) against the same sums composed of tfjs ops, value and gradient, for
// the widths the profile uses (4 to 6 coefficients), with a partial block of showers; and against one cell's
// integral of a gamma profile done by hand.
import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { readBack, tf, useNodeBackend } from '../core/tensor'
import { CELL_SUMS_BLOCK } from './cell-sums-blocks'
import { expCellSums } from './cell-sums'

beforeAll(async () => { await useNodeBackend('wasm') })

function random(shape: number[], seed: number, scale: number): tf.Tensor {
  const r = createRng(seed, 'cell-sums')
  return tf.tensor(Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, () => scale * r.normal()), shape)
}

/** the sums with tfjs's batched product: independent of both of expCellSums' paths */
function byOps(a: tf.Tensor2D[], b: tf.Tensor2D[], K: number): tf.Tensor3D {
  const [nE, S] = a[0].shape
  return tf.matMul(tf.stack(a, 2), tf.stack(b, 1)).exp().reshape([nE, S, b[0].shape[1] / K, K]).sum(3) as tf.Tensor3D
}

function relErr(x: Float32Array, y: Float32Array): number {
  let d = 0, m = 0
  for (let i = 0; i < y.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); m = Math.max(m, Math.abs(y[i])) }
  return d / m
}

/** the sums and the gradients of Σ w ⊙ sin(y) in every a_j and b_j */
async function withGradients(f: typeof expCellSums, a: tf.Tensor2D[], b: tf.Tensor2D[], K: number, w: tf.Tensor): Promise<Float32Array[]> {
  const J = a.length
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs.slice(0, J) as tf.Tensor2D[], xs.slice(J) as tf.Tensor2D[], K).sin(), w)) as tf.Scalar
  const g = tf.grads(loss)([...a, ...b])
  const y = f(a, b, K)
  const out = await readBack([y, ...g])
  tf.dispose([y, ...g])
  return out
}

describe('expCellSums', () => {
  test.each([4, 5, 6])('with %i coefficients: the sums and every gradient are those of the composed ops', async (J) => {
    const nE = 2, S = CELL_SUMS_BLOCK + 37, L = 7, K = 3
    const a = Array.from({ length: J }, (_, j) => random([nE, S], 10 * J + j, 0.3) as tf.Tensor2D)
    const b = Array.from({ length: J }, (_, j) => random([nE, L * K], 100 + 10 * J + j, 0.5) as tf.Tensor2D)
    const w = random([nE, S, L], J, 1)
    const [ours, theirs] = [await withGradients(expCellSums, a, b, K, w), await withGradients(byOps, a, b, K, w)]
    expect(ours.length).toBe(1 + 2 * J)
    // float32 sums of 3 terms, and for the gradients in b of 2 × 549 terms, in another order
    expect(relErr(ours[0], theirs[0])).toBeLessThan(1e-6)
    for (let k = 1; k <= 2 * J; k++) {
      expect(relErr(ours[k], theirs[k]), `gradient ${k}`).toBeLessThan(1e-5)
      expect(theirs[k].some((v) => v !== 0)).toBe(true)
    }
    tf.dispose([...a, ...b, w])
  })

  test('one cell of a gamma profile: the midpoint sum of Γ(2, 1)’s density over [0, 2]', async () => {
    // f(t) = t e^{−t}: ln f = 1·ln t − 1·t + 0, with the weight (2/K) in the last row
    const K = 400, t = Array.from({ length: K }, (_, k) => (2 * (k + 0.5)) / K)
    const a = [1, -1, 0, 1].map((v) => tf.tensor2d([[v]]))
    const b = [t.map(Math.log), t, t.map(() => 0), t.map(() => Math.log(2 / K))].map((row) => tf.tensor2d([row]))
    const [y] = await readBack([expCellSums(a, b, K)])
    // ∫₀² t e^{−t} dt = 1 − 3e^{−2}
    expect(y[0]).toBeCloseTo(1 - 3 * Math.exp(-2), 5)
    tf.dispose([...a, ...b])
  })

  test('shapes that do not fit are named', () => {
    const a = [tf.zeros([2, 3]), tf.zeros([2, 3])] as tf.Tensor2D[], b = [tf.zeros([2, 10]), tf.zeros([2, 10])] as tf.Tensor2D[]
    expect(() => expCellSums(a, b, 3)).toThrow('expCellSums: coefficients [[2,3],[2,3]] and grid rows [[2,10],[2,10]] with 3 points per cell do not fit')
    tf.dispose([...a, ...b])
  })
})
