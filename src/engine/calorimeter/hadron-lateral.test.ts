import { beforeAll, describe, expect, test } from 'vitest'
import { material } from '../core/materials'
import { useNodeBackend } from '../core/tensor'
import { exponentialDiskFraction, X90, X95 } from './hadron-lateral'
import { createCalorimeterSession } from './session'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })

/** 14 mm iron / 3 mm scintillator (TileCal's sampling) deep enough (≈ 12 λ_I) that nothing leaks out of the back */
async function pions(side: number, energies: number[]) {
  const d = smallDesign(
    [{ repeat: 140, absorber: 'iron', absorber_thickness: 0.014, active: 'scintillator', active_thickness: 0.003 }],
    { energies, showers: 3000, transverse: side },
  )
  d.beam.particle = 'pi-'
  const s = await createCalorimeterSession(d)
  const c = s.snapshot().calo!
  s.dispose()
  return c.points.map((p, i) => ({ ...p, containment: c.containment![i] }))
}

describe('lateral containment of pion showers', () => {
  test('the radial scales hold the cited fractions: 90 % of the core in 1 R_M, 95 % of the halo in 1 λ_I', () => {
    expect(exponentialDiskFraction(1, 1 / X90)).toBeCloseTo(0.9, 9)
    expect(exponentialDiskFraction(1, 1 / X95)).toBeCloseTo(0.95, 9)
  })

  test('a cylinder of radius 1 λ_I holds 95–98 % of a pion shower (Fabjan & Gianotti 2003: ≈ 95 %)', async () => {
    // λ_I of the stack: 17 mm cells of iron (λ 16.77 cm) and scintillator (λ 78.3 cm)
    const lamIron = material('iron').lambda_i_g_cm2 / material('iron').density_g_cm3 / 100
    const lamScint = material('scintillator').lambda_i_g_cm2 / material('scintillator').density_g_cm3 / 100
    const lam = 0.017 / (0.014 / lamIron + 0.003 / lamScint)
    const wide = await pions(3, [10, 100])
    const narrow = await pions(lam * Math.sqrt(Math.PI), [10, 100]) // a square face of the same area as the disk
    console.log(`TileCal-like pions in a disk of 1 λ_I: ${narrow.map((p, i) => `${(100 * p.containment / wide[i].containment).toFixed(1)} % at ${p.energy_gev} GeV`).join(', ')}`)
    for (const [i, p] of narrow.entries()) {
      const share = p.containment / wide[i].containment
      expect(share, `${p.energy_gev} GeV`).toBeGreaterThan(0.95)
      expect(share, `${p.energy_gev} GeV`).toBeLessThan(0.98)
    }
  }, 120_000)

  test('a narrow hadron calorimeter leaks and resolves worse', async () => {
    const wide = await pions(2, [20, 50])
    const narrow = await pions(0.3, [20, 50])
    const text = (ps: typeof wide) => ps.map((p) => `π/e ${p.mean_response.toFixed(3)}, σ/E ${(100 * p.sigma_over_e).toFixed(1)} % at ${p.energy_gev} GeV`).join('; ')
    console.log(`TileCal-like pions, 2 m wide: ${text(wide)}; 30 cm wide: ${text(narrow)}`)
    for (const [i, p] of narrow.entries()) {
      expect(p.mean_response).toBeLessThan(wide[i].mean_response - 0.03)
      expect(p.sigma_over_e).toBeGreaterThan(wide[i].sigma_over_e * 1.05)
    }
  }, 120_000)
})
