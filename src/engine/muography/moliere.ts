// Molière's distribution of the space scattering angle, in Bethe's form (Phys. Rev. 89 (1953) 1256, eqs. 25–28;
// constants as in Lynch & Dahl, NIM B58 (1991) 6): the reference the simulated tail is checked against.
//   f(θ) θ dθ = ϑ dϑ [f⁽⁰⁾(ϑ) + f⁽¹⁾(ϑ)/B + f⁽²⁾(ϑ)/B²],  ϑ = θ/(χ_c √B),
//   f⁽ⁿ⁾(ϑ) = (1/n!) ∫₀^∞ u J₀(ϑu) e^(−u²/4) [(u²/4) ln(u²/4)]ⁿ du,   f⁽⁰⁾ = 2 e^(−ϑ²),
//   χ_c² = 0.157 MeV² · Z(Z+1)/A · x[g/cm²] / (βp)²,
//   χ_a² = 2.007·10⁻⁵ MeV² · Z^⅔ [1 + 3.34 (αZ/β)²] / p²,   B − ln B = ln(χ_c² / (1.167 χ_a²)).
// Point nuclei (no form factor), as in Molière's theory.
import { MATERIALS, type MaterialName } from '../core/materials'
import { MUON_MASS_GEV } from '../core/units'

export interface MoliereParams {
  /** χ_c, rad */
  chiC: number
  /** Molière's B */
  b: number
}

export function moliereParams(name: MaterialName, thickness: number, p: number): MoliereParams {
  const m = MATERIALS[name]
  const e = Math.hypot(p, MUON_MASS_GEV)
  const beta = p / e
  const pMev = p * 1e3
  const xg = thickness * 100 * m.density_g_cm3
  const chiC2 = (0.157 * ((m.z * (m.z + 1)) / m.a) * xg) / (pMev * beta) ** 2
  const az = m.z / 137.036
  const chiA2 = (2.007e-5 * m.z ** (2 / 3) * (1 + 3.34 * (az / beta) ** 2)) / (pMev * pMev)
  const lnOmega = Math.log(chiC2 / (1.167 * chiA2))
  let b = Math.max(1.5, lnOmega + Math.log(lnOmega))
  for (let it = 0; it < 50; it++) b = lnOmega + Math.log(b)
  return { chiC: Math.sqrt(chiC2), b }
}

/** J₀ (Abramowitz & Stegun 9.4.1 and 9.4.3, |error| < 1e-7) */
export function besselJ0(x: number): number {
  const ax = Math.abs(x)
  if (ax <= 3) {
    const y = (x / 3) ** 2
    return 1 + y * (-2.2499997 + y * (1.2656208 + y * (-0.3163866 + y * (0.0444479 + y * (-0.0039444 + y * 0.00021)))))
  }
  const y = 3 / ax
  const f0 = 0.79788456 + y * (-0.00000077 + y * (-0.0055274 + y * (-0.00009512 + y * (0.00137237 + y * (-0.00072805 + y * 0.00014476)))))
  const t0 = ax - 0.78539816 + y * (-0.04166397 + y * (-0.00003954 + y * (0.00262573 + y * (-0.00054125 + y * (-0.00029333 + y * 0.00013558)))))
  return (f0 * Math.cos(t0)) / Math.sqrt(ax)
}

/** f⁽ⁿ⁾(ϑ) by Simpson's rule on u ∈ [0, 14] (the integrand is below 1e-20 beyond) */
export function moliereF(n: 0 | 1 | 2, theta: number): number {
  const N = 4000
  const h = 14 / N
  const fact = n === 2 ? 2 : 1
  let s = 0
  for (let k = 0; k <= N; k++) {
    const u = k * h
    const q = (u * u) / 4
    const l = q > 0 ? q * Math.log(q) : 0
    const v = u * besselJ0(theta * u) * Math.exp(-q) * (n === 0 ? 1 : n === 1 ? l : l * l)
    s += v * (k === 0 || k === N ? 1 : k % 2 ? 4 : 2)
  }
  return (s * h) / 3 / fact
}

/** P(θ > θ1) for Molière's space-angle distribution: 1 − ∫₀^ϑ₁ f(ϑ) ϑ dϑ (each f⁽ⁿ⁾, n ≥ 1, integrates to 0) */
export function moliereTailProbability(params: MoliereParams, theta1: number): number {
  const v1 = theta1 / (params.chiC * Math.sqrt(params.b))
  const N = 400
  const h = v1 / N
  let s = 0
  for (let k = 0; k <= N; k++) {
    const v = k * h
    const f = moliereF(0, v) + moliereF(1, v) / params.b + moliereF(2, v) / params.b ** 2
    s += f * v * (k === 0 || k === N ? 1 : k % 2 ? 4 : 2)
  }
  return 1 - (s * h) / 3
}
