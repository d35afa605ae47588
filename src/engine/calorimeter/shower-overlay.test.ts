// The display's single-shower overlay: one shower of the highest beam energy from the fixed validation set, its
// deposited fraction per layer next to the mean profile. It must be a real, fluctuated shower: contained in a deep
// stack, centred near the mean shower, different from the mean and from a shower of another seed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { createCalorimeterSession } from './session'
import { cellBoundaries_x0, expandStack } from './stack'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })
let tensorsAtStart = 0
beforeAll(() => { tensorsAtStart = tf.memory().numTensors })
afterAll(() => { expect(tf.memory().numTensors).toBe(tensorsAtStart) })

// 130 cells of 1.53 mm Pb + 4.2 mm LAr = 39 X0, 2 m wide: a 100 GeV shower is contained
const LAYERS = [{ repeat: 130, absorber: 'lead', absorber_thickness: 0.00153, active: 'liquid-argon', active_thickness: 0.0042 }]

async function snapshotOf(energies: number[], seed: number) {
  const d = smallDesign(LAYERS, { energies, showers: 2000, transverse: 2, seed })
  const s = await createCalorimeterSession(d)
  const snap = s.snapshot()
  s.dispose()
  const b = cellBoundaries_x0(expandStack(d.calorimeter))
  const mid = Array.from({ length: b.length - 1 }, (_, i) => (b[i] + b[i + 1]) / 2)
  return { calo: snap.calo!, mid }
}

const centroid = (f: ArrayLike<number>, mid: number[]) => {
  let s = 0, w = 0
  for (let i = 0; i < mid.length; i++) { s += f[i] * mid[i]; w += f[i] }
  return s / w
}

describe('single-shower overlay', () => {
  test('one shower of the highest energy: contained, near the mean shower, but fluctuated', async () => {
    const { calo, mid } = await snapshotOf([100], 3)
    const one = calo.shower!
    expect(one.energy_gev).toBe(100)
    expect(one.fraction.length).toBe(130)
    const sum = one.fraction.reduce((a, b) => a + b, 0)
    expect(sum).toBeGreaterThan(0.97)
    expect(sum).toBeLessThanOrEqual(1 + 1e-5)
    // with one energy the mean profile is the mean 100 GeV shower: the single one is centred near it
    const cOne = centroid(one.fraction, mid), cMean = centroid(calo.profile, mid)
    console.log(`100 GeV in Pb/LAr: centroid of one shower ${cOne.toFixed(2)} X0, of the mean ${cMean.toFixed(2)} X0`)
    expect(cMean).toBeGreaterThan(8)
    expect(cMean).toBeLessThan(14)
    expect(Math.abs(cOne / cMean - 1)).toBeLessThan(0.35)
    let diff = 0
    for (let i = 0; i < mid.length; i++) diff += Math.abs(one.fraction[i] - calo.profile[i])
    expect(diff).toBeGreaterThan(0.01)
  })

  test('the highest energy is shown whatever the order; another seed draws another shower', async () => {
    const a = (await snapshotOf([100, 5, 20], 3)).calo.shower!
    const b = (await snapshotOf([100, 5, 20], 4)).calo.shower!
    expect(a.energy_gev).toBe(100)
    let diff = 0
    for (let i = 0; i < a.fraction.length; i++) diff += Math.abs(a.fraction[i] - b.fraction[i])
    expect(diff).toBeGreaterThan(0.01)
  })
})
