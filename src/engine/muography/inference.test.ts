// Calibrated X0 (docs/physics-inference.md: uniform blocks within ±10 % with an ideal detector and a known momentum,
// ±20 % with an unknown one) and the Fisher term against the spread of the sampled estimate.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { parseDesign } from '../design/parse'
import type { MuographyDesign } from '../design/schema'
import { tf, useNodeBackend, withScope } from '../core/tensor'
import { fisherConstants, fisherInformation } from './fisher'
import { runInference, volumeWarnings } from './infer'
import { pathTensors } from './path-tensors'
import { buildPaths } from './paths'
import { createPanelParams } from './panels'
import { observeBatch, reconstructBatch, simulate, solveX0, truthLines, truthScattering } from './pipeline'
import { uniformDesign } from './test-designs'
import { buildVolume } from './volume'

beforeAll(async () => { await useNodeBackend('wasm') })

describe('X0 inference is calibrated (ideal detector, known momentum)', () => {
  for (const [material, x0] of [['lead', 0.005612], ['iron', 0.01757], ['beryllium', 0.3528]] as const) {
    test(`uniform ${material}: median predicted X0 within ±10 % of ${x0} m`, async () => {
      const res = await runInference(uniformDesign(material), { muons: 150_000, detector: 'ideal', momentum: 'known', seed: 7 })
      const s = res.by_material[material]
      expect(s.n_voxels).toBe(600)
      expect(s.x0_true_m).toBeCloseTo(x0, 6)
      const ratio = s.ratio_median!
      console.log(`${material}: median X0 ratio ML/EM ${ratio.toFixed(3)}, PoCA baseline ${(s.x0_poca_median_m! / x0).toFixed(3)}`)
      expect(ratio).toBeGreaterThan(0.9)
      expect(ratio).toBeLessThan(1.1)
      // the PoCA baseline, which gives each muon's whole scattering to one voxel, is far off (docs: 0.22, 0.20, 0.16)
      const poca = s.x0_poca_median_m! / x0
      expect(Math.abs(poca - { lead: 0.22, iron: 0.2, beryllium: 0.16 }[material])).toBeLessThan(0.02)
    })
  }
})

describe('X0 inference with an unknown momentum (ideal detector, the prior spectrum and the mixture likelihood)', () => {
  // a plug-in mean c along each path put these medians at 8.9 (beryllium) and 10.6 (lead) times the truth
  for (const material of ['iron', 'lead', 'beryllium']) {
    test(`uniform ${material}: median predicted X0 within ±20 % of the truth`, { timeout: 300_000 }, async () => {
      const res = await runInference(uniformDesign(material, { momentum: 'unknown' }), { muons: 30_000, detector: 'ideal', momentum: 'unknown', seed: 7 })
      const ratio = res.by_material[material].ratio_median!
      console.log(`${material}, unknown momentum: median X0 ratio ${ratio.toFixed(3)}`)
      expect(Math.abs(Math.log(ratio))).toBeLessThan(Math.log(1.2))
    })
  }

  // the lead block's median stays high (1.78 against 1.21 with a known momentum, seed 3): with less information per
  // muon the EM converges more slowly within its 20 iterations (docs/physics-inference.md; at 60: 1.18 and 1.07)
  test('the lead-in-beryllium preset: beryllium within 25 % of what a known momentum gives, lead within a factor of 2 of the truth', { timeout: 300_000 }, async () => {
    const r = parseDesign(JSON.parse(readFileSync(new URL('../../../public/presets/lead-in-beryllium.json', import.meta.url), 'utf8')))
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const run = async (momentum: 'known' | 'unknown') => (await runInference(r.design as MuographyDesign, { muons: 30_000, detector: 'ideal', momentum, seed: 3 })).by_material
    const [known, unknown] = [await run('known'), await run('unknown')]
    for (const m of ['lead', 'beryllium']) {
      console.log(`lead-in-beryllium, ${m}: median X0 ratio known ${known[m].ratio_median!.toFixed(3)}, unknown ${unknown[m].ratio_median!.toFixed(3)}`)
    }
    expect(Math.abs(Math.log(unknown.beryllium.ratio_median! / known.beryllium.ratio_median!))).toBeLessThan(Math.log(1.25))
    expect(Math.abs(Math.log(unknown.lead.ratio_median!))).toBeLessThan(Math.log(2))
  })
})

test('infer warns where a vertical path crosses more than 100 X0, beyond Highland\'s range (0.6 m of lead: 107 X0; of iron: 34 X0)', () => {
  expect(volumeWarnings(buildVolume(uniformDesign('lead').volume)).join(' ')).toMatch(/107 radiation lengths/)
  expect(volumeWarnings(buildVolume(uniformDesign('iron').volume))).toEqual([])
})

describe('Fisher information', () => {
  /** sampled over predicted variance of λ̂: one layer of 25 cm iron voxels, steep muons (the voxels decouple, where
   *  the diagonal bound is exact), 8000 muons per seed */
  async function varianceRatio(momentum: 'known' | 'unknown', seeds: number): Promise<number> {
    const design = uniformDesign('iron', { size: [1, 1, 0.25], voxel: 0.25, thetaMaxDeg: 15, momentum })
    const vol = buildVolume(design.volume)
    const V = vol.nx * vol.ny * vol.nz
    const lamTrue = Float64Array.from(vol.x0, (x) => 1 / x)
    const panels = createPanelParams(design.detector)
    const est: Float64Array[] = []
    const predVar = new Float64Array(V)
    for (let k = 0; k < seeds; k++) {
      const batch = simulate(design, vol, panels, 8000, 1000 + k, 'fisher-test')
      const { lines, obs } = await observeBatch(batch, vol, panels, 'hard', 1)
      est.push(solveX0(batch, vol, lines, obs, { iterations: 300 }).em.lambda)
      withScope(() => {
        const r = reconstructBatch(batch, vol, panels, 'hard', 1)
        const truth = buildPaths(vol, truthLines(batch.tracks, vol))
        const info = fisherInformation(pathTensors(truth), fisherConstants(truth, lamTrue, truthScattering(truth, lamTrue, batch)), r.w, r.e).dataSync()
        for (let j = 0; j < V; j++) predVar[j] += 1 / info[j] / seeds
      })
    }
    panels.dispose()
    let sampled = 0
    let predicted = 0
    for (let j = 0; j < V; j++) {
      let mean = 0
      for (const e of est) mean += e[j] / seeds
      let v = 0
      for (const e of est) v += (e[j] - mean) ** 2 / (seeds - 1)
      sampled += v
      predicted += predVar[j]
    }
    console.log(`Fisher, ${momentum} momentum: mean predicted var(λ̂) ${(predicted / V).toExponential(3)}, sampled ${(sampled / V).toExponential(3)}, ratio ${(sampled / predicted).toFixed(3)}`)
    expect(tf.memory().numTensors).toBeLessThan(50)
    return sampled / predicted
  }

  test('predicted variance of λ̂ matches the spread of the ML estimate over seeds (within 15 %, energy loss on)', { timeout: 600_000 }, async () => {
    // the information includes ∂c/∂λ (a denser voxel slows the muon); without it the ratio is 0.81–0.89. 48 seeds:
    // the sampled variance of 16 voxels is then known to about ±5 % (16 × 47 degrees of freedom), so 15 % is three
    // standard deviations
    const ratio = await varianceRatio('known', 48)
    expect(ratio).toBeGreaterThan(0.85)
    expect(ratio).toBeLessThan(1.15)
  })

  test('an unknown momentum: the mixture\'s κ and each quantile\'s slowing bring the prediction within a factor 1.9 (8.7 with the mean c̄ alone)', { timeout: 600_000 }, async () => {
    // 24 seeds: the ratio scatters between sets of seeds. These seeds give 1.44 (8.7 without κ); six sets of 24 give
    // 1.41 on average (1.27–1.72), and 1.05 with the energy loss off. What is left is the prior's 16 quantiles
    // standing for a continuous spectrum (docs/physics-inference.md). 1.9 is above every set's ratio, near the mean
    // and three times the sets' scatter (1.93)
    const ratio = await varianceRatio('unknown', 24)
    expect(ratio).toBeGreaterThan(0.85)
    expect(ratio).toBeLessThan(1.9)
  })
})
