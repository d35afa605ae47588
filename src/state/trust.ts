// "Nothing a user does or loads can lose their work or break the studio": autosave and restore, undo / redo,
// share links, engine supervision (crash, exception, hang → alert + restart from the last good design, history
// kept; Stop), and the non-finite-streak guard. Plugs into ./actions through its small hooks (bootHooks,
// adoptEngine, applyLoad); importing this module installs them (App imports it).
import { create } from 'zustand'
import { importDesignText } from '../engine/design/import'
import type { DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'
import { decodeShareFragment, encodeShareFragment, hasShareFragment } from '../engine/design/share-link'
import { startEngine, type EngineClient } from '../workers/client'
import { GPU_LOST_KEY, isGpuLost } from '../workers/gpu-loss'
import { CRASH_MODES, isHeartbeat, type CrashMode } from '../workers/heartbeat'
import type { BackendName, StreamMessage } from '../workers/protocol'
import {
  adoptEngine, applyLoad, bootHooks, DEFAULT_PRESET, engine, loadPreset, loadText, pause, setOptimizer, setPanel, setView,
} from './actions'
import { clearSaved, deserializeWork, designWithPanels, readSaved, serializeWork, writeSaved } from './autosave'
import { initialStreak, NAN_STREAK_LIMIT, nextStreak } from './rails'
import { ingest, useStudio, type History } from './store'
import { captureDesign, designHistory, whileApplying, type DesignSnapshot } from './undo'

const get = useStudio.getState
const set = useStudio.setState

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** UI state of this module (notices, share link) */
export interface TrustState {
  /** ISO time of the autosave that was restored at start (the notice shows while set) */
  restoredAt: string | null
  shareLink: string | null
  shareCopied: boolean | null
  /** last time work was saved locally (ms since epoch) */
  savedAt: number | null
  /** the engine is being restarted */
  restarting: boolean
  restarts: number
}

export const useTrust = create<TrustState>()(() => ({
  restoredAt: null, shareLink: null, shareCopied: null, savedAt: null, restarting: false, restarts: 0,
}))

// ---- the stream: generation and step offsets for restarted engines and restored history ---------------------

/** messages of this generation get `amount` added to their step numbers (history continued after a restore) */
let stepShift: { generation: number; amount: number } | null = null

function wrapIngest(genShift: number): (m: StreamMessage) => void {
  return (m) => {
    lastBeat = Date.now()
    if (genShift) m.generation += genShift
    if (stepShift && m.generation === stepShift.generation && stepShift.amount) {
      m.snapshot.step += stepShift.amount
      for (const r of m.records) r.step += stepShift.amount
    }
    ingest(m)
  }
}

// ---- autosave -----------------------------------------------------------------------------------------------

export const AUTOSAVE_INTERVAL_MS = 3000
let dirty = false
let autosaveOn = false

export function saveNow(): boolean {
  const s = get()
  if (!s.design) return false
  const text = serializeWork({
    design: s.design, panels: s.panels, presetName: s.presetName, fileName: s.fileName, smoothness: s.smoothness,
    view: s.view, history: s.history, step: s.step,
  })
  if (!text) return false
  const ok = writeSaved(text)
  if (ok) { dirty = false; useTrust.setState({ savedAt: Date.now() }) }
  return ok
}

function startAutosave(): void {
  if (autosaveOn) return
  autosaveOn = true
  useStudio.subscribe((s, p) => {
    if (s.design !== p.design || s.panels !== p.panels || s.historyVersion !== p.historyVersion || s.view !== p.view ||
      s.smoothness !== p.smoothness || s.presetName !== p.presetName || s.fileName !== p.fileName) dirty = true
  })
  setInterval(() => { if (dirty && !useTrust.getState().restarting) saveNow() }, AUTOSAVE_INTERVAL_MS)
  const flush = () => { if (get().design && !useTrust.getState().restarting) saveNow() }
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush() })
  window.addEventListener('pagehide', flush)
}

/** load the autosaved work; false when there is none or it is unusable (then a notice says why) */
async function restoreAutosave(): Promise<boolean> {
  const saved = deserializeWork(readSaved())
  if (!saved.ok) {
    if (saved.reason !== 'nothing saved') set({ notice: `the autosaved work could not be read (${saved.reason}); starting from the default` })
    return false
  }
  const parsed = importDesignText(saved.designText)
  if (!parsed.ok) {
    set({ notice: `the autosaved design is not valid (${parsed.errors[0]?.path || 'root'}: ${parsed.errors[0]?.message}); starting from the default` })
    return false
  }
  const w = saved.work
  const ok = await loadText(JSON.stringify(parsed.design), { presetName: w.presetName, fileName: w.fileName })
  if (!ok) return false
  restoreHistory(w.history, w.step)
  setView(w.view)
  if (w.smoothness != null) await setOptimizer({ smoothness: w.smoothness })
  useTrust.setState({ restoredAt: w.savedAt })
  return true
}

/** put a saved run history back; later steps of this session continue its step numbers */
function restoreHistory(h: History, step: number): void {
  const g = get().generation
  stepShift = { generation: g, amount: step }
  set((s) => ({ history: h, historyVersion: s.historyVersion + 1, step }))
}

/** forget the saved work and the undo history, load the default preset */
export async function startFresh(): Promise<void> {
  clearSaved()
  useTrust.setState({ restoredAt: null })
  await pause()
  stepShift = null
  const params = new URLSearchParams(location.search)
  await loadPreset(params.get('preset') ?? DEFAULT_PRESET)
  designHistory.clear()
  saveNow()
}

export function dismissRestored(): void {
  useTrust.setState({ restoredAt: null })
}

// ---- start-up: share link > autosave > preset ------------------------------------------------------------------

function clearHash(): void {
  try { history.replaceState(null, '', location.pathname + location.search) } catch { /* sandboxed */ }
}

/** a share link replaces the autosaved work on screen: keep that work one Undo away (its design, not its history) */
function keepPreviousWorkUndoable(): void {
  const saved = deserializeWork(readSaved())
  if (!saved.ok) return
  const parsed = importDesignText(saved.designText)
  if (!parsed.ok) return
  const d = parsed.design
  const panels = d.kind === 'muography'
    ? d.detector.panels.map((p) => ({ id: p.id, stack: p.stack, x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y }))
    : []
  designHistory.record({ design: d, panels, label: 'your previous work', presetName: saved.work.presetName, fileName: saved.work.fileName })
  set({ notice: 'opened the design from a share link; Undo returns to your previous work' })
}

async function restoreAtBoot(defaultPreset: string): Promise<boolean> {
  const c = engine()
  if (c) supervise(c)
  let shareErrors: DesignError[] | null = null
  let handled = false
  if (hasShareFragment(location.hash)) {
    const r = await decodeShareFragment(location.hash)
    // the fragment is consumed: a reload then restores the user's own (autosaved) work
    clearHash()
    if (r.ok) {
      handled = await loadText(JSON.stringify(r.design), { presetName: null, fileName: 'shared link' })
      if (handled) set({ notice: 'opened the design from a share link' })
    } else {
      shareErrors = r.errors
    }
  }
  const openedLink = handled
  if (!handled) handled = await restoreAutosave()
  if (!handled && shareErrors) handled = await loadPreset(defaultPreset) // no autoplay after a broken link
  if (shareErrors) set({ alert: { title: `The share link could not be opened: ${shareErrors.length} error${shareErrors.length === 1 ? '' : 's'}`, errors: shareErrors } })
  designHistory.clear()
  if (openedLink) keepPreviousWorkUndoable()
  startAutosave()
  if (!handled) {
    // the preset load (and autoplay) continue in boot(); autosave starts now and covers it
    return false
  }
  return true
}

// ---- undo / redo ---------------------------------------------------------------------------------------------

/** same volume, technology and panel set: an undo only moves panels (setPanels); otherwise it reloads */
function sameStructure(a: Design, b: Design): boolean {
  if (a === b) return true
  const strip = (d: Design) => {
    const x = structuredClone(d)
    if (x.kind === 'muography') x.detector.panels = x.detector.panels.map((p) => ({ ...p, x: 0, y: 0, z: 0, span_x: 0, span_y: 0 }))
    const { results: _r, optimizer: _o, seed: _s, ...rest } = x
    void _r; void _o; void _s
    return JSON.stringify(rest)
  }
  return strip(a) === strip(b)
}

async function applySnapshot(t: DesignSnapshot): Promise<void> {
  const st = get()
  const c = engine()
  if (!c || !st.design) return
  if (st.status === 'running') await pause()
  if (sameStructure(t.design, st.design)) {
    for (const p of t.panels) setPanel(p.id, { x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y })
    return
  }
  const r = await c.api.load(designWithPanels(t.design, t.panels))
  if (!r.ok) {
    set({ alert: { title: 'Could not restore that design', errors: r.errors } })
    return
  }
  stepShift = null
  applyLoad(r, { presetName: t.presetName ?? null, fileName: t.fileName ?? null })
}

export async function undo(): Promise<boolean> {
  if (useTrust.getState().restarting) return false
  const cur = captureDesign('now')
  if (!cur) return false
  const target = designHistory.undo(cur)
  if (!target) return false
  await whileApplying(() => applySnapshot(target))
  return true
}

export async function redo(): Promise<boolean> {
  if (useTrust.getState().restarting) return false
  const cur = captureDesign('now')
  if (!cur) return false
  const target = designHistory.redo(cur)
  if (!target) return false
  await whileApplying(() => applySnapshot(target))
  return true
}

// ---- share link ----------------------------------------------------------------------------------------------

export async function makeShareLink(): Promise<string> {
  const s = get()
  if (!s.design) throw new Error('no design loaded')
  const frag = await encodeShareFragment(designWithPanels(s.design, s.panels))
  return `${location.origin}${location.pathname}#${frag}`
}

export async function copyShareLink(): Promise<string | null> {
  let link: string
  try {
    link = await makeShareLink()
  } catch (e) {
    set({ alert: { title: 'Could not make a share link', errors: [{ path: '', message: errorText(e) }] } })
    return null
  }
  useTrust.setState({ shareLink: link, shareCopied: null })
  try {
    await navigator.clipboard.writeText(link)
    useTrust.setState({ shareCopied: true })
  } catch {
    useTrust.setState({ shareCopied: false }) // no clipboard permission: the link is shown for copying by hand
  }
  return link
}

export function closeShareLink(): void {
  useTrust.setState({ shareLink: null, shareCopied: null })
}

// ---- engine supervision ---------------------------------------------------------------------------------------

/** a worker silent this long is hung (override with ?watchdog=ms); must stay well above the slowest step */
export const HANG_MS_DEFAULT = 10_000
let lastBeat = Date.now()
let supervisedWorker: Worker | null = null
let watchdogOn = false

function hangMs(): number {
  const v = Number(new URLSearchParams(location.search).get('watchdog'))
  return Number.isFinite(v) && v >= 1000 ? v : HANG_MS_DEFAULT
}

function supervise(c: EngineClient): void {
  supervisedWorker = c.worker
  lastBeat = Date.now()
  const w = c.worker
  w.addEventListener('message', (e) => {
    if (supervisedWorker !== w) return
    if (isHeartbeat(e.data)) lastBeat = Date.now()
    else if (isGpuLost(e.data)) void restartEngine(`${e.data[GPU_LOST_KEY].message} (backend ${e.data[GPU_LOST_KEY].backend}); the engine now runs on wasm`, undefined, 'wasm')
  })
  w.addEventListener('error', (e) => {
    e.preventDefault() // handled here: reported in the UI
    if (supervisedWorker === w) void restartEngine(`the engine crashed: ${e.message || 'uncaught error in the worker'}`)
  })
  w.addEventListener('messageerror', () => { if (supervisedWorker === w) void restartEngine('the engine sent a message that could not be read') })
  if (watchdogOn) return
  watchdogOn = true
  const limit = hangMs()
  setInterval(() => {
    if (!supervisedWorker || useTrust.getState().restarting) return
    if (document.visibilityState === 'hidden') { lastBeat = Date.now(); return } // timers are throttled while hidden
    const silent = Date.now() - lastBeat
    if (silent > limit) void restartEngine(`the engine stopped responding (no heartbeat for ${(silent / 1000).toFixed(1)} s)`)
  }, 500)
  document.addEventListener('visibilitychange', () => { lastBeat = Date.now() })
}

/**
 * Terminate the worker and start a fresh one from the last good design (the latest panels the UI holds, with the
 * current settings); the run history and step count are kept. `reason` goes to the alert (null: no alert, e.g. Stop).
 */
export async function restartEngine(reason: string | null, notice?: string, backend?: BackendName): Promise<boolean> {
  if (useTrust.getState().restarting) return false
  useTrust.setState((t) => ({ restarting: true, restarts: t.restarts + 1 }))
  const st = get()
  const good = st.design ? designWithPanels(st.design, st.panels) : null
  const keep = { history: st.history, step: st.step, smoothness: st.smoothness, view: st.view, presetName: st.presetName, fileName: st.fileName }
  const genShift = st.generation
  const old = engine()
  supervisedWorker = null
  adoptEngine(null)
  try { old?.terminate() } catch { /* already gone */ }
  set({ status: 'loading', notice: 'restarting the engine…' })
  const params = new URLSearchParams(location.search)
  let c: EngineClient
  try {
    c = await startEngine(wrapIngest(genShift), { backend: backend ?? st.backend?.name, skipSoftwareGpu: params.get('softgpu') !== '1' })
  } catch (e) {
    set({ status: 'error', engineError: errorText(e), notice: `the engine could not be restarted: ${errorText(e)}`, alert: { title: 'The engine could not be restarted', errors: [{ path: '', message: errorText(e) }] } })
    useTrust.setState({ restarting: false })
    return false
  }
  adoptEngine(c)
  supervise(c)
  set({ backend: c.backend, engineError: null })
  c.api.setStream({ tracks: keep.view.tracks ? 64 : 0, x0: true })
  let ok = true
  if (good) {
    const r = await c.api.load(good)
    if (r.ok) {
      const generation = r.generation + genShift
      stepShift = { generation, amount: keep.step }
      applyLoad({ ...r, generation }, { presetName: keep.presetName, fileName: keep.fileName })
      set((s) => ({ history: keep.history, historyVersion: s.historyVersion + 1, step: keep.step, smoothness: keep.smoothness }))
      if (keep.smoothness != null) await c.api.setConfig({ smoothness: keep.smoothness })
    } else {
      ok = false
      set({ alert: { title: 'The last design could not be reloaded after a restart', errors: r.errors } })
    }
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

// an exception inside a step pauses the worker's loop with an error message: report it and restart
useStudio.subscribe((s, p) => {
  if (s.status === 'error' && p.status !== 'error' && s.design && engine() && !useTrust.getState().restarting) {
    void restartEngine(s.notice ?? 'an optimisation step failed')
  }
})

// ---- guard rails: a run that keeps producing non-finite values pauses itself ----------------------------------

let streak = initialStreak()
let streakGen = -1
useStudio.subscribe((s, p) => {
  if (s.step === p.step && s.nanSteps === p.nanSteps && s.generation === p.generation) return
  if (s.generation !== streakGen) { streakGen = s.generation; streak = { step: s.step, nanSteps: s.nanSteps, streak: 0 } ; return }
  streak = nextStreak(streak, s.step, s.nanSteps)
  if (streak.streak >= NAN_STREAK_LIMIT && s.status === 'running') {
    const n = streak.streak
    streak = { ...streak, streak: 0 }
    void pause().then(() => set({
      notice: `paused: ${n} steps in a row were not finite`,
      alert: {
        title: 'Paused: the run keeps producing non-finite values',
        errors: [{ path: '', message: `${n} consecutive steps had a non-finite loss or gradient (NaN or ∞) and were skipped. Lower the learning rates or undo to the design before the run, then press Play.` }],
      },
    }))
  }
})

// ---- install ----------------------------------------------------------------------------------------------------

bootHooks.ingest = wrapIngest(0)
bootHooks.restore = restoreAtBoot

const w = window as unknown as { __dds?: Record<string, unknown> }
w.__dds = {
  ...(w.__dds ?? {}),
  crashWorker: (mode: CrashMode = 'throw') => {
    if (!CRASH_MODES.includes(mode)) throw new Error(`crash mode: one of ${CRASH_MODES.join(', ')}`)
    void engine()?.api.debugCrash(mode)
  },
  undoSizes: () => designHistory.sizes,
  saveNow,
  restarts: () => useTrust.getState().restarts,
}
