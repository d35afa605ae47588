// Highland–Lynch–Dahl multiple-scattering width (PDG RPP 2024 eq. 34.15) in the cumulative form used by both the
// simulation and the inference: θ0²(t) = c · g(t), with t = Σ x/X0 along the path, c = (13.6 MeV/βp)² and
// g(t) = t (1 + 0.038 ln t)². Applying it to the total t (not per step) is what PDG recommends.
import { HIGHLAND_GEV, HIGHLAND_LOG, MUON_MASS_GEV } from '../core/units'

const T_MIN = 1e-9

/** (13.6 MeV / βcp)² in rad² for a muon of momentum p (GeV/c) */
export function highlandC(p: number): number {
  const e = Math.sqrt(p * p + MUON_MASS_GEV * MUON_MASS_GEV)
  const betaP = (p * p) / e
  return (HIGHLAND_GEV / betaP) ** 2
}

/** g(t) = t (1 + 0.038 ln t)² */
export function highlandG(t: number): number {
  const tc = Math.max(t, T_MIN)
  const f = 1 + HIGHLAND_LOG * Math.log(tc)
  return tc * f * f
}

/** dg/dt = (1 + b ln t)(1 + b ln t + 2b) */
export function highlandGPrime(t: number): number {
  const tc = Math.max(t, T_MIN)
  const f = 1 + HIGHLAND_LOG * Math.log(tc)
  return f * (f + 2 * HIGHLAND_LOG)
}

/** θ0 in radians for thickness x (m) of radiation length x0 (m) at momentum p (GeV/c) */
export function highlandTheta0(x: number, x0: number, p: number): number {
  return Math.sqrt(highlandC(p) * highlandG(x / x0))
}
