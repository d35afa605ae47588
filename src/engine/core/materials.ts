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
