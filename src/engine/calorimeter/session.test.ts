import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { parseDesign } from '../design/parse'
import { fitResolution } from './fit'
import { runCaloOptimize } from './optimize'
import { createCalorimeterSession } from './session'
import { expandStack, stackDepth_m } from './stack'
import { loadPreset, smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })
let tensorsAtStart = 0
beforeAll(() => { tensorsAtStart = tf.memory().numTensors })
afterAll(() => { expect(tf.memory().numTensors).toBe(tensorsAtStart) })

const pbScint = (repeat: number, dp = 0.004, da = 0.003) =>
  [{ repeat, absorber: 'lead', absorber_thickness: dp, active: 'scintillator', active_thickness: da },
    { repeat, absorber: 'lead', absorber_thickness: dp, active: 'scintillator', active_thickness: da }]

describe('calorimeter session', () => {
  test('an optimisation under a depth limit improves the resolution and respects the limit', async () => {
    // 16 × (4 mm Pb + 3 mm scintillator) = 11.2 cm, 14.7 X0: leaky at 100 GeV; the limit is 12 cm
    const design = smallDesign(pbScint(8), {
      energies: [5, 20, 100], showers: 3000, max_depth: 0.12, transverse: 0.3, seed: 5,
      optimizer: { showers_per_step: 3000, learning_rate: 2e-4, validation_every: 5 },
    })
    const logs: string[] = []
    const report = await runCaloOptimize(design, { steps: 40, log: (m) => logs.push(m) })
    expect(report.steps).toBe(40)
    expect(report.nan_steps).toBe(0)
    expect(logs.length).toBeGreaterThan(0)
    const best = report.design
    expect(best.kind).toBe('calorimeter')
    if (best.kind !== 'calorimeter') return
    expect(parseDesign(JSON.parse(JSON.stringify(best))).ok).toBe(true)
    const depthBest = stackDepth_m(expandStack(best.calorimeter))
    expect(depthBest).toBeLessThanOrEqual(0.12)
    expect(depthBest).toBeGreaterThan(0.112) // it used the room it had
    expect(report.best.validation).toBeLessThan(report.initial.validation)
    // resolution (mean σ/E over the beam energies) before and after, on the fixed validation set
    const s0 = await createCalorimeterSession(design)
    const before = s0.exportDesign().results!.metrics!.mean_sigma_over_e!
    s0.dispose()
    const after = best.results!.metrics!.mean_sigma_over_e!
    expect(after).toBeLessThan(0.9 * before)
    expect(best.results!.best_step).toBe(report.best.step)
  })

  test('NaN guard: a step with a non-finite loss is skipped and counted, parameters stay finite', async () => {
    const design = smallDesign(pbScint(5), { energies: [5, 20], showers: 200, optimizer: { showers_per_step: 400, validation_every: 2 } })
    const s = await createCalorimeterSession(design, { lossHook: (l, step) => (step % 2 === 1 ? l.mul(NaN) : l) })
    const before = tf.memory().numTensors
    const results = []
    for (let i = 0; i < 6; i++) results.push(await s.step())
    expect(results.map((r) => r.skipped)).toEqual([false, true, false, true, false, true])
    const snap = s.snapshot()
    expect(snap.nanSteps).toBe(3)
    expect(snap.step).toBe(6)
    for (const l of snap.layers!) {
      expect(Number.isFinite(l.absorber_thickness)).toBe(true)
      expect(Number.isFinite(l.active_thickness)).toBe(true)
    }
    expect(results[1].loss).toBeNull()
    expect(results[0].validation).toBeNull()
    expect(results[1].validation).not.toBeNull()
    expect(tf.memory().numTensors).toBe(before)
    s.dispose()
  })

  test('snapshot, setLayers (group semantics), setConfig and export', async () => {
    const d = await loadPreset('tungsten-silicon')
    const s = await createCalorimeterSession(d, { validationShowers: 300 })
    let snap = s.snapshot()
    expect(snap.kind).toBe('calorimeter')
    expect(snap.layers!.length).toBe(30)
    expect(snap.calo!.points.length).toBe(7)
    expect(snap.calo!.profile.length).toBe(30)
    expect(snap.calo!.depth_x0).toBeGreaterThan(23)
    expect(snap.calo!.fit).not.toBeNull()
    const sum = snap.calo!.profile.reduce((a, b) => a + b, 0)
    expect(sum).toBeGreaterThan(0.95)
    expect(sum).toBeLessThanOrEqual(1.001)
    // a drag on layer 12 (second group) moves the whole group
    s.setLayers([{ index: 12, absorber_thickness: 0.003 }])
    snap = s.snapshot()
    expect(snap.layers![10].absorber_thickness).toBe(0.003)
    expect(snap.layers![19].absorber_thickness).toBe(0.003)
    expect(snap.layers![9].absorber_thickness).toBe(0.0014)
    s.setLayers([{ index: 0, active: 'scintillator' }])
    expect(s.snapshot().layers![5].active).toBe('scintillator')
    expect(() => s.setLayers([{ index: 99, active_thickness: 0.001 }])).toThrow()
    expect(() => s.setLayers([{ index: 1, absorber: 'unobtainium' }])).toThrow()
    s.setConfig({ learning_rate: 1e-5, showers_per_step: 200, loss: 'resolution_fit' })
    const r = await s.step()
    expect(r.loss?.parts.resolution).toBeGreaterThan(0)
    expect(Object.keys(r.loss!.parts)).toEqual(['task', 'resolution', 'linearity', 'cost', 'depth', 'budget'])
    await s.validate()
    const out = s.exportDesign('best')
    const parsed = parseDesign(JSON.parse(JSON.stringify(out)))
    expect(parsed.ok).toBe(true)
    if (out.kind === 'calorimeter') {
      expect(out.calorimeter.layers.length).toBe(3)
      expect(out.calorimeter.layers[0].active).toBe('scintillator')
      expect(out.results!.steps).toBe(1)
      expect(out.results!.metrics!.depth_x0).toBeGreaterThan(10)
      // a sampling stack has a rear to measure: the constant term after the rear-leakage correction is exported too
      expect(out.results!.metrics!.constant_leakage_corrected).toBeTypeOf('number')
    }
    s.dispose()
  })

  test('with optimizer.leakage_correction the task is the resolution after the rear-leakage correction, in training and in validation', async () => {
    // 16 × (4 mm Pb + 3 mm scintillator), 14.7 X0: it leaks at 100 GeV, and the rear cells see how much
    const make = (leakage_correction: boolean) => createCalorimeterSession(smallDesign(pbScint(8), {
      energies: [5, 20, 100], showers: 3000, transverse: 0.3, seed: 5,
      optimizer: { showers_per_step: 3000, learning_rate: 1e-5, validation_every: 1, leakage_correction },
    }))
    const plain = await make(false), corrected = await make(true)
    try {
    const points = corrected.snapshot().calo!.points
    const meanCorrected = points.reduce((a, p) => a + p.sigma_over_e_leakage_corrected!, 0) / points.length
    const meanPlain = points.reduce((a, p) => a + p.sigma_over_e, 0) / points.length
    expect(meanCorrected).toBeLessThan(meanPlain)
    // the validation metric (no cost weight, no limits) is the corrected mean σ/E plus the corrected linearity term,
    // whose response the least-squares correction sets to 1 within 10⁻³
    const [vPlain, vCorrected] = [await plain.validate(), await corrected.validate()]
    expect(Math.abs(vCorrected - meanCorrected)).toBeLessThan(1e-6)
    expect(vCorrected).toBeLessThan(vPlain)
    // the training loss of the same batch: its resolution part is the corrected one, smaller
    const [rPlain, rCorrected] = [await plain.step(), await corrected.step()]
    console.log(`leaky Pb/scintillator stack: mean σ/E ${(100 * meanPlain).toFixed(3)} % → ${(100 * meanCorrected).toFixed(3)} % corrected; training resolution part ${rPlain.loss!.parts.resolution.toFixed(5)} → ${rCorrected.loss!.parts.resolution.toFixed(5)}`)
    expect(rCorrected.loss!.parts.resolution).toBeLessThan(rPlain.loss!.parts.resolution)
    expect(Number.isFinite(rCorrected.loss!.total)).toBe(true)
    } finally {
      plain.dispose()
      corrected.dispose()
    }
  })

  test('a muon beam: the task is its signal\'s relative width alone, with no linearity, resolution fit or leakage correction', async () => {
    // the same leaky stack asked for the fit and the correction: a muon crossing it leaves ~0.1 GeV of 10–50 GeV
    const design = smallDesign(pbScint(8), {
      energies: [10, 20, 50], showers: 2000, transverse: 0.3, seed: 5,
      optimizer: { showers_per_step: 2000, learning_rate: 1e-5, validation_every: 1, leakage_correction: true, loss: 'resolution_fit' },
    })
    design.beam.particle = 'mu-'
    const s = await createCalorimeterSession(design)
    try {
      const calo = s.snapshot().calo!
      expect(calo.fit).toBeNull()
      expect(calo.fit_leakage_corrected).toBeNull()
      for (const p of calo.points) {
        expect(p.sigma_over_e_leakage_corrected).toBeNull()
        // the muon's signal on the electron scale is a few per cent of its energy: a linearity term would dominate
        expect(p.mean_response).toBeLessThan(0.05)
      }
      // the validation metric (no cost weight, no limits) is the mean relative width, nothing else
      const width = calo.points.reduce((a, p) => a + p.sigma_over_e, 0) / calo.points.length
      expect(Math.abs(await s.validate() - width)).toBeLessThan(1e-6)
      const r = await s.step()
      expect(r.loss!.parts.linearity).toBe(0)
      expect(r.loss!.parts.task).toBe(r.loss!.parts.resolution)
      // the training resolution is the mean RMS/⟨Ê⟩ of the step's own muons: that of the validation set's within the
      // statistics of 2000 muons per energy (about 1.6 % of it)
      const rms = calo.points.reduce((a, p) => a + p.rms_over_e, 0) / calo.points.length
      console.log(`muons through Pb/scintillator: σ/⟨Ê⟩ ${(100 * width).toFixed(2)} % (core), RMS ${(100 * rms).toFixed(2)} %; training resolution ${(100 * r.loss!.parts.resolution).toFixed(2)} %`)
      expect(Math.abs(r.loss!.parts.resolution - rms)).toBeLessThan(0.1 * rms)
    } finally {
      s.dispose()
    }
  })

  test('per-layer granularity and the dense reconstruction train and export one entry per layer', async () => {
    const d = smallDesign(pbScint(3), {
      energies: [5, 20], showers: 200,
      optimizer: { granularity: 'layer', reconstruction: 'dense', showers_per_step: 400, validation_every: 1 },
    })
    const s = await createCalorimeterSession(d)
    for (let i = 0; i < 3; i++) expect((await s.step()).skipped).toBe(false)
    const out = s.exportDesign('current')
    expect(out.kind === 'calorimeter' && out.calorimeter.layers.length).toBe(6)
    expect(parseDesign(JSON.parse(JSON.stringify(out))).ok).toBe(true)
    s.dispose()
  })

  test('a homogeneous crystal stack (no absorber) trains its active thickness only', async () => {
    const d = smallDesign([{ repeat: 26, absorber: 'pbwo4', absorber_thickness: 0, active: 'pbwo4', active_thickness: 0.0089 }], {
      energies: [2, 10, 50], showers: 1000, transverse: 0.1, max_depth: 0.2, optimizer: { showers_per_step: 400, validation_every: 2 },
    })
    d.calorimeter.scintillator_pe_per_mev = 4.5 // PbWO4 read out by APDs (CMS): photostatistics ≈ √(1/4500) ≈ 1.5 %/√E
    const s = await createCalorimeterSession(d)
    for (let i = 0; i < 2; i++) expect((await s.step()).skipped).toBe(false)
    const snap = s.snapshot()
    expect(snap.layers!.every((l) => l.absorber_thickness === 0)).toBe(true)
    expect(snap.layers![0].active_thickness).not.toBe(0.0089)
    expect(snap.calo!.sampling_fraction).toBe(1)
    // no sampling term: photostatistics and leakage only (CMS measured 2.8 %/√E with everything else included);
    // the full RMS, which carries every fluctuation, fitted with the same form
    const rms = fitResolution(snap.calo!.points.map((p) => ({ energy_gev: p.energy_gev, sigma_over_e: p.rms_over_e })))!
    expect(rms.stochastic).toBeGreaterThan(0.012)
    expect(rms.stochastic).toBeLessThan(0.028)
    s.dispose()
  })
})
