// A 2-D matrix product whose gradient transposes explicitly. tfjs 4.22's wasm backend runs the transposed products
// of tf.matMul's own gradient (dy·Bᵀ and Aᵀ·dy) several times slower than plain products whose second operand is
// small; for the calorimeter's shower profiles, [4000, 6] × [6, 270], each gradient took 6–8 ms where the forms
// below take 1–4 ms (matmul-2d.test.ts prints them).
import * as tf from '@tensorflow/tfjs'

const product = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b])
  return {
    value: tf.matMul(a, b),
    // dA = dy·Bᵀ and dB = (dyᵀ·A)ᵀ: the small operand second, the transposes made first
    gradFunc: (dy: tf.Tensor2D, [sa, sb]: tf.Tensor2D[]) => [tf.matMul(dy, tf.transpose(sb)), tf.transpose(tf.matMul(tf.transpose(dy), sa))],
  }
}) as unknown as Parameters<typeof tf.customGrad>[0])

/** a [M, C] × b [C, N] → [M, N], the same numbers as tf.matMul(a, b) */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new Error(`matMul2d: shapes [${a.shape}] and [${b.shape}] do not multiply`)
  }
  return product(a, b) as tf.Tensor2D
}
