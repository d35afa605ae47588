// The one owner of the engine worker's life on the main thread: it starts the worker (./client.ts), holds the
// current one, listens for its heartbeat (./heartbeat.ts), its uncaught errors, unreadable messages and GPU loss
// (./gpu-loss.ts), and reports a failure once per worker. What to do about it (restart, on which backend, what to
// tell the user) is decided in src/state/engine-life.ts.
import { startEngine, type EngineClient } from './client'
import { GPU_LOST_KEY, isGpuLost } from './gpu-loss'
import { isHeartbeat } from './heartbeat'
import { EngineRetired } from './retirable'
import type { BackendName, InitOptions, StreamMessage } from './protocol'

export type EngineFailure =
  | { kind: 'crash'; message: string }
  | { kind: 'hang'; silentMs: number }
  | { kind: 'unreadable' }
  | { kind: 'gpu-lost'; backend: BackendName; message: string }

/** a worker silent this long is hung; must stay well above the slowest step */
const HANG_MS_DEFAULT = 10_000

let current: EngineClient | null = null
let lastBeat = Date.now()
let reported = false
let onFailure: (f: EngineFailure) => void = () => {}
let watchdog: ReturnType<typeof setInterval> | null = null

/** the running engine, or null while none is started */
export function engine(): EngineClient | null {
  return current
}

function report(w: Worker, f: EngineFailure): void {
  if (current?.worker !== w || reported) return
  reported = true
  onFailure(f)
}

function watch(c: EngineClient): void {
  const w = c.worker
  w.addEventListener('message', (e) => {
    if (isHeartbeat(e.data)) lastBeat = Date.now()
    else if (isGpuLost(e.data)) report(w, { kind: 'gpu-lost', ...e.data[GPU_LOST_KEY] })
  })
  w.addEventListener('error', (e) => {
    e.preventDefault() // reported in the UI
    report(w, { kind: 'crash', message: e.message || 'uncaught error in the worker' })
  })
  w.addEventListener('messageerror', () => report(w, { kind: 'unreadable' }))
}

function startWatchdog(hangMs: number): void {
  if (watchdog) return
  watchdog = setInterval(() => {
    if (!current) return
    if (document.visibilityState === 'hidden') { lastBeat = Date.now(); return } // timers are throttled while hidden
    const silent = Date.now() - lastBeat
    if (silent > hangMs) report(current.worker, { kind: 'hang', silentMs: silent })
  }, 500)
  document.addEventListener('visibilitychange', () => { lastBeat = Date.now() })
  // a call cut short by a restart is not a second failure: the restart is reported once, by the studio
  window.addEventListener('unhandledrejection', (e) => { if (e.reason instanceof EngineRetired) e.preventDefault() })
}

/**
 * Start a worker (retiring the current one first) and watch it. Stream messages count as beats. `failed` hears
 * about the first failure of this worker.
 */
export async function launchEngine(
  onMessage: (m: StreamMessage) => void,
  opts: InitOptions & { hangMs?: number },
  failed: (f: EngineFailure) => void,
): Promise<EngineClient> {
  retireEngine()
  const c = await startEngine((m) => { lastBeat = Date.now(); onMessage(m) }, opts)
  current = c
  reported = false
  lastBeat = Date.now()
  onFailure = failed
  watch(c)
  startWatchdog(opts.hangMs ?? HANG_MS_DEFAULT)
  return c
}

/** terminate the current worker (if any); nothing is reported about it afterwards */
export function retireEngine(): void {
  const old = current
  current = null
  try { old?.terminate() } catch { /* already gone */ }
}
