// The studio's ensemble and comparison helpers on hand-made designs and results.
import { describe, expect, test } from 'vitest'
import { smallDesign } from '../../engine/calorimeter/test-helpers'
import { uniformDesign } from '../../engine/muography/test-designs'
import type { BackgroundResult } from '../../workers/background-protocol'
import { traceParams } from '../../ui/beyond/trace-params'
import { compareRows } from './compare-rows'
import { poolSize } from './pool'

const result = (names: string[], final: number[], validation: number, cost: number): BackgroundResult => ({
  space: { names, lower: names.map(() => 0), upper: names.map(() => 1) },
  start: final, final, initialValidation: validation, best: { step: 0, validation }, cost,
  design: uniformDesign('iron'), interrupted: false,
})

describe('compare two designs', () => {
  test('rows for the metrics and every parameter of either design; only real differences are marked', () => {
    const a = result(['p.x', 'p.z', 'q.z'], [0.5, 1.0, 0.2], 2.0, 8)
    // z of p lowered by 5 cm; x equal up to float32 rounding; q missing; r new
    const b = result(['p.x', 'p.z', 'r.z'], [Math.fround(0.5), 0.95, 0.3], 1.5, 8)
    const rows = compareRows(a, b, 'EUR')
    expect(rows.map((r) => r.name)).toEqual(['validation', 'detector cost', 'p.x', 'p.z', 'q.z', 'r.z'])
    expect(Object.fromEntries(rows.map((r) => [r.name, r.differs]))).toEqual({
      validation: true, 'detector cost': false, 'p.x': false, 'p.z': true, 'q.z': true, 'r.z': true,
    })
    expect(rows.find((r) => r.name === 'q.z')).toMatchObject({ a: 0.2, b: null })
    expect(rows[1].unit).toBe('EUR')
  })
})

describe('background workers', () => {
  test('one core for the page and one for the engine worker, at least one, never more than the jobs', () => {
    expect(poolSize(3, 2)).toBe(1)
    expect(poolSize(3, 4)).toBe(2)
    expect(poolSize(3, 8)).toBe(3)
    expect(poolSize(10, 8)).toBe(6)
    expect(poolSize(1, 16)).toBe(1)
  })
})

describe('run traces', () => {
  test('muography: five parameters per panel at their place in a step vector', () => {
    const d = uniformDesign('iron')
    const t = traceParams(d)
    expect(t).toHaveLength(5 * d.detector.panels.length)
    const p1 = d.detector.panels[1].id
    expect(t.find((x) => x.name === `${p1}.span_y`)?.index).toBe(9)
  })

  test('calorimeter: absorber and active per expanded layer (repeat counts unrolled)', () => {
    const d = smallDesign([{ repeat: 3, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 }])
    const t = traceParams(d)
    expect(t.map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5])
    expect(t[5].name).toBe('layer 2 active_thickness')
  })
})
