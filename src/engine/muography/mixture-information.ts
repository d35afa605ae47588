// The Fisher information that a muon of unknown momentum carries, relative to one exponential. The EM's likelihood
// for it is the mixture over the prior's quantiles (em.ts, mixtureUpdate): m ~ (1/n) Σ_q Exp(s_q), s_q = c_q·g(t) + e.
// With e small beside the scattering, every scale moves with g(t), so the mixture is a scale family and its
// information about t is (g′/g)² times a number of its shape alone,
//   κ = E[S(x)²],  S(x) = Σ_q ρ_q(x)(x/a_q − 1),  ρ_q ∝ e^(−x/a_q)/a_q,  a_q = c_q/c̄,
// (Cox & Hinkley, Theoretical Statistics (1974) §4.8, for the information of a scale parameter), κ = 1 for one
// exponential. The Fisher task term (fisher.ts) weighs each muon by κ: with the mean c̄ alone it predicted an eighth
// of the variance the ML estimate has (inference.test.ts). The expectation is taken component by component with
// 6-node Gauss–Laguerre quadrature, a few per cent low for widely spread scales (mixture-information.test.ts).

/** Gauss–Laguerre nodes and weights (∫₀^∞ e^(−u) f(u) du ≈ Σ w_k f(u_k), exact for polynomials of degree < 2K) */
export function gaussLaguerre(K: number): { u: Float64Array; w: Float64Array } {
  const u = new Float64Array(K), w = new Float64Array(K)
  let z = 0
  for (let i = 0; i < K; i++) {
    // starting guesses (Stroud & Secrest's), then Newton on L_K
    if (i === 0) z = 3 / (1 + 2.4 * K)
    else if (i === 1) z += 15 / (1 + 2.5 * K)
    else {
      const ai = i - 1
      z += ((1 + 2.55 * ai) / (1.9 * ai)) * (z - u[i - 2])
    }
    let dp = 0, prev = 0
    for (let it = 0; it < 100; it++) {
      // L_K(z) by the three-term recurrence, L_{K−1}(z) kept for the derivative
      let p1 = 1, p2 = 0
      for (let j = 1; j <= K; j++) {
        const p3 = p2
        p2 = p1
        p1 = ((2 * j - 1 - z) * p2 - (j - 1) * p3) / j
      }
      dp = (K * (p1 - p2)) / z
      prev = p2
      const dz = p1 / dp
      z -= dz
      if (Math.abs(dz) <= 1e-14 * Math.abs(z)) break
    }
    u[i] = z
    w[i] = -1 / (dp * K * prev)
  }
  return { u, w }
}

const NODES = gaussLaguerre(6)

/**
 * κ of a muon whose values c_q are c[o + q], q < Q (0 for a value that would have stopped; those leave the mixture).
 * `scratch` holds at least 2Q numbers.
 */
export function mixtureShapeInformation(c: ArrayLike<number>, o: number, Q: number, scratch: Float64Array): number {
  let n = 0, mean = 0
  for (let q = 0; q < Q; q++) if (c[o + q] > 0) { mean += c[o + q]; n++ }
  if (n < 2) return 1
  mean /= n
  // per value at unit mean scale: 1/a_q and ln a_q, packed
  const inv = scratch, ln = scratch.subarray(Q)
  let m = 0
  for (let q = 0; q < Q; q++) {
    if (!(c[o + q] > 0)) continue
    const a = c[o + q] / mean
    inv[m] = 1 / a
    ln[m++] = Math.log(a)
  }
  let kappa = 0
  for (let q = 0; q < n; q++) {
    for (let k = 0; k < NODES.u.length; k++) {
      const x = NODES.u[k] / inv[q]
      // S(x), with the posterior weights taken relative to their largest log
      let top = -Infinity
      for (let r = 0; r < n; r++) top = Math.max(top, -x * inv[r] - ln[r])
      let f = 0, sum = 0
      for (let r = 0; r < n; r++) {
        const d = Math.exp(-x * inv[r] - ln[r] - top)
        f += d
        sum += d * (x * inv[r] - 1)
      }
      kappa += NODES.w[k] * (sum / f) ** 2
    }
  }
  return kappa / n
}
