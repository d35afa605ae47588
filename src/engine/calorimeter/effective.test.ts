import { describe, expect, test } from 'vitest'
import { MATERIALS } from '../core/materials'
import { cellSamplingFraction, eHat, effectiveMedium, stochasticRule } from './effective'
import { expandStack, stackDepth_m, stackDepth_x0 } from './stack'
import { loadPreset } from './test-helpers'

// Independent numbers, typed in from the PDG "Atomic and Nuclear Properties" tables (dE/dx_min in MeV cm²/g,
// density in g/cm³, X0 in cm), not read from the materials module.
const PB = { dedx: 1.122, rho: 11.35, x0: 0.5612, ec: 7.43 }
const LAR = { dedx: 1.519, rho: 1.396, x0: 14.0, ec: 32.84 }

describe('stack geometry', () => {
  test('repeat expands, depth in metres and X0', async () => {
    const d = await loadPreset('atlas-like-lar')
    const cells = expandStack(d.calorimeter)
    expect(cells.length).toBe(79)
    expect(stackDepth_m(cells)).toBeCloseTo(79 * (0.00153 + 0.0042), 10)
    const perCell = 0.153 / PB.x0 + 0.42 / LAR.x0
    expect(stackDepth_x0(cells)).toBeCloseTo(79 * perCell, 6)
    // "~24 X0 total" (issue): 23.9
    expect(stackDepth_x0(cells)).toBeGreaterThan(23)
    expect(stackDepth_x0(cells)).toBeLessThan(25)
  })

  test('groups keep their own thicknesses', async () => {
    const cells = expandStack((await loadPreset('tungsten-silicon')).calorimeter)
    expect(cells.length).toBe(30)
    expect(cells[0].absorber_thickness).toBe(0.0014)
    expect(cells[15].absorber_thickness).toBe(0.0028)
    expect(cells[29].absorber_thickness).toBe(0.0042)
    expect(cells[29].group).toBe(2)
  })
})

describe('effective quantities (GFLASH\'s effective medium, hep-ex/0001020)', () => {
  test('minimum-ionising sampling fraction of 1.53 mm Pb / 4.2 mm LAr is 0.31 ± 0.02', async () => {
    const hand = (0.42 * LAR.dedx * LAR.rho) / (0.42 * LAR.dedx * LAR.rho + 0.153 * PB.dedx * PB.rho)
    expect(hand).toBeCloseTo(0.3137, 3)
    const cells = expandStack((await loadPreset('atlas-like-lar')).calorimeter)
    const f = cellSamplingFraction(cells[0])
    expect(Math.abs(f - 0.31)).toBeLessThan(0.02)
    expect(f).toBeCloseTo(hand, 6)
    // with 0.4 mm of steel cladding added to the absorber: 0.27
    const steel = 0.04 * 1.451 * 7.874
    const withSteel = (0.42 * LAR.dedx * LAR.rho) / (0.42 * LAR.dedx * LAR.rho + 0.153 * PB.dedx * PB.rho + steel)
    expect(withSteel).toBeCloseTo(0.27, 2)
  })

  test('the sampling rule gives ≈ 10 %/√E for the ATLAS-like cell', async () => {
    const cells = expandStack((await loadPreset('atlas-like-lar')).calorimeter)
    const a = stochasticRule(cells[0])
    expect(a).toBeCloseTo(0.027 * Math.sqrt(4.2 / 0.3137), 3)
    expect(Math.abs(a - 0.1) / 0.1).toBeLessThan(0.05)
  })

  test('X0,eff, Ec,eff, R_M,eff, F_S and ê of the ATLAS-like stack by hand', async () => {
    const eff = effectiveMedium(expandStack((await loadPreset('atlas-like-lar')).calorimeter))
    const t = 0.153 / PB.x0 + 0.42 / LAR.x0 // X0 per cell
    expect(eff.x0_eff_m * 100).toBeCloseTo(0.573 / t, 4)
    expect(eff.fs).toBeCloseTo(1 / t, 4)
    // Ec averaged over the radiation lengths traversed
    expect(eff.ec_eff_mev).toBeCloseTo(((0.153 / PB.x0) * PB.ec + (0.42 / LAR.x0) * LAR.ec) / t, 3)
    // PDG mixture rule: 1/R_M = Σ w_j (Ec_j/X0_j[g/cm²]) / E_s with mass fractions w_j
    const mPb = 0.153 * PB.rho, mAr = 0.42 * LAR.rho
    const inv = ((mPb / (mPb + mAr)) * PB.ec) / (PB.x0 * PB.rho) + ((mAr / (mPb + mAr)) * LAR.ec) / (LAR.x0 * LAR.rho)
    const rmCm = 21.2052 / inv / ((mPb + mAr) / 0.573)
    expect(eff.rm_eff_m * 100).toBeCloseTo(rmCm, 3)
    expect(eff.ehat).toBeCloseTo(1 / (1 + 0.007 * (82 - 18)), 6)
  })

  test('ê = 1/(1 + 0.007 (Z_abs − Z_act)) (hep-ex/0001020): Pb/scintillator 0.65, W/Si 0.70, Fe/scintillator 0.87', async () => {
    expect(eHat(MATERIALS.lead.z, MATERIALS.scintillator.z)).toBeCloseTo(0.65, 2)
    expect(eHat(MATERIALS.tungsten.z, MATERIALS.silicon.z)).toBeCloseTo(0.70, 2)
    expect(eHat(MATERIALS.iron.z, MATERIALS.scintillator.z)).toBeCloseTo(0.87, 2)
  })
})
