// The muography studio's edits: move or resize a panel (inspector, keys, drag), sent to the worker through
// setPanels (throttled while dragging), and the detector technology (which rebuilds the session). The panels
// themselves live in the studio store (state/store.ts); every edit is an undo step.
import type { PanelState } from '../../engine/session-types'
import { parseDesign } from '../../engine/design/parse'
import { currentDesign, loadDesign, nextEditSeq, pause, play } from '../../state/actions'
import { panelFieldInfo, type PanelField, type TechnologyField } from '../../state/schema-meta'
import { pendingEdits, useStudio } from '../../state/store'
import { beginDragEdit, endDragEdit, recordEdit } from '../../state/undo'
import { engine } from '../../workers/supervisor'
import { clampPanel, panelBounds, roundTo } from './bounds'

const get = useStudio.getState
const set = useStudio.setState

const LIVE_INTERVAL_MS = 100
let liveTimer: ReturnType<typeof setTimeout> | null = null
let lastLive = 0
let outboxSeq = 0
const outbox = new Map<string, PanelState>()

function flushPanels(): void {
  liveTimer = null
  const c = engine()
  if (!c || outbox.size === 0) return
  lastLive = performance.now()
  const patch = [...outbox.values()].map(({ id, x, y, z, span_x, span_y }) => ({ id, x, y, z, span_x, span_y }))
  outbox.clear()
  c.api.setPanels(patch, outboxSeq)
}

/**
 * Move or resize a panel (inspector, keys, drag). Values are clamped to the panel's bounds (the engine's rule);
 * the store updates at once, the worker hears about it at most every 100 ms while `live` (a drag), immediately
 * otherwise.
 */
export function setPanel(id: string, patch: Partial<Record<PanelField, number>>, opts: { live?: boolean; undoKey?: string } = {}): PanelState | null {
  const st = get()
  const d = st.design
  if (!d || d.kind !== 'muography') return null
  const p = st.panels.find((q) => q.id === id)
  if (!p) return null
  if (!opts.live && !st.dragging) recordEdit('edit', opts.undoKey) // a drag records once, at its end
  const next: PanelState = { ...p, ...clampPanel(patch, panelBounds(d, p.stack)) }
  set({ panels: st.panels.map((q) => (q.id === id ? next : q)) })
  outboxSeq = nextEditSeq()
  pendingEdits.set(id, outboxSeq)
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

/** put every panel where `panels` has it (an undo or redo within the same design) */
export function applyPanels(panels: readonly PanelState[]): void {
  for (const p of panels) setPanel(p.id, { x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y })
}

export function setDragging(id: string | null): void {
  if (id) beginDragEdit()
  set({ dragging: id })
  if (!id) { flushPanels(); endDragEdit() }
}

/** arrow keys / PageUp / PageDown: coarse steps are 5× the schema step, fine (Shift) steps the schema step */
export function nudge(axis: 'x' | 'y' | 'z', direction: 1 | -1, fine: boolean): void {
  const st = get()
  const p = st.panels.find((q) => q.id === st.selection)
  if (!p) return
  const step = panelFieldInfo[axis].step * (fine ? 1 : 5)
  setPanel(p.id, { [axis]: roundTo(p[axis] + direction * step, panelFieldInfo[axis].step / 10) }, { undoKey: `nudge:${p.id}` })
}

/** The technology changes the detector model: the session is rebuilt from the current panels. */
export async function setTechnology(patch: Partial<Record<TechnologyField, number>>): Promise<void> {
  const st = get()
  const cur = currentDesign(st)
  if (!engine() || !cur || cur.kind !== 'muography') return
  // a new design: validated here, once, like any other
  const r = parseDesign({ ...cur, detector: { ...cur.detector, technology: { ...cur.detector.technology, ...patch } } })
  if (!r.ok) {
    set({ alert: { title: 'Invalid technology', errors: r.errors } })
    return
  }
  const wasRunning = st.status === 'running'
  if (wasRunning) await pause()
  recordEdit('technology')
  if (!(await loadDesign(r.design, { presetName: st.presetName, fileName: st.fileName }, { record: false }))) return
  set({ smoothness: st.smoothness, notice: 'technology changed: the run restarts from the current panels' })
  if (wasRunning) await play()
}
