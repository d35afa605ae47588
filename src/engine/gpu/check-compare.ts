// What every kernel check shares (gpu/check.ts): the result's shape, the comparison of an output with its CPU
// reference, random lines through a volume, and a storage buffer for a check's inputs.
import { createRng } from '../core/rng'
import type { tf } from '../core/tensor'
import type { LinePair, PathMatrix } from '../muography/paths'

export interface OutputCheck {
  name: string
  /** largest |gpu − cpu|, scaled as `scale` says */
  maxError: number
  tolerance: number
  /** 'fraction': of the items compared */
  scale: 'absolute' | 'relative' | 'fraction'
}

export interface KernelCheck {
  kernel: 'muons' | 'entering' | 'showers' | 'paths' | 'propagation' | 'detector' | 'momentum' | 'momentum derivative' | 'absorption' | 'em' | 'x0 solve'
  /** muons or showers compared */
  size: number
  outputs: OutputCheck[]
  ok: boolean
  gpu_ms: number
  cpu_ms: number
}


export function compare(name: string, gpu: Float32Array, cpu: ArrayLike<number>, scale: OutputCheck['scale'], tolerance: number): OutputCheck {
  if (gpu.length !== cpu.length) return { name, maxError: Infinity, tolerance, scale }
  let maxError = 0
  for (let i = 0; i < cpu.length; i++) {
    const d = Math.abs(gpu[i] - cpu[i]) / (scale === 'relative' ? Math.max(Math.abs(cpu[i]), 1e-30) : 1)
    // NaN on either side counts as a failure
    maxError = Number.isNaN(d) ? Infinity : Math.max(maxError, d)
  }
  return { name, maxError, tolerance, scale }
}

/** the largest absolute difference over several outputs compared as one, each pair (GPU, reference) entry by entry
 *  (Infinity when a pair's lengths differ) */
export function largestDifference(pairs: readonly (readonly [Float32Array, ArrayLike<number>])[]): number {
  return pairs.reduce((m, [gpu, cpu]) => Math.max(m, compare('', gpu, cpu, 'absolute', 0).maxError), 0)
}

/** a tensor's values: one made from a kernel's buffer reads the whole buffer on data(), which may be longer
 *  (KernelBuffers.room) */
export async function tensorValues(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from((await t.data()).subarray(0, t.size) as ArrayLike<number>)
}

export const result = (kernel: KernelCheck['kernel'], size: number, outputs: OutputCheck[], gpu_ms: number, cpu_ms: number): KernelCheck =>
  ({ kernel, size, outputs, ok: outputs.every((o) => o.maxError <= o.tolerance), gpu_ms, cpu_ms })


/** entry and exit lines of n muons through a 1 m × 1 m × 0.6 m volume, 5 % of them unused */
export function randomLines(n: number): LinePair {
  const r = createRng(5, 'lines')
  const col = (f: () => number) => Float32Array.from({ length: n }, f)
  const slope = () => 0.6 * (r.uniform() - 0.5)
  return {
    n, zIn: 1.2, zOut: 0.2, use: Uint8Array.from({ length: n }, () => (r.uniform() < 0.95 ? 1 : 0)),
    inX: col(() => r.uniform()), inY: col(() => r.uniform()), inTx: col(slope), inTy: col(slope),
    outX: col(() => r.uniform()), outY: col(() => r.uniform()), outTx: col(slope), outTy: col(slope),
  }
}


/** a storage buffer holding `data`, for a check's inputs and outputs (destroyed by the caller) */
export function upload(device: GPUDevice, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>): GPUBuffer {
  const b = device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC })
  device.queue.writeBuffer(b, 0, data)
  return b
}

/** values as float32 with ±∞ (an empty path's ln T_cross) as 10³⁰, so that compare sees two infinities agree */
export function finiteFloats(a: Float64Array): Float32Array {
  return Float32Array.from(a, (v) => (Number.isFinite(v) ? v : 1e30))
}

/** per-entry outputs of one muon compared with the largest of its CPU values (a derivative crosses zero) */
export function perMuonError(paths: Pick<PathMatrix, 'muon' | 'nnz'>, gpu: Float64Array, cpu: Float64Array, skip: (i: number) => boolean): number {
  let err = 0
  for (let k0 = 0; k0 < paths.nnz;) {
    const i = paths.muon[k0]
    let k1 = k0, top = 0, d = 0
    while (k1 < paths.nnz && paths.muon[k1] === i) { top = Math.max(top, Math.abs(cpu[k1])); d = Math.max(d, Math.abs(gpu[k1] - cpu[k1])); k1++ }
    if (!skip(i) && top > 0) err = Math.max(err, Number.isNaN(d) ? Infinity : d / top)
    k0 = k1
  }
  return err
}
