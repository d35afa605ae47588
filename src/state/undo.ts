// Undo / redo for design edits: a hand-written stack of design snapshots (the worker is the source of truth for a
// running optimisation, so history holds plain snapshots and applying one pushes it back to the worker; see
// ./undo-apply.ts). What makes an entry: a finished drag (panel or layer boundary), an inspector edit (panel or
// layer), a burst of key nudges on one panel, a preset / file / share-link load, a technology change, and pressing
// Play (so undo after a run restores the design from before it). Optimiser steps are never entries.
import type { Design } from '../engine/design/schema'
import type { LayerState, PanelState } from '../engine/session-types'
import type { LiveParameters } from '../kinds/designs'
import { useStudio } from './store'

/** one point in the design history: a live design kept as its parts (kinds/designs.ts joins them) */
export interface DesignSnapshot extends LiveParameters {
  /** the design as loaded (settings included); its live parameters are `panels` or `layers` */
  design: Design
  label: string
  presetName?: string | null
  fileName?: string | null
}

export interface UndoStackOptions<T> {
  /** most entries kept in the past (oldest dropped first) */
  limit?: number
  /** two states the user would not tell apart: no entry is made */
  equal?: (a: T, b: T) => boolean
}

/**
 * A generic undo stack of states. `record(current)` is called BEFORE a change with the state as it was; `undo` and
 * `redo` take the state as it is now and return the one to go to (or null). A `coalesce` key merges a burst of
 * edits (e.g. repeated arrow-key nudges) into one entry while the key repeats within `windowMs`.
 */
export class UndoStack<T> {
  private past: T[] = []
  private future: T[] = []
  private lastKey: string | null = null
  private lastAt = 0
  private readonly limit: number
  private readonly equal: (a: T, b: T) => boolean
  private listeners = new Set<() => void>()

  constructor(opts: UndoStackOptions<T> = {}) {
    this.limit = opts.limit ?? 100
    this.equal = opts.equal ?? ((a, b) => a === b)
  }

  get canUndo(): boolean { return this.past.length > 0 }
  get canRedo(): boolean { return this.future.length > 0 }
  get sizes(): { past: number; future: number } { return { past: this.past.length, future: this.future.length } }

  /** remember `before` (the state just before a change); returns whether an entry was added */
  record(before: T, coalesce?: { key: string; windowMs?: number; now?: number }): boolean {
    const now = coalesce?.now ?? Date.now()
    if (coalesce && coalesce.key === this.lastKey && now - this.lastAt <= (coalesce.windowMs ?? 1000)) {
      this.lastAt = now
      this.future = []
      this.emit()
      return false
    }
    this.lastKey = coalesce?.key ?? null
    this.lastAt = now
    const top = this.past[this.past.length - 1]
    if (top !== undefined && this.equal(top, before)) {
      if (this.future.length) { this.future = []; this.emit() }
      return false
    }
    this.past.push(before)
    if (this.past.length > this.limit) this.past.splice(0, this.past.length - this.limit)
    this.future = []
    this.emit()
    return true
  }

  /** the state to go back to, skipping entries equal to `current`; `current` goes onto the redo side */
  undo(current: T): T | null {
    this.lastKey = null
    while (this.past.length) {
      const prev = this.past.pop()!
      if (this.equal(prev, current)) continue
      this.future.push(current)
      this.emit()
      return prev
    }
    this.emit()
    return null
  }

  redo(current: T): T | null {
    this.lastKey = null
    while (this.future.length) {
      const next = this.future.pop()!
      if (this.equal(next, current)) continue
      this.past.push(current)
      this.emit()
      return next
    }
    this.emit()
    return null
  }

  clear(): void {
    this.past = []
    this.future = []
    this.lastKey = null
    this.emit()
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => { this.listeners.delete(fn) }
  }

  private emit(): void {
    for (const fn of this.listeners) fn()
  }
}

// ---- the studio's design history ---------------------------------------------------------------------------

const samePanels = (a: PanelState[], b: PanelState[]): boolean =>
  a.length === b.length &&
  a.every((p, i) => {
    const q = b[i]
    return p.id === q.id && p.x === q.x && p.y === q.y && p.z === q.z && p.span_x === q.span_x && p.span_y === q.span_y
  })

const sameLayers = (a: LayerState[], b: LayerState[]): boolean =>
  a.length === b.length &&
  a.every((l, i) => {
    const m = b[i]
    return l.absorber === m.absorber && l.active === m.active && l.absorber_thickness === m.absorber_thickness && l.active_thickness === m.active_thickness
  })

export function sameSnapshot(a: DesignSnapshot, b: DesignSnapshot): boolean {
  return a.design === b.design && samePanels(a.panels, b.panels) && sameLayers(a.layers, b.layers)
}

export const designHistory = new UndoStack<DesignSnapshot>({ limit: 100, equal: sameSnapshot })

/** true while an undo/redo is being applied: the edits it makes are not recorded */
let applying = false
export function isApplyingHistory(): boolean { return applying }
export async function whileApplying<T>(fn: () => Promise<T>): Promise<T> {
  applying = true
  try { return await fn() } finally { applying = false }
}

/** the design as the user sees it now, or null before anything is loaded */
export function captureDesign(label: string): DesignSnapshot | null {
  const s = useStudio.getState()
  if (!s.design) return null
  return { design: s.design, panels: s.panels.map((p) => ({ ...p })), layers: s.layers.map((l) => ({ ...l })), label, presetName: s.presetName, fileName: s.fileName }
}

/** call just BEFORE a design edit; `coalesce` merges a burst of the same edit (key nudges) into one entry */
export function recordEdit(label: string, coalesce?: string): void {
  if (applying) return
  const snap = captureDesign(label)
  if (snap) designHistory.record(snap, coalesce ? { key: coalesce, windowMs: 1000 } : undefined)
}

// a drag is one entry: the state at drag start is recorded when the drag ends, if anything moved
let dragStart: DesignSnapshot | null = null
export function beginDragEdit(): void {
  if (!dragStart) dragStart = captureDesign('drag')
}
export function endDragEdit(): void {
  const before = dragStart
  dragStart = null
  if (!before || applying) return
  const now = captureDesign('drag')
  if (now && !sameSnapshot(before, now)) designHistory.record(before)
}
