// Both kinds of session speak the same step record and write every setting they hold back into the design:
// the record's parameters are the panels' or layers' values after the step, penalties = total − task, the
// detector cost is the cost model's number with its unit (checked by hand here), an export after setConfig
// carries the new settings, and 'start' is the design the run began from (edits before the first step included).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from './core/tensor'
import { parseDesign } from './design/parse'
import { smallDesign } from './calorimeter/test-helpers'
import { uniformDesign } from './muography/test-designs'
import { createSession } from './session'

beforeAll(async () => { await useNodeBackend('wasm') })
let tensorsAtStart = 0
beforeAll(() => { tensorsAtStart = tf.memory().numTensors })
afterAll(() => { expect(tf.memory().numTensors).toBe(tensorsAtStart) })

const sig7 = (v: number) => Number(v.toPrecision(7))
const valid = (d: unknown) => parseDesign(JSON.parse(JSON.stringify(d))).ok

describe('muography session record and export', () => {
  test('one step: record, settings and start design', async () => {
    const d = uniformDesign('iron', { size: [0.6, 0.6, 0.4], voxel: 0.2 })
    d.optimizer = { ...d.optimizer, muons_per_step: 2000, validation_muons: 2000, validation_every: 1, budget: 3, cost_weight: 1 }
    const s = await createSession(d)
    s.setPanels!([{ id: 'above-0', x: 0.25 }])
    s.setConfig({ learning_rates: { z: 0.005 }, muons_per_step: 3000, smoothness: 0.2 })
    const r = await s.step()
    expect(r.step).toBe(1)
    expect(r.total).not.toBeNull()
    expect(r.penalties).toBeCloseTo(r.total! - r.task!, 12)
    expect(r.penalties!).toBeGreaterThanOrEqual(0)
    // 8 panels, cost_per_m2 1: cost = Σ span_x · span_y over the parameters after the step
    let cost = 0
    for (let i = 0; i < 8; i++) cost += r.parameters[5 * i + 3] * r.parameters[5 * i + 4]
    expect(r.detectorCost.unit).toBe('cost')
    expect(r.detectorCost.value).toBeCloseTo(cost, 5)
    expect(r.parameters.length).toBe(40)
    expect(r.validation).not.toBeNull()
    const cur = s.exportDesign('current')
    if (cur.kind !== 'muography') throw new Error('kind')
    expect(cur.optimizer.learning_rates.z).toBe(0.005)
    expect(cur.optimizer.muons_per_step).toBe(3000)
    expect(cur.optimizer.smoothness).toEqual({ start: 0.2, end: 0.2 })
    // the file carries float32 parameters to their seven significant digits
    expect(cur.detector.panels.map((p) => p.z)).toEqual(r.parameters.filter((_, k) => k % 5 === 2).map(sig7))
    const start = s.exportDesign('start')
    if (start.kind !== 'muography') throw new Error('kind')
    expect(start.detector.panels[0].x).toBe(0.25) // the edit before the first step
    expect(start.detector.panels.map((p) => p.z)).toEqual(d.detector.panels.map((p) => sig7(p.z))) // a value on a bound stays valid
    expect(start.optimizer.learning_rates.z).toBe(0.005)
    expect(valid(cur) && valid(start)).toBe(true)
    expect(s.view()?.x0.length).toBe(3 * 3 * 2)
    s.dispose()
  })
})

describe('calorimeter session record and export', () => {
  test('one step: record, settings and start design', async () => {
    const d = smallDesign([{ repeat: 3, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 }], {
      energies: [5, 20], showers: 100, optimizer: { showers_per_step: 200, validation_every: 1, cost_weight: 0.5 },
    })
    const s = await createSession(d)
    s.setLayers!([{ index: 0, absorber_thickness: 0.005 }]) // granularity 'group': the whole group
    s.setConfig({ learning_rate: 1e-4, showers_per_step: 300 })
    const r = await s.step()
    expect(r.penalties).toBeCloseTo(r.total! - r.task!, 12)
    expect(r.penalties!).toBeGreaterThan(0) // the weighted cost term
    expect(r.parameters.length).toBe(6)
    // lead 11.35 g/cm³, price 1 per kg, 0.4 m face; active 100 per m² per layer (the schema's default prices)
    const area = 0.4 * 0.4
    let lead = 0
    for (let i = 0; i < 3; i++) lead += r.parameters[2 * i]
    expect(r.detectorCost).toEqual({ value: expect.closeTo(11350 * lead * area + 3 * area * 100, 3), unit: 'cost' })
    const cur = s.exportDesign('current')
    if (cur.kind !== 'calorimeter') throw new Error('kind')
    expect(cur.optimizer.learning_rate).toBe(1e-4)
    expect(cur.optimizer.showers_per_step).toBe(300)
    const start = s.exportDesign('start')
    if (start.kind !== 'calorimeter') throw new Error('kind')
    expect(start.calorimeter.layers).toEqual([{ repeat: 3, absorber: 'lead', absorber_thickness: 0.005, active: 'scintillator', active_thickness: 0.003 }])
    expect(start.optimizer.learning_rate).toBe(1e-4)
    expect(valid(cur) && valid(start)).toBe(true)
    expect(s.view()).toBeNull()
    s.dispose()
  })
})
