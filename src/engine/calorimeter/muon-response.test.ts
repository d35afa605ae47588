import { beforeAll, describe, expect, test } from 'vitest'
import { material } from '../core/materials'
import { useNodeBackend } from '../core/tensor'
import { MUON_MASS_GEV } from '../core/units'
import { eHat, samplingFractionMip } from './effective'
import { muonLossPerMetre } from './muon-response'
import { createCalorimeterSession } from './session'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })

/** 40 × (20 mm iron + 5 mm scintillator): 0.8 m of iron */
async function muons(energies: number[]) {
  const d = smallDesign(
    [{ repeat: 40, absorber: 'iron', absorber_thickness: 0.02, active: 'scintillator', active_thickness: 0.005 }],
    { energies, showers: 2000, transverse: 1 },
  )
  d.beam.particle = 'mu-'
  const s = await createCalorimeterSession(d)
  const c = s.snapshot().calo!
  s.dispose()
  return c.points.map((p, i) => ({ ...p, deposited: c.containment![i] * p.energy_gev }))
}

const IRON_G_CM2 = 80 * material('iron').density_g_cm3
const SCINT_G_CM2 = 20 * material('scintillator').density_g_cm3

describe('muon response (Bethe with the density effect + radiative losses)', () => {
  test('a 10 GeV muon leaves 1.92 MeV cm²/g of ionisation in iron (PDG muon tables) plus 1.5–3.5 % radiated', async () => {
    const [p] = await muons([10])
    // iron: 1.92 MeV cm²/g × (1.015–1.035); scintillator: between its minimum 1.956 and 20 % above (relativistic rise)
    const lo = (IRON_G_CM2 * 1.92 * 1.015 + SCINT_G_CM2 * 1.956) * 1e-3
    const hi = (IRON_G_CM2 * 1.92 * 1.035 + SCINT_G_CM2 * 1.956 * 1.2) * 1e-3
    expect(p.deposited).toBeGreaterThan(lo)
    expect(p.deposited).toBeLessThan(hi)
    // the minimum-ionising loss alone would be 1.451 MeV cm²/g in iron: the rise is 32 %
    expect(p.deposited).toBeGreaterThan(1.25 * (IRON_G_CM2 * 1.451 + SCINT_G_CM2 * 1.956) * 1e-3)
  }, 60_000)

  test('the loss grows with energy: at 100 GeV the radiated part is 10–30 % of it in iron (E_μc = 347 GeV)', async () => {
    const l = muonLossPerMetre('iron', 100)
    expect(l.rad / (l.ion + l.rad)).toBeGreaterThan(0.1)
    expect(l.rad / (l.ion + l.rad)).toBeLessThan(0.3)
    const [ten, hundred] = await muons([10, 100])
    expect(hundred.deposited / ten.deposited).toBeGreaterThan(1.25)
  }, 60_000)

  test('a muon that cannot cross the stack stops in it and deposits its kinetic energy', async () => {
    // crossing 1 m of iron takes 1.33 GeV/c (PDG): a 1 GeV muon stops inside 0.8 m, a 3 GeV one crosses
    const [stopped, crossing] = await muons([1, 3])
    expect(stopped.deposited / (1 - MUON_MASS_GEV)).toBeCloseTo(1, 3)
    expect(crossing.deposited).toBeLessThan(0.8 * (3 - MUON_MASS_GEV))
  }, 60_000)

  test('the EM-scale response: ionisation in the active layers / (ê f), plus the radiated energy', async () => {
    const [p] = await muons([10])
    const fe = eHat(material('iron').z, material('scintillator').z) * samplingFractionMip(material('iron'), 0.02, material('scintillator'), 0.005)
    const ion = (e: string, d: number) => muonLossPerMetre(e, 10).ion * d
    const rad = 40 * (muonLossPerMetre('iron', 10).rad * 0.02 + muonLossPerMetre('scintillator', 10).rad * 0.005)
    expect(p.mean_response * 10).toBeCloseTo((40 * ion('scintillator', 0.005)) / fe + rad, 2)
  }, 60_000)
})
