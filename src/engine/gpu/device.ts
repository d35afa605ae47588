/// <reference types="@webgpu/types" />
// The tfjs webgpu backend's own GPUDevice, when it is the active backend, and what the kernels share: buffers that
// persist across steps (re-made only when a size changes, or, sized by an entry count, when it outgrows them), pipelines compiled once per device, 1-D dispatch and
// an asynchronous read-back through a staging buffer that persists with the buffer it reads.
import { startRead } from '../core/read-backs'
import { tf } from '../core/tensor'

interface WebGpuBackendLike { device: GPUDevice }

function isWebGpuBackend(b: object): b is WebGpuBackendLike {
  return 'device' in b && typeof GPUDevice !== 'undefined' && b.device instanceof GPUDevice
}

/** the device tfjs computes on, or null when the active backend is not webgpu */
export function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null
  const b = tf.backend()
  return isWebGpuBackend(b) ? b.device : null
}

export const WORKGROUP = 64
/** workgroups per row of a dispatch (WebGPU's minimum limit per dimension) */
const MAX_GROUPS_X = 65535

/** workgroup counts for `threads` invocations; WGSL_INDEX turns the ids back into the invocation's index */
export function groups(threads: number): [number, number] {
  const g = Math.max(1, Math.ceil(threads / WORKGROUP))
  const x = Math.min(g, MAX_GROUPS_X)
  return [x, Math.ceil(g / x)]
}
export const WGSL_INDEX = 'gid.x + gid.y * nwg.x * 64u'

/** the sum over a workgroup of each invocation's v (local index li), for every invocation; call it from an entry
 *  point where every invocation reaches it (it holds barriers) */
export const WORKGROUP_SUM_WGSL = /* wgsl */ `
var<workgroup> sums: array<vec2<f32>, ${WORKGROUP}>;

fn workgroup_sum(v: vec2<f32>, li: u32) -> vec2<f32> {
  sums[li] = v;
  workgroupBarrier();
  for (var half = ${WORKGROUP / 2}u; half > 0u; half >>= 1u) {
    if (li < half) { sums[li] += sums[li + half]; }
    workgroupBarrier();
  }
  return sums[0];
}
`

/** a compute pipeline of one WGSL module, its bindings laid out from the code */
export function computePipeline(device: GPUDevice, label: string, code: string, entryPoint = 'main'): GPUComputePipeline {
  return device.createComputePipeline({ label, layout: 'auto', compute: { module: device.createShaderModule({ label, code }), entryPoint } })
}

/** buffers of one kernel on one device, by name; a buffer is replaced only when its size changes */
export class KernelBuffers {
  private readonly map = new Map<string, GPUBuffer>()
  constructor(private readonly device: GPUDevice) {}

  /** a storage buffer tfjs can make a tensor from (STORAGE | COPY_SRC), at least 4 bytes */
  storage(name: string, bytes: number): GPUBuffer {
    return this.get(name, Math.max(4, bytes), GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST)
  }

  /** a storage buffer (as storage()) of at least `bytes`, for a size that changes from step to step (an entry
   *  count): kept while it is large enough, and made a quarter larger than asked, so that the next steps' sizes fit
   *  and a step does not make its large buffers anew. A tensor made from it (tf.tensor({ buffer })) reads it whole
   *  on data() */
  room(name: string, bytes: number): GPUBuffer {
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST
    const old = this.map.get(name)
    if (old && old.size >= bytes && old.usage === usage) return old
    return this.get(name, Math.max(4, Math.ceil((1.25 * bytes) / 4) * 4), usage)
  }

  uniform(name: string, bytes: number): GPUBuffer {
    return this.get(name, bytes, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST)
  }

  /** the buffer of a name (storage with room(), or uniform) with `data` written into it */
  upload(name: string, data: Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Int32Array<ArrayBuffer>, uniform = false): GPUBuffer {
    const b = uniform ? this.uniform(name, data.byteLength) : this.room(name, data.byteLength)
    this.device.queue.writeBuffer(b, 0, data)
    return b
  }

  private get(name: string, bytes: number, usage: number): GPUBuffer {
    const old = this.map.get(name)
    if (old && old.size === bytes && old.usage === usage) return old
    if (old) dropStaging(old)
    old?.destroy()
    made.set(name, (made.get(name) ?? 0) + 1)
    const b = this.device.createBuffer({ label: `dds ${name}`, size: bytes, usage })
    this.map.set(name, b)
    return b
  }
}

/** kernels' buffers made since the last takeBuffersMade, by name: a benchmark's timed steps, whose sizes have
 *  settled, make none (buffers persist across steps) */
const made = new Map<string, number>()

/** the buffers made per name since the last call, and a new count from zero */
export function takeBuffersMade(): Record<string, number> {
  const out = Object.fromEntries(made)
  made.clear()
  return out
}

/** one value per device (pipelines, buffers), made on first use */
export function perDevice<T>(make: (device: GPUDevice) => T): (device: GPUDevice) => T {
  const cache = new WeakMap<GPUDevice, T>()
  return (device) => {
    let v = cache.get(device)
    if (!v) { v = make(device); cache.set(device, v) }
    return v
  }
}

/** dispatches per kernel (the pipeline's label) since the last takeDispatches: the bench page reports which kernels
 *  a step ran */
const dispatched = new Map<string, number>()

/** count a dispatch of `pipeline` (every kernel's dispatch goes through here) */
export function noteDispatch(pipeline: GPUComputePipeline): void {
  dispatched.set(pipeline.label, (dispatched.get(pipeline.label) ?? 0) + 1)
}

/** the dispatches per kernel since the last call, and a new count from zero */
export function takeDispatches(): Record<string, number> {
  const out = Object.fromEntries(dispatched)
  dispatched.clear()
  return out
}

/** run one compute pass of `pipeline` with the buffers bound in order at group 0 */
export function dispatch(device: GPUDevice, pipeline: GPUComputePipeline, buffers: GPUBuffer[], threads: number): void {
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  })
  const enc = device.createCommandEncoder()
  const pass = enc.beginComputePass()
  pass.setPipeline(pipeline)
  pass.setBindGroup(0, bind)
  pass.dispatchWorkgroups(...groups(threads))
  noteDispatch(pipeline)
  pass.end()
  device.queue.submit([enc.finish()])
}

/** per buffer read back, the staging buffer its read-backs go through (the size of the buffer, made on its first read) */
const staging = new WeakMap<GPUBuffer, GPUBuffer>()

function dropStaging(src: GPUBuffer): void {
  staging.get(src)?.destroy()
  staging.delete(src)
}

/** the first `bytes` of a buffer, read back asynchronously */
export async function readBuffer(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const size = Math.max(4, bytes)
  let buf = staging.get(src)
  // a read of the same buffer still in flight keeps its staging buffer; this one gets a buffer of its own
  const own = buf !== undefined && buf.mapState !== 'unmapped'
  if (!buf || own) {
    buf = device.createBuffer({ label: 'dds read-back', size: Math.max(size, src.size), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST })
    if (!own) staging.set(src, buf)
  }
  const enc = device.createCommandEncoder()
  enc.copyBufferToBuffer(src, 0, buf, 0, size)
  device.queue.submit([enc.finish()])
  const done = startRead('kernel')
  try { await buf.mapAsync(GPUMapMode.READ, 0, size) } finally { done() }
  const out = buf.getMappedRange(0, size).slice(0, bytes)
  buf.unmap()
  if (own) buf.destroy()
  return out
}

/** the first n floats of a storage buffer */
export async function readFloats(device: GPUDevice, src: GPUBuffer, n: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, src, 4 * n))
}
