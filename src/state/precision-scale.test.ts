import { describe, expect, test } from 'vitest'
import { precisionPosition } from './precision-scale'

describe('the "how well measured" colour scale', () => {
  test('two decades on a log scale: 1 % at 0, 10 % half way, 100 % at 1; outside clamped; unmeasured NaN', () => {
    expect(precisionPosition(0.01)).toBeCloseTo(0, 12)
    expect(precisionPosition(0.1)).toBeCloseTo(0.5, 12)
    expect(precisionPosition(1)).toBeCloseTo(1, 12)
    expect(precisionPosition(0.001)).toBe(0)
    expect(precisionPosition(7)).toBe(1)
    expect(precisionPosition(Infinity)).toBeNaN()
    expect(precisionPosition(0)).toBeNaN()
  })
})
