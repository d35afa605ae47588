// @vitest-environment jsdom
import { readFileSync } from 'node:fs'
import { beforeEach, describe, expect, it } from 'vitest'
import { importDesignText } from '../engine/design/import'
import type { Design } from '../engine/design/schema'
import type { PanelState } from '../engine/session-types'
import {
  AUTOSAVE_KEY, AUTOSAVE_MAX_CHARS, AUTOSAVE_MAX_STEPS, clearSaved, deserializeWork, readSaved, serializeWork, writeSaved,
  type WorkState,
} from './autosave'
import { layersOf } from '../kinds/calorimeter/live-design'
import { liveDesign } from '../kinds/designs'
import { initialStreak, nextStreak } from './rails'
import { emptyHistory } from './store'

function preset(name = 'lead-in-beryllium'): Design {
  const r = importDesignText(readFileSync(`public/presets/${name}.json`, 'utf8'))
  if (!r.ok) throw new Error('preset does not parse')
  return r.design
}

function work(steps: number): WorkState {
  const design = preset()
  if (design.kind !== 'muography') throw new Error('not muography')
  const panels: PanelState[] = design.detector.panels.map((p) => ({ id: p.id, stack: p.stack, x: p.x + 0.01, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y }))
  const h = emptyHistory()
  for (let i = 1; i <= steps; i++) {
    h.step.push(i); h.total.push(i % 7 === 0 ? null : 1 / i); h.task.push(1 / i); h.cost.push(null)
    h.validation.push(i % 5 === 0 ? 0.5 : null); h.detectorCost.push(10)
    h.panels.push(panels.flatMap((p) => [p.x, p.y, p.z, p.span_x, p.span_y]))
  }
  return { design, panels, layers: [], presetName: 'lead-in-beryllium', fileName: null, smoothness: 0.05, view: { colour: 'pred', voxels: true, tracks: false, logScale: true }, history: h, step: steps }
}

describe('autosave serialisation', () => {
  beforeEach(() => localStorage.clear())

  it('round-trips the design with the live panels, the settings and the history', () => {
    const w = work(40)
    const text = serializeWork(w, new Date('2026-01-02T03:04:05Z'))!
    const back = deserializeWork(text)
    expect(back.ok).toBe(true)
    if (!back.ok) return
    expect(back.work.savedAt).toBe('2026-01-02T03:04:05.000Z')
    expect(back.work.history).toEqual(w.history)
    expect(back.work.step).toBe(40)
    expect(back.work.view).toEqual(w.view)
    expect(back.work.smoothness).toBe(0.05)
    expect(back.work.presetName).toBe('lead-in-beryllium')
    // the design goes through the import path like any file, with the live panel positions
    const d = importDesignText(back.designText)
    expect(d.ok).toBe(true)
    if (!d.ok || d.design.kind !== 'muography') return
    expect(d.design.detector.panels.map((p) => p.x)).toEqual(w.panels.map((p) => p.x))
    expect((d.design as { results?: unknown }).results).toBeUndefined()
  })

  it('keeps at most the newest steps and stays under the size cap', () => {
    const w = work(AUTOSAVE_MAX_STEPS + 500)
    const text = serializeWork(w)!
    expect(text.length).toBeLessThanOrEqual(AUTOSAVE_MAX_CHARS)
    const back = deserializeWork(text)
    if (!back.ok) throw new Error(back.reason)
    expect(back.work.history.step.length).toBe(AUTOSAVE_MAX_STEPS)
    expect(back.work.history.step.at(-1)).toBe(AUTOSAVE_MAX_STEPS + 500)
    expect(back.work.history.panels.at(0)).toEqual([]) // old trajectories dropped
    expect(back.work.history.panels.at(-1)!.length).toBeGreaterThan(0)
  })

  it('rejects broken or hostile saves without throwing', () => {
    expect(deserializeWork(null)).toEqual({ ok: false, reason: 'nothing saved' })
    expect(deserializeWork('{ not json').ok).toBe(false)
    expect(deserializeWork('[]').ok).toBe(false)
    expect(deserializeWork(JSON.stringify({ version: 99, design: {} })).ok).toBe(false)
    // a hostile design is only text here: the import path rejects the prototype key
    const evil = deserializeWork(`{"version":1,"savedAt":"x","design":{"__proto__":{"polluted":true}},"history":{"step":[1],"total":["NaN"]}}`)
    expect(evil.ok).toBe(true)
    if (!evil.ok) return
    expect(importDesignText(evil.designText).ok).toBe(false)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // a malformed history is dropped, not trusted
    expect(evil.work.history).toEqual(emptyHistory())
    expect(evil.work.view.colour).toBe('true')
  })

  it('keeps each known voxel colour mode, and only those', () => {
    const view = (colour: string) => {
      const r = deserializeWork(JSON.stringify({ version: 1, design: {}, view: { colour } }))
      return r.ok ? r.work.view.colour : null
    }
    expect(['true', 'pred', 'error', 'measured', 'rainbow'].map(view)).toEqual(['true', 'pred', 'error', 'measured', 'true'])
  })

  it('writes, reads and clears localStorage', () => {
    expect(readSaved()).toBeNull()
    expect(writeSaved('{"a":1}')).toBe(true)
    expect(localStorage.getItem(AUTOSAVE_KEY)).toBe('{"a":1}')
    expect(readSaved()).toBe('{"a":1}')
    clearSaved()
    expect(readSaved()).toBeNull()
  })

  it('liveDesign does not touch its input', () => {
    const w = work(1)
    const before = JSON.stringify(w.design)
    liveDesign(w.design!, w)
    expect(JSON.stringify(w.design)).toBe(before)
  })

  it('round-trips a calorimeter design with the live layer thicknesses', () => {
    const design = preset('atlas-like-lar')
    if (design.kind !== 'calorimeter') throw new Error('not a calorimeter')
    // the optimiser thinned the lead from 1.53 to 1.16 mm (every layer of the group shares one thickness)
    const layers = layersOf(design).map((l) => ({ ...l, absorber_thickness: 0.00116 }))
    const text = serializeWork({ ...work(3), design, panels: [], layers })!
    const back = deserializeWork(text)
    if (!back.ok) throw new Error(back.reason)
    const d = importDesignText(back.designText)
    if (!d.ok || d.design.kind !== 'calorimeter') throw new Error('the saved design does not import')
    expect(layersOf(d.design).map((l) => l.absorber_thickness)).toEqual(layers.map(() => 0.00116))
    expect(d.design.calorimeter.layers.length).toBe(design.calorimeter.layers.length)
  })
})

describe('non-finite streak', () => {
  it('counts consecutive skipped steps across batched snapshots and restarts on finite ones', () => {
    let s = initialStreak()
    s = nextStreak(s, 3, 0); expect(s.streak).toBe(0)
    s = nextStreak(s, 5, 2); expect(s.streak).toBe(2)
    s = nextStreak(s, 8, 5); expect(s.streak).toBe(5)
    s = nextStreak(s, 10, 5); expect(s.streak).toBe(0)
    s = nextStreak(s, 0, 0); expect(s.streak).toBe(0) // new session
  })
})
