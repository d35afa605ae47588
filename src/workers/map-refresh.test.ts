import { expect, test } from 'vitest'
import { stepSolvesMap, X0_INTERVAL_MS } from './map-refresh'

test('a step solves the X0 map when the view will want a new one by the time it ends', () => {
  // the first step, with no map yet
  expect(stepSolvesMap(0, -Infinity, 0)).toBe(true)
  // fast steps (40 ms): the next due at 200 ms from the last solve (at 1000), so the step starting at 1160 solves it
  expect(stepSolvesMap(1040, 1000, 40)).toBe(false)
  expect(stepSolvesMap(1120, 1000, 40)).toBe(false)
  expect(stepSolvesMap(1160, 1000, 40)).toBe(true)
  // steps longer than the interval solve it every time
  expect(stepSolvesMap(1300, 1300, X0_INTERVAL_MS + 1)).toBe(true)
})
