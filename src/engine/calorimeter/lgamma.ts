// ln Γ(x) in tensor ops (the Lgamma kernel is not registered on the wasm backend).
// Recurrence Γ(x) = Γ(x+4) / (x(x+1)(x+2)(x+3)), then Stirling's series for z = x+4 ≥ 4
// (Abramowitz & Stegun 6.1.41): ln Γ(z) ≈ (z−½) ln z − z + ½ ln 2π + 1/(12z) − 1/(360z³) + 1/(1260z⁵).
// For x ≥ 0.5 the truncation error is below 2e-8, far under float32 rounding.
import { tf } from '../core/tensor'

const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI)

export function lnGamma(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const z = x.add(4)
    const zi = z.reciprocal()
    const zi2 = zi.square()
    const series = zi.mul(tf.scalar(1 / 12).sub(zi2.mul(tf.scalar(1 / 360).sub(zi2.mul(1 / 1260)))))
    const stirling = z.sub(0.5).mul(z.log()).sub(z).add(HALF_LN_2PI).add(series)
    const shift = x.mul(x.add(1)).mul(x.add(2)).mul(x.add(3)).log()
    return stirling.sub(shift)
  })
}

/** the same in float64 numbers, for checks */
export function lnGammaNumber(x: number): number {
  const z = x + 4
  const zi = 1 / z, zi2 = zi * zi
  return (z - 0.5) * Math.log(z) - z + HALF_LN_2PI + zi * (1 / 12 - zi2 * (1 / 360 - zi2 / 1260))
    - Math.log(x * (x + 1) * (x + 2) * (x + 3))
}
