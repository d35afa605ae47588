// The studio's state (zustand). The worker is the source of truth for the running optimisation; this store
// holds the design as the user sees it (the loaded design with the user's settings, and the live parameters:
// panels or layers; kinds/designs.ts joins them into the live design), the run status, the history (the sessions'
// step records), and the selection. Streamed data reaches React at most ~10 times per second; the history that
// the charts read is republished at most every 2 s while the optimiser runs
// (the page shares the cores with the engine: fewer chart updates leave the main thread free) and at once when
// it stops.
import { create } from 'zustand'
import type { DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'
import type { LayerState, LossParts, PanelState, Snapshot, TrackSample } from '../engine/session-types'
import type { LayerGradient, PanelGradient } from '../engine/explain-types'
import type { BackendInfo, StepRecord, StreamMessage, VolumeView } from '../workers/protocol'

export type RunStatus = 'starting' | 'loading' | 'ready' | 'running' | 'paused' | 'error'
export type ColourMode = 'true' | 'pred' | 'error' | 'measured'

/** append-only, struct of arrays: the sessions' step records (engine/session-types.ts StepResult) */
export interface History {
  step: number[]
  total: (number | null)[]
  task: (number | null)[]
  /** what the loss adds to the task (the record's `penalties`) */
  cost: (number | null)[]
  validation: (number | null)[]
  /** in the unit of the latest record (`costUnit`) */
  detectorCost: number[]
  /** the optimised parameters per step (muography: x, y, z, span_x, span_y per panel; calorimeter: absorber and
   *  active thickness per layer) */
  panels: number[][]
}

export const emptyHistory = (): History => ({ step: [], total: [], task: [], cost: [], validation: [], detectorCost: [], panels: [] })

export interface PresetEntry { name: string; title: string; kind: string; description?: string }

export interface AlertState { title: string; errors: DesignError[] }

export interface ViewState {
  colour: ColourMode
  voxels: boolean
  tracks: boolean
  /** log y axis on the loss chart */
  logScale: boolean
}

export interface StudioState {
  backend: BackendInfo | null
  engineError: string | null
  status: RunStatus
  /** a line for the status bar */
  notice: string | null
  presets: PresetEntry[]
  presetName: string | null
  /** the design as loaded (optimiser settings follow the user's edits); panels live in `panels` */
  design: Design | null
  fileName: string | null
  volume: VolumeView | null
  generation: number

  step: number
  stepsPerSecond: number
  loss: LossParts | null
  validation: number | null
  best: Snapshot['best']
  cost: number
  /** the unit of the detector cost (the design's price unit) */
  costUnit: string
  budget: number | null
  nanSteps: number
  clamped: boolean
  panels: PanelState[]
  x0Pred: Float32Array | null
  tracks: TrackSample | null
  /** ∂loss/∂parameter per panel id or layer group: the last step's, or an explain call's while paused */
  gradient: Record<string, PanelGradient | LayerGradient> | null
  /** show arrows of −gradient on the panels or the layer boundaries */
  gradientArrows: boolean
  /** calorimeter: the expanded layers (live) and the evaluated stack (resolution points, fit, profile, ...) */
  layers: LayerState[]
  calo: NonNullable<Snapshot['calo']> | null
  /** the evaluated stack as the charts show it: republished with the history (every 2 s while running) */
  caloChart: NonNullable<Snapshot['calo']> | null

  history: History
  historyVersion: number

  /** a fixed training smoothness set by the user (null: annealed from start to end) */
  smoothness: number | null
  selection: string | null
  dragging: string | null
  view: ViewState
  alert: AlertState | null
}

export const useStudio = create<StudioState>()(() => ({
  backend: null,
  engineError: null,
  status: 'starting',
  notice: null,
  presets: [],
  presetName: null,
  design: null,
  fileName: null,
  volume: null,
  generation: 0,
  step: 0,
  stepsPerSecond: 0,
  loss: null,
  validation: null,
  best: null,
  cost: 0,
  costUnit: 'cost',
  budget: null,
  nanSteps: 0,
  clamped: false,
  panels: [],
  x0Pred: null,
  tracks: null,
  gradient: null,
  gradientArrows: false,
  layers: [],
  calo: null,
  caloChart: null,
  history: emptyHistory(),
  historyVersion: 0,
  smoothness: null,
  selection: null,
  dragging: null,
  view: { colour: 'true', voxels: true, tracks: true, logScale: false },
  alert: null,
}))

// ---- streaming ------------------------------------------------------------------------------------------

const STATE_INTERVAL_MS = 100
const HISTORY_INTERVAL_MS = 2000

/** panel edits not yet acknowledged by the worker: id -> sequence number */
export const pendingEdits = new Map<string, number>()

let latest: StreamMessage | null = null
let lastState = 0
let lastHistory = 0
let stateTimer: ReturnType<typeof setTimeout> | null = null
let historyTimer: ReturnType<typeof setTimeout> | null = null
let historyDirty = false
let lastRunning = false

function appendRecords(h: History, recs: StepRecord[]): void {
  for (const r of recs) {
    h.step.push(r.step)
    h.total.push(r.total)
    h.task.push(r.task)
    h.cost.push(r.penalties)
    h.validation.push(r.validation)
    h.detectorCost.push(r.detectorCost.value)
    h.panels.push(r.parameters)
  }
}

function mergePanels(local: PanelState[], incoming: PanelState[] | undefined, appliedSeq: number, dragging: string | null): PanelState[] {
  if (!incoming) return local
  return incoming.map((p) => {
    const seq = pendingEdits.get(p.id)
    const mine = local.find((q) => q.id === p.id)
    if (mine && (p.id === dragging || (seq != null && seq > appliedSeq))) return mine
    if (seq != null && seq <= appliedSeq) pendingEdits.delete(p.id)
    return p
  })
}

/** calorimeter layers: keep the local value of a layer being dragged or edited and not yet applied (key `layer:i`) */
function mergeLayers(local: LayerState[], incoming: LayerState[] | undefined, appliedSeq: number, dragging: string | null): LayerState[] {
  if (!incoming) return local
  return incoming.map((l) => {
    const key = `layer:${l.index}`
    const seq = pendingEdits.get(key)
    const mine = local[l.index]
    if (mine && mine.index === l.index && (key === dragging || (seq != null && seq > appliedSeq))) return mine
    if (seq != null && seq <= appliedSeq) pendingEdits.delete(key)
    return l
  })
}

function publishState(): void {
  stateTimer = null
  const m = latest
  if (!m) return
  latest = null
  lastState = performance.now()
  const s = m.snapshot
  const st = useStudio.getState()
  useStudio.setState({
    step: s.step,
    stepsPerSecond: m.stepsPerSecond,
    loss: s.loss,
    validation: s.validation,
    best: s.best,
    cost: s.cost,
    budget: s.budget,
    nanSteps: s.nanSteps,
    clamped: s.clamped,
    panels: mergePanels(st.panels, s.panels, m.appliedSeq, st.dragging),
    ...(s.x0Pred ? { x0Pred: s.x0Pred } : {}),
    ...(s.tracks ? { tracks: s.tracks } : {}),
    ...(s.gradient ? { gradient: s.gradient } : {}),
    ...(s.layers ? { layers: mergeLayers(st.layers, s.layers, m.appliedSeq, st.dragging) } : {}),
    ...(s.calo ? { calo: s.calo, ...(!m.running || !st.caloChart ? { caloChart: s.calo } : {}) } : {}),
    status: m.error ? 'error' : m.running ? 'running' : st.status === 'running' ? 'paused' : st.status === 'loading' ? 'ready' : st.status,
    notice: m.error ?? (m.running ? null : st.notice),
  })
}

function publishHistory(): void {
  historyTimer = null
  if (!historyDirty) return
  historyDirty = false
  lastHistory = performance.now()
  useStudio.setState((s) => ({ historyVersion: s.historyVersion + 1 }))
  // the calorimeter's resolution and profile charts re-draw in a task of their own, not with the loss chart
  setTimeout(() => {
    const { calo, caloChart } = useStudio.getState()
    if (calo !== caloChart) useStudio.setState({ caloChart: calo })
  }, 0)
}

/** messages of a session whose load has not returned yet */
let early: StreamMessage[] = []

/** the worker's snapshot callback */
export function ingest(m: StreamMessage): void {
  const st = useStudio.getState()
  if (m.generation > st.generation) {
    early.push(m)
    return
  }
  if (m.generation !== st.generation) return
  if (m.records.length) {
    appendRecords(st.history, m.records)
    historyDirty = true
    const unit = m.records[m.records.length - 1].detectorCost.unit
    if (unit !== st.costUnit) useStudio.setState({ costUnit: unit })
  }
  // keep bulk arrays that this message lacks from the previous, unpublished one
  if (latest) {
    if (!m.snapshot.x0Pred && latest.snapshot.x0Pred) m.snapshot.x0Pred = latest.snapshot.x0Pred
    if (!m.snapshot.tracks && latest.snapshot.tracks) m.snapshot.tracks = latest.snapshot.tracks
    if (!m.error && latest.error) m.error = latest.error
  }
  latest = m
  const now = performance.now()
  const final = !m.running
  // a run just started: the first chart update waits a full interval too (it is the costliest one)
  if (m.running && !lastRunning) lastHistory = now
  lastRunning = m.running
  if (final || now - lastState >= STATE_INTERVAL_MS) {
    if (stateTimer) { clearTimeout(stateTimer); stateTimer = null }
    publishState()
  } else if (!stateTimer) {
    stateTimer = setTimeout(publishState, STATE_INTERVAL_MS - (now - lastState))
  }
  if (historyDirty) {
    if (final || now - lastHistory >= HISTORY_INTERVAL_MS) {
      if (historyTimer) { clearTimeout(historyTimer); historyTimer = null }
      publishHistory()
    } else if (!historyTimer) {
      historyTimer = setTimeout(publishHistory, HISTORY_INTERVAL_MS - (now - lastHistory))
    }
  }
}

/** a new session (load or reset): start a fresh history */
export function beginGeneration(generation: number, patch: Partial<StudioState>): void {
  latest = null
  pendingEdits.clear()
  if (stateTimer) { clearTimeout(stateTimer); stateTimer = null }
  if (historyTimer) { clearTimeout(historyTimer); historyTimer = null }
  historyDirty = false
  useStudio.setState((s) => ({
    ...patch,
    generation,
    history: emptyHistory(),
    historyVersion: s.historyVersion + 1,
    step: 0,
    stepsPerSecond: 0,
    loss: null,
    validation: null,
    best: null,
    nanSteps: 0,
    clamped: false,
    x0Pred: null,
    gradient: null,
    tracks: null,
    calo: null,
    caloChart: null,
    status: 'ready',
  }))
  const replay = early.filter((m) => m.generation === generation)
  early = early.filter((m) => m.generation > generation)
  for (const m of replay) ingest(m)
}
