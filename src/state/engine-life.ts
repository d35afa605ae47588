// What the studio does about the engine's life: start it, and when the supervisor (workers/supervisor.ts) reports a
// failure (an uncaught error, a hang, an unreadable message, a lost GPU) or a step fails, restart it from the live
// design (kinds/designs.ts) with the run history and step count kept, and say why. Stop also restarts it, at once.
// Step numbers of a restarted or restored session continue the history's.
import { pageFrameGateBuffer } from '../workers/frame-gate'
import type { BackendName, StreamMessage } from '../workers/protocol'
import { engine, launchEngine, retireEngine, type EngineFailure } from '../workers/supervisor'
import { applyLoad, currentDesign, errorText } from './actions'
import { ingest, useStudio } from './store'
import { useTrust } from './trust'

const get = useStudio.getState
const set = useStudio.setState

/** messages of this generation get `amount` added to their step numbers (history continued after a restore) */
let stepShift: { generation: number; amount: number } | null = null

function onMessage(m: StreamMessage): void {
  if (stepShift && m.generation === stepShift.generation && stepShift.amount) {
    m.snapshot.step += stepShift.amount
    for (const r of m.records) r.step += stepShift.amount
  }
  ingest(m)
}

/** later steps of the current session continue from `step` (a restored or restarted run) */
export function continueSteps(step: number): void {
  stepShift = { generation: get().generation, amount: step }
}

/** a fresh session (a load): its steps count from 0 */
export function forgetStepShift(): void {
  stepShift = null
}

function describe(f: EngineFailure): string {
  switch (f.kind) {
    case 'crash': return `the engine crashed: ${f.message}`
    case 'hang': return `the engine stopped responding (no heartbeat for ${(f.silentMs / 1000).toFixed(1)} s)`
    case 'unreadable': return 'the engine sent a message that could not be read'
    case 'gpu-lost': return `${f.message} (backend ${f.backend}); the engine now runs on wasm`
  }
}

function onFailure(f: EngineFailure): void {
  void restartEngine(describe(f), undefined, f.kind === 'gpu-lost' ? 'wasm' : undefined)
}

function launchOptions(backend: BackendName | undefined) {
  const params = new URLSearchParams(location.search)
  const w = Number(params.get('watchdog'))
  const threads = Number(params.get('threads'))
  return {
    threads: Number.isInteger(threads) && threads > 0 ? threads : undefined,
    backend, skipSoftwareGpu: params.get('softgpu') !== '1', hangMs: Number.isFinite(w) && w >= 1000 ? w : undefined,
    frameGate: pageFrameGateBuffer(),
    // a new engine's sessions are numbered after the current one's: older messages stay older
    generation: get().generation,
  }
}

/** start the first engine; false (and the reason on screen) when it cannot start */
export async function startEngineOnce(backend: BackendName | undefined): Promise<boolean> {
  try {
    const c = await launchEngine(onMessage, launchOptions(backend), onFailure)
    set({ backend: c.backend })
    return true
  } catch (e) {
    set({ status: 'error', engineError: errorText(e), notice: `engine failed to start: ${errorText(e)}` })
    return false
  }
}

/**
 * Terminate the worker and start a fresh one from the live design (the parameters the UI holds, with the current
 * settings); the run history and step count are kept. `reason` goes to the alert (null: no alert, e.g. Stop).
 */
export async function restartEngine(reason: string | null, notice?: string, backend?: BackendName): Promise<boolean> {
  if (useTrust.getState().restarting) return false
  useTrust.setState((t) => ({ restarting: true, restarts: t.restarts + 1 }))
  const st = get()
  const good = currentDesign(st)
  const keep = { history: st.history, step: st.step, smoothness: st.smoothness, view: st.view, presetName: st.presetName, fileName: st.fileName }
  retireEngine()
  set({ status: 'loading', notice: 'restarting the engine…' })
  let ok = true
  try {
    const c = await launchEngine(onMessage, launchOptions(backend ?? st.backend?.name), onFailure)
    set({ backend: c.backend, engineError: null })
    c.api.setStream({ tracks: keep.view.tracks ? 64 : 0, x0: true })
    if (good) {
      const r = await c.api.load(good)
      if (r.ok) {
        stepShift = { generation: r.generation, amount: keep.step }
        applyLoad(r, good, { presetName: keep.presetName, fileName: keep.fileName })
        set((s) => ({ history: keep.history, historyVersion: s.historyVersion + 1, step: keep.step, smoothness: keep.smoothness }))
        if (keep.smoothness != null) await c.api.setConfig({ smoothness: keep.smoothness })
      } else {
        ok = false
        set({ alert: { title: 'The last design could not be reloaded after a restart', errors: r.errors } })
      }
    }
  } catch (e) {
    set({ status: 'error', engineError: errorText(e), notice: `the engine could not be restarted: ${errorText(e)}`, alert: { title: 'The engine could not be restarted', errors: [{ path: '', message: errorText(e) }] } })
    useTrust.setState({ restarting: false })
    return false
  }
  useTrust.setState({ restarting: false })
  set({ status: 'ready', notice: notice ?? (reason ? 'the engine was restarted from the last good design' : null) })
  if (reason && ok) {
    set({ alert: { title: 'The engine failed and was restarted', errors: [{ path: '', message: `${reason}. It was restarted from the last good design; the design and the run history are kept.` }] } })
  }
  return ok
}

/** terminate a run at once (unlike Pause, which waits for the step in flight) and restart from the current design */
export async function stopRun(): Promise<void> {
  await restartEngine(null, 'stopped: the engine was restarted from the current design')
}

/** an exception inside a step pauses the worker's loop with an error message: report it and restart */
export function restartOnStepErrors(): void {
  useStudio.subscribe((s, p) => {
    if (s.status === 'error' && p.status !== 'error' && s.design && engine() && !useTrust.getState().restarting) {
      void restartEngine(s.notice ?? 'an optimisation step failed')
    }
  })
}
