/// <reference types="@webgpu/types" />
// Tensors and kernels' buffers copied one into the other on the GPU: a tensor's values into a kernel's buffer, for
// kernels whose inputs the tape made (the map's observations: gpu/em.ts, gpu/momentum.ts), and a kernel's output
// columns into tensors, for a tape (gpu/momentum-derivative.ts, gpu/em.ts).
import { tf } from '../core/tensor'

/** copy the values of a float32 or int32 tensor into `dst` on the GPU: tfjs hands over a buffer of the values,
 *  having submitted the work that makes them, so the copy queued after it sees them */
export function copyTensor(device: GPUDevice, t: tf.Tensor, dst: GPUBuffer): void {
  const { tensorRef, buffer } = t.dataToGPU()
  if (!buffer) throw new Error('the tensor is not in a WebGPU buffer')
  const enc = device.createCommandEncoder()
  enc.copyBufferToBuffer(buffer, 0, dst, 0, 4 * t.size)
  device.queue.submit([enc.finish()])
  tensorRef.dispose()
}

/** columns `ks` of a [rows, width] float32 matrix in a kernel's buffer, as tensors: tfjs copies the buffer at once,
 *  so the kernel's next call may rewrite it */
export function bufferColumns(buffer: GPUBuffer, rows: number, width: number, ks: readonly number[]): tf.Tensor1D[] {
  return tf.tidy(() => {
    const t = tf.tensor({ buffer }, [rows, width], 'float32')
    return ks.map((k) => tf.reshape(tf.slice(t, [0, k], [-1, 1]), [-1]) as tf.Tensor1D)
  })
}
