// Tensor helpers shared by the muography and calorimeter engines.
// tf.gather's gradient uses UnsortedSegmentSum, which tfjs-backend-wasm 4.22 does not register; these helpers
// give gather and scatter-add custom gradients built only from GatherV2 and ScatterNd, which every backend has.
import * as tf from '@tensorflow/tfjs'

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

/** Node-side backend set-up (the browser worker has its own, with wasm paths and time-outs). */
export async function useNodeBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm')
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  }
  const ok = await tf.setBackend(name)
  await tf.ready()
  if (!ok || tf.getBackend() !== name) throw new Error(`could not initialise the ${name} backend`)
  return tf.getBackend()
}

/** read a scalar tensor synchronously and dispose it */
export function takeScalar(t: tf.Tensor): number {
  const v = t.dataSync()[0]
  t.dispose()
  return v
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
