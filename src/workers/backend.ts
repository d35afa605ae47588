// tfjs backend selection inside the worker, each attempt under a time-out. In automatic mode every backend that
// starts runs a short calibration step and the fastest is kept (backend-choice.ts); a software-emulated GPU
// (SwiftShader: WebGPU fallback adapter, WebGL on SwiftShader) is passed over without measuring, because the wasm
// backend is several times faster on the same CPU; forcing it with ?backend=webgpu|webgl (or ?softgpu=1) still works.
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-webgpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'
import { benchDesign } from '../engine/muography/bench-scenario'
import { useFasterWasmKernels } from '../engine/core/tensor'
import { MuographySession } from '../engine/muography/session'
import { fastestBackend } from './backend-choice'
import { BACKEND_ORDER, type BackendAttempt, type BackendInfo, type BackendName, type InitOptions } from './protocol'

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
})
// the threaded wasm binary hangs in a minified build (tfjs 4.22, seen in this project's production build); the SIMD one is as fast here
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
useFasterWasmKernels()

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, t]).finally(() => clearTimeout(timer))
}

interface GpuAdapterLike { info?: { isFallbackAdapter?: boolean; architecture?: string }; isFallbackAdapter?: boolean }
interface NavigatorGpu { gpu?: { requestAdapter(opts?: object): Promise<GpuAdapterLike | null> } }

/** null when it looks like real hardware (or cannot be told), otherwise why it is software */
async function softwareGpu(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (self.navigator as unknown as NavigatorGpu).gpu
    if (!gpu) return null
    const adapter = await gpu.requestAdapter()
    if (!adapter) return null
    const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter
    if (fallback || adapter.info?.architecture === 'swiftshader') return 'software WebGPU adapter (SwiftShader), slower than wasm'
    return null
  }
  if (name === 'webgl') {
    if (typeof OffscreenCanvas === 'undefined') return null
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null
    if (!gl) return null
    const ext = gl.getExtension('WEBGL_debug_renderer_info')
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
    gl.getExtension('WEBGL_lose_context')?.loseContext()
    return /swiftshader|llvmpipe|software/i.test(renderer) ? `software WebGL (${renderer.slice(0, 60)}), slower than wasm` : null
  }
  return null
}

/** Switch tfjs to `name` under a time-out and prove it computes (1 + 2); the attempt says how it went. */
export async function attempt(name: BackendName, timeoutMs: number): Promise<BackendAttempt> {
  const t0 = performance.now()
  try {
    const ok = await withTimeout(tf.setBackend(name), timeoutMs, `setBackend(${name})`)
    await withTimeout(tf.ready(), timeoutMs, `ready(${name})`)
    if (!ok || tf.getBackend() !== name) throw new Error(`setBackend(${name}) returned ${ok}; active: ${tf.getBackend()}`)
    // one tiny op proves the backend computes
    const v = await withTimeout(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2))).data(), timeoutMs, `first op on ${name}`)
    if (v[0] !== 3) throw new Error(`${name} computed 1 + 2 = ${v[0]}`)
    return { name, ok: true, ms: Math.round(performance.now() - t0) }
  } catch (e) {
    return { name, ok: false, ms: Math.round(performance.now() - t0), note: (e as Error).message ?? String(e) }
  }
}

/** muons in the calibration step: enough that the step's tensor work shows, short enough to start quickly */
const CALIBRATION_MUONS = 5000
const CALIBRATION_TIMEOUT_MS = 30_000

/** One calibration step on the active backend: a warm-up (kernel compilation), then the faster of two timed steps. */
export async function calibrationStep(): Promise<{ ms: number; loss: number }> {
  const session = new MuographySession(benchDesign(CALIBRATION_MUONS))
  try {
    const first = await session.step()
    let ms = Infinity
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now()
      await session.step()
      ms = Math.min(ms, performance.now() - t0)
    }
    return { ms, loss: first.loss?.total ?? NaN }
  } finally {
    session.dispose()
  }
}

export type Calibrate = () => Promise<{ ms: number; loss: number }>

/**
 * Forced (?backend=NAME): that backend, or the automatic choice when it fails to start. Automatic: every backend
 * of webgpu, webgl, wasm that starts (software GPUs passed over unless asked for) runs the calibration step, and
 * the fastest that computes correctly is kept (backend-choice.ts); cpu only when none of them works.
 */
export async function selectBackend(opts: InitOptions, calibrate: Calibrate = calibrationStep): Promise<Omit<BackendInfo, 'threads'>> {
  const timeoutMs = opts.timeoutMs ?? 15_000
  const attempts: BackendAttempt[] = []
  if (opts.backend) {
    const a = await attempt(opts.backend, timeoutMs)
    attempts.push(a)
    if (a.ok) return { name: opts.backend, forced: true, attempts }
    // a forced backend that fails still leaves the user with a working studio: fall through to the measurement
  }
  for (const name of BACKEND_ORDER) {
    if (name === opts.backend || name === 'cpu') continue
    if (opts.skipSoftwareGpu !== false && (name === 'webgpu' || name === 'webgl')) {
      let why: string | null
      try { why = await withTimeout(softwareGpu(name), timeoutMs, `probe ${name}`) } catch { why = null }
      if (why) { attempts.push({ name, ok: false, ms: 0, note: `passed over: ${why}` }); continue }
    }
    const a = await attempt(name, timeoutMs)
    attempts.push(a)
    if (!a.ok) continue
    try {
      const c = await withTimeout(calibrate(), CALIBRATION_TIMEOUT_MS, `calibration step on ${name}`)
      a.stepMs = c.ms
      a.loss = c.loss
    } catch (e) {
      a.ok = false
      a.note = `calibration step failed: ${(e as Error).message ?? String(e)}`
    }
  }
  const best = fastestBackend(attempts)
  if (best) {
    await tf.setBackend(best)
    return { name: best, forced: false, attempts }
  }
  const cpu = await attempt('cpu', timeoutMs)
  attempts.push(cpu)
  if (cpu.ok) return { name: 'cpu', forced: false, attempts }
  throw new Error(`no tfjs backend initialised: ${attempts.map((a) => `${a.name}: ${a.note}`).join('; ')}`)
}

/** the active tfjs backend object (the GPU device or context lives on it: see gpu-loss.ts) */
export function activeBackendObject(): unknown {
  return tf.backend()
}
