import { expect, test } from 'vitest'
import { kernelThreadCount } from './kernel-threads'

test('kernel threads: every core but the page\'s by default, a wish capped at the cores, one thread without cross-origin isolation', () => {
  expect(kernelThreadCount(0, 8, true)).toBe(7)
  expect(kernelThreadCount(0, 2, true)).toBe(1)
  expect(kernelThreadCount(2, 2, true)).toBe(2)
  expect(kernelThreadCount(3, 8, true)).toBe(3)
  expect(kernelThreadCount(32, 8, true)).toBe(8)
  expect(kernelThreadCount(0, 8, false)).toBe(1)
  expect(kernelThreadCount(0, 1, true)).toBe(1)
})
