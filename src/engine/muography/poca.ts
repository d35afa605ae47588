// Point of closest approach (PoCA) of the fitted incoming and outgoing lines, on the tape
// (Schultz et al., NIM A519 (2004) 687), with a closed-form position uncertainty.
//
// Lines p_in + s v_in and p_out + s v_out with p_in = (x_in, y_in, z_in), v = (t_x, t_y, 1), w0 = p_in − p_out.
// Schultz's s_in = (b e − c d)/D, s_out = (a e − b d)/D, D = a c − b² are evaluated through the identities
//   D = |n|²,  b e − c d = n·(v_out × w0),  a e − b d = n·(v_in × w0),   n = v_in × v_out
// (Lagrange's identity). This is the same formula, but computed without the cancellation of a c − b² and
// b e − c d: in float32, a c − b² keeps no correct digit for angles below ~3e-4 rad, n does.
// PoCA = ½[(p_in + s_in v_in) + (p_out + s_out v_out)]. When D < ε (parallel lines, default ε = 1e-12, i.e.
// angles ≲ 1e-6 rad) the PoCA is the midpoint ½(p_in + p_out), chosen with tf.where; the divisor of the unused
// branch is replaced by 1 so its gradient stays finite.
//
// Uncertainty (an approximation, documented here, in place of TomOpt's autograd Jacobians). Each fitted line
// has a lateral variance at height z, V(z) = var(x) + 2 (z − z_ref) cov(x, t) + (z − z_ref)² var(t), the same
// in x and y. Near the PoCA height z_p (clamped into [z_out, z_in] for this purpose) the two lines cross in each
// projection where x_in(z) − x_out(z) = 0; the separation has variance V_Σ = V_in(z_p) + V_out(z_p) and changes
// with z at the rate Δt = t_in − t_out, so the crossing height has variance V_Σ/Δt_x² in x and V_Σ/Δt_y² in y;
// the two projections combined (inverse-variance):
//   var(z) = V_Σ/(Δt_x² + Δt_y²),   capped at maxVarZ (default (z_in − z_out)²: the volume height);
// the lateral position is the mean of the two lines at z_p, with variance V_Σ/4 (in/out independent), plus the
// lever of the height error along the mean slope t̄:
//   var(x) = V_Σ/4 + t̄_x² var(z),  var(y) = V_Σ/4 + t̄_y² var(z).
// Neglected: the correlation between the mean and the difference of the two lines when V_in ≠ V_out, and the
// 3-D (rather than per-projection) geometry of the closest approach for inclined muons.
import { readBack, tf } from '../core/tensor'
import { crossOfSlopes } from './angles'
import type { Reco } from './fit'

export interface PocaOptions {
  /** D = |v_in × v_out|² below which the lines count as parallel (default 1e-12) */
  eps?: number
  /** cap of var(z) in m² (default: volume height²) */
  maxVarZ?: number
}

/**
 * PoCA per muon as component tensors [N] (an [N, 3] tensor built from columns costs ~50 ms per 100k muons
 * forward and backward on wasm, where Pack along axis 1 is slow; use pocaPoints / pocaToArrays for that layout).
 */
export type Poca = {
  x: tf.Tensor1D
  y: tf.Tensor1D
  z: tf.Tensor1D
  /** variances of the PoCA position (diagonal approximation, m²) */
  varX: tf.Tensor1D
  varY: tf.Tensor1D
  varZ: tf.Tensor1D
  /** 1 where the lines were treated as parallel (PoCA = midpoint), else 0 */
  parallel: tf.Tensor1D
}

export function pocaFromReco(r: Reco, opts: PocaOptions = {}): Poca {
  const eps = opts.eps ?? 1e-12
  const H = r.zIn - r.zOut
  const maxVarZ = opts.maxVarZ ?? Math.max(H * H, 1e-6)
  return tf.tidy(() => {
    const [nx, ny, nz] = crossOfSlopes(r)
    const D = tf.add(tf.add(tf.square(nx), tf.square(ny)), tf.square(nz))
    // GreaterEqual has a (zero) gradient registered, Less does not
    const crossing = tf.greaterEqual(D, eps)
    const invD = tf.reciprocal(tf.where(crossing, D, tf.onesLike(D)))
    const wx = tf.sub(r.inX, r.outX)
    const wy = tf.sub(r.inY, r.outY)
    // n·(v × w0) for v = (t_x, t_y, 1), w0 = (wx, wy, H)
    const nDotCross = (tx: tf.Tensor, ty: tf.Tensor) => {
      const cx = tf.sub(tf.mul(ty, H), wy)
      const cy = tf.sub(wx, tf.mul(tx, H))
      const cz = tf.sub(tf.mul(tx, wy), tf.mul(ty, wx))
      return tf.add(tf.add(tf.mul(nx, cx), tf.mul(ny, cy)), tf.mul(nz, cz))
    }
    const sIn = tf.mul(nDotCross(r.outTx, r.outTy), invD)
    const sOut = tf.mul(nDotCross(r.inTx, r.inTy), invD)
    const px = tf.mul(tf.add(tf.add(r.inX, tf.mul(sIn, r.inTx)), tf.add(r.outX, tf.mul(sOut, r.outTx))), 0.5)
    const py = tf.mul(tf.add(tf.add(r.inY, tf.mul(sIn, r.inTy)), tf.add(r.outY, tf.mul(sOut, r.outTy))), 0.5)
    const pz = tf.mul(tf.add(tf.add(sIn, sOut), r.zIn + r.zOut), 0.5)
    const mx = tf.mul(tf.add(r.inX, r.outX), 0.5)
    const my = tf.mul(tf.add(r.inY, r.outY), 0.5)
    const mz = tf.fill(D.shape, (r.zIn + r.zOut) / 2)
    const x = tf.where(crossing, px, mx)
    const y = tf.where(crossing, py, my)
    const z = tf.where(crossing, pz, mz)

    const zc = tf.clipByValue(z, Math.min(r.zOut, r.zIn), Math.max(r.zOut, r.zIn))
    const lateral = (varX: tf.Tensor, cov: tf.Tensor, varT: tf.Tensor, zRef: number) => {
      const d = tf.sub(zc, zRef)
      return tf.add(varX, tf.mul(d, tf.add(tf.mul(cov, 2), tf.mul(d, varT))))
    }
    const vSum = tf.add(lateral(r.varInX, r.covInXT, r.varInT, r.zIn), lateral(r.varOutX, r.covOutXT, r.varOutT, r.zOut))
    const dt2 = tf.add(tf.square(tf.sub(r.inTx, r.outTx)), tf.square(tf.sub(r.inTy, r.outTy)))
    const varZ = tf.minimum(tf.div(vSum, tf.add(dt2, 1e-12)), maxVarZ)
    const mtx = tf.mul(tf.add(r.inTx, r.outTx), 0.5), mty = tf.mul(tf.add(r.inTy, r.outTy), 0.5)
    const q = tf.mul(vSum, 0.25)
    const varX = tf.add(q, tf.mul(tf.square(mtx), varZ))
    const varY = tf.add(q, tf.mul(tf.square(mty), varZ))
    const parallel = tf.step(tf.sub(eps, D)) // (a bool → float cast is slow on wasm)
    return { x, y, z, varX, varY, varZ, parallel } as unknown as tf.TensorContainerObject
  }) as unknown as Poca
}

/** PoCA positions (or variances) as one [N, 3] tensor (x, y, z per row), on the tape. */
export function pocaPoints(p: Poca, which: 'position' | 'variance' = 'position'): tf.Tensor2D {
  return tf.tidy(() => {
    const c = which === 'position' ? [p.x, p.y, p.z] : [p.varX, p.varY, p.varZ]
    return tf.transpose(tf.stack(c, 0)) as tf.Tensor2D
  })
}

/** Read back: interleaved x, y, z per muon (Float32Array of 3N) for positions and variances. */
export async function pocaToArrays(p: Poca): Promise<{ point: Float32Array; variance: Float32Array; parallel: Float32Array }> {
  const n = p.x.shape[0]
  const point = new Float32Array(3 * n), variance = new Float32Array(3 * n)
  const [x, y, z, vx, vy, vz, parallel] = await readBack([p.x, p.y, p.z, p.varX, p.varY, p.varZ, p.parallel])
  const cols = [x, y, z], vars = [vx, vy, vz]
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) {
    point[3 * i + c] = cols[c][i]
    variance[3 * i + c] = vars[c][i]
  }
  return { point, variance, parallel }
}
