import { beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { fitResolution } from './fit'
import { gammaP, gammaPInterpolated } from './hadron-shower'
import { emFraction, hadronicResponse, hadronSamplingRule } from './hadronic'
import type { Particle } from './model'
import { createCalorimeterSession } from './session'
import { expandStack, type Cell } from './stack'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })

const cell = (absorber: string, dp: number, active: string, da: number): Cell[] =>
  expandStack(smallDesign([{ repeat: 1, absorber, absorber_thickness: dp, active, active_thickness: da }]).calorimeter)

/** a published geometry, built here from the paper's numbers (no preset), run for one particle */
async function run(absorber: string, dp: number, da: number, cells: number, particle: Particle, energies: number[], showers: number, pePerMeV = 20) {
  const d = smallDesign(
    [{ repeat: cells, absorber, absorber_thickness: dp, active: 'scintillator', active_thickness: da }],
    { energies, showers, transverse: 3 },
  )
  d.beam.particle = particle
  d.calorimeter.scintillator_pe_per_mev = pePerMeV
  const s = await createCalorimeterSession(d)
  const snap = s.snapshot()
  s.dispose()
  return snap.calo!
}

describe('hadronic response (Groom, Wigmans)', () => {
  test('⟨f_em⟩ follows Groom’s power law: 1 − (E/1 GeV)^−0.17', () => {
    expect(emFraction(10)).toBeCloseTo(1 - 10 ** -0.17, 6)
    expect(emFraction(100)).toBeCloseTo(0.543, 3)
    expect(emFraction(0.5)).toBe(0)
  })

  test('e/h: iron/scintillator is not compensating, uranium/scintillator is; ordering by material', () => {
    // ATLAS TileCal: 14 mm steel / 3 mm scintillator, measured e/h = 1.33–1.36 (Adragna et al., NIM A606 (2009) 362;
    // Budagov et al., hep-ex/9903054): a prediction of the model, not one of its calibration points
    const tile = hadronicResponse(cell('iron', 0.014, 'scintillator', 0.003)).eOverH
    expect(tile).toBeGreaterThan(1.3)
    expect(tile).toBeLessThan(1.4)
    // ZEUS: 3.3 mm depleted uranium / 2.6 mm SCSN-38, e/h = 1.00 ± 0.03 (Behrens et al., NIM A289 (1990) 115); the
    // model's one constant was set with this point and Pb/scintillator 4:1, so these two are closure checks
    const zeus = hadronicResponse(cell('uranium', 0.0033, 'scintillator', 0.0026)).eOverH
    console.log(`e/h: TileCal-like ${tile.toFixed(3)}, ZEUS-like ${zeus.toFixed(3)}`)
    expect(Math.abs(zeus - 1)).toBeLessThan(0.03)
    expect(Math.abs(hadronicResponse(cell('lead', 0.01, 'scintillator', 0.0025)).eOverH - 1)).toBeLessThan(0.03)
    // no hydrogen in the active layer, no neutron signal: LAr is further from compensation than scintillator
    expect(hadronicResponse(cell('iron', 0.014, 'liquid-argon', 0.003)).eOverH).toBeGreaterThan(tile)
    expect(hadronicResponse(cell('uranium', 0.0033, 'liquid-argon', 0.0026)).eOverH).toBeGreaterThan(zeus + 0.05)
    // Pb/scintillator: more absorber per scintillator, a smaller sampling fraction, a larger neutron signal (Wigmans)
    const pb = (da: number) => hadronicResponse(cell('lead', 0.01, 'scintillator', da)).eOverH
    expect(pb(0.01)).toBeGreaterThan(pb(0.0025))
    expect(pb(0.0025)).toBeGreaterThan(pb(0.00125))
  })

  test('hadronic sampling rule 11.5 %·√ΔE_mip: ZEUS 31 %/√E (Drews et al., NIM A290 (1990) 335)', () => {
    // ΔE_mip = 3.3 mm × 20.5 MeV/cm + 2.6 mm × 2.02 MeV/cm = 7.29 MeV
    expect(hadronSamplingRule(cell('uranium', 0.0033, 'scintillator', 0.0026)[0])).toBeCloseTo(0.115 * Math.sqrt(7.29), 3)
  })

  test('the interpolated incomplete gamma function matches its series and its gradient', () => {
    const [dv, dg] = tf.tidy(() => {
      const a = tf.tensor3d([0.8, 1.4, 2.3], [3, 1, 1])
      const x = tf.randomUniform([3, 50, 9], 0, 30, 'float32', 5) as tf.Tensor3D
      const g1 = tf.grad((xx: tf.Tensor) => gammaPInterpolated(a, xx as tf.Tensor3D).sum())(x)
      const g2 = tf.grad((xx: tf.Tensor) => gammaP(a, xx).sum())(x)
      // the exact density is singular at 0 for a < 1; compare away from the first table step
      const far = x.greater(0.05)
      return [gammaPInterpolated(a, x).sub(gammaP(a, x)).abs().max(), tf.where(far, g1.sub(g2).abs(), tf.zerosLike(g1)).max()]
    }).map((t) => { const v = t.dataSync()[0]; t.dispose(); return v })
    expect(dv).toBeLessThan(1e-5)
    expect(dg).toBeLessThan(2e-3)
  })
})

/** a pion fit and the π/e response per energy, as docs/physics-calorimeter.md quotes them */
function pionText(fit: { stochastic: number; constant: number }, points: { energy_gev: number; mean_response: number }[]): string {
  const response = points.map((p) => `${p.energy_gev} GeV ${p.mean_response.toFixed(3)}`).join(', ')
  return `${(100 * fit.stochastic).toFixed(1)} %/√E ⊕ ${(100 * fit.constant).toFixed(1)} %; π/e ${response}`
}

describe('pion resolution of published hadron calorimeters (within 20 %)', () => {
  const energies = [10, 20, 50, 100]
  test('ZEUS U/scintillator: 35 %/√E (Behrens et al., NIM A289 (1990) 115; Andresen et al., NIM A309 (1991) 101)', async () => {
    // 3.3 mm DU + 2.6 mm scintillator, 1.5 m (8.5 λ_I)
    const c = await run('uranium', 0.0033, 0.0026, 254, 'pi-', energies, 3000)
    const fit = fitResolution(c.points, false)!
    console.log(`ZEUS-like pions: ${pionText(fit, c.points)}`)
    expect(Math.abs(fit.stochastic / 0.35 - 1)).toBeLessThan(0.2)
    // compensating: the pion response at the EM scale stays within a few % of 1 at every energy
    for (const p of c.points) expect(Math.abs(p.mean_response - 1)).toBeLessThan(0.04)
  }, 120_000)

  test('ATLAS TileCal-like Fe/scintillator: 52.9 %/√E ⊕ 5.7 % (Adragna et al., NIM A606 (2009) 362)', async () => {
    // 14 mm steel + 3 mm scintillator, 92 periods (8 λ_I); TileCal's light yield, about 70 pe per GeV deposited,
    // is 2.2 pe per MeV visible with its sampling fraction ê·f = 0.032
    const c = await run('iron', 0.014, 0.003, 92, 'pi-', energies, 3000, 2.2)
    const fit = fitResolution(c.points, false)!
    console.log(`TileCal-like pions: ${pionText(fit, c.points)}`)
    expect(Math.abs(fit.stochastic / 0.529 - 1)).toBeLessThan(0.2)
    // not compensating: π/e below 1 and rising with energy as f_em grows
    expect(c.points[0].mean_response).toBeLessThan(0.9)
    expect(c.points[3].mean_response).toBeGreaterThan(c.points[0].mean_response + 0.02)
  }, 120_000)
})
