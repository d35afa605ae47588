// tfjs 4.22's wasm GatherV2 checks every index through a closure in JavaScript and then gathers with a generic
// strided loop: in a 100 000-muon step its gathers (path entries from per-muon values, forward and in the
// gradients) took 160 ms, the largest tfjs cost of the step. The common case, a gather along the first axis
// without batch dimensions, is a plain copy of rows: this kernel does it in one loop over the indices on the wasm
// heap, with the same bounds check and message. Every other case goes to the backend's own kernel.
import * as tf from '@tensorflow/tfjs'
import { backendKernel, HEAP_TYPES, replaceWasmKernel, type WasmBackend } from './wasm-kernel'

const rowGather: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs } = args
  const x = inputs.x as tf.TensorInfo, indices = inputs.indices as tf.TensorInfo
  const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number }
  const firstAxis = axis === 0 || axis === -x.shape.length
  if (!firstAxis || batchDims !== 0 || indices.dtype !== 'int32' || !HEAP_TYPES.has(x.dtype) || x.shape.length === 0) {
    return backendKernel(tf.GatherV2, args)
  }
  const b = backend as unknown as WasmBackend
  const rows = x.shape[0]
  const row = x.shape.slice(1).reduce((a, d) => a * d, 1)
  const out = b.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype)
  // views after the output's allocation, which may grow (and so replace) the heap
  const xs = b.typedArrayFromHeap(x), idx = b.typedArrayFromHeap(indices) as Int32Array, o = b.typedArrayFromHeap(out)
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k]
    if (!(j >= 0 && j < rows)) {
      b.disposeData(out.dataId)
      throw new Error(`GatherV2: the index value ${j} is not in [0, ${rows - 1}]`)
    }
    if (row === 1) o[k] = xs[j]
    else o.set(xs.subarray(j * row, (j + 1) * row), k * row)
  }
  return out
}

/** Put the row gather in front of the wasm backend's GatherV2 (idempotent). */
export function fastWasmGather(): void {
  replaceWasmKernel(tf.GatherV2, rowGather)
}
