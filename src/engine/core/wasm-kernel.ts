// What the kernels this project puts in front of tfjs's wasm ones share (wasm-identity, wasm-gather, wasm-slice):
// the backend's heap access and the swap of a registered kernel.
import * as tf from '@tensorflow/tfjs'

/** the parts of tfjs-backend-wasm's BackendWasm these kernels use */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array
  disposeData(dataId: tf.DataId): boolean
  incRef(dataId: tf.DataId): void
}

/** the dtypes typedArrayFromHeap can view */
export const HEAP_TYPES: ReadonlySet<tf.DataType> = new Set<tf.DataType>(['float32', 'int32', 'bool'])

/** Register kernelFunc for `name` on wasm in place of the backend's (after the backend's package has registered its
 *  kernels; idempotent). Returns the kernel it replaced, or null when there is none or it is already in place. */
export function replaceWasmKernel(name: string, kernelFunc: tf.KernelFunc): tf.KernelFunc | null {
  const registered = tf.getKernel(name, 'wasm')
  if (!registered || registered.kernelFunc === kernelFunc) return null
  tf.unregisterKernel(name, 'wasm')
  tf.registerKernel({ ...registered, kernelFunc })
  return registered.kernelFunc
}
