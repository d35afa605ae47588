// The sampled task term: the per-voxel X0 estimate against the truth, as a relative (log) error so that lead and
// air weigh alike. The estimate is the ML/EM solution of em.ts; its dependence on the detector is followed through
// a few EM iterations unrolled on the gradient tape, started from the converged (detached) solution — a truncated
// form of the implicit-function gradient of the fixed point.
import { gather1d, scatterAdd1d, tf } from '../core/tensor'
import { HIGHLAND_LOG } from '../core/units'
import { LAMBDA_MAX, LAMBDA_MIN } from './em'
import type { PathTensors } from './path-tensors'

export interface TapeObservations {
  m: tf.Tensor1D
  e: tf.Tensor1D
  w: tf.Tensor1D
  /** constant: (13.6 MeV/βp)² */
  c: tf.Tensor1D
}

/** K multiplicative EM updates on the tape, from lambda0 (constant). */
export function unrolledEm(P: PathTensors, obs: TapeObservations, lambda0: Float32Array | tf.Tensor1D, iterations: number): tf.Tensor1D {
  return tf.tidy(() => {
    let lam = lambda0 instanceof tf.Tensor ? lambda0 : tf.tensor1d(lambda0)
    for (let it = 0; it < iterations; it++) {
      const t = tf.maximum(scatterAdd1d(tf.mul(gather1d(lam, P.voxel), P.length) as tf.Tensor1D, P.muon, P.nMuons), 1e-9)
      const f = tf.add(1, tf.mul(HIGHLAND_LOG, tf.log(t)))
      const g = tf.mul(t, tf.square(f))
      const gp = tf.mul(f, tf.add(f, 2 * HIGHLAND_LOG))
      const s = tf.add(tf.mul(obs.c, g), obs.e)
      const a = tf.mul(tf.mul(obs.w, obs.c), gp)
      const rNum = tf.div(tf.mul(a, obs.m), tf.square(s)) as tf.Tensor1D
      const rDen = tf.div(a, s) as tf.Tensor1D
      const num = scatterAdd1d(tf.mul(gather1d(rNum, P.muon), P.length) as tf.Tensor1D, P.voxel, P.nVoxels)
      const den = scatterAdd1d(tf.mul(gather1d(rDen, P.muon), P.length) as tf.Tensor1D, P.voxel, P.nVoxels)
      const next = tf.div(tf.mul(lam, num), tf.add(den, 1e-30))
      const mixed = tf.add(tf.mul(P.covered, next), tf.mul(tf.sub(1, P.covered), lam))
      lam = tf.clipByValue(mixed, LAMBDA_MIN, LAMBDA_MAX) as tf.Tensor1D
    }
    return lam
  })
}

/**
 * Scattering a voxel can tell apart from nothing: below t_min = 0.05 radiation lengths per voxel edge the
 * scattering is lost under that of the rest of the path and the angular resolution (10 cm of air is 3·10⁻⁴ X0).
 * Densities under this floor count as "light" in both the truth and the estimate, so the metric measures how
 * well materials are told apart instead of the noise on air's 304 m.
 */
export const T_MIN_PER_VOXEL = 0.05

export function lambdaFloor(voxel: number): number {
  return T_MIN_PER_VOXEL / voxel
}

/** mean over voxels of (ln max(λ, floor) − ln max(λ_true, floor))², i.e. the squared log error of X0 */
export function logX0Error(lambda: tf.Tensor1D, lambdaTrue: tf.Tensor1D, floor: number): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(tf.log(tf.maximum(lambda, floor)), tf.log(tf.maximum(lambdaTrue, floor))))) as tf.Scalar)
}

/** the same metric in plain numbers (for validation); NaN predictions count as the worst allowed value */
export function logX0ErrorPlain(lambda: ArrayLike<number>, lambdaTrue: ArrayLike<number>, floor: number): number {
  let s = 0
  for (let j = 0; j < lambda.length; j++) {
    const l = Number.isFinite(lambda[j]) ? Math.min(LAMBDA_MAX, Math.max(floor, lambda[j])) : floor
    const d = Math.log(l) - Math.log(Math.max(floor, lambdaTrue[j]))
    s += d * d
  }
  return s / lambda.length
}
