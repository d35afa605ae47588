// Per-voxel scattering density λ = 1/X0 by maximum likelihood, solved with multiplicative (EM-type) updates.
// Model: each muon's mean projected angle² m = θ²/2 (θ the 3-D angle between its fitted incoming and outgoing
// directions) is exponentially distributed with mean s = c·g(t) + e, where t = Σ_j L_j λ_j is its path in radiation
// lengths (cumulative Highland, see highland.ts), c = (13.6 MeV/βp)² and e the measurement variance of one
// projected angle. This is the angle part of the ML/EM reconstruction of Schultz et al., IEEE TIP 16 (2007) 1985,
// with the Highland log term kept (docs/physics-inference.md, "Calibrated X0"), which is what makes the X0 scale calibrated.
import { highlandG, highlandGPrime } from './highland'
import type { PathMatrix } from './paths'

export const LAMBDA_MIN = 1e-4 // X0 ≤ 10 km
export const LAMBDA_MAX = 1e4 // X0 ≥ 0.1 mm

export interface MuonObservations {
  /** θ²/2 per muon (rad²) */
  m: ArrayLike<number>
  /** measurement variance of one projected angle (rad²) */
  e: ArrayLike<number>
  /** detection weight in [0, 1] (0 = not used) */
  w: ArrayLike<number>
  /** (13.6 MeV/βp)² per muon; with unknown momentum the spectrum mean */
  c: ArrayLike<number>
}

export interface EmResult {
  lambda: Float64Array
  /** per voxel: Σ w·L (efficiency-weighted path through the voxel, m) — 0 means no information */
  coverage: Float64Array
  iterations: number
}

/** The best single λ for the whole volume, used to start the iterations. */
function globalLambda(paths: PathMatrix, obs: MuonObservations): number {
  let lam = 1 / 0.1
  for (let it = 0; it < 30; it++) {
    let num = 0
    let den = 0
    for (let i = 0; i < paths.nMuons; i++) {
      const w = obs.w[i]
      const L = paths.total[i]
      if (!(w > 0) || !(L > 0)) continue
      const t = L * lam
      const s = obs.c[i] * highlandG(t) + obs.e[i]
      const a = w * obs.c[i] * highlandGPrime(t) * L
      num += (a * obs.m[i]) / (s * s)
      den += a / s
    }
    if (!(den > 0)) return lam
    const next = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, (lam * num) / den))
    if (Math.abs(next - lam) < 1e-6 * lam) return next
    lam = next
  }
  return lam
}

export function solveScatteringDensity(
  paths: PathMatrix, obs: MuonObservations, opts: { iterations?: number; init?: Float64Array } = {},
): EmResult {
  const V = paths.nVoxels
  const N = paths.nMuons
  const iterations = opts.iterations ?? 40
  const lambda = opts.init ? Float64Array.from(opts.init) : new Float64Array(V).fill(globalLambda(paths, obs))
  const coverage = new Float64Array(V)
  for (let k = 0; k < paths.nnz; k++) {
    const w = obs.w[paths.muon[k]]
    if (w > 0) coverage[paths.voxel[k]] += w * paths.length[k]
  }
  const t = new Float64Array(N)
  const num = new Float64Array(V)
  const den = new Float64Array(V)
  const aNum = new Float64Array(N)
  const aDen = new Float64Array(N)
  for (let it = 0; it < iterations; it++) {
    t.fill(0)
    for (let k = 0; k < paths.nnz; k++) t[paths.muon[k]] += paths.length[k] * lambda[paths.voxel[k]]
    for (let i = 0; i < N; i++) {
      const w = obs.w[i]
      if (!(w > 0) || !(t[i] > 0)) { aNum[i] = 0; aDen[i] = 0; continue }
      const s = obs.c[i] * highlandG(t[i]) + obs.e[i]
      const a = w * obs.c[i] * highlandGPrime(t[i])
      aNum[i] = (a * obs.m[i]) / (s * s)
      aDen[i] = a / s
    }
    num.fill(0)
    den.fill(0)
    for (let k = 0; k < paths.nnz; k++) {
      const i = paths.muon[k]
      const L = paths.length[k]
      num[paths.voxel[k]] += aNum[i] * L
      den[paths.voxel[k]] += aDen[i] * L
    }
    for (let j = 0; j < V; j++) {
      if (den[j] > 0) lambda[j] = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, (lambda[j] * num[j]) / den[j]))
    }
  }
  return { lambda, coverage, iterations }
}

/** X0 = 1/λ; voxels without information get NaN. */
export function x0FromLambda(res: EmResult): Float64Array {
  const out = new Float64Array(res.lambda.length)
  for (let j = 0; j < out.length; j++) out[j] = res.coverage[j] > 0 ? 1 / res.lambda[j] : NaN
  return out
}
