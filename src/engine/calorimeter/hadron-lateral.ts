// Lateral containment of pion showers: a two-component radial profile, an electromagnetic core and a hadronic halo,
// each with the radially exponential areal density ρ(r) ∝ e^(−r/r0), whose integral over a disk of radius R is
//   F(R) = 1 − (1 + R/r0)·e^(−R/r0).
// The scales come from the containment radii the PDG and the reviews quote:
//  - core (the π0 showers): 90 % of an electromagnetic shower lies within one Molière radius (PDG RPP 2024 §34.5),
//    so r_em = R_M / x90 with F(x90) = 0.9;
//  - halo (the non-electromagnetic part): 95 % of a hadron shower lies within a cylinder of radius ≈ 1 λ_I
//    (Fabjan & Gianotti, RMP 75 (2003) 1243, §IV.A; PDG RPP 2024, Calorimetry review). We give the halo alone
//    95 % at 1 λ_I, so that the whole shower, whose core is narrower, holds 95–98 % there [E]:
//    r_h = λ_I / x95 with F(x95) = 0.95.
// A shower's contained fraction is f_em·F_em + f_h·F_h, so it fluctuates with its own hadronic fraction. The halo
// does not widen with depth here (Bock et al. give no radial law) and the beam hits the face's centre; the square
// face becomes the circle of equal area.
import { tf } from '../core/tensor'

/** x at which 1 − (1 + x)e^(−x) reaches the fraction q (Newton's method; F' = x e^(−x)) */
export function exponentialDiskRadius(q: number): number {
  let x = 3
  for (let i = 0; i < 50; i++) x -= (1 - (1 + x) * Math.exp(-x) - q) / (x * Math.exp(-x))
  return x
}

/** the fraction of ρ(r) ∝ e^(−r/r0) inside radius R, plain numbers (for tests and reports) */
export const exponentialDiskFraction = (R: number, r0: number): number => 1 - (1 + R / r0) * Math.exp(-R / r0)

export const X90 = exponentialDiskRadius(0.9)
export const X95 = exponentialDiskRadius(0.95)

/** contained fraction of the core and of the halo, scalars, for a face of equal-area radius `radius` (m) */
export function hadronContainment(radius: number, rmEff: tf.Scalar, lambdaEff: tf.Scalar): { em: tf.Scalar; h: tf.Scalar } {
  const frac = (r0: tf.Scalar) => {
    const x = tf.scalar(radius).div(r0)
    return tf.scalar(1).sub(x.add(1).mul(x.neg().exp())) as tf.Scalar
  }
  return { em: frac(rmEff.div(X90) as tf.Scalar), h: frac(lambdaEff.div(X95) as tf.Scalar) }
}
