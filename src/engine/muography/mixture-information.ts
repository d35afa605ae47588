// The Fisher information that a muon of unknown momentum carries, relative to one exponential. The EM's likelihood
// for it is the mixture over the prior's quantiles (em.ts, mixtureUpdate): m ~ (1/n) Σ_q Exp(s_q), s_q = c_q·g(t) + e.
// With e small beside the scattering, every scale moves with g(t), so the mixture is a scale family and its
// information about t is (g′/g)² times a number of its shape alone,
//   κ = E[S(x)²],  S(x) = Σ_q ρ_q(x)(x/a_q − 1),  ρ_q ∝ e^(−x/a_q)/a_q,  a_q = c_q/c̄,
// (Cox & Hinkley, Theoretical Statistics (1974), for the information of a scale parameter), κ = 1 for one
// exponential. The Fisher task term (fisher.ts) weighs each muon by κ: with the mean c̄ alone it predicted an eighth
// of the variance the ML estimate has (inference.test.ts).

/** step in ln x of the trapezoid rule, and how far below the smallest and above the largest scale it reaches (the
 *  integrand, h·S²·x, falls as x below the smallest scale and as e^(−x/a) above the largest) */
const STEP = 0.5, BELOW = Math.log(1e-5), ABOVE = Math.log(45)

/**
 * κ of a muon whose values c_q are c[o + q], q < Q (0 for a value that would have stopped; those leave the mixture).
 * The expectation is ∫ h(x) S(x)² x d(ln x), by the trapezoid rule in ln x, which converges fast for an integrand
 * this smooth that vanishes at both ends. `scratch` holds at least 2Q numbers.
 */
export function mixtureShapeInformation(c: ArrayLike<number>, o: number, Q: number, scratch: Float64Array): number {
  let n = 0, mean = 0
  for (let q = 0; q < Q; q++) if (c[o + q] > 0) { mean += c[o + q]; n++ }
  if (n < 2) return 1
  mean /= n
  // per value at unit mean scale: 1/a_q and ln a_q, packed
  const inv = scratch, ln = scratch.subarray(Q)
  let m = 0, lo = Infinity, hi = -Infinity
  for (let q = 0; q < Q; q++) {
    if (!(c[o + q] > 0)) continue
    const a = c[o + q] / mean
    inv[m] = 1 / a
    ln[m] = Math.log(a)
    lo = Math.min(lo, ln[m])
    hi = Math.max(hi, ln[m])
    m++
  }
  let kappa = 0
  for (let v = lo + BELOW; v <= hi + ABOVE; v += STEP) {
    const x = Math.exp(v)
    // h(x) = (1/n) Σ e^(−x/a_r)/a_r and S(x)·h(x), with the terms taken relative to the largest
    let top = -Infinity
    for (let r = 0; r < n; r++) top = Math.max(top, -x * inv[r] - ln[r])
    let f = 0, sum = 0
    for (let r = 0; r < n; r++) {
      // a term below e^−40 of the largest does not change a double's sum
      const l = -x * inv[r] - ln[r] - top
      if (l < -40) continue
      const d = Math.exp(l)
      f += d
      sum += d * (x * inv[r] - 1)
    }
    // h S² x = e^top (f/n) (sum/f)² x
    kappa += (Math.exp(top) / n) * ((sum * sum) / f) * x
  }
  return kappa * STEP
}
