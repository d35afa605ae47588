// The shower draws are a function of (seed, stream, shower index): the first showers of a row do not change with
// the number drawn, and the numbers are standard normals and uniforms.
import { expect, test } from 'vitest'
import { drawShowers, SHOWER_BLOCK } from './draws'

test('shower s of a row is the same whether 100 or 2 blocks of showers are drawn', () => {
  const small = drawShowers([3], 'showers', 100, 5, true)
  const large = drawShowers([3], 'showers', 2 * SHOWER_BLOCK + 7, 5, true)
  for (const k of ['z1', 'z2', 'zl', 'ux', 'uy'] as const) expect(Array.from(small[k])).toEqual(Array.from(large[k].subarray(0, 100)))
  for (const k of ['zs', 'zn'] as const) expect(Array.from(small[k]!)).toEqual(Array.from(large[k]!.subarray(0, 500)))
  // without noise the other draws stay the same
  const quiet = drawShowers([3], 'showers', 100, 5, false)
  expect(quiet.zn).toBeNull()
  expect(Array.from(quiet.zs)).toEqual(Array.from(small.zs))
})

test('normals are uncorrelated standard normals and the spot uniforms fill [0, 1)', () => {
  const d = drawShowers([1, 2], 'showers', 20_000, 3, true)
  const n = d.z1.length
  const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length
  for (const k of ['z1', 'z2', 'zl', 'zs', 'zn'] as const) {
    const a = d[k]!, m = mean(a)
    const v = a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length
    // 5σ bounds for the mean and the variance of a.length standard normals
    expect(Math.abs(m), k).toBeLessThan(5 / Math.sqrt(a.length))
    expect(Math.abs(v - 1), k).toBeLessThan(5 * Math.sqrt(2 / a.length))
  }
  // z1 and z2 are the two halves of one Box–Muller pair: uncorrelated (5σ of a correlation over n pairs)
  let c = 0
  for (let i = 0; i < n; i++) c += d.z1[i] * d.z2[i]
  expect(Math.abs(c / n)).toBeLessThan(5 / Math.sqrt(n))
  for (const k of ['ux', 'uy'] as const) {
    expect(Math.min(...d[k])).toBeGreaterThanOrEqual(0)
    expect(Math.max(...d[k])).toBeLessThan(1)
    // the mean of n uniforms: 1/2 within 5σ (σ = 1/√(12 n))
    expect(Math.abs(mean(d[k]) - 0.5)).toBeLessThan(5 / Math.sqrt(12 * n))
  }
})
