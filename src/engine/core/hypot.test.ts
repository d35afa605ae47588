import { describe, expect, test } from 'vitest'
import { hypot2, hypot3 } from './hypot'
import { createRng } from './rng'

describe('hypot2 and hypot3', () => {
  test('are Math.hypot to the bit: mixed magnitudes, zeros and signs', () => {
    const rng = createRng(11, 'hypot')
    const draw = () => (rng.uniform() < 0.1 ? 0 : (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 24 - 12))
    let differ = 0
    for (let i = 0; i < 300_000; i++) {
      const x = draw(), y = draw(), z = draw()
      if (!Object.is(hypot3(x, y, z), Math.hypot(x, y, z))) differ++
      if (!Object.is(hypot2(x, y), Math.hypot(x, y))) differ++
    }
    expect(differ).toBe(0)
  })

  test('known values and the special ones', () => {
    expect(hypot3(3, 4, 12)).toBe(13)
    expect(hypot2(-5, 12)).toBe(13)
    expect(hypot3(0, -0, 0)).toBe(0)
    expect(hypot2(NaN, -Infinity)).toBe(Infinity)
    expect(hypot3(-Infinity, NaN, 1)).toBe(Infinity)
    expect(hypot3(NaN, 1, 2)).toBeNaN()
    expect(hypot2(1, NaN)).toBeNaN()
  })
})
