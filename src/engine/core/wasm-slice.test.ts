import { beforeAll, describe, expect, test } from 'vitest'
import { readBack, tf, useNodeBackend } from './tensor'
import { viewWasmSlices } from './wasm-slice'

beforeAll(async () => { await useNodeBackend('wasm') })

/** 0, 1, 2, … in a tensor of `shape` */
const iota = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.tensor(Array.from({ length: shape.reduce((a, d) => a * d, 1) }, (_, i) => i), shape, dtype)

/** the flat values of x[begin : begin + size] of a row-major iota of `shape`, by hand */
function sliceByHand(shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = []
  const walk = (d: number, offset: number) => {
    if (d === shape.length) { out.push(offset); return }
    const stride = shape.slice(d + 1).reduce((a, s) => a * s, 1)
    for (let i = 0; i < size[d]; i++) walk(d + 1, offset + (begin[d] + i) * stride)
  }
  walk(0, 0)
  return out
}

describe('heap-view Slice and Unpack on the wasm backend', () => {
  test('are installed', () => {
    viewWasmSlices()
    expect(tf.getKernel(tf.Slice, 'wasm')!.kernelFunc.name).toBe('viewSlice')
    expect(tf.getKernel(tf.Unpack, 'wasm')!.kernelFunc.name).toBe('viewUnpack')
  })

  test('slices of rank 1 to 4, contiguous and strided, float and int, match a slice by hand; nothing leaks', async () => {
    const cases: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[4, 5], [1, 0], [2, 5]], // whole rows: contiguous
      [[4, 5], [1, 2], [3, 2]], // a block: runs of 2
      [[3, 4, 5], [1, 1, 0], [2, 2, 5]],
      [[3, 4, 5], [0, 1, 3], [3, 3, 1]], // runs of 1
      [[2, 3, 4, 5], [1, 0, 2, 1], [1, 3, 2, 3]],
      [[4, 5], [2, 3], [0, 2]], // empty
    ]
    const before = tf.memory().numTensors
    for (const dtype of ['float32', 'int32'] as const) {
      for (const [shape, begin, size] of cases) {
        const x = iota(shape, dtype)
        const s = tf.slice(x, begin, size)
        expect(s.shape).toEqual(size)
        expect(s.dtype).toBe(dtype)
        expect(Array.from((await readBack([s]))[0])).toEqual(sliceByHand(shape, begin, size))
        tf.dispose([x, s])
      }
    }
    // size −1: to the end
    const x = iota([4, 5])
    const s = tf.slice(x, [1, 2], [-1, -1])
    expect(s.shape).toEqual([3, 3])
    expect(Array.from((await readBack([s]))[0])).toEqual(sliceByHand([4, 5], [1, 2], [3, 3]))
    tf.dispose([x, s])
    expect(tf.memory().numTensors).toBe(before)
  })

  test('unstack along every axis gives the rows by hand, and the gradient of a stack is right', async () => {
    const shape = [3, 4, 5], x = iota(shape)
    for (const axis of [0, 1, 2, -1]) {
      const a = (axis + 3) % 3
      const parts = tf.unstack(x, axis)
      expect(parts.length).toBe(shape[a])
      const read = await readBack(parts)
      read.forEach((r, i) => {
        const begin = shape.map((_, k) => (k === a ? i : 0)), size = shape.map((d, k) => (k === a ? 1 : d))
        expect(parts[i].shape).toEqual(shape.filter((_, k) => k !== a))
        expect(Array.from(r)).toEqual(sliceByHand(shape, begin, size))
      })
      tf.dispose(parts)
    }
    // d/dx_i of Σ_i (i + 1)·Σ stack(x_0, x_1, x_2)[i]: the stack's gradient unstacks dy
    const parts = [iota([2, 3]), iota([2, 3]), iota([2, 3])]
    const g = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tf.stack(xs), tf.tensor([1, 2, 3]).reshape([3, 1, 1]))) as tf.Scalar)(parts)
    const gr = await readBack(g)
    gr.forEach((r, i) => expect(Array.from(r)).toEqual(new Array(6).fill(i + 1)))
    tf.dispose([x, ...parts, ...g])
  })
})
