// Autosave: the live design (kinds/designs.ts: panel positions or layer thicknesses and settings included) and the
// run history, written to localStorage every few seconds when something changed and whenever the page is hidden or
// closed (./autosave-timer.ts). On start, ./boot.ts reads it back (validated like any imported file: the stored
// text is untrusted) and says so.
import type { Design } from '../engine/design/schema'
import { liveDesign, type LiveParameters } from '../kinds/designs'
import { emptyHistory, type History, type ViewState } from './store'

export const AUTOSAVE_KEY = 'dds.autosave.v1'
export const AUTOSAVE_VERSION = 1
/** steps of run history kept in the save (the newest) */
export const AUTOSAVE_MAX_STEPS = 2000
/** steps whose panel positions are kept in the save (the newest) */
export const AUTOSAVE_PANEL_STEPS = 500
/** stay well inside localStorage's ~5 MB per origin */
export const AUTOSAVE_MAX_CHARS = 2_000_000

export interface SavedWork {
  version: typeof AUTOSAVE_VERSION
  /** ISO time of the save */
  savedAt: string
  /** the live design, no results block */
  design: Design
  presetName: string | null
  fileName: string | null
  smoothness: number | null
  view: ViewState
  history: History
  /** the step counter shown when saved */
  step: number
}

export interface WorkState extends LiveParameters {
  design: Design | null
  presetName: string | null
  fileName: string | null
  smoothness: number | null
  view: ViewState
  history: History
  step: number
}

function tail<T>(a: T[], n: number): T[] {
  return a.length > n ? a.slice(a.length - n) : a.slice()
}

function trimHistory(h: History, n: number, withPanels: boolean): History {
  return {
    step: tail(h.step, n),
    total: tail(h.total, n),
    task: tail(h.task, n),
    cost: tail(h.cost, n),
    validation: tail(h.validation, n),
    detectorCost: tail(h.detectorCost, n),
    // panel trajectories are bulky: only the newest AUTOSAVE_PANEL_STEPS keep theirs
    panels: tail(h.panels, n).map((p, i, a) => (withPanels && i >= a.length - AUTOSAVE_PANEL_STEPS ? p : [])),
  }
}

/** JSON text for the store, or null when there is nothing to save. Shrinks the history until it fits. */
export function serializeWork(w: WorkState, now = new Date()): string | null {
  if (!w.design) return null
  const base: Omit<SavedWork, 'history'> = {
    version: AUTOSAVE_VERSION,
    savedAt: now.toISOString(),
    design: liveDesign(w.design, w),
    presetName: w.presetName,
    fileName: w.fileName,
    smoothness: w.smoothness,
    view: w.view,
    step: w.step,
  }
  // non-finite numbers become null in JSON; the history already uses null for them
  for (let n = AUTOSAVE_MAX_STEPS, withPanels = true; ; ) {
    const text = JSON.stringify({ ...base, history: trimHistory(w.history, n, withPanels) })
    if (text.length <= AUTOSAVE_MAX_CHARS || (n === 0 && !withPanels)) return text
    if (withPanels) withPanels = false
    else n = Math.floor(n / 2)
  }
}

const isNumArr = (a: unknown): a is number[] => Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v))
const isNullableNumArr = (a: unknown): a is (number | null)[] =>
  Array.isArray(a) && a.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))

function readHistory(h: unknown): History {
  const x = h as Partial<Record<keyof History, unknown>> | null
  if (!x || typeof x !== 'object') return emptyHistory()
  const { step, total, task, cost, validation, detectorCost, panels } = x
  if (!isNumArr(step) || !isNullableNumArr(total) || !isNullableNumArr(task) || !isNullableNumArr(cost) || !isNullableNumArr(validation) || !isNumArr(detectorCost)) {
    return emptyHistory()
  }
  const n = step.length
  if ([total, task, cost, validation, detectorCost].some((a) => a.length !== n)) return emptyHistory()
  const pan = Array.isArray(panels) && panels.length === n && panels.every(isNumArr) ? (panels as number[][]) : Array.from({ length: n }, () => [])
  return { step, total, task, cost, validation, detectorCost, panels: pan }
}

/**
 * Read saved work back. The design is returned as untrusted JSON text for the caller to validate through the
 * import path (importDesignText); everything else is checked here. Never throws.
 */
export function deserializeWork(text: string | null): { ok: true; work: Omit<SavedWork, 'design'>; designText: string } | { ok: false; reason: string } {
  if (text == null) return { ok: false, reason: 'nothing saved' }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, reason: 'the saved work is not valid JSON' }
  }
  const r = raw as Partial<SavedWork> | null
  if (!r || typeof r !== 'object' || Array.isArray(r)) return { ok: false, reason: 'the saved work is not an object' }
  if (r.version !== AUTOSAVE_VERSION) return { ok: false, reason: `unknown autosave version ${String(r.version)}` }
  if (!r.design || typeof r.design !== 'object') return { ok: false, reason: 'the saved work has no design' }
  const savedAt = typeof r.savedAt === 'string' && !Number.isNaN(Date.parse(r.savedAt)) ? r.savedAt : new Date(0).toISOString()
  const v = (r.view ?? {}) as Partial<ViewState>
  const view: ViewState = {
    colour: v.colour === 'pred' || v.colour === 'error' || v.colour === 'measured' ? v.colour : 'true',
    voxels: v.voxels !== false,
    tracks: v.tracks !== false,
    logScale: v.logScale === true,
  }
  const str = (s: unknown) => (typeof s === 'string' && s.length < 500 ? s : null)
  const history = readHistory(r.history)
  const step = typeof r.step === 'number' && Number.isFinite(r.step) && r.step >= 0 ? Math.floor(r.step) : history.step.at(-1) ?? 0
  return {
    ok: true,
    designText: JSON.stringify(r.design),
    work: {
      version: AUTOSAVE_VERSION,
      savedAt,
      presetName: str(r.presetName),
      fileName: str(r.fileName),
      smoothness: typeof r.smoothness === 'number' && Number.isFinite(r.smoothness) ? r.smoothness : null,
      view,
      history,
      step,
    },
  }
}

/** localStorage, or null where it is blocked (private mode, sandboxed frames) */
export function storage(): Storage | null {
  try {
    const s = window.localStorage
    return s ?? null
  } catch {
    return null
  }
}

/** write; false when the store is missing or full */
export function writeSaved(text: string): boolean {
  const s = storage()
  if (!s) return false
  try {
    s.setItem(AUTOSAVE_KEY, text)
    return true
  } catch {
    return false
  }
}

export function readSaved(): string | null {
  try { return storage()?.getItem(AUTOSAVE_KEY) ?? null } catch { return null }
}

export function clearSaved(): void {
  try { storage()?.removeItem(AUTOSAVE_KEY) } catch { /* blocked */ }
}
