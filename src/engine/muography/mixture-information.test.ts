// The shape information κ of a mixture of exponentials (mixture-information.ts) against a fine numerical integral of
// its definition.
import { expect, test } from 'vitest'
import { mixtureShapeInformation } from './mixture-information'

/** κ = ∫ h(x) S(x)² dx on a fine logarithmic grid (trapezoid, 400 000 points), from the definition */
function fineKappa(c: number[]): number {
  const n = c.length, mean = c.reduce((a, b) => a + b, 0) / n, a = c.map((v) => v / mean)
  const lo = Math.log(1e-10), hi = Math.log(400 * Math.max(...a)), N = 400_000, dv = (hi - lo) / N
  let kappa = 0
  for (let k = 0; k <= N; k++) {
    const x = Math.exp(lo + k * dv)
    let h = 0, s = 0
    for (const ar of a) {
      const d = Math.exp(-x / ar) / ar / n
      h += d
      s += d * (x / ar - 1)
    }
    kappa += (k === 0 || k === N ? 0.5 : 1) * ((s * s) / h) * x * dv
  }
  return kappa
}

test('κ is 1 for one exponential (one value, or equal values) and falls as the scales spread, within 0.05 % of the integral', () => {
  const scratch = new Float64Array(32)
  expect(mixtureShapeInformation([2e-4], 0, 1, scratch)).toBe(1)
  expect(Math.abs(mixtureShapeInformation([2e-4, 2e-4, 2e-4], 0, 3, scratch) - 1)).toBeLessThan(1e-4)
  // values that stop (0) leave the mixture
  expect(mixtureShapeInformation([0, 2e-4, 0, 2e-3], 0, 4, scratch)).toBeCloseTo(mixtureShapeInformation([2e-4, 2e-3], 0, 2, scratch), 12)
  let last = 1
  for (const c of [[1, 1.2], [1, 10], [1, 3, 10, 30, 100], [0.2, 0.5, 1, 2, 5, 20, 80, 300, 1000]]) {
    const kappa = mixtureShapeInformation(c, 0, c.length, scratch)
    const fine = fineKappa(c)
    console.log(`κ(${c.join(', ')}): ${kappa.toFixed(6)}, integral ${fine.toFixed(6)}`)
    // the trapezoid rule in ln x, step 0.5, from 10⁻⁵ of the smallest scale: within 1.2·10⁻⁴ here
    expect(Math.abs(kappa / fine - 1)).toBeLessThan(5e-4)
    expect(kappa).toBeLessThan(last)
    last = kappa
  }
})
