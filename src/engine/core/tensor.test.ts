import { beforeAll, describe, expect, test } from 'vitest'
import { readBack, tf, useNodeBackend } from './tensor'

beforeAll(async () => { await useNodeBackend('wasm') })

describe('readBack', () => {
  test('one transfer gives back each tensor, flattened, in order; nothing leaks', async () => {
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]])
    const b = tf.scalar(-7.5)
    const c = tf.tensor1d([0.1, Number.NaN, 1e30])
    const before = tf.memory().numTensors
    const [ra, rb, rc] = await readBack([a, b, c])
    expect(tf.memory().numTensors).toBe(before)
    expect(Array.from(ra)).toEqual([1, 2, 3, 4, 5, 6])
    expect(Array.from(rb)).toEqual([-7.5])
    expect(rc[0]).toBeCloseTo(0.1, 7)
    expect(rc[1]).toBeNaN()
    expect(rc[2]).toBe(Math.fround(1e30))
    expect(await readBack([])).toEqual([])
    expect(Array.from((await readBack([b]))[0])).toEqual([-7.5])
    tf.dispose([a, b, c])
  })
})
