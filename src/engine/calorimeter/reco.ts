// Reconstruction, learned jointly with the geometry so that the design is optimised for the reconstruction that
// will be used. Default: per-layer calibration weights w_i = (1 + θ_i)/(ê f_i), θ learned (θ = 0 is the standard
// EM-scale calibration). Optional: a small dense network (L+1 → 16 tanh → 1) that multiplies the weighted sum
// by exp(o), fed with each layer's share of the calibrated energy and ln Ê; its last layer starts at zero, so it
// starts as the identity.
import { type Rng } from '../core/rng'
import { tf } from '../core/tensor'

export const DENSE_HIDDEN = 16

export const denseSize = (L: number): number => (L + 1) * DENSE_HIDDEN + 2 * DENSE_HIDDEN + 1

export function initDense(L: number, rng: Rng): Float64Array {
  const p = new Float64Array(denseSize(L))
  const s = 1 / Math.sqrt(L + 1)
  for (let i = 0; i < (L + 1) * DENSE_HIDDEN; i++) p[i] = rng.normal() * s
  return p // biases and the output layer start at zero
}

/** V: visible energy [nE, S, L]; baseW: 1/(ê f_i) [L]; theta [L]; dense: flat parameters or null → Ê [nE, S], and
 *  the calibrated cell energies [nE, S, L] whose sum it starts from (the rear-leakage correction reads them) */
export function reconstruct(
  V: tf.Tensor3D, baseW: tf.Tensor1D, theta: tf.Tensor1D, dense: tf.Tensor1D | null,
): { reco: tf.Tensor2D; cal: tf.Tensor3D } {
  const [nE, S, L] = V.shape
  const cal = V.mul(baseW.mul(theta.add(1))) as tf.Tensor3D
  const base = cal.sum(2) as tf.Tensor2D
  if (!dense) return { reco: base, cal }
  const H = DENSE_HIDDEN
  const safe = tf.maximum(base, 1e-3)
  const share = cal.div(safe.expandDims(2)).mul(Math.sqrt(L)) // O(1) features
  const x = tf.concat([share, safe.log().div(5).expandDims(2)], 2).reshape([nE * S, L + 1])
  let o = 0
  const W1 = dense.slice([o], [(L + 1) * H]).reshape([L + 1, H]); o += (L + 1) * H
  const b1 = dense.slice([o], [H]); o += H
  const W2 = dense.slice([o], [H]).reshape([H, 1]); o += H
  const b2 = dense.slice([o], [1])
  const h = tf.matMul(x, W1).add(b1).tanh()
  const out = tf.matMul(h, W2).add(b2).reshape([nE, S])
  return { reco: base.mul(out.exp()) as tf.Tensor2D, cal }
}
