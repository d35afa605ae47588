// Hadron showers, parametrised (plain numbers here; the tensor twin is in hadron-shower.ts).
//
// Electromagnetic fraction (Groom's power law; PDG RPP 2024, "Calorimetry" review, hadronic showers; D. E. Groom,
// NIM A572 (2007) 633):  ⟨f_em⟩ = 1 − (E/E0)^(m−1),  E0 = 1 GeV, m = 0.83 for pions.
// Its shower-to-shower spread: the hadronic fraction f_h = 1 − f_em is log-normal about ⟨f_h⟩ with a relative
// width of 0.27, the spread of the π0 share of the first interactions that fix most of it [E] (so σ(f_em) falls with
// energy like ⟨f_h⟩ ∝ E^(−0.17), as the non-compensation term of test-beam fits does).
//
// e/h (Wigmans, NIM A259 (1987) 389; Calorimetry, 2nd ed., ch. 3): e/h = (e/mip)/(h/mip), with e/mip = ê (GFLASH)
// and the non-EM energy split into ionisation by charged hadrons (sampled like mips, p/mip = 1), kinetic energy of
// evaporation neutrons and invisible nuclear binding energy:
//   h/mip = f_ion + f_n·n/mip,   f_inv = 0.34,  f_n = 0.10·Z_abs/82,  f_ion = 1 − f_inv − f_n
// (Wigmans' composition for lead, 56 % ionisation, 10 % neutrons, 34 % invisible, with the neutron share scaled by Z
// as the number of evaporation neutrons is [E]). Neutrons deposit visible energy only through recoil protons in a
// hydrogenous active medium:
//   n/mip = q·s_H/f_mip,  s_H = the share of neutron energy lost on the active layers' hydrogen,
// with energy-removal coefficients per unit length k_H = n_H·σ_np·½ (σ_np = 3.5 b at 1–2 MeV, half the energy per
// collision) and, for every other nucleus, k_A = n_A·½·π(1.2 fm)²A^(2/3) (geometric inelastic cross section, half
// the energy per collision) [E]. q = 0.075 is the one constant set to data: it makes 10 mm Pb / 2.5 mm scintillator
// (Wigmans' 4:1 compensation condition) and ZEUS's 3.3 mm U / 2.6 mm scintillator (Behrens et al., NIM A289 (1990)
// 115) compensating. It stands for the Birks quenching of the recoil protons and the neutrons' other losses.
//
// Longitudinal profile (Bock, Hansl-Kozanecka & Shah, NIM 186 (1981) 533), from the first interaction:
//   dE/dx ∝ w (x/X0)^(a−1) e^(−b x/X0) + (1−w) (x/λ)^(a−1) e^(−d x/λ),
//   a = 0.6165 + 0.3183 ln E, b = 0.2198, d = 0.9099 − 0.0237 ln E, w = 0.4634 (E in GeV),
// and the first interaction at an exponentially distributed depth with a mean of one λ_I.
//
// Hadronic sampling fluctuations (Drews et al., NIM A290 (1990) 335; Wigmans): σ/E = 11.5 %·√(ΔE_mip[MeV]/E), with
// ΔE_mip the energy a mip loses in one sampling cell.
import { dedxMin_GeV_m, material, type Material } from '../core/materials'
import type { Cell } from './stack'

export const GROOM = { e0_gev: 1, m: 0.83 }
export const FH_RELATIVE_SPREAD = 0.27
export const HADRON_SAMPLING_A = 0.115
export const BOCK = { a0: 0.6165, a1: 0.3183, b: 0.2198, d0: 0.9099, d1: -0.0237, w: 0.4634 }
export const COMPOSITION = { fInv: 0.34, fnLead: 0.1 }
export const NEUTRON_VISIBILITY_Q = 0.075

const N_A = 6.02214e23
const SIGMA_NP_CM2 = 3.5e-24
const R0_CM = 1.2e-13

/** hydrogen mass fraction of the hydrogenous materials (stoichiometry: PVT C9H10, (CH2)n, H2O, cellulose C6H10O5) */
const HYDROGEN: Partial<Record<string, number>> = { scintillator: 0.0853, polyethylene: 0.1437, water: 0.1119, wood: 0.0622 }

/** neutron energy-removal coefficients (per metre) on hydrogen and on all other nuclei */
export function neutronRemoval(name: string): { kH: number; kA: number } {
  const m: Material = material(name)
  const wH = HYDROGEN[name] ?? 0
  // the non-hydrogen part of a hydrogenous material: mostly carbon (and oxygen), A ≈ 12
  const aRest = wH > 0 ? 12 : m.a
  const nH = (m.density_g_cm3 * wH * N_A) / 1.008
  const nA = (m.density_g_cm3 * (1 - wH) * N_A) / aRest
  const sigmaA = 0.5 * Math.PI * R0_CM ** 2 * aRest ** (2 / 3)
  return { kH: nH * SIGMA_NP_CM2 * 0.5 * 100, kA: nA * sigmaA * 100 }
}

/** ⟨f_em⟩ of a pion shower at E (GeV), 0 below E0 */
export function emFraction(energy_gev: number): number {
  return Math.max(0, 1 - (energy_gev / GROOM.e0_gev) ** (GROOM.m - 1))
}

export function bockParameters(energy_gev: number): { a: number; b: number; d: number; w: number } {
  const l = Math.log(energy_gev)
  return { a: BOCK.a0 + BOCK.a1 * l, b: BOCK.b, d: BOCK.d0 + BOCK.d1 * l, w: BOCK.w }
}

export interface HadronicResponse {
  ehat: number
  hOverMip: number
  nOverMip: number
  /** share of the neutron energy lost on the active layers' hydrogen */
  sH: number
  eOverH: number
}

/** e/h of a stack (sums over all its layers; mass-weighted Z of the absorbers) */
export function hadronicResponse(cells: readonly Cell[]): HadronicResponse {
  let visA = 0, visP = 0, kHa = 0, kAll = 0, massP = 0, massPZ = 0, massA = 0, massAZ = 0
  for (const c of cells) {
    const p = material(c.absorber), a = material(c.active)
    const np = neutronRemoval(c.absorber), na = neutronRemoval(c.active)
    visA += c.active_thickness * dedxMin_GeV_m(a)
    visP += c.absorber_thickness * dedxMin_GeV_m(p)
    kHa += c.active_thickness * na.kH
    kAll += c.active_thickness * (na.kH + na.kA) + c.absorber_thickness * (np.kH + np.kA)
    massP += c.absorber_thickness * p.density_g_cm3; massPZ += c.absorber_thickness * p.density_g_cm3 * p.z
    massA += c.active_thickness * a.density_g_cm3; massAZ += c.active_thickness * a.density_g_cm3 * a.z
  }
  const homogeneous = massP === 0
  const zAbs = homogeneous ? massAZ / massA : massPZ / massP
  const ehat = homogeneous ? 1 : 1 / (1 + 0.007 * (massPZ / massP - massAZ / massA))
  const fMip = visA / (visA + visP)
  const sH = kHa / kAll
  const nOverMip = (NEUTRON_VISIBILITY_Q * sH) / fMip
  const fn = (COMPOSITION.fnLead * zAbs) / 82
  const hOverMip = 1 - COMPOSITION.fInv - fn + fn * nOverMip
  return { ehat, hOverMip, nOverMip, sH, eOverH: ehat / hOverMip }
}

/** hadronic sampling term of one uniform stack of such cells, √GeV: 11.5 %·√(ΔE_mip per cell in MeV) */
export function hadronSamplingRule(c: Cell): number {
  const dE = (c.absorber_thickness * dedxMin_GeV_m(material(c.absorber)) + c.active_thickness * dedxMin_GeV_m(material(c.active))) * 1000
  return HADRON_SAMPLING_A * Math.sqrt(dE)
}
