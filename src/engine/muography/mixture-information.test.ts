// The mixture likelihood's terms for the Fisher task term (mixture-information.ts) against fine numerical integrals
// of their definitions.
import { expect, test } from 'vitest'
import { highlandG } from './highland'
import { mixtureScratch, mixtureSlopes, mixtureWeights } from './mixture-information'

/** ∫ f(x) x d(ln x) on a fine logarithmic grid (trapezoid, 400 000 points) from 10⁻¹⁰ to 400 × top */
function fineIntegral(top: number, f: (x: number) => number): number {
  const lo = Math.log(1e-10), hi = Math.log(400 * top), N = 400_000, dv = (hi - lo) / N
  let sum = 0
  for (let k = 0; k <= N; k++) {
    const x = Math.exp(lo + k * dv)
    sum += (k === 0 || k === N ? 0.5 : 1) * f(x) * x * dv
  }
  return sum
}

/** κ = E[S(x)²], S = Σ_q ρ_q(x)(x/a_q − 1), of the mixture of Exp(a_q), a_q = c_q/c̄ */
function fineKappa(c: number[]): number {
  const n = c.length, mean = c.reduce((a, b) => a + b, 0) / n, a = c.map((v) => v / mean)
  return fineIntegral(Math.max(...a), (x) => {
    let h = 0, s = 0
    for (const ar of a) {
      const d = Math.exp(-x / ar) / ar / n
      h += d
      s += d * (x / ar - 1)
    }
    return (s * s) / h
  })
}

test('κ is 1 for equal values and falls as the scales spread, within 0.05 % of the integral', () => {
  const scratch = new Float64Array(30), w = new Float64Array(10)
  expect(Math.abs(mixtureWeights([2e-4, 2e-4, 2e-4], 3, w, scratch) - 1)).toBeLessThan(1e-4)
  let last = 1
  for (const c of [[1, 1.2], [1, 10], [1, 3, 10, 30, 100], [0.2, 0.5, 1, 2, 5, 20, 80, 300, 1000]]) {
    const kappa = mixtureWeights(c, c.length, w, scratch), fine = fineKappa(c)
    console.log(`κ(${c.join(', ')}): ${kappa.toFixed(6)}, integral ${fine.toFixed(6)}`)
    // the trapezoid rule in ln x, step 0.5, from 10⁻⁵ of the smallest scale
    expect(Math.abs(kappa / fine - 1)).toBeLessThan(5e-4)
    expect(kappa).toBeLessThan(last)
    last = kappa
  }
})

test('a muon\'s score variance and slope equal E[ψ²] and E[ψ·∂ ln p/∂λ] of the mixture, by finite differences, when each quantile slows differently', () => {
  // one muon: t = t0 + L (λ − λ0), quantile q's c_q(λ) = c_q + d_q (λ − λ0); the slowest quantile gains most, relatively
  const c = [2e-6, 8e-6, 3e-5, 2e-4], d = [1e-8, 6e-8, 5e-7, 1.2e-5], t0 = 3, L = 0.25, lambda0 = 1 / 0.0176
  const n = c.length, h = 1e-4 * lambda0
  const scales = (dl: number, follow: boolean) => c.map((cq, q) => (cq + (follow ? d[q] * dl : 0)) * highlandG(t0 + L * dl))
  const lnP = (m: number, s: number[]) => Math.log(s.reduce((a, sq) => a + Math.exp(-m / sq) / sq, 0) / n)
  // ψ: the score with c fixed (the EM's); the full score lets c follow λ
  const fixed = [scales(h, false), scales(-h, false)], full = [scales(h, true), scales(-h, true)], mid = scales(0, true)
  const score = (m: number, s: number[][]) => (lnP(m, s[0]) - lnP(m, s[1])) / (2 * h)
  const top = Math.max(...mid)
  const varPsi = fineIntegral(top, (m) => Math.exp(lnP(m, mid)) * score(m, fixed) ** 2)
  const slope = fineIntegral(top, (m) => Math.exp(lnP(m, mid)) * score(m, fixed) * score(m, full))
  const out = new Float64Array(1)
  const kappa = mixtureSlopes(Float64Array.from(c), n, Float64Array.from(d), 1, 1, [L], 0, t0, out, mixtureScratch(n))
  const mean = c.reduce((a, b) => a + b, 0) / n, cg = mean * highlandG(t0)
  const gp = (highlandG(t0 + 1e-6) - highlandG(t0 - 1e-6)) / 2e-6, cgpL = mean * gp * L
  console.log(`Var ψ ${(kappa * cgpL ** 2 / cg ** 2).toExponential(6)} (integral ${varPsi.toExponential(6)}), slope ${(kappa * cgpL * out[0] / cg ** 2).toExponential(6)} (integral ${slope.toExponential(6)})`)
  expect(Math.abs((kappa * cgpL ** 2) / cg ** 2 / varPsi - 1)).toBeLessThan(1e-3)
  expect(Math.abs((kappa * cgpL * out[0]) / cg ** 2 / slope - 1)).toBeLessThan(1e-3)
  // the quantiles' own derivatives matter: the mean c̄'s derivative gives a slope 14 % high here
  const dMean = d.reduce((a, b) => a + b, 0) / n
  expect((kappa * cgpL * (cgpL + highlandG(t0) * dMean)) / cg ** 2 / slope - 1).toBeGreaterThan(0.1)
  // one value: one exponential's terms, κ = 1 and ∂s/∂λ = c g′ L + g ∂c/∂λ
  expect(mixtureSlopes(Float64Array.of(c[3]), 1, Float64Array.of(d[3]), 1, 1, [L], 0, t0, out, mixtureScratch(1))).toBe(1)
  expect(Math.abs(out[0] / (c[3] * gp * L + highlandG(t0) * d[3]) - 1)).toBeLessThan(1e-6)
})
