// What a muon of unknown momentum tells about the voxels it crosses, for the Fisher task term (fisher.ts). The EM's
// likelihood for it is the mixture over the prior's quantiles that leave (em.ts, mixtureUpdate):
//   m ~ (1/n) Σ_q Exp(s_q),  s_q = c_q·g(t) + e,
// and the EM's update solves ψ = 0 for the score in t with every c_q held fixed (c follows λ only at the refreshes),
//   ψ = Σ_q ρ_q(m) (m/s_q − 1) c_q g′(t) L_j / s_q,
// ρ_q the posterior weight of quantile q. The estimate's variance is then the sandwich Var ψ / (E ∂ψ/∂λ_j)²
// (Huber, Proc. Fifth Berkeley Symp. Math. Stat. Prob. 1 (1967) 221), and the slope takes in that each quantile
// slows down differently in a denser voxel: ∂s_q/∂λ_j = c_q g′ L_j + g ∂c_q/∂λ_j. With e small beside the
// scattering, x = m/(c̄ g) follows the mixture of Exp(a_q), a_q = c_q/c̄, a distribution of its shape alone, and
// with u_q = x/a_q − 1 and S = Σ_q ρ_q u_q (Cox & Hinkley, Theoretical Statistics (1974), on the information of a
// scale parameter):
//   Var ψ = κ (c̄ g′ L_j)² / (c̄ g)²,  κ = E[S²] (1 for one exponential),
//   −E ∂ψ/∂λ_j = E[ψ · score] = c̄ g′ L_j Σ_q w_q z_q / (c̄ g)²,  w_q = E[ρ_q u_q S],  z_q = (∂s_q/∂λ_j)/a_q,
// with Σ_q w_q = κ. So a muon's term is that of a known momentum, (c g′ L)² and (c g′ L)·∂s/∂λ_j, times κ and
// with ∂s/∂λ_j the w-weighted mean of the z_q. With the mean c̄ and its mean derivative and no κ, the term
// predicted an eighth of the variance that the estimate has (inference.test.ts).
import { fastExp } from '../core/fast-exp'
import { highlandG, highlandGPrime } from './highland'

/** step in ln x of the trapezoid rule, and how far below the smallest and above the largest scale it reaches (the
 *  integrand falls as x below the smallest scale and as e^(−x/a) above the largest); the GPU's kernel uses the
 *  same (gpu/momentum-derivative.ts) */
export const MIXTURE_GRID = { step: 0.5, below: Math.log(1e-5), above: Math.log(45) }
const STEP = MIXTURE_GRID.step, BELOW = MIXTURE_GRID.below, ABOVE = MIXTURE_GRID.above

/**
 * The weights w_q = E[ρ_q u_q S] of the values c[0..n) (all > 0) into w; returns κ = Σ_q w_q. The expectation is
 * ∫ h(x) (…) x d(ln x), h the mixture's density, by the trapezoid rule in ln x, which converges fast for an
 * integrand this smooth that vanishes at both ends. `scratch` holds at least 2n numbers.
 */
export function mixtureWeights(c: ArrayLike<number>, n: number, w: Float64Array, scratch: Float64Array): number {
  w.fill(0, 0, n)
  let mean = 0
  for (let q = 0; q < n; q++) mean += c[q]
  mean /= n
  // per value at unit mean scale: 1/a_q, and at each grid point d_q·u_q
  const inv = scratch, du = scratch.subarray(n, 2 * n)
  let lo = Infinity, hi = -Infinity
  for (let q = 0; q < n; q++) {
    const a = c[q] / mean
    inv[q] = 1 / a
    lo = Math.min(lo, a)
    hi = Math.max(hi, a)
  }
  // for the largest a_q, d_r/d_q = (a_q/a_r)·e^(y_q − y_r), and ln(hi/lo) bounds the first factor's log
  const spread = Math.log(hi / lo)
  for (let v = Math.log(lo) + BELOW; v <= Math.log(hi) + ABOVE; v += STEP) {
    const x = Math.exp(v)
    // each density e^(−x/a)/a relative to e^top = 1/(e·x), the most any of them can be at x (at a = x):
    // d = y·e^(1 − y), y = x/a, at most 1 and at least 45·e^(−44) on this grid (y ≤ 45 for the largest a). A term
    // below e^−40 of the largest a's, and so of the sum, does not change a double's sum. The exponentials are most
    // of the loop: Tang's (core/fast-exp.ts).
    const skip = x / hi + 40 + spread
    let f = 0, sum = 0
    for (let r = 0; r < n; r++) {
      const y = x * inv[r], d = y > skip ? 0 : y * fastExp(1 - y)
      f += d
      du[r] = d * (y - 1)
      sum += du[r]
    }
    // h ρ_q u_q S x = e^top d_q u_q (Σ_r d_r u_r) x / (n f)
    const weight = (STEP * sum) / (Math.E * n * f)
    for (let q = 0; q < n; q++) w[q] += weight * du[q]
  }
  let kappa = 0
  for (let q = 0; q < n; q++) kappa += w[q]
  return kappa
}

/** scratch for mixtureSlopes with up to q values */
export interface MixtureScratch { w: Float64Array; s: Float64Array }

export function mixtureScratch(q: number): MixtureScratch {
  return { w: new Float64Array(q), s: new Float64Array(2 * q) }
}

/**
 * One muon's κ (returned) and its ∂s/∂λ_j for each voxel it crosses, the w-weighted mean of the z_q, into
 * out[k0 + o] for its entries o < E. `c`: the n values that leave; `dc`: their derivatives, value q's at
 * q·stride + o; `length`: the entries' lengths (from k0); t: the path's Σ L λ.
 */
export function mixtureSlopes(
  c: Float64Array, n: number, dc: Float64Array, stride: number, E: number,
  length: ArrayLike<number>, k0: number, t: number, out: Float64Array, s: MixtureScratch,
): number {
  const g = highlandG(t), gp = highlandGPrime(t)
  let mean = 0
  for (let q = 0; q < n; q++) mean += c[q]
  mean /= n
  // one value: w = κ = 1 exactly
  let kappa = 1
  if (n === 1) s.w[0] = 1
  else kappa = mixtureWeights(c, n, s.w, s.s)
  // Σ_q w_q z_q = c̄ g′ L κ + g Σ_q (w_q c̄/c_q) ∂c_q/∂λ
  for (let q = 0; q < n; q++) s.w[q] *= mean / c[q]
  for (let o = 0; o < E; o++) {
    let sum = 0
    for (let q = 0; q < n; q++) sum += s.w[q] * dc[q * stride + o]
    out[k0 + o] = mean * gp * length[k0 + o] + (g * sum) / kappa
  }
  return kappa
}
