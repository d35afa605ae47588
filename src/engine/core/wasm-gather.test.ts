import { beforeAll, describe, expect, test } from 'vitest'
import { readBack, tf, useNodeBackend } from './tensor'
import { fastWasmGather } from './wasm-gather'

beforeAll(async () => { await useNodeBackend('wasm') })

/** x[idx] along `axis`, by hand from the nested arrays */
function gatherByHand(x: number[][], idx: number[], axis: 0 | 1): number[][] {
  return axis === 0 ? idx.map((j) => x[j]) : x.map((row) => idx.map((j) => row[j]))
}

describe('the row gather in front of the wasm GatherV2', () => {
  test('is installed', () => {
    const before = tf.getKernel(tf.GatherV2, 'wasm')!.kernelFunc
    fastWasmGather()
    expect(tf.getKernel(tf.GatherV2, 'wasm')!.kernelFunc).toBe(before)
    expect(before.name).toBe('rowGather')
  })

  test('gathers values and rows along the first axis, float and int, with repeats; the other axis by the backend', async () => {
    const x = [[1.5, -2, 3], [4, 5.25, -6], [7, 8, 9], [-10, 11, 12.5]]
    const idx = [3, 0, 0, 2, 1, 3]
    const x2 = tf.tensor2d(x), x1 = tf.tensor1d(x.map((r) => r[1])), xi = tf.tensor1d([5, -6, 7, 8], 'int32')
    const i = tf.tensor1d(idx, 'int32'), i2 = tf.tensor2d([[1, 2], [3, 0]], [2, 2], 'int32')
    const outs = [tf.gather(x2, i), tf.gather(x1, i), tf.gather(xi, i), tf.gather(x1, i2), tf.gather(x2, tf.tensor1d([2, 0], 'int32'), 1)]
    const [rows, values, ints, nested, cols] = await readBack(outs)
    expect(Array.from(rows)).toEqual(gatherByHand(x, idx, 0).flat())
    expect(Array.from(values)).toEqual(idx.map((j) => x[j][1]))
    expect(Array.from(ints)).toEqual(idx.map((j) => [5, -6, 7, 8][j]))
    expect(outs[2].dtype).toBe('int32')
    expect(outs[3].shape).toEqual([2, 2])
    expect(Array.from(nested)).toEqual([1, 2, 3, 0].map((j) => x[j][1]))
    expect(outs[4].shape).toEqual([4, 2])
    expect(Array.from(cols)).toEqual(gatherByHand(x, [2, 0], 1).flat())
    tf.dispose([x2, x1, xi, i, i2, ...outs])
  })

  test('an index out of range names itself and the range, and leaves no tensor behind', () => {
    const x = tf.tensor1d([1, 2, 3])
    const before = tf.memory().numTensors
    for (const bad of [3, -1]) {
      const i = tf.tensor1d([0, bad], 'int32')
      expect(() => tf.gather(x, i)).toThrow(`GatherV2: the index value ${bad} is not in [0, 2]`)
      i.dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
    x.dispose()
  })
})
