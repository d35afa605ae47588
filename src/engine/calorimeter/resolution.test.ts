import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { fitResolution, resolutionAt, type ResolutionFit } from './fit'
import { createCalorimeterSession } from './session'
import { loadPreset, smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })
let tensorsAtStart = 0
beforeAll(() => { tensorsAtStart = tf.memory().numTensors })
afterAll(() => { expect(tf.memory().numTensors).toBe(tensorsAtStart) })

/** least-squares slope of ln(σ/E) against ln E */
function logSlope(points: { energy_gev: number; sigma_over_e: number }[]): number {
  const x = points.map((p) => Math.log(p.energy_gev)), y = points.map((p) => Math.log(p.sigma_over_e))
  const mx = x.reduce((a, b) => a + b) / x.length, my = y.reduce((a, b) => a + b) / y.length
  let sxy = 0, sxx = 0
  x.forEach((xi, i) => { sxy += (xi - mx) * (y[i] - my); sxx += (xi - mx) ** 2 })
  return sxy / sxx
}

/** a fit as docs/physics-calorimeter.md quotes it */
function fitText(f: { stochastic: number; noise: number; constant: number }): string {
  return `${(100 * f.stochastic).toFixed(1)} %/√E ⊕ ${f.noise.toFixed(2)} GeV/E ⊕ ${(100 * f.constant).toFixed(2)} %`
}

describe('resolution fit', () => {
  test('recovers a known a/√E ⊕ b/E ⊕ c', async () => {
    const truth = { stochastic: 0.1, noise: 0.2, constant: 0.007 }
    const pts = [1, 2, 5, 10, 20, 50, 100].map((e) => ({ energy_gev: e, sigma_over_e: resolutionAt(truth, e) }))
    const f = fitResolution(pts)!
    expect(f.stochastic).toBeCloseTo(0.1, 6)
    expect(f.noise).toBeCloseTo(0.2, 6)
    expect(f.constant).toBeCloseTo(0.007, 6)
  })

  test('keeps every term non-negative', async () => {
    const pts = [1, 4, 16, 64].map((e) => ({ energy_gev: e, sigma_over_e: 0.1 / Math.sqrt(e) - 0.001 }))
    const f = fitResolution(pts)!
    expect(f.noise).toBeGreaterThanOrEqual(0)
    expect(f.constant).toBeGreaterThanOrEqual(0)
    expect(f.stochastic).toBeGreaterThan(0.09)
  })
})

describe('sampling resolution (the rule 2.7 %·√(d/f): Wigmans; Fabjan & Gianotti 2003)', () => {
  test('the ATLAS-like preset fits a stochastic term within 10 % of the measured 10 %/√E', async () => {
    const s = await createCalorimeterSession(await loadPreset('atlas-like-lar'), { validationShowers: 5000 })
    const snap = s.snapshot()
    s.dispose()
    const fit = snap.calo!.fit!, corrected = snap.calo!.fit_leakage_corrected!
    console.log(`atlas-like-lar: ${fitText(fit)}; after the rear-leakage correction ${fitText(corrected)}`)
    expect(Math.abs(fit.stochastic - 0.1) / 0.1).toBeLessThan(0.1)
    expect(fit.constant).toBeLessThan(0.015)
    // the preset (23.9 X0) leaks at 100 GeV: the correction lowers c and keeps a within 10 % of 10 %
    expect(corrected.constant).toBeLessThan(fit.constant)
    expect(Math.abs(corrected.stochastic - 0.1) / 0.1).toBeLessThan(0.1)
    expect(snap.calo!.depth_x0).toBeCloseTo(23.9, 1)
    expect(snap.calo!.sampling_fraction).toBeCloseTo(0.314, 3)
    // response: the EM-scale calibration 1/(ê f) recovers the energy up to the containment losses
    for (const p of snap.calo!.points) {
      expect(p.mean_response).toBeGreaterThan(0.97)
      expect(p.mean_response).toBeLessThan(1.005)
    }
    // the a/√E ⊕ b/E ⊕ c form describes every point (noise 3 MeV visible per layer → b ≈ 0.13 GeV)
    for (const p of snap.calo!.points) expect(Math.abs(resolutionAt(fit, p.energy_gev) / p.sigma_over_e - 1)).toBeLessThan(0.05)
    expect(fit.noise).toBeGreaterThan(0.08)
    expect(fit.noise).toBeLessThan(0.2)
  })

  test('a fully contained, noise-free stack scales as 1/√E over 1–100 GeV and matches the sampling rule', async () => {
    // 130 cells of 1.53 mm Pb + 4.2 mm LAr = 39 X0, 2 m wide: no leakage worth the name
    const d = smallDesign(
      [{ repeat: 130, absorber: 'lead', absorber_thickness: 0.00153, active: 'liquid-argon', active_thickness: 0.0042 }],
      { energies: [1, 3, 10, 30, 100], showers: 5000, transverse: 2 },
    )
    const s = await createCalorimeterSession(d)
    const snap = s.snapshot()
    s.dispose()
    const pts = snap.calo!.points
    const slope = logSlope(pts)
    const scaled = pts.map((p) => `${(100 * p.sigma_over_e * Math.sqrt(p.energy_gev)).toFixed(2)}`).join(', ')
    console.log(`Pb/LAr, 39 X0: log–log slope ${slope.toFixed(3)}; σ/E·√E ${scaled} % at ${pts.map((p) => p.energy_gev).join(', ')} GeV; ${fitText(snap.calo!.fit!)}`)
    expect(Math.abs(slope + 0.5)).toBeLessThan(0.03)
    // σ/E·√E at every energy within 10 % of the rule 2.7 %·√(4.2/0.3137) = 9.9 %
    for (const p of pts.filter((q) => q.energy_gev >= 3)) expect(Math.abs(p.sigma_over_e * Math.sqrt(p.energy_gev) / 0.0988 - 1)).toBeLessThan(0.1)
    expect(Math.abs(snap.calo!.fit!.stochastic / 0.0988 - 1)).toBeLessThan(0.1)
  })

  test('thinner absorber, better resolution; silicon pays its Landau factor', async () => {
    const a = async (dp: number, active = 'scintillator', da = 0.004) => {
      const s = await createCalorimeterSession(smallDesign(
        [{ repeat: Math.round(0.3 / (dp + da)), absorber: 'lead', absorber_thickness: dp, active, active_thickness: da }],
        { energies: [2, 8, 32], showers: 3000, transverse: 1 },
      ))
      const f = s.snapshot().calo!.fit!.stochastic
      s.dispose()
      return f
    }
    expect(await a(0.002)).toBeLessThan(await a(0.006))
    // 0.5 mm Si vs the rule without the factor (W/Si preset: rule ≈ 11 %, with ×1.5 ≈ 16 %)
    const w = await createCalorimeterSession(await loadPreset('tungsten-silicon'))
    const f = w.snapshot().calo!.fit!
    w.dispose()
    console.log(`tungsten-silicon: ${fitText(f)}`)
    expect(f.stochastic).toBeGreaterThan(0.13)
    expect(f.stochastic).toBeLessThan(0.2)
  })
})

describe('the constant term of a Pb/LAr stack is its rear-leakage fluctuation', () => {
  // ATLAS's test beam (Aharrouche et al., NIM A568 (2006) 601: 10 %/√E ⊕ 0.17 %, "about 0.2 %" local constant term)
  // hit the module at η = 0.687, where it is deeper than at η = 0: 22 X0 there, growing as 1/sin θ to 30 X0 at
  // |η| = 0.8 (ATLAS Collaboration, JINST 3 (2008) S08003), so 22 X0/sin 53.4° = 27.4 X0, 91 of these cells
  const fitAt = async (cells: number) => {
    const s = await createCalorimeterSession(smallDesign(
      [{ repeat: cells, absorber: 'lead', absorber_thickness: 0.00153, active: 'liquid-argon', active_thickness: 0.0042 }],
      { energies: [10, 20, 50, 100, 150, 245], showers: 4000, transverse: 0.4 },
    ))
    const calo = s.snapshot().calo!
    s.dispose()
    return { plain: calo.fit!, corrected: calo.fit_leakage_corrected! }
  }
  let fits: { plain: ResolutionFit; corrected: ResolutionFit }[] = []
  beforeAll(async () => { fits = await Promise.all([79, 91, 100].map(fitAt)) }, 180_000)

  test('ATLAS’s sampling (1.53 mm Pb / 4.2 mm LAr), 40 cm wide, no noise: c > 0.5 % at 23.9 X0, within a factor of 2 of ATLAS’s 0.2 % at its test-beam depth (27.5 X0), under 0.3 % at 29.9 X0', () => {
    const [shallow, testBeam, deep] = fits.map((f) => f.plain)
    console.log(`Pb/LAr without noise: ${fitText(shallow)} at 79 cells, ${fitText(testBeam)} at 91, ${fitText(deep)} at 100`)
    expect(shallow.constant).toBeGreaterThan(0.005)
    expect(testBeam.constant).toBeLessThan(0.004)
    expect(deep.constant).toBeLessThan(0.003)
    // the stochastic term stays the sampling rule's 9.9 % within 10 % once the leakage no longer mimics it
    expect(Math.abs(deep.stochastic / 0.0988 - 1)).toBeLessThan(0.1)
  })

  test('with the rear-leakage correction (the share in the last 3 X0), c is below ATLAS’s 0.2 % at its test-beam depth and below 0.3 % at the preset’s 23.9 X0, with a = the sampling rule’s 9.9 % within 10 %', () => {
    const [shallow, testBeam, deep] = fits.map((f) => f.corrected)
    console.log(`Pb/LAr without noise, leakage-corrected: ${fitText(shallow)} at 79 cells, ${fitText(testBeam)} at 91, ${fitText(deep)} at 100`)
    // ATLAS's local constant term also holds what the model leaves out (electronics calibration, gap and absorber
    // thickness variations), so it bounds the leakage's part from above
    expect(testBeam.constant).toBeLessThan(0.002)
    expect(shallow.constant).toBeLessThan(0.003)
    fits.forEach((f) => expect(f.corrected.constant).toBeLessThan(f.plain.constant))
    for (const f of [shallow, testBeam, deep]) expect(Math.abs(f.stochastic / 0.0988 - 1)).toBeLessThan(0.1)
  })
})

describe('a crystal calorimeter (CMS ECAL, 5 × 5 PbWO4 crystals)', () => {
  test('σ/E at 20–120 GeV within 20 % of CMS’s 2.8 %/√E ⊕ 0.3 % (Adzic et al., JINST 2 (2007) P04004)', async () => {
    // 23 cm (25.8 X0) of PbWO4, a 5 × 5 sum of 2.2 cm crystals = 11 cm. 4.5 pe/MeV read by APDs whose excess noise
    // factor F ≈ 2 (CMS ECAL TDR, CERN/LHCC 97-33) doubles the photostatistics variance: 4.5/2 pe/MeV in
    // Poisson-equivalent terms. No electronic noise, so the published 12 %/E noise term is left out of the
    // reference. Above 120 GeV the GFLASH leakage fluctuations take σ/E above CMS's (docs §11). 20 %: the excess
    // noise factor is known to about ±10 % and the lateral containment rests on GFLASH's radial tuning, which is not
    // a CMS fit.
    const d = smallDesign(
      [{ repeat: 100, absorber: 'pbwo4', absorber_thickness: 0, active: 'pbwo4', active_thickness: 0.0023 }],
      { energies: [20, 50, 120], showers: 4000, transverse: 0.11 },
    )
    d.calorimeter.scintillator_pe_per_mev = 4.5 / 2
    const s = await createCalorimeterSession(d)
    const calo = s.snapshot().calo!, pts = calo.points
    s.dispose()
    // a crystal has no rear to measure: no leakage correction
    expect(calo.fit_leakage_corrected).toBeNull()
    expect(pts.every((p) => p.sigma_over_e_leakage_corrected === null)).toBe(true)
    console.log(`5 × 5 PbWO4: σ/E ${pts.map((p) => `${(100 * p.sigma_over_e).toFixed(2)} % at ${p.energy_gev} GeV`).join(', ')}`)
    for (const p of pts) {
      const cms = Math.sqrt(0.028 ** 2 / p.energy_gev + 0.003 ** 2)
      expect(Math.abs(p.sigma_over_e / cms - 1), `${p.energy_gev} GeV`).toBeLessThan(0.2)
    }
  }, 60_000)
})
