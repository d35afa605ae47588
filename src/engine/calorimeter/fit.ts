// Fit of the resolution σ/E = a/√E ⊕ b/E ⊕ c (E in GeV; a in √GeV, b in GeV, c dimensionless): a least-squares
// fit of (σ/E)² = a²/E + b²/E² + c², linear in (a², b², c²), with relative weights (each point's (σ/E)² has about
// the same relative statistical error), constrained to non-negative squares by trying every active set.

import { solveLinear } from '../core/linear-solve'

export interface ResolutionPoint {
  energy_gev: number
  sigma_over_e: number
}

export interface ResolutionFit {
  /** a, fraction·√GeV (0.1 = 10 %/√E) */
  stochastic: number
  /** b, GeV (b/E is a fraction) */
  noise: number
  /** c, fraction */
  constant: number
}

/** withNoise false: the two-term form a/√E ⊕ c that most hadron test beams publish */
export function fitResolution(points: readonly ResolutionPoint[], withNoise = true): ResolutionFit | null {
  const pts = points.filter((p) => p.energy_gev > 0 && Number.isFinite(p.sigma_over_e) && p.sigma_over_e > 0)
  if (pts.length === 0) return null
  const X = pts.map((p) => [1 / p.energy_gev, 1 / p.energy_gev ** 2, 1])
  const y = pts.map((p) => p.sigma_over_e ** 2)
  const w = y.map((v) => 1 / (v * v))
  let best: { theta: number[]; chi2: number } | null = null
  for (let mask = 1; mask < 8; mask++) {
    const cols = [0, 1, 2].filter((k) => mask & (1 << k))
    if (!withNoise && cols.includes(1)) continue
    if (cols.length > pts.length) continue
    const A = cols.map((i) => cols.map((j) => X.reduce((s, x, e) => s + w[e] * x[i] * x[j], 0)))
    const r = cols.map((i) => X.reduce((s, x, e) => s + w[e] * x[i] * y[e], 0))
    const sol = solveLinear(A, r)
    if (!sol || sol.some((v) => !(v >= 0))) continue
    const theta = [0, 0, 0]
    cols.forEach((k, i) => { theta[k] = sol[i] })
    const chi2 = X.reduce((s, x, e) => s + w[e] * (x[0] * theta[0] + x[1] * theta[1] + x[2] * theta[2] - y[e]) ** 2, 0)
    if (!best || chi2 < best.chi2 - 1e-15) best = { theta, chi2 }
  }
  if (!best) return null
  return { stochastic: Math.sqrt(best.theta[0]), noise: Math.sqrt(best.theta[1]), constant: Math.sqrt(best.theta[2]) }
}

/** the fitted curve at E */
export function resolutionAt(fit: ResolutionFit, energy_gev: number): number {
  return Math.sqrt(fit.stochastic ** 2 / energy_gev + fit.noise ** 2 / energy_gev ** 2 + fit.constant ** 2)
}
