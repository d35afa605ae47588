// What the user can do, as plain functions over the store and the engine client. Components call these; only
// this module talks to the worker.
import type { Design, MuographyDesign } from '../engine/design/schema'
import type { PanelState, SessionConfigPatch } from '../engine/session-types'
import { startEngine, type EngineClient } from '../workers/client'
import { isBackendName, type LoadResult } from '../workers/protocol'
import { clampPanel, panelBounds, roundTo } from '../kinds/muography/bounds'
import { panelFieldInfo, type PanelField, type TechnologyField } from './schema-meta'
import { beginGeneration, ingest, pendingEdits, useStudio, type ColourMode, type PresetEntry, type ViewState } from './store'
import { importDesignFile } from '../engine/design/import'
import { beginDragEdit, endDragEdit, recordEdit } from './undo'
import { frameDrawnSince } from './view-ready'
import type { StreamMessage } from '../workers/protocol'

export const DEFAULT_PRESET = 'lead-in-beryllium'
const BASE = import.meta.env.BASE_URL

let client: EngineClient | null = null
let booted = false
let seq = 0

const get = useStudio.getState
const set = useStudio.setState

export function engine(): EngineClient | null {
  return client
}

/** replace the engine client (./trust.ts restarts a crashed or hung worker) */
export function adoptEngine(c: EngineClient | null): void {
  client = c
}

/** how long autoplay waits at most for the 3D view's first frame of the loaded preset */
const AUTOPLAY_VIEW_WAIT_MS = 5000

/** set by ./trust.ts: the stream callback to use, and what to load at start (share link, autosave) instead of the preset */
export const bootHooks: {
  ingest?: (m: StreamMessage) => void
  restore?: (defaultPreset: string) => Promise<boolean>
} = {}

/** the next edit sequence number (panels and calorimeter layers share the worker's appliedSeq) */
export function nextEditSeq(): number {
  return ++seq
}

function errorText(e: unknown): string {
  return (e as Error)?.message ?? String(e)
}

/** start the worker, read the preset list, load the preset named in the URL (or the default) */
export async function boot(): Promise<void> {
  if (booted) return // React StrictMode runs effects twice in development
  booted = true
  exposeTestHooks()
  const params = new URLSearchParams(location.search)
  const forced = params.get('backend')
  const backend = isBackendName(forced) ? forced : undefined
  const presetsP = fetchPresets()
  try {
    client = await startEngine(bootHooks.ingest ?? ingest, { backend, skipSoftwareGpu: params.get('softgpu') !== '1' })
    set({ backend: client.backend })
  } catch (e) {
    set({ status: 'error', engineError: errorText(e), notice: `engine failed to start: ${errorText(e)}` })
    return
  }
  const presets = await presetsP
  const wanted = params.get('preset') ?? DEFAULT_PRESET
  const name = presets.some((p) => p.name === wanted) || presets.length === 0 ? wanted : presets[0].name
  if (bootHooks.restore && (await bootHooks.restore(name))) return
  const ok = await loadPreset(name)
  if (!ok || params.get('autoplay') === '0') return
  // the view draws the design before the optimiser starts: its first frames are the heaviest main-thread work
  await frameDrawnSince(performance.now(), AUTOPLAY_VIEW_WAIT_MS)
  await play()
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
    state: () => {
      const s = get()
      const maxChange = s.design?.kind === 'muography' ? s.design.optimizer.max_change : null
      return { status: s.status, step: s.step, selection: s.selection, backend: s.backend, generation: s.generation, maxChange, runStartedAt }
    },
  }
}

async function fetchPresets(): Promise<PresetEntry[]> {
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
    set({ alert: { title: `Could not import ${file.name}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`, errors: r.errors } })
    return false
  }
  return loadText(JSON.stringify(r.design), { presetName: null, fileName: file.name })
}

/** validate and load a design; on any error show them all and leave the current design untouched */
export async function loadText(text: string, source: { presetName: string | null; fileName: string | null }): Promise<boolean> {
  if (!client) return false
  const prev = get().status
  set({ notice: 'loading design…' })
  let r: LoadResult
  try {
    r = await client.api.load(text)
  } catch (e) {
    r = { ok: false, errors: [{ path: '', message: errorText(e) }] }
  }
  if (!r.ok) {
    const what = source.fileName ?? (source.presetName ? `preset "${source.presetName}"` : 'design')
    set({ alert: { title: `Could not import ${what}: ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`, errors: r.errors }, notice: null, status: prev })
    return false
  }
  recordEdit('load')
  applyLoad(r, source)
  return true
}

function panelsOf(d: Design): PanelState[] {
  if (d.kind !== 'muography') return []
  return d.detector.panels.map((p) => ({ id: p.id, stack: p.stack, x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y }))
}

export function applyLoad(r: Extract<LoadResult, { ok: true }>, source?: { presetName: string | null; fileName: string | null }): void {
  const st = get()
  const panels = panelsOf(r.design)
  const keepSel = st.selection && panels.some((p) => p.id === st.selection) ? st.selection : null
  beginGeneration(r.generation, {
    design: r.design,
    volume: r.volume ?? null,
    panels,
    selection: keepSel,
    notice: null,
    alert: null,
    ...(source ? { presetName: source.presetName, fileName: source.fileName, smoothness: null } : {}),
  })
}

// ---- run controls ---------------------------------------------------------------------------------------

export async function play(): Promise<void> {
  if (!client || !get().design) return
  recordEdit('run') // undo after a run restores the design from before it
  set({ status: 'running', notice: null })
  await client.api.start()
}

export async function pause(): Promise<void> {
  if (!client) return
  await client.api.pause()
  if (get().status === 'running') set({ status: 'paused' })
}

export async function togglePlay(): Promise<void> {
  return get().status === 'running' ? pause() : play()
}

export async function stepOnce(): Promise<void> {
  if (!client || get().status === 'running' || !get().design) return
  await client.api.step(1)
}

export async function reset(): Promise<void> {
  if (!client || !get().design) return
  const r = await client.api.reset()
  if (r.ok) applyLoad(r)
  else set({ alert: { title: 'Reset failed', errors: r.errors } })
}

// ---- panels ---------------------------------------------------------------------------------------------

export function select(id: string | null): void {
  if (get().selection !== id) set({ selection: id })
}

const LIVE_INTERVAL_MS = 100
let liveTimer: ReturnType<typeof setTimeout> | null = null
let lastLive = 0
const outbox = new Map<string, PanelState>()

function flushPanels(): void {
  liveTimer = null
  if (!client || outbox.size === 0) return
  lastLive = performance.now()
  const patch = [...outbox.values()].map(({ id, x, y, z, span_x, span_y }) => ({ id, x, y, z, span_x, span_y }))
  outbox.clear()
  client.api.setPanels(patch, seq)
}

/**
 * Move or resize a panel (inspector, keys, drag). Values are clamped to the panel's bounds; the store updates at
 * once, the worker hears about it at most every 100 ms while `live` (a drag), immediately otherwise.
 */
export function setPanel(id: string, patch: Partial<Record<PanelField, number>>, opts: { live?: boolean; undoKey?: string } = {}): PanelState | null {
  const st = get()
  const d = st.design
  if (!d || d.kind !== 'muography') return null
  const p = st.panels.find((q) => q.id === id)
  if (!p) return null
  if (!opts.live && !st.dragging) recordEdit('edit', opts.undoKey) // a drag records once, at its end
  const b = panelBounds(d, p.stack)
  const next: PanelState = { ...p, ...clampPanel(patch, b) }
  set({ panels: st.panels.map((q) => (q.id === id ? next : q)) })
  seq++
  pendingEdits.set(id, seq)
  outbox.set(id, next)
  const now = performance.now()
  if (!opts.live || now - lastLive >= LIVE_INTERVAL_MS) {
    if (liveTimer) { clearTimeout(liveTimer); liveTimer = null }
    flushPanels()
  } else if (!liveTimer) {
    liveTimer = setTimeout(flushPanels, LIVE_INTERVAL_MS - (now - lastLive))
  }
  return next
}

export function setDragging(id: string | null): void {
  if (id) beginDragEdit()
  set({ dragging: id })
  if (!id) { flushPanels(); endDragEdit() }
}

/** arrow keys / PageUp / PageDown: coarse steps are 5× the schema step, fine (Shift) steps the schema step */
export function nudge(axis: 'x' | 'y' | 'z', direction: 1 | -1, fine: boolean): void {
  const st = get()
  const id = st.selection
  const p = st.panels.find((q) => q.id === id)
  if (!p) return
  const step = panelFieldInfo[axis].step * (fine ? 1 : 5)
  setPanel(p.id, { [axis]: roundTo(p[axis] + direction * step, panelFieldInfo[axis].step / 10) }, { undoKey: `nudge:${p.id}` })
}

// ---- settings -------------------------------------------------------------------------------------------

export async function setOptimizer(patch: SessionConfigPatch): Promise<void> {
  const st = get()
  const d = st.design
  if (!client || !d || d.kind !== 'muography') return
  const next = structuredClone(d) as MuographyDesign
  const o = next.optimizer
  if (patch.learning_rates) o.learning_rates = { ...o.learning_rates, ...patch.learning_rates }
  if (patch.muons_per_step != null) o.muons_per_step = patch.muons_per_step
  if (patch.cost_weight !== undefined) o.cost_weight = patch.cost_weight
  if (patch.budget !== undefined) o.budget = patch.budget
  if (patch.loss === 'x0' || patch.loss === 'fisher') o.loss = patch.loss
  if (patch.seed != null) next.seed = patch.seed
  set({ design: next, ...(patch.smoothness != null ? { smoothness: patch.smoothness } : {}) })
  await client.api.setConfig(patch)
}

/** The technology changes the detector model: the session is rebuilt from the current panels. */
export async function setTechnology(patch: Partial<Record<TechnologyField, number>>): Promise<void> {
  const st = get()
  if (!client || !st.design || st.design.kind !== 'muography') return
  const wasRunning = st.status === 'running'
  if (wasRunning) await pause()
  let cur: Design
  try {
    cur = await client.api.exportDesign('current')
  } catch (e) {
    set({ alert: { title: 'Could not apply the technology', errors: [{ path: '', message: errorText(e) }] } })
    return
  }
  if (cur.kind !== 'muography') return
  delete cur.results
  cur.detector.technology = { ...cur.detector.technology, ...patch }
  const r = await client.api.load(cur)
  if (!r.ok) {
    set({ alert: { title: 'Invalid technology', errors: r.errors } })
    return
  }
  recordEdit('technology')
  applyLoad(r)
  set({ notice: 'technology changed: the run restarts from the current panels' })
  if (wasRunning) await play()
}

export function setView(patch: Partial<ViewState>): void {
  set((s) => ({ view: { ...s.view, ...patch } }))
  const v = get().view
  client?.api.setStream({ tracks: v.tracks ? 64 : 0, x0: true })
}

/** Show or hide the gradient arrows; while no step runs, the gradient of the current design is computed now. */
export async function showGradient(on: boolean): Promise<void> {
  set({ gradientArrows: on })
  if (on && get().status !== 'running') await explainNow()
}

/** the gradient of the current design's loss on the next batch (after an edit, or when paused) */
export async function explainNow(): Promise<void> {
  if (!client) return
  const generation = get().generation
  try {
    const gradient = await client.api.explain()
    if (get().generation === generation) set({ gradient })
  } catch (e) {
    set({ notice: `gradient: ${(e as Error).message}` })
  }
}

export function setColour(colour: ColourMode): void {
  setView({ colour })
}

export function dismissAlert(): void {
  set({ alert: null })
}

// ---- export ---------------------------------------------------------------------------------------------

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'design'
}

export async function exportDesign(): Promise<void> {
  const st = get()
  if (!client || !st.design) return
  let d: Design
  try {
    d = await client.api.exportDesign('current')
  } catch (e) {
    set({ alert: { title: 'Export failed', errors: [{ path: '', message: errorText(e) }] } })
    return
  }
  const blob = new Blob([JSON.stringify(d, null, 2) + '\n'], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = `${slug(d.name)}.design.json`
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
