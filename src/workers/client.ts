// The typed main-thread handle on the engine worker. Everything the UI asks of the engine goes through here.
import * as Comlink from 'comlink'
import type { BackendInfo, BackendName, EngineApi, InitOptions, StreamMessage } from './protocol'
import { retirable } from './retirable'

export interface EngineClient {
  readonly api: Comlink.Remote<EngineApi>
  readonly worker: Worker
  readonly backend: BackendInfo
  terminate(): void
}

function spawn(): { worker: Worker; api: Comlink.Remote<EngineApi> } {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' })
  return { worker, api: Comlink.wrap<EngineApi>(worker) }
}

function timeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: ReturnType<typeof setTimeout> | undefined
  return Promise.race([
    p,
    new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: no answer within ${ms} ms`)), ms) }),
  ]).finally(() => clearTimeout(t))
}

/**
 * Start the worker and pick a tfjs backend (webgpu → webgl → wasm → cpu, or the forced one). Each attempt has a
 * time-out inside the worker; should the worker itself stop answering (a backend that blocks its thread), it is
 * terminated and a fresh one is started with the next backend forced.
 */
export async function startEngine(
  onMessage: (m: StreamMessage) => void,
  opts: InitOptions = {},
): Promise<EngineClient> {
  const perBackend = opts.timeoutMs ?? 15_000
  const queue: (BackendName | undefined)[] = [opts.backend, 'wasm', 'cpu']
  let lastError: unknown = null
  for (const forced of queue) {
    const { worker, api } = spawn()
    try {
      const info = await timeout(api.init({ ...opts, backend: forced }), perBackend * 5 + 5_000, 'engine worker start')
      await api.subscribe(Comlink.proxy(onMessage))
      const calls = retirable(api)
      return {
        api: calls.api,
        worker,
        backend: info,
        terminate() {
          calls.retire('the engine was restarted before it answered')
          api[Comlink.releaseProxy]()
          worker.terminate()
        },
      }
    } catch (e) {
      lastError = e
      api[Comlink.releaseProxy]()
      worker.terminate()
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError))
}
