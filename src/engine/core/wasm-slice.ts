// tfjs 4.22's wasm Slice reads its input with readSync, which copies the whole tensor out of the wasm heap before
// the slice is taken, and Unpack (tf.unstack) slices once per output: unstacking n rows copied the tensor n times
// (in the calorimeter's step, the gradient of its per-energy stack took 13 ms). These kernels copy only the slice,
// from a view of the heap, in runs along the last axis.
import * as tf from '@tensorflow/tfjs'
import { backendKernel, HEAP_TYPES, replaceWasmKernel, type WasmBackend } from './wasm-kernel'

/** x[begin : begin + size] as a new tensor of shape `size` */
function copySlice(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype)
  const n = size.reduce((a, d) => a * d, 1)
  if (n === 0) return out
  // views after the output's allocation, which may grow (and so replace) the heap
  const xs = backend.typedArrayFromHeap(x), o = backend.typedArrayFromHeap(out)
  const rank = x.shape.length, strides = tf.util.computeStrides(x.shape)
  if (tf.slice_util.isSliceContinous(x.shape, begin, size)) {
    const from = tf.slice_util.computeFlatOffset(begin, strides)
    o.set(xs.subarray(from, from + n))
    return out
  }
  // runs along the last axis, the outer indices counted like an odometer
  const run = size[rank - 1], idx = new Array<number>(rank - 1).fill(0)
  for (let w = 0; w < n; w += run) {
    let from = begin[rank - 1]
    for (let d = 0; d < rank - 1; d++) from += (begin[d] + idx[d]) * strides[d]
    o.set(xs.subarray(from, from + run), w)
    for (let d = rank - 2; d >= 0 && ++idx[d] === size[d]; d--) idx[d] = 0
  }
  return out
}

const viewSlice: tf.KernelFunc = (args) => {
  const x = args.inputs.x as tf.TensorInfo
  if (!HEAP_TYPES.has(x.dtype) || x.shape.length === 0) return backendKernel(tf.Slice, args)
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] }
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size)
  return copySlice(args.backend as unknown as WasmBackend, x, b, s)
}

const viewUnpack: tf.KernelFunc = (args) => {
  const x = args.inputs.value as tf.TensorInfo
  if (!HEAP_TYPES.has(x.dtype)) return backendKernel(tf.Unpack, args)
  const rank = x.shape.length
  const axis = ((args.attrs as unknown as { axis: number }).axis + rank) % rank
  const shape = x.shape.filter((_, d) => d !== axis)
  const size = x.shape.map((d, k) => (k === axis ? 1 : d))
  return Array.from({ length: x.shape[axis] }, (_, i) => {
    const begin = x.shape.map((_, k) => (k === axis ? i : 0))
    const t = copySlice(args.backend as unknown as WasmBackend, x, begin, size)
    return { ...t, shape }
  })
}

/** Put the heap-view Slice and Unpack in front of the wasm backend's (idempotent). */
export function viewWasmSlices(): void {
  replaceWasmKernel(tf.Slice, viewSlice)
  replaceWasmKernel(tf.Unpack, viewUnpack)
}
