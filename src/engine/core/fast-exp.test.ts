import { expect, test } from 'vitest'
import { createRng } from './rng'
import { fastExp } from './fast-exp'

test('fastExp agrees with Math.exp to 10⁻¹⁵ over the whole range, and at the edges', () => {
  const r = createRng(1, 'fast-exp')
  let worst = 0
  for (let i = 0; i < 200_000; i++) {
    // the range and the profile loops' arguments (−40 to 0), and near the table's steps
    const x = i % 3 === 0 ? -745 + 1455 * r.uniform() : i % 3 === 1 ? -40 * r.uniform() : (Math.round(64 * r.normal()) * Math.LN2) / 64
    const e = Math.exp(x)
    if (e > 0 && Number.isFinite(e)) worst = Math.max(worst, Math.abs(fastExp(x) - e) / e)
  }
  expect(worst).toBeLessThan(1e-15)
  expect(fastExp(0)).toBe(1)
  expect(fastExp(1)).toBeCloseTo(Math.E, 15)
  expect(fastExp(-1e4)).toBe(0)
  expect(fastExp(1e4)).toBe(Infinity)
  expect(fastExp(NaN)).toBeNaN()
})
