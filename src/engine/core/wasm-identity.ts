// tfjs 4.22's wasm backend implements Identity as a copy of the tensor's memory. The gradient tape clones every
// tensor an op saves for its backward pass through Identity (the loss and gradient of a 100 000-muon step: 518 →
// 493 ms with sharing, medians of three runs). Tensors are immutable (every kernel writes a fresh output), so
// Identity can share the memory and count one more reference to it, as the wasm backend's own Reshape and the cpu
// backend's Identity do.
import * as tf from '@tensorflow/tfjs'
import { replaceWasmKernel, type WasmBackend } from './wasm-kernel'

const sharedIdentity: tf.KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as tf.TensorInfo
  ;(backend as unknown as WasmBackend).incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** Replace the wasm backend's Identity with the sharing one (idempotent). */
export function shareWasmIdentity(): void {
  replaceWasmKernel(tf.Identity, sharedIdentity)
}
