// Scattering angles from the fitted lines, with their measurement variances in closed form (docs/physics-inference.md).
//
// Directions. A line x(z) = x + t_x (z − z_ref), y(z) = y + t_y (z − z_ref) has direction v = (t_x, t_y, 1)
// (up to sign; the unit travel direction of a downward muon is u = −v/|v|). With n = v_in × v_out,
//   θ = atan2(|n|, v_in·v_out)
// is the 3-D angle between the incoming and outgoing directions, accurate for small and large angles alike
// (arccos of a dot product loses all digits below ~1e-4 rad in float32). |n| is smoothed as sqrt(|n|² + ε²),
// ε = 1e-10, so θ and θ² have finite gradients at θ = 0 (θ ≥ 1e-10 rad, far below any measurement).
// Projected angles: Δθ_x = atan(t_x,out) − atan(t_x,in) (= atan2(v_x, v_z) out − in), and the same in y.
//
// Measurement variances (in and out fits are independent; x and y share the fit covariance V = var(t)):
//  - projected: θ_x = atan t_x, so var(θ_x) = var(t_x)/(1 + t_x²)² (cos⁴ of the projected inclination), and
//      varThetaX = V_in/(1 + t_x,in²)² + V_out/(1 + t_x,out²)².
//  - 3-D: a slope error δt moves the unit direction by δu = (I − u uᵀ) δv/|v|, δv = (δt_x, δt_y, 0), so
//      |δu|² = [δt_x² + δt_y² − (t·δt)²/(1 + T²)]/(1 + T²),  T² = t_x² + t_y²,
//    and with independent x and y errors of variance V each, E|δu|² = V (2 + T²)/(1 + T²)²: the component in the
//    plane of inclination has variance V cos⁴θ, the one perpendicular to it V cos²θ (V(cos⁴θ + cos²θ) is the
//    same number). For small angles θ² ≈ |u_out − u_in|², so measurement error adds E|δu_in|² + E|δu_out|² to
//    E[θ²]. The projected "cos⁴" rule alone would underestimate it for inclined muons.
//  - thetaMsq = θ²/2, the per-muon estimator of the mean projected θ0² (θ² ≈ θ_x² + θ_y², PDG), and
//      varProj = ½ [V_in (2 + T_in²)/(1 + T_in²)² + V_out (2 + T_out²)/(1 + T_out²)²],
//    the measurement-error variance of one projected angle, so that E[thetaMsq] ≈ θ0² + varProj. This is the
//    `e` of em.ts's model.
// cosTheta: the cosine of the inclination of the mean slope (t_in + t_out)/2, 1/sqrt(1 + t̄_x² + t̄_y²).
import { tf } from '../core/tensor'
import type { Reco } from './fit'

export const THETA_EPS = 1e-10

export type Angles = {
  /** unit travel directions (pointing down), [N, 3]; only with { directions: true } */
  dirIn?: tf.Tensor2D
  dirOut?: tf.Tensor2D
  /** 3-D scattering angle (rad) and its square */
  theta: tf.Tensor1D
  theta2: tf.Tensor1D
  /** projected scattering angles, out − in (rad) */
  dThetaX: tf.Tensor1D
  dThetaY: tf.Tensor1D
  /** measurement variance of the projected angles (rad²) */
  varThetaX: tf.Tensor1D
  varThetaY: tf.Tensor1D
  /** θ²/2: the per-muon estimator of the mean projected θ0² */
  thetaMsq: tf.Tensor1D
  /** measurement-error variance of one projected angle: E[thetaMsq] ≈ θ0² + varProj */
  varProj: tf.Tensor1D
  /** cos of the inclination of the mean direction */
  cosTheta: tf.Tensor1D
}

/** (t_in, 1) × (t_out, 1) for slopes t = (t_x, t_y): the three components */
export function crossOfSlopes(r: Reco): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return [
    tf.sub(r.inTy, r.outTy),
    tf.sub(r.outTx, r.inTx),
    tf.sub(tf.mul(r.inTx, r.outTy), tf.mul(r.inTy, r.outTx)),
  ]
}

export interface AngleOptions {
  /**
   * also return the unit direction vectors [N, 3] (off by default: building an [N, 3] tensor from columns costs
   * ~10 ms per 100k muons on wasm, forward and backward)
   */
  directions?: boolean
}

/** Angles from a Reco; fresh tensors (dispose with tf.dispose). Works on the tape. */
export function anglesFromReco(r: Reco, opts: AngleOptions = {}): Angles {
  return tf.tidy(() => {
    const [nx, ny, nz] = crossOfSlopes(r)
    const n2 = tf.add(tf.add(tf.square(nx), tf.square(ny)), tf.square(nz))
    const sinPart = tf.sqrt(tf.add(n2, THETA_EPS * THETA_EPS))
    const dot = tf.add(tf.add(tf.mul(r.inTx, r.outTx), tf.mul(r.inTy, r.outTy)), 1)
    const theta = tf.atan2(sinPart, dot)
    const theta2 = tf.square(theta)
    const thetaMsq = tf.mul(theta2, 0.5)

    const txi2 = tf.square(r.inTx), tyi2 = tf.square(r.inTy)
    const txo2 = tf.square(r.outTx), tyo2 = tf.square(r.outTy)
    const Ti2 = tf.add(txi2, tyi2), To2 = tf.add(txo2, tyo2)
    const onePlusTi = tf.add(Ti2, 1), onePlusTo = tf.add(To2, 1)
    // E|δu|² = V (2 + T²)/(1 + T²)² = V (1 + 1/(1 + T²))/(1 + T²)
    const invI = tf.reciprocal(onePlusTi), invO = tf.reciprocal(onePlusTo)
    const duI = tf.mul(tf.mul(r.varInT, tf.add(invI, 1)), invI)
    const duO = tf.mul(tf.mul(r.varOutT, tf.add(invO, 1)), invO)
    const varProj = tf.mul(tf.add(duI, duO), 0.5)

    const projVar = (ti2: tf.Tensor, to2: tf.Tensor) =>
      tf.add(tf.div(r.varInT, tf.square(tf.add(ti2, 1))), tf.div(r.varOutT, tf.square(tf.add(to2, 1))))
    const varThetaX = projVar(txi2, txo2)
    const varThetaY = projVar(tyi2, tyo2)
    const dThetaX = tf.sub(tf.atan(r.outTx), tf.atan(r.inTx))
    const dThetaY = tf.sub(tf.atan(r.outTy), tf.atan(r.inTy))

    const out: Record<string, tf.Tensor> = {}
    if (opts.directions) {
      const cosI = tf.rsqrt(onePlusTi), cosO = tf.rsqrt(onePlusTo)
      // unit travel directions −(t_x, t_y, 1)/sqrt(1 + T²); stacked along axis 0 then transposed (Pack along
      // axis 1 is very slow on wasm)
      const dir = (tx: tf.Tensor, ty: tf.Tensor, c: tf.Tensor) =>
        tf.transpose(tf.neg(tf.stack([tf.mul(tx, c), tf.mul(ty, c), c], 0)))
      out.dirIn = dir(r.inTx, r.inTy, cosI)
      out.dirOut = dir(r.outTx, r.outTy, cosO)
    }
    const mtx = tf.mul(tf.add(r.inTx, r.outTx), 0.5), mty = tf.mul(tf.add(r.inTy, r.outTy), 0.5)
    const cosTheta = tf.rsqrt(tf.add(tf.add(tf.square(mtx), tf.square(mty)), 1))
    return {
      ...out, theta, theta2, dThetaX, dThetaY, varThetaX, varThetaY, thetaMsq, varProj, cosTheta,
    } as unknown as tf.TensorContainerObject
  }) as unknown as Angles
}
