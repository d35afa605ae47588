import { describe, expect, test } from 'vitest'
import { calibrationSummary, fastestBackend } from './backend-choice'
import type { BackendAttempt } from './protocol'

const cal = (name: BackendAttempt['name'], stepMs: number, loss = 1): BackendAttempt => ({ name, ok: true, ms: 5, stepMs, loss })

describe('backend chosen by measurement', () => {
  test('the fastest calibrated backend wins, whatever the order', () => {
    expect(fastestBackend([cal('webgpu', 41), cal('webgl', 90), cal('wasm', 120)])).toBe('webgpu')
    expect(fastestBackend([cal('webgpu', 300), cal('webgl', 90), cal('wasm', 120)])).toBe('webgl')
    expect(fastestBackend([cal('webgpu', 300), cal('webgl', 190), cal('wasm', 120)])).toBe('wasm')
  })

  test('backends that failed, were passed over or were not calibrated do not count', () => {
    const attempts: BackendAttempt[] = [
      { name: 'webgpu', ok: false, ms: 0, note: 'passed over: software WebGPU adapter' },
      { name: 'webgl', ok: true, ms: 10 }, // started, calibration missing
      cal('wasm', 120),
    ]
    expect(fastestBackend(attempts)).toBe('wasm')
    expect(fastestBackend([{ name: 'webgpu', ok: false, ms: 3, note: 'no adapter' }])).toBeNull()
    expect(fastestBackend([])).toBeNull()
  })

  test('a fast backend whose loss is wrong (zeros, NaN, off by > 5 % from wasm) is passed over and says why', () => {
    const zero = cal('webgpu', 10, 0)
    const attempts = [zero, cal('webgl', 20, 0.8), cal('wasm', 120, 0.83)]
    expect(fastestBackend(attempts)).toBe('webgl')
    expect(zero.ok).toBe(false)
    expect(zero.note).toMatch(/differs from wasm/)
    const nan = cal('webgpu', 10, NaN)
    expect(fastestBackend([nan, cal('wasm', 120)])).toBe('wasm')
    expect(nan.note).toMatch(/not finite/)
    // 4 % off is within the tolerance (float32 GPU arithmetic differs slightly)
    expect(fastestBackend([cal('webgpu', 10, 1.04), cal('wasm', 120, 1)])).toBe('webgpu')
  })

  test('the badge figures: fastest first, rounded ms per step', () => {
    expect(calibrationSummary([cal('wasm', 120.4), cal('webgpu', 40.6), { name: 'webgl', ok: false, ms: 0, note: 'x' }]))
      .toBe('webgpu 41 ms/step · wasm 120 ms/step')
    expect(calibrationSummary([{ name: 'wasm', ok: true, ms: 4 }])).toBe('')
  })
})
