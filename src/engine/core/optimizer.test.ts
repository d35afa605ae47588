import { describe, expect, test } from 'vitest'
import { GroupedAdam } from './optimizer'

const bounds = (lo: number, hi: number, n = 1) => ({ lower: new Float64Array(n).fill(lo), upper: new Float64Array(n).fill(hi) })

describe('GroupedAdam', () => {
  test('minimises a quadratic per group with its own learning rate (m/step)', () => {
    const opt = new GroupedAdam([{ name: 'xy', lr: 0.01 }, { name: 'z', lr: 0.001 }])
    const values = { xy: new Float64Array([0]), z: new Float64Array([0]) }
    // first step of Adam moves by exactly lr
    opt.step(values, { xy: [-3], z: [-5] }, {})
    expect(values.xy[0]).toBeCloseTo(0.01, 8)
    expect(values.z[0]).toBeCloseTo(0.001, 8)
    for (let i = 0; i < 2000; i++) opt.step(values, { xy: [2 * (values.xy[0] - 0.7)], z: [2 * (values.z[0] - 0.2)] }, {})
    expect(values.xy[0]).toBeCloseTo(0.7, 2)
    expect(values.z[0]).toBeCloseTo(0.2, 2)
  })

  test('a non-finite gradient skips the step, counts it, and leaves parameters untouched', () => {
    const opt = new GroupedAdam([{ name: 'a', lr: 0.1 }])
    const values = { a: new Float64Array([1, 2]) }
    const r = opt.step(values, { a: [NaN, 1] }, {})
    expect(r.skipped).toBe(true)
    expect(opt.skippedSteps).toBe(1)
    expect([...values.a]).toEqual([1, 2])
    opt.step(values, { a: [Infinity, 1] }, {})
    expect(opt.skippedSteps).toBe(2)
    expect(values.a.every(Number.isFinite)).toBe(true)
  })

  test('bounds hold and the per-step change is clamped', () => {
    const opt = new GroupedAdam([{ name: 'z', lr: 1 }], 0.05)
    const values = { z: new Float64Array([0.9]) }
    const r = opt.step(values, { z: [-1] }, { z: bounds(0.85, 1.2) })
    expect(r.clamped).toBe(true)
    expect(values.z[0]).toBeCloseTo(0.95, 10)
    for (let i = 0; i < 50; i++) opt.step(values, { z: [-1] }, { z: bounds(0.85, 1.2) })
    expect(values.z[0]).toBe(1.2)
    for (let i = 0; i < 100; i++) opt.step(values, { z: [1] }, { z: bounds(0.85, 1.2) })
    expect(values.z[0]).toBe(0.85)
  })
})
