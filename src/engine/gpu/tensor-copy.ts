/// <reference types="@webgpu/types" />
// A tensor's values copied into a kernel's buffer on the GPU, for kernels whose inputs the tape made (the map's
// observations: gpu/em.ts, gpu/momentum.ts).
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
