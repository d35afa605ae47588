// Mean energy loss of muons in matter, −dE/dx = a(E) + b(E)·E (PDG RPP 2024 §34.2 and §34.6):
//  a: Bethe's formula (eq. 34.5) with the spin-½ term W²/(8E²) of the muon tables (Groom, Mokhov & Striganov,
//     ADNDT 78 (2001) 183) and Sternheimer's density effect (eq. 34.7; parameters in materials.ts);
//  b: radiative losses (bremsstrahlung, pair production, photonuclear). b is set from the muon critical energy
//     E_μc, where a = b·E, by PDG's fit E_μc = 5700 GeV/(Z+1.47)^0.838 (solids, liquids) or 7980 GeV/(Z+2.03)^0.879
//     (gases), and rises by 15 % per decade of energy (GMS 2001, Fig. 5): b(E) = a(E_μc)/E_μc·(1 + κ ln(E/E_μc)).
//     This is good to about ±20 % in b, i.e. below 1 % of the total loss under 100 GeV in iron, where the
//     radiative part is 2–5 % of it.
import { MATERIALS, MUON_STOPPING, type MaterialName, type MuonStopping } from './materials'
import { MUON_MASS_GEV } from './units'

/** K = 4π N_A r_e² m_e c², MeV mol⁻¹ cm² (PDG RPP 2024 Table 34.1) */
export const BETHE_K_MEV = 0.307075
export const ELECTRON_MASS_GEV = 0.51099895e-3
/** rise of b per unit ln E (15 % per decade) */
const B_SLOPE = 0.15 / Math.LN10
/** b(E) stays above this fraction of b(E_μc) (the fit is for E ≳ 1 GeV; a(E) dominates far below E_μc) */
const B_FLOOR = 0.3

type Sternheimer = NonNullable<MuonStopping['sternheimer']>

/**
 * Density-effect parameters of a material: tabulated, or from I and the plasma energy ħω_p = 28.816·√(ρ⟨Z/A⟩) eV
 * by Sternheimer & Peierls' recipe for solids and liquids (k = 3, x0 and x1 from C̄ and I).
 */
export function sternheimerOf(name: MaterialName): Sternheimer {
  const s = MUON_STOPPING[name]
  if (s.sternheimer) return s.sternheimer
  const hw = 28.816 * Math.sqrt(MATERIALS[name].density_g_cm3 * s.z_over_a)
  const cbar = 2 * Math.log(s.i_ev / hw) + 1
  const low = s.i_ev < 100
  const x1 = low ? 2 : 3
  const x0 = low ? (cbar < 3.681 ? 0.2 : 0.326 * cbar - 1.0) : (cbar < 5.215 ? 0.2 : 0.326 * cbar - 1.5)
  const k = 3
  const a = (cbar - 2 * Math.LN10 * x0) / (x1 - x0) ** k
  return { cbar, x0, x1, a, k, delta0: 0 }
}

/** Sternheimer's δ(βγ) (PDG eq. 34.7) */
export function densityEffect(s: Sternheimer, betaGamma: number): number {
  const x = Math.log10(betaGamma)
  if (x >= s.x1) return 2 * Math.LN10 * x - s.cbar
  if (x >= s.x0) return 2 * Math.LN10 * x - s.cbar + s.a * (s.x1 - x) ** s.k
  return s.delta0 * 10 ** (2 * (x - s.x0))
}

/** largest energy transfer to an electron in one collision, GeV (PDG eq. 34.4) */
export function wMaxGeV(p: number): number {
  const e = Math.sqrt(p * p + MUON_MASS_GEV * MUON_MASS_GEV)
  const bg = p / MUON_MASS_GEV
  const gamma = e / MUON_MASS_GEV
  const r = ELECTRON_MASS_GEV / MUON_MASS_GEV
  return (2 * ELECTRON_MASS_GEV * bg * bg) / (1 + 2 * gamma * r + r * r)
}

/** ionisation part a, MeV cm²/g, of a muon of momentum p (GeV/c) */
export function betheMevCm2G(name: MaterialName, p: number): number {
  const s = MUON_STOPPING[name]
  const e = Math.sqrt(p * p + MUON_MASS_GEV * MUON_MASS_GEV)
  const beta2 = (p * p) / (e * e)
  const bg = p / MUON_MASS_GEV
  const w = wMaxGeV(p)
  const i = s.i_ev * 1e-9
  const log = 0.5 * Math.log((2 * ELECTRON_MASS_GEV * bg * bg * w) / (i * i))
  const bracket = log - beta2 - densityEffect(sternheimerOf(name), bg) / 2 + (w * w) / (8 * e * e)
  return (BETHE_K_MEV * s.z_over_a * bracket) / beta2
}

/** muon critical energy E_μc in GeV (PDG RPP 2024 §34.6, fit to the muon tables); gases below 0.01 g/cm³ */
export function muonCriticalEnergyGeV(name: MaterialName): number {
  const m = MATERIALS[name]
  return m.density_g_cm3 < 0.01 ? 7980 / (m.z + 2.03) ** 0.879 : 5700 / (m.z + 1.47) ** 0.838
}

/** radiative coefficient b(E), g⁻¹ cm² (module comment) */
export function radiativeB(name: MaterialName, e: number): number {
  const ec = muonCriticalEnergyGeV(name)
  const pc = Math.sqrt(ec * ec - MUON_MASS_GEV * MUON_MASS_GEV)
  const bc = (betheMevCm2G(name, pc) * 1e-3) / ec
  return bc * Math.max(B_FLOOR, 1 + B_SLOPE * Math.log(e / ec))
}

/** total mean stopping power a + b·E, MeV cm²/g */
export function muonDedxMevCm2G(name: MaterialName, p: number): number {
  const e = Math.sqrt(p * p + MUON_MASS_GEV * MUON_MASS_GEV)
  return betheMevCm2G(name, p) + radiativeB(name, e) * e * 1e3
}

/** mean stopping power in GeV per metre */
export function muonDedxGeVm(name: MaterialName, p: number): number {
  return muonDedxMevCm2G(name, p) * MATERIALS[name].density_g_cm3 * 0.1
}

/**
 * Tables of the mean loss in GeV/m against ln(kinetic energy) for the hot loops: TABLE_N points, TABLE_PER_E
 * per e-fold, from T = 1 MeV. Linear interpolation in ln T is good to 1e-4 here.
 */
export const TABLE_LN_T0 = Math.log(1e-3)
export const TABLE_PER_E = 8
export const TABLE_N = Math.ceil((Math.log(1e5) - TABLE_LN_T0) * TABLE_PER_E) + 2

/**
 * ln(1 − x) for 0 ≤ x < 1: a series to x⁵ below 0.1 (error < 2e-6), the logarithm above. The hot loops carry ln T
 * along a path with it, T → T − ΔT, instead of taking a logarithm per step.
 */
export function lnOneMinus(x: number): number {
  return x < 0.1 ? -x * (1 + x * (0.5 + x * (1 / 3 + x * (0.25 + x * 0.2)))) : Math.log(1 - x)
}

export function lossTable(name: MaterialName): Float64Array {
  const t = new Float64Array(TABLE_N)
  for (let k = 0; k < TABLE_N; k++) {
    const kin = Math.exp(TABLE_LN_T0 + k / TABLE_PER_E)
    const e = kin + MUON_MASS_GEV
    t[k] = muonDedxGeVm(name, Math.sqrt(e * e - MUON_MASS_GEV * MUON_MASS_GEV))
  }
  return t
}

/** interpolate a loss table (GeV/m) at kinetic energy kin (GeV) */
export function lookupLoss(table: Float64Array, offset: number, kin: number): number {
  const u = (Math.log(kin) - TABLE_LN_T0) * TABLE_PER_E
  const k = u < 0 ? 0 : u > TABLE_N - 2 ? TABLE_N - 2 : Math.floor(u)
  const f = Math.min(1, Math.max(0, u - k))
  return table[offset + k] * (1 - f) + table[offset + k + 1] * f
}

/**
 * Mean energy after thickness x (m) of one material, integrating dE/dx (midpoint rule, steps limited to 2 % of
 * the kinetic energy); 0 when the muon stops (CSDA). Returns the kinetic energy left, GeV.
 */
export function kineticAfter(name: MaterialName, p: number, x: number): number {
  const table = lossTable(name)
  let kin = Math.sqrt(p * p + MUON_MASS_GEV * MUON_MASS_GEV) - MUON_MASS_GEV
  let left = x
  while (left > 0 && kin > 1e-3) {
    const l0 = lookupLoss(table, 0, kin)
    const d = Math.min(left, (0.02 * kin) / l0)
    const l = lookupLoss(table, 0, Math.max(1e-3, kin - 0.5 * l0 * d))
    kin -= l * d
    left -= d
  }
  return left > 0 ? 0 : Math.max(0, kin)
}

/** the smallest momentum (GeV/c) whose mean range exceeds thickness x (m), by bisection */
export function crossingMomentum(name: MaterialName, x: number): number {
  let lo = 0.01, hi = 1e4
  for (let it = 0; it < 60; it++) {
    const mid = Math.sqrt(lo * hi)
    if (kineticAfter(name, mid, x) > 0) hi = mid
    else lo = mid
  }
  return hi
}
