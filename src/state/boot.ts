// Start-up: start the engine, read the preset list, then open what the user had: a share link, else the autosaved
// work, else the preset named in the URL (or the default), which autoplays. Also Start fresh, and the read-only
// hooks for automated checks (window.__dds).
import type { DesignError } from '../engine/design/parse'
import { importDesignText } from '../engine/design/import'
import { decodeShareFragment, hasShareFragment } from '../engine/design/share-link'
import { parametersOf } from '../kinds/designs'
import { CRASH_MODES, type CrashMode } from '../workers/heartbeat'
import { isBackendName } from '../workers/protocol'
import { engine } from '../workers/supervisor'
import { DEFAULT_PRESET, fetchPresets, loadDesign, loadPreset, pause, play, setOptimizer, setView } from './actions'
import { clearSaved, deserializeWork, readSaved } from './autosave'
import { saveNow, startAutosave } from './autosave-timer'
import { continueSteps, forgetStepShift, restartOnStepErrors, startEngineOnce } from './engine-life'
import { pauseOnNonFiniteStreak } from './rails'
import { useStudio, type History } from './store'
import { useTrust } from './trust'
import { designHistory } from './undo'
import { frameDrawnSince, VIEW_WAIT_MS } from './view-ready'

const get = useStudio.getState
const set = useStudio.setState

let booted = false

/** start the worker, read the preset list, open the share link, the saved work or the preset (which autoplays) */
export async function boot(): Promise<void> {
  if (booted) return // React StrictMode runs effects twice in development
  booted = true
  exposeTestHooks()
  restartOnStepErrors()
  pauseOnNonFiniteStreak()
  const params = new URLSearchParams(location.search)
  const forced = params.get('backend')
  const presetsP = fetchPresets()
  if (!(await startEngineOnce(isBackendName(forced) ? forced : undefined))) return
  const presets = await presetsP
  const wanted = params.get('preset') ?? DEFAULT_PRESET
  const name = presets.some((p) => p.name === wanted) || presets.length === 0 ? wanted : presets[0].name
  if (await restoreAtBoot(name)) return
  const ok = await loadPreset(name)
  if (!ok || params.get('autoplay') === '0') return
  // the view draws the design before the optimiser starts: its first frames are the heaviest main-thread work
  await frameDrawnSince(performance.now(), VIEW_WAIT_MS)
  await play()
}

function clearHash(): void {
  try { history.replaceState(null, '', location.pathname + location.search) } catch { /* sandboxed */ }
}

/** the autosaved work, validated like any file; null (and a notice when it is unusable) when there is none */
function readAutosave() {
  const saved = deserializeWork(readSaved())
  if (!saved.ok) {
    if (saved.reason !== 'nothing saved') set({ notice: `the autosaved work could not be read (${saved.reason}); starting from the default` })
    return null
  }
  const parsed = importDesignText(saved.designText)
  if (!parsed.ok) {
    set({ notice: `the autosaved design is not valid (${parsed.errors[0]?.path || 'root'}: ${parsed.errors[0]?.message}); starting from the default` })
    return null
  }
  return { work: saved.work, design: parsed.design }
}

/** load the autosaved work; false when there is none or it is unusable */
async function restoreAutosave(): Promise<boolean> {
  const saved = readAutosave()
  if (!saved) return false
  const w = saved.work
  if (!(await loadDesign(saved.design, { presetName: w.presetName, fileName: w.fileName }, { record: false }))) return false
  restoreHistory(w.history, w.step)
  setView(w.view)
  if (w.smoothness != null) await setOptimizer({ smoothness: w.smoothness })
  useTrust.setState({ restoredAt: w.savedAt })
  return true
}

/** put a saved run history back; later steps of this session continue its step numbers */
function restoreHistory(h: History, step: number): void {
  continueSteps(step)
  set((s) => ({ history: h, historyVersion: s.historyVersion + 1, step }))
}

/** forget the saved work and the undo history, load the default preset */
export async function startFresh(): Promise<void> {
  clearSaved()
  useTrust.setState({ restoredAt: null })
  await pause()
  forgetStepShift()
  const params = new URLSearchParams(location.search)
  await loadPreset(params.get('preset') ?? DEFAULT_PRESET)
  designHistory.clear()
  saveNow()
}

/** a share link replaces the autosaved work on screen: keep that work one Undo away (its design, not its history) */
function keepPreviousWorkUndoable(): void {
  const saved = deserializeWork(readSaved())
  if (!saved.ok) return
  const parsed = importDesignText(saved.designText)
  if (!parsed.ok) return
  const d = parsed.design
  designHistory.record({ design: d, ...parametersOf(d), label: 'your previous work', presetName: saved.work.presetName, fileName: saved.work.fileName })
  set({ notice: 'opened the design from a share link; Undo returns to your previous work' })
}

/** share link > autosave; false when neither was opened (the caller loads the preset) */
async function restoreAtBoot(defaultPreset: string): Promise<boolean> {
  let shareErrors: DesignError[] | null = null
  let handled = false
  if (hasShareFragment(location.hash)) {
    const r = await decodeShareFragment(location.hash)
    // the fragment is consumed: a reload then restores the user's own (autosaved) work
    clearHash()
    if (r.ok) {
      handled = await loadDesign(r.design, { presetName: null, fileName: 'shared link' }, { record: false })
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
  // the preset load (and autoplay) continue in boot() when nothing was opened; autosave covers it too
  startAutosave()
  return handled
}

/** read-only views for automated checks (window.__dds) */
function exposeTestHooks(): void {
  const w = window as unknown as { __dds?: Record<string, unknown> }
  // when the latest run started (performance.now), for the responsiveness checks
  let runStartedAt: number | null = null
  useStudio.subscribe((s, prev) => { if (s.status === 'running' && prev.status !== 'running') runStartedAt = performance.now() })
  w.__dds = {
    ...(w.__dds ?? {}),
    panels: () => structuredClone(get().panels),
    history: () => { const h = get().history; return { step: [...h.step], total: [...h.total], validation: [...h.validation] } },
    /** the predicted X0 map shown and the volume's true X0, per voxel (null before a map) */
    x0Map: () => { const s = get(); return s.x0Pred && s.volume ? { pred: [...s.x0Pred], truth: [...s.volume.x0] } : null },
    state: () => {
      const s = get()
      const maxChange = s.design?.kind === 'muography' ? s.design.optimizer.max_change : null
      return { status: s.status, step: s.step, selection: s.selection, backend: s.backend, generation: s.generation, maxChange, runStartedAt }
    },
    crashWorker: (mode: CrashMode = 'throw') => {
      if (!CRASH_MODES.includes(mode)) throw new Error(`crash mode: one of ${CRASH_MODES.join(', ')}`)
      void engine()?.api.debugCrash(mode)
    },
    undoSizes: () => designHistory.sizes,
    saveNow,
    restarts: () => useTrust.getState().restarts,
  }
}
