// A GPU backend can lose its device: a driver reset, a GPU process crash (seen with software WebGPU), too much
// memory. tfjs then never settles the pending work, so a step would hang with the heartbeat still beating. The
// worker watches for the loss (GPUDevice.lost, uncaptured device errors and WebGPU exceptions that escape tfjs for
// webgpu; webglcontextlost for webgl) and says so in a plain
// message outside Comlink; the supervisor (./supervisor.ts) reports it and the studio (src/state/engine-life.ts)
// restarts the engine on wasm from the live design and tells the user why.
import type { BackendName } from './protocol'

export const GPU_LOST_KEY = '__ddsGpuLost'

export interface GpuLost { [GPU_LOST_KEY]: { backend: BackendName; message: string } }

export function isGpuLost(data: unknown): data is GpuLost {
  const v = !!data && typeof data === 'object' ? (data as Record<string, unknown>)[GPU_LOST_KEY] : undefined
  return !!v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string'
}

interface DeviceLike extends Partial<EventTarget> { lost?: Promise<{ reason?: string; message?: string }> }
interface WebGpuBackendLike { device?: DeviceLike }
interface WebGlBackendLike { gpgpu?: { gl?: { canvas?: EventTarget } } }

/** an exception thrown by the WebGPU API itself (seen when the GPU process died but the device was not marked lost) */
const GPU_API_ERROR = /GPUDevice|GPUBuffer|GPUQueue|WebGPU|createBuffer|mapAsync/i

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { message?: unknown })?.message ?? e))

/** the loss message when an exception from a step on `name` is the GPU API failing, else null */
export function gpuFailure(name: BackendName, e: unknown): string | null {
  if (name !== 'webgpu') return null
  const m = messageOf(e)
  return GPU_API_ERROR.test(m) ? `the WebGPU device failed: ${m}` : null
}

/**
 * Call in the worker once the backend is chosen; `backendObject` is tf.backend(), `scope` the worker's global
 * (for exceptions that escape tfjs's own promises). Reports at most once.
 */
export function watchGpuLoss(name: BackendName, backendObject: unknown, post: (m: GpuLost) => void, scope?: EventTarget): void {
  let said = false
  const lost = (message: string) => {
    if (said) return
    said = true
    post({ [GPU_LOST_KEY]: { backend: name, message } })
  }
  if (name === 'webgpu') {
    const device = (backendObject as WebGpuBackendLike).device
    device?.lost?.then((info) => {
      if (info?.reason === 'destroyed') return // our own dispose, not a failure
      lost(`the WebGPU device was lost${info?.message ? `: ${info.message}` : ''}`)
    })
    // out-of-memory and internal errors that no error scope caught: the results of the step are garbage
    device?.addEventListener?.('uncapturederror', (e) => lost(`the WebGPU device failed: ${messageOf((e as unknown as { error?: unknown }).error ?? e)}`))
    const escaped = (reason: unknown) => { const m = gpuFailure(name, reason); if (m) lost(m) }
    scope?.addEventListener('unhandledrejection', (e) => escaped((e as PromiseRejectionEvent).reason))
    scope?.addEventListener('error', (e) => escaped((e as ErrorEvent).error ?? (e as ErrorEvent).message))
  } else if (name === 'webgl') {
    const canvas = (backendObject as WebGlBackendLike).gpgpu?.gl?.canvas
    canvas?.addEventListener?.('webglcontextlost', () => lost('the WebGL context was lost'))
  }
}
