// Tensor helpers shared by the muography and calorimeter engines.
// tf.gather's gradient uses UnsortedSegmentSum, which tfjs-backend-wasm 4.22 does not register; these helpers
// give gather and scatter-add custom gradients built only from GatherV2 and ScatterNd, which every backend has.
import * as tf from '@tensorflow/tfjs'
import { startRead } from './read-backs'
import { fastWasmGather } from './wasm-gather'
import { shareWasmIdentity } from './wasm-identity'
import { viewWasmSlices } from './wasm-slice'

export { tf }

// Indices travel as saved inputs, not closures: tensors made inside a gradient's forward pass are disposed before
// the backward pass unless the engine was asked to keep them.
type CustomFn = Parameters<typeof tf.customGrad>[0]

/** out[k] = x[idx[k]] for a 1-D x; gradient scatters back with ScatterNd (sums duplicates). */
export function gather1d(x: tf.Tensor1D, idx: tf.Tensor1D /* int32 */): tf.Tensor1D {
  const n = x.shape[0]
  const f = tf.customGrad(((xx: tf.Tensor, ii: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ii])
    return {
      value: tf.gather(xx, ii),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [scatterAdd1d(dy as tf.Tensor1D, saved[0] as tf.Tensor1D, n), tf.zerosLike(saved[0]).toFloat()],
    }
  }) as unknown as CustomFn)
  return f(x, idx) as tf.Tensor1D
}

/** out[j] = Σ_{k: idx[k] = j} v[k], length n; gradient gathers. */
export function scatterAdd1d(v: tf.Tensor1D, idx: tf.Tensor1D /* int32 */, n: number): tf.Tensor1D {
  const f = tf.customGrad(((vv: tf.Tensor, ii: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ii])
    return {
      value: tf.scatterND(tf.reshape(ii, [-1, 1]), vv, [n]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.gather(dy, saved[0]), tf.zerosLike(saved[0]).toFloat()],
    }
  }) as unknown as CustomFn)
  return f(v, idx) as tf.Tensor1D
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu'

/** The kernels this project puts in front of tfjs's wasm ones (wasm-identity, wasm-gather, wasm-slice): the same
 *  numbers, faster. Call after the wasm backend's package is imported, before the backend starts. */
export function useFasterWasmKernels(): void {
  shareWasmIdentity()
  fastWasmGather()
  viewWasmSlices()
}

/** Node-side backend set-up (the browser worker has its own, with wasm paths and time-outs); webgpu needs the
 *  CLI's installNodeWebGpu first */
export async function useNodeBackend(name: 'wasm' | 'cpu' | 'webgpu' = 'wasm'): Promise<string> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm')
    useFasterWasmKernels()
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  }
  const ok = await tf.setBackend(name)
  await tf.ready()
  if (!ok || tf.getBackend() !== name) throw new Error(`could not initialise the ${name} backend`)
  return tf.getBackend()
}

/**
 * Read tensors back to the host with one asynchronous transfer: several float tensors are flattened and
 * concatenated on the device first, so a GPU backend maps one buffer instead of one per tensor. Synchronous
 * read-backs (dataSync) are not used anywhere in the engine: on the webgpu backend inside a worker they return
 * zeros and then lose the device. The tensors are not disposed.
 */
export async function readBack(ts: readonly tf.Tensor[]): Promise<Float32Array[]> {
  if (ts.length === 0) return []
  const done = startRead('tensor')
  try {
    if (ts.length === 1) return [(await ts[0].data()) as Float32Array]
    const flat = tf.tidy(() => tf.concat(ts.map((t) => tf.reshape(t, [-1]))))
    const all = (await flat.data()) as Float32Array
    flat.dispose()
    let at = 0
    return ts.map((t) => all.subarray(at, (at += t.size)))
  } finally {
    done()
  }
}

/** Run fn in a tensor scope: every tensor it creates is disposed afterwards; fn returns plain data. */
export function withScope<T>(fn: () => T): T {
  tf.engine().startScope()
  try {
    return fn()
  } finally {
    tf.engine().endScope()
  }
}
