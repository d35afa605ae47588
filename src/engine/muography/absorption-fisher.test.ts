// The absorption term's Fisher information in the optimiser's task term (absorption-fisher.ts): what it adds in a dense
// block and not in a light one, the same from its per-entry constants in the GPU's form, and its gradient in the
// panels against central finite differences.
import { beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { absorptionFisherConstants, absorptionInformation, disposeAbsorptionFisher } from './absorption-fisher'
import { fisherConstants, fisherInformation, fisherLoss } from './fisher'
import { pathTensors } from './path-tensors'
import { buildPaths } from './paths'
import { createPanelParams } from './panels'
import { fdCheck } from './panel-fd'
import { reconstructBatch, simulate, truthLines, truthScattering } from './pipeline'
import { uniformDesign } from './test-designs'
import { buildVolume } from './volume'

beforeAll(async () => { await useNodeBackend('wasm') })

function setup(material: string) {
  const design = uniformDesign(material, { size: [1, 1, 0.6], voxel: 0.2 })
  // off-centre, partly covering panels so that every parameter matters
  design.detector.panels.forEach((p, i) => { p.x = 0.35 + 0.02 * i; p.y = 0.4; p.span_x = 0.7; p.span_y = 0.8 })
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  const batch = simulate(design, vol, panels, 20_000, 3, 'absorption-fisher-test')
  const lamTrue = Float64Array.from(vol.x0, (x) => 1 / x)
  const truth = buildPaths(vol, truthLines(batch.tracks, vol))
  const P = pathTensors(truth)
  const K = fisherConstants(truth, lamTrue, truthScattering(truth, lamTrue, batch))
  const A = absorptionFisherConstants(vol, batch.tracks, lamTrue, { ...batch.entry, resolution: 0 })
  return { panels, batch, vol, P, K, A, lamTrue }
}

/** per voxel: the absorption and the scattering information under the current panels */
function informations(s: ReturnType<typeof setup>): { abs: Float32Array; scat: Float32Array } {
  return tf.tidy(() => {
    const r = reconstructBatch(s.batch, s.vol, s.panels, 'smooth', 0.3)
    return { abs: absorptionInformation(s.panels, s.A, 'smooth', 0.3).dataSync() as Float32Array, scat: fisherInformation(s.P, s.K, r.w, r.e).dataSync() as Float32Array }
  })
}

describe('absorption information in the Fisher task term', () => {
  test('uranium: it adds to the scattering information; its gradient in a panel below matches finite differences', async () => {
    const s = setup('uranium')
    const { abs, scat } = informations(s)
    const ratios = Array.from(abs, (a, j) => a / scat[j]).filter(Number.isFinite).sort((a, b) => a - b)
    const median = ratios[ratios.length >> 1]
    console.log(`uranium: ${s.A.n} muons near their threshold; absorption / scattering information per voxel, median ${median.toFixed(3)}`)
    expect(median).toBeGreaterThan(0.05)
    // the per-entry constants as tensors, with entries of no weight among them, as the GPU makes them (one per path
    // entry, 0 for the muons left out: gpu/absorption-fisher-entries.ts): the same information
    const e = s.A.entries
    if (e.muon instanceof tf.Tensor) throw new Error('the CPU\'s constants are arrays')
    const pad = (a: ArrayLike<number>, v: (k: number) => number) => Array.from({ length: 2 * a.length }, (_, k) => (k % 2 ? v(k) : a[k >> 1]))
    const onGpu = {
      ...s.A, entries: {
        muon: tf.tensor1d(pad(e.muon, () => 0), 'int32'), voxel: tf.tensor1d(pad(e.voxel as Int32Array, (k) => k % s.A.nVoxels), 'int32'),
        grad2: tf.tensor1d(pad(e.grad2 as Float32Array, () => 0)),
      },
    }
    const padded = tf.tidy(() => absorptionInformation(s.panels, onGpu, 'smooth', 0.3).dataSync() as Float32Array)
    abs.forEach((v, j) => expect(Math.abs(padded[j] - v)).toBeLessThanOrEqual(1e-6 * Math.abs(v)))
    disposeAbsorptionFisher(onGpu)
    expect(onGpu.entries.muon.isDisposed).toBe(true)
    // the absorption part alone, then the whole task term with it
    const absLoss = () => tf.sum(absorptionInformation(s.panels, s.A, 'smooth', 0.3)) as tf.Scalar
    const task = () => {
      const r = reconstructBatch(s.batch, s.vol, s.panels, 'smooth', 0.3)
      return fisherLoss(s.P, s.K, r.w, r.e, absorptionInformation(s.panels, s.A, 'smooth', 0.3))
    }
    // panel 5 is below the volume: its x moves the acceptance of the continued lines
    for (const [loss, which, idx] of [[absLoss, 'xy', 10], [absLoss, 'span', 11], [task, 'xy', 10]] as const) {
      const { g, fd } = await fdCheck(s.panels, loss, which, idx, 2e-3)
      console.log(`d/d${which}[${idx}]: autodiff ${g.toExponential(4)} FD ${fd.toExponential(4)}`)
      expect(Math.abs(g)).toBeGreaterThan(0)
      expect(Math.abs(g - fd)).toBeLessThan(0.05 * Math.abs(fd) + 1e-9)
    }
    s.panels.dispose()
  })

  test('beryllium: hardly a muon is near its threshold, and the term adds nothing that counts', () => {
    const s = setup('beryllium')
    const { abs, scat } = informations(s)
    let most = 0
    abs.forEach((a, j) => { if (scat[j] > 0) most = Math.max(most, a / scat[j]) })
    console.log(`beryllium: ${s.A.n} muons near their threshold; largest absorption / scattering information ${most.toExponential(2)}`)
    expect(most).toBeLessThan(1e-3)
    s.panels.dispose()
  })
})
