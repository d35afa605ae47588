// What the kernels this project puts in front of tfjs's wasm ones share (wasm-identity, wasm-gather, wasm-slice):
// the backend's heap access and the swap of a registered kernel. The calorimeter's profile integral
// (calorimeter/cell-sums.ts) reads its inputs through the same heap access.
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

/** the backend's own kernels, by name, that replaceWasmKernel put something in front of */
const originals = new Map<string, tf.KernelFunc>()

/** Register kernelFunc for `name` on wasm in place of the backend's (after the backend's package has registered its
 *  kernels; idempotent); the backend's stays callable through backendKernel. */
export function replaceWasmKernel(name: string, kernelFunc: tf.KernelFunc): void {
  const registered = tf.getKernel(name, 'wasm')
  if (!registered || registered.kernelFunc === kernelFunc) return
  originals.set(name, registered.kernelFunc)
  tf.unregisterKernel(name, 'wasm')
  tf.registerKernel({ ...registered, kernelFunc })
}

/** run the backend's own kernel `name` (for the cases a replacement leaves to it) */
export function backendKernel(name: string, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> {
  const original = originals.get(name)
  if (!original) throw new Error(`no wasm kernel ${name} was replaced`)
  return original(args)
}
