// What the user can do with any design, as plain functions over the store and the engine: load (each design is
// parsed and validated once, here, and the worker gets the checked value), run controls, settings, view, export.
// Each kind's parameter edits live in its own folder (src/kinds/*/store.ts).
import type { LossScan } from '../engine/scan'
import { importDesignFile, importDesignText } from '../engine/design/import'
import type { DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'
import { withSettings } from '../engine/design/settings'
import type { SessionConfigPatch } from '../engine/session-types'
import { liveDesign, parametersOf } from '../kinds/designs'
import type { LoadResult } from '../workers/protocol'
import { engine } from '../workers/supervisor'
import { beginGeneration, useStudio, type PresetEntry, type StudioState, type ViewState } from './store'
import { recordEdit } from './undo'
import { downloadBlob } from './download'
import { historyCsv } from './history-csv'

export const DEFAULT_PRESET = 'lead-in-beryllium'
const BASE = import.meta.env.BASE_URL

let seq = 0

const get = useStudio.getState
const set = useStudio.setState

/** the next edit sequence number (panels and calorimeter layers share the worker's appliedSeq) */
export function nextEditSeq(): number {
  return ++seq
}

export function errorText(e: unknown): string {
  return (e as Error)?.message ?? String(e)
}

/** the design as it is now (current parameters and settings, no results), or null before one is loaded */
export function currentDesign(s: StudioState = get()): Design | null {
  return s.design ? liveDesign(s.design, s) : null
}

export async function fetchPresets(): Promise<PresetEntry[]> {
  try {
    const r = await fetch(`${BASE}presets/index.json`)
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`)
    const list = (await r.json()) as PresetEntry[]
    set({ presets: list })
    return list
  } catch (e) {
    set({ notice: `could not read the preset list: ${errorText(e)}` })
    return []
  }
}

export type Source = { presetName: string | null; fileName: string | null }

const sourceName = (s: Source) => s.fileName ?? (s.presetName ? `preset "${s.presetName}"` : 'design')

function showErrors(title: string, errors: DesignError[]): void {
  set({ alert: { title: `${title}: ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors }, notice: null })
}

export async function loadPreset(name: string): Promise<boolean> {
  let text: string
  try {
    const r = await fetch(`${BASE}presets/${encodeURIComponent(name)}.json`)
    if (!r.ok) throw new Error(`${r.status} ${r.statusText}`)
    text = await r.text()
  } catch (e) {
    set({ alert: { title: `Could not load preset "${name}"`, errors: [{ path: '', message: errorText(e) }] } })
    return false
  }
  return loadText(text, { presetName: name, fileName: null })
}

export async function importFile(file: File): Promise<boolean> {
  // size first (before reading), then UTF-8, depth, JSON, prototype keys, schema: importDesignFile never rejects
  const r = await importDesignFile(file)
  if (!r.ok) {
    showErrors(`Could not import ${file.name}`, r.errors)
    return false
  }
  return loadDesign(r.design, { presetName: null, fileName: file.name })
}

/** parse and validate design text, then load it; on any error show them all and leave the current design */
export async function loadText(text: string, source: Source): Promise<boolean> {
  const r = importDesignText(text)
  if (!r.ok) {
    showErrors(`Could not import ${sourceName(source)}`, r.errors)
    return false
  }
  return loadDesign(r.design, source)
}

/** load a validated design into a new session; `record` makes it an undo step */
export async function loadDesign(design: Design, source: Source, opts: { record?: boolean } = {}): Promise<boolean> {
  const c = engine()
  if (!c) return false
  const prev = get().status
  set({ notice: 'loading design…' })
  let r: LoadResult
  try {
    r = await c.api.load(design)
  } catch (e) {
    r = { ok: false, errors: [{ path: '', message: errorText(e) }] }
  }
  if (!r.ok) {
    showErrors(`Could not load ${sourceName(source)}`, r.errors)
    set({ status: prev })
    return false
  }
  if (opts.record !== false) recordEdit('load')
  applyLoad(r, design, source)
  return true
}

/** a new session runs `design`: the store shows it, with its parameters, and a fresh history */
export function applyLoad(r: Extract<LoadResult, { ok: true }>, design: Design, source?: Source): void {
  const st = get()
  const params = parametersOf(design)
  const keepSel = st.selection && params.panels.some((p) => p.id === st.selection) ? st.selection : null
  beginGeneration(r.generation, {
    design,
    volume: r.volume,
    ...params,
    selection: keepSel,
    notice: null,
    alert: null,
    ...(source ? { presetName: source.presetName, fileName: source.fileName, smoothness: null } : {}),
  })
}

// ---- run controls ---------------------------------------------------------------------------------------

export async function play(): Promise<void> {
  const c = engine()
  if (!c || !get().design) return
  recordEdit('run') // undo after a run restores the design from before it
  set({ status: 'running', notice: null })
  await c.api.start()
}

export async function pause(): Promise<void> {
  const c = engine()
  if (!c) return
  await c.api.pause()
  if (get().status === 'running') set({ status: 'paused' })
}

export async function togglePlay(): Promise<void> {
  return get().status === 'running' ? pause() : play()
}

export async function stepOnce(): Promise<void> {
  const c = engine()
  if (!c || get().status === 'running' || !get().design) return
  await c.api.step(1)
}

/** back to the parameters the run started from, with the current settings (the session writes that design) */
export async function reset(): Promise<void> {
  const c = engine()
  const st = get()
  if (!c || !st.design) return
  if (st.status === 'running') await pause()
  let d: Design
  try {
    d = await c.api.exportDesign('start')
  } catch (e) {
    set({ alert: { title: 'Reset failed', errors: [{ path: '', message: errorText(e) }] } })
    return
  }
  delete d.results
  const ok = await loadDesign(d, { presetName: st.presetName, fileName: st.fileName }, { record: false })
  if (ok) set({ smoothness: st.smoothness })
}

export function select(id: string | null): void {
  if (get().selection !== id) set({ selection: id })
}

// ---- settings -------------------------------------------------------------------------------------------

export async function setOptimizer(patch: SessionConfigPatch): Promise<void> {
  const c = engine()
  const d = get().design
  if (!c || !d) return
  set({ design: withSettings(d, patch), ...(patch.smoothness != null ? { smoothness: patch.smoothness } : {}) })
  await c.api.setConfig(patch)
}

export function setView(patch: Partial<ViewState>): void {
  set((s) => ({ view: { ...s.view, ...patch } }))
  const v = get().view
  engine()?.api.setStream({ tracks: v.tracks ? 64 : 0, x0: true })
}

/** Show or hide the gradient arrows; while no step runs, the gradient of the current design is computed now. */
export async function showGradient(on: boolean): Promise<void> {
  set({ gradientArrows: on })
  if (on && get().status !== 'running') await explainNow()
}

/** the gradient of the current design's loss on the next batch (after an edit, or when paused) */
export async function explainNow(): Promise<void> {
  const c = engine()
  if (!c) return
  const generation = get().generation
  try {
    const gradient = await c.api.explain()
    if (get().generation === generation) set({ gradient })
  } catch (e) {
    set({ notice: `gradient: ${(e as Error).message}` })
  }
}

export function dismissAlert(): void {
  set({ alert: null })
}

// ---- export ---------------------------------------------------------------------------------------------

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'design'
}

/**
 * The live design with the session's results block (loss history, metrics), or the best design of the run by
 * validation (the session's own export: its parameters at the best step, every setting it holds).
 */
export async function exportDesign(which: 'current' | 'best' = 'current'): Promise<void> {
  const c = engine()
  const d = currentDesign()
  if (!c || !d) return
  let out: Design
  try {
    const exported = await c.api.exportDesign(which)
    out = which === 'best' ? exported : { ...d, results: exported.results }
  } catch (e) {
    set({ alert: { title: 'Export failed', errors: [{ path: '', message: errorText(e) }] } })
    return
  }
  downloadBlob(`${slug(d.name)}${which === 'best' ? '.best' : ''}.design.json`, new Blob([JSON.stringify(out, null, 2) + '\n'], { type: 'application/json' }))
}

/** the run history, a row per step (state/history-csv.ts) */
export function exportHistoryCsv(): void {
  const { history, costUnit } = get()
  const d = currentDesign()
  if (!d || history.step.length === 0) return
  try {
    downloadBlob(`${slug(d.name)}.history.csv`, new Blob([historyCsv(history, d, costUnit)], { type: 'text/csv' }))
  } catch (e) {
    set({ alert: { title: 'Export failed', errors: [{ path: '', message: errorText(e) }] } })
  }
}

/** the parameters the loss scan offers for the loaded design */
export async function scanParameterList(): Promise<string[]> {
  return (await engine()?.api.scanParameters()) ?? []
}

/** the loss along one parameter around its current value (the run should be paused: the design must hold still) */
export async function scanLoss(parameter: string): Promise<LossScan | null> {
  const c = engine()
  if (!c) {
    set({ notice: 'loss scan: the engine is starting; scan again once it is ready' })
    return null
  }
  try {
    return await c.api.scan(parameter)
  } catch (e) {
    set({ notice: `loss scan: ${(e as Error).message}` })
    return null
  }
}
