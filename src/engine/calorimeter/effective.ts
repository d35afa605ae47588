// Effective quantities of a sampling stack (plain numbers; the differentiable twin is in effective-tensors.ts).
//
// GFLASH treats a sampling calorimeter as one effective medium (Grindhammer & Peters, hep-ex/0001020, §4;
// Geant4 GFlashSamplingShowerParameterisation::ComputeZAX0EFFetc). Generalised from one absorber/active pair to
// the whole stack by summing over every layer:
//   Z_eff   = Σ m_j Z_j / Σ m_j                (m_j = ρ_j d_j, mass per area)
//   X0,eff  = D / Σ (d_j / X0_j)              (thickness-weighted 1/X0; D = total depth)
//   Ec,eff  = Σ (d_j/X0_j) Ec_j / Σ (d_j/X0_j)
//   R_M,eff = E_s · D / Σ (d_j Ec_j / X0_j)   (E_s = 21.2052 MeV)
//   F_S     = X0,eff / (D / N_cells)          (sampling frequency: cells per X0)
//   ê       = 1 / (1 + 0.007 (Z_passive − Z_active))
// Ec,eff and R_M,eff follow the PDG mixture rule 1/R_M = Σ (w_j Ec_j / X0_j)/E_s with mass fractions w_j and X0
// in g/cm² (PDG RPP 2024 §34.4.2), which is the same as volume fractions with X0 in metres. Geant4's code mixes
// mass fractions with X0 in length units; for 1.53 mm Pb + 4.2 mm LAr that doubles Ec,eff (19.9 vs 9.95 MeV).
import { dedxMin_GeV_m, material, type Material } from '../core/materials'
import type { Cell } from './stack'

/** E_s, the scale energy of the Molière radius, MeV (PDG RPP 2024 §34.4.2) */
export const E_S_MEV = 21.2052

/** Stochastic-term rule a = 2.7 %·√(d_mm / f_samp) (Wigmans, Calorimetry 2nd ed.; Fabjan & Gianotti RMP 75
 *  (2003) 1243), a in √GeV. */
export const SAMPLING_RULE_A = 0.027

/** The rule underestimates thin silicon by 1.3–2× (Landau and path-length fluctuations); we scale
 *  its amplitude by 1.5, which reproduces the CALICE Si–W prototype (≈ 16.6 %/√E; Adloff et al., NIM A608
 *  (2009) 372) with our W/Si preset. */
export function samplingRuleFactor(active: string): number {
  return active === 'silicon' ? 1.5 : 1
}

/** minimum-ionising sampling fraction of one cell: d_a (dE/dx)_a / (d_a (dE/dx)_a + d_p (dE/dx)_p) */
export function samplingFractionMip(absorber: Material, d_p: number, active: Material, d_a: number): number {
  const a = d_a * dedxMin_GeV_m(active)
  const p = d_p * dedxMin_GeV_m(absorber)
  return a / (a + p)
}

/** e/mip ratio (GFLASH): ê = 1/(1 + 0.007 (Z_p − Z_a)) */
export function eHat(zPassive: number, zActive: number): number {
  return 1 / (1 + 0.007 * (zPassive - zActive))
}

export function cellSamplingFraction(c: Cell): number {
  return samplingFractionMip(material(c.absorber), c.absorber_thickness, material(c.active), c.active_thickness)
}

/** The sampling rule 2.7 %·√(d/f) for one uniform stack of such cells, in √GeV (fraction), including the silicon factor */
export function stochasticRule(c: Cell): number {
  const f = cellSamplingFraction(c)
  return SAMPLING_RULE_A * Math.sqrt((c.active_thickness * 1000) / f) * samplingRuleFactor(c.active)
}

export interface EffectiveMedium {
  depth_m: number
  depth_x0: number
  x0_eff_m: number
  /** mass-weighted atomic number */
  z_eff: number
  ec_eff_mev: number
  rm_eff_m: number
  /** sampling frequency, cells per X0 (∞ for a homogeneous stack) */
  fs: number
  /** e/mip; 1 for a homogeneous stack */
  ehat: number
  /** minimum-ionising sampling fraction of the whole stack */
  f_mip: number
  /** electron sampling fraction ê·f_mip */
  f_e: number
}

export function effectiveMedium(cells: readonly Cell[]): EffectiveMedium {
  let depth = 0, tx0 = 0, mass = 0, massZ = 0, ecw = 0
  let massP = 0, massPZ = 0, massA = 0, massAZ = 0, visA = 0, visP = 0
  for (const c of cells) {
    const p = material(c.absorber), a = material(c.active)
    const dp = c.absorber_thickness, da = c.active_thickness
    depth += dp + da
    tx0 += dp / p.x0_m + da / a.x0_m
    ecw += (dp / p.x0_m) * p.ec_mev + (da / a.x0_m) * a.ec_mev
    const mp = p.density_g_cm3 * dp, ma = a.density_g_cm3 * da
    mass += mp + ma
    massZ += mp * p.z + ma * a.z
    massP += mp; massPZ += mp * p.z
    massA += ma; massAZ += ma * a.z
    visA += da * dedxMin_GeV_m(a)
    visP += dp * dedxMin_GeV_m(p)
  }
  const homogeneous = massP === 0
  const x0_eff_m = depth / tx0
  const ec_eff_mev = ecw / tx0
  const ehat = homogeneous ? 1 : eHat(massPZ / massP, massAZ / massA)
  const f_mip = visA / (visA + visP)
  return {
    depth_m: depth,
    depth_x0: tx0,
    x0_eff_m,
    z_eff: massZ / mass,
    ec_eff_mev,
    rm_eff_m: (E_S_MEV * depth) / ecw,
    fs: homogeneous ? Infinity : tx0 > 0 ? cells.length / tx0 : Infinity,
    ehat,
    f_mip,
    f_e: ehat * f_mip,
  }
}
