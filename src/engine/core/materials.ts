// Material constants. Source: PDG "Atomic and Nuclear Properties of Materials" (X0 recomputed with Tsai's
// formula, PDG RPP 2024 eq. 34.26); Ec (Rossi), λ_I and dE/dx_min from the same tables. liquid-steel and slag
// follow TomOpt's ladle benchmark (core.py, X0 in metres); soil and wall-mix follow TomOpt's small-walls mixtures.
// Z and A are mass-weighted effective values (GFLASH convention, Grindhammer & Peters hep-ex/0001020).

export interface Material {
  /** human label */
  label: string
  /** density in g/cm³ */
  density_g_cm3: number
  /** radiation length in metres */
  x0_m: number
  /** electron critical energy (Rossi), MeV */
  ec_mev: number
  /** nuclear interaction length, g/cm² */
  lambda_i_g_cm2: number
  /** minimum-ionising stopping power, MeV cm²/g */
  dedx_min_mev_cm2_g: number
  /** effective atomic number (mass-weighted) */
  z: number
  /** effective mass number (mass-weighted) */
  a: number
}

const m = (
  label: string, density_g_cm3: number, x0_cm: number, ec_mev: number, lambda_i_g_cm2: number,
  dedx_min_mev_cm2_g: number, z: number, a: number,
): Material => ({ label, density_g_cm3, x0_m: x0_cm / 100, ec_mev, lambda_i_g_cm2, dedx_min_mev_cm2_g, z, a })

export const MATERIALS = {
  air: m('Air (dry, 1 atm)', 1.205e-3, 30390, 87.92, 90.1, 1.815, 7.31, 14.65),
  beryllium: m('Beryllium', 1.848, 35.28, 113.7, 77.8, 1.595, 4, 9.012),
  water: m('Water', 1.0, 36.08, 78.33, 83.3, 1.992, 7.22, 14.32),
  polyethylene: m('Polyethylene', 0.94, 47.63, 94, 78.5, 2.079, 5.28, 10.43),
  wood: m('Wood (cellulose)', 0.6, 64.58, 80, 80, 1.9, 6.68, 13.3),
  concrete: m('Concrete (ordinary)', 2.3, 11.55, 50, 100, 1.711, 11.0, 22.0),
  glass: m('Glass (Pyrex)', 2.23, 12.63, 53, 97, 1.7, 10.8, 21.6),
  aluminium: m('Aluminium', 2.699, 8.897, 42.7, 107.2, 1.615, 13, 26.98),
  silicon: m('Silicon', 2.329, 9.37, 40.19, 108.4, 1.664, 14, 28.086),
  iron: m('Iron', 7.874, 1.757, 21.68, 132.1, 1.451, 26, 55.845),
  steel: m('Steel', 7.818, 1.782, 21.68, 132.1, 1.451, 26, 55.8),
  'liquid-steel': m('Liquid steel (hot)', 7.0, 1.991, 21.68, 132.1, 1.451, 26, 55.8),
  slag: m('Slag', 2.7, 8.211, 45, 100, 1.7, 12, 24),
  copper: m('Copper', 8.96, 1.436, 19.42, 137.3, 1.403, 29, 63.546),
  lead: m('Lead', 11.35, 0.5612, 7.43, 199.6, 1.122, 82, 207.2),
  tungsten: m('Tungsten', 19.3, 0.3504, 7.97, 191.9, 1.145, 74, 183.84),
  uranium: m('Uranium', 18.95, 0.3166, 6.65, 209.0, 1.081, 92, 238.03),
  pbwo4: m('Lead tungstate (PbWO4)', 8.3, 0.8903, 9.64, 168.3, 1.229, 68.3, 170.8),
  'liquid-argon': m('Liquid argon', 1.396, 14.0, 32.84, 119.7, 1.519, 18, 39.948),
  scintillator: m('Plastic scintillator (PVT)', 1.032, 42.54, 94.1, 77.5, 1.956, 5.57, 11.08),
  soil: m('Soil (TomOpt mixture)', 1.5, 26.0, 55, 95, 1.75, 10.5, 21),
  'wall-mix': m('Wall (TomOpt oxide mixture)', 2.6, 8.0, 40, 105, 1.65, 14, 28),
} as const satisfies Record<string, Material>

export type MaterialName = keyof typeof MATERIALS
export const MATERIAL_NAMES = Object.keys(MATERIALS) as [MaterialName, ...MaterialName[]]

export function isMaterialName(s: string): s is MaterialName {
  return Object.prototype.hasOwnProperty.call(MATERIALS, s)
}

export function material(name: string): Material {
  if (!isMaterialName(name)) {
    throw new Error(`unknown material "${name}" (known: ${MATERIAL_NAMES.join(', ')})`)
  }
  return MATERIALS[name]
}

/** Molière radius in metres: R_M = X0 · E_s / Ec, E_s = 21.2052 MeV (PDG RPP 2024 §34.4.2). */
export function moliereRadius_m(mat: Material): number {
  return (mat.x0_m * 21.2052) / mat.ec_mev
}

/** Stopping power at minimum ionisation in GeV per metre. */
export function dedxMin_GeV_m(mat: Material): number {
  return mat.dedx_min_mev_cm2_g * mat.density_g_cm3 * 1e-3 * 100
}

/**
 * Stopping-power constants for muons: ⟨Z/A⟩, the mean excitation energy I and the Sternheimer density-effect
 * parameters (PDG "Atomic and Nuclear Properties" pages, from Sternheimer, Berger & Seltzer, ADNDT 30 (1984) 261).
 * `sternheimer: null` marks a mixture without tabulated parameters: they follow from I and the plasma energy by
 * the general recipe of Sternheimer & Peierls, Phys. Rev. B 3 (1971) 3681 (muon-energy-loss.ts), and I is an
 * estimate from the composition (oxides ≈ 130–140 eV, cellulose ≈ 78 eV).
 */
export interface MuonStopping {
  z_over_a: number
  i_ev: number
  sternheimer: { cbar: number; x0: number; x1: number; a: number; k: number; delta0: number } | null
}

const st = (z_over_a: number, i_ev: number, a: number, k: number, x0: number, x1: number, cbar: number, delta0: number): MuonStopping =>
  ({ z_over_a, i_ev, sternheimer: { cbar, x0, x1, a, k, delta0 } })
const mix = (z_over_a: number, i_ev: number): MuonStopping => ({ z_over_a, i_ev, sternheimer: null })

export const MUON_STOPPING: Record<MaterialName, MuonStopping> = {
  //                 Z/A      I eV    a        k       x0       x1      C̄       δ0
  air: st(0.49919, 85.7, 0.10914, 3.3994, 1.7418, 4.2759, 10.5961, 0),
  beryllium: st(0.44384, 63.7, 0.80392, 2.4339, 0.0592, 1.6922, 2.7847, 0.14),
  water: st(0.55509, 79.7, 0.09116, 3.4773, 0.2400, 2.8004, 3.5017, 0),
  polyethylene: st(0.57034, 57.4, 0.12108, 3.4292, 0.1370, 2.5177, 3.0016, 0),
  wood: mix(0.5304, 77.6),
  concrete: st(0.50274, 135.2, 0.07515, 3.5467, 0.1301, 3.0466, 3.9464, 0),
  glass: st(0.49707, 134.0, 0.08270, 3.5224, 0.1479, 2.9933, 3.9708, 0),
  aluminium: st(0.48181, 166.0, 0.08024, 3.6345, 0.1708, 3.0127, 4.2395, 0.12),
  silicon: st(0.49848, 173.0, 0.14921, 3.2546, 0.2015, 2.8716, 4.4355, 0.14),
  iron: st(0.46557, 286.0, 0.14680, 2.9632, -0.0012, 3.1531, 4.2911, 0.12),
  steel: st(0.46557, 286.0, 0.14680, 2.9632, -0.0012, 3.1531, 4.2911, 0.12),
  'liquid-steel': mix(0.46557, 286.0),
  slag: mix(0.5, 140),
  copper: st(0.45636, 322.0, 0.14339, 2.9044, -0.0254, 3.2792, 4.4190, 0.08),
  lead: st(0.39575, 823.0, 0.09359, 3.1608, 0.3776, 3.8073, 6.2018, 0.14),
  tungsten: st(0.40250, 727.0, 0.15509, 2.8447, 0.2167, 3.4960, 5.4059, 0.14),
  uranium: st(0.38651, 890.0, 0.19677, 2.8171, 0.2260, 3.3721, 5.8694, 0.14),
  pbwo4: mix(0.41315, 600.7),
  'liquid-argon': st(0.45059, 188.0, 0.19559, 3.0, 0.2000, 3.0000, 5.2146, 0),
  scintillator: st(0.54141, 64.7, 0.16101, 3.2393, 0.1464, 2.4855, 3.1997, 0),
  soil: mix(0.5, 130),
  'wall-mix': mix(0.5, 140),
}
