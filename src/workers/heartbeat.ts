// The engine worker's heartbeat: a plain message every HEARTBEAT_MS, outside Comlink (Comlink ignores messages
// without its id). The main thread's supervisor (./supervisor.ts) reports a worker silent for several seconds as
// hung, and the studio (src/state/engine-life.ts) starts a fresh one from the live design. A worker busy inside one long synchronous step
// is silent too, so the main thread's limit must stay well above the slowest step.

export const HEARTBEAT_MS = 1000
export const HEARTBEAT_KEY = '__ddsHeartbeat'

export interface Heartbeat { [HEARTBEAT_KEY]: number }

export function isHeartbeat(data: unknown): data is Heartbeat {
  return !!data && typeof data === 'object' && typeof (data as Record<string, unknown>)[HEARTBEAT_KEY] === 'number'
}

/** call once in the worker */
export function startHeartbeat(post: (m: Heartbeat) => void, ms = HEARTBEAT_MS): () => void {
  const beat = () => post({ [HEARTBEAT_KEY]: Date.now() })
  beat()
  const t = setInterval(beat, ms)
  return () => clearInterval(t)
}

export type CrashMode = 'step' | 'throw' | 'hang' | 'exit' | 'nan' | 'gpu'
export const CRASH_MODES: readonly CrashMode[] = ['step', 'throw', 'hang', 'exit', 'nan', 'gpu']
