import { describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { gaussianCore } from './core-fit'

describe('Gaussian core fit', () => {
  test('recovers a normal distribution’s mean and σ', () => {
    const x = new Float64Array(200_000)
    createRng(4, 'test').fillNormal(x)
    const f = gaussianCore(x.map((v) => 10 + 0.5 * v))
    expect(f.mean).toBeCloseTo(10, 2)
    expect(Math.abs(f.sigma / 0.5 - 1)).toBeLessThan(0.01)
    expect(f.inside).toBeCloseTo(0.954, 2)
  })

  test('ignores a low tail that inflates the RMS (leakage-like)', () => {
    const rng = createRng(5, 'test')
    const x = new Float64Array(100_000)
    rng.fillNormal(x)
    // 5 % of the entries lose 20–60 % of the energy
    const v = x.map((z, i) => (i % 20 === 0 ? 100 * (0.4 + 0.4 * rng.uniform()) : 100 + 2 * z))
    let s1 = 0, s2 = 0
    for (const y of v) { s1 += y; s2 += y * y }
    const rms = Math.sqrt(s2 / v.length - (s1 / v.length) ** 2)
    const f = gaussianCore(v)
    expect(rms).toBeGreaterThan(8)
    expect(Math.abs(f.sigma / 2 - 1)).toBeLessThan(0.02)
    expect(Math.abs(f.mean - 100)).toBeLessThan(0.05)
  })
})
