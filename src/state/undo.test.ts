// @vitest-environment jsdom
import { describe, expect, it } from 'vitest'
import type { PanelState } from '../engine/session-types'
import { designHistory, endDragEdit, beginDragEdit, recordEdit, UndoStack } from './undo'
import { useStudio } from './store'
import type { Design } from '../engine/design/schema'

describe('UndoStack', () => {
  it('undoes and redoes in order, and a new edit clears the redo side', () => {
    const u = new UndoStack<number>()
    let cur = 0
    const edit = (v: number) => { u.record(cur); cur = v }
    edit(1); edit(2); edit(3)
    expect(u.sizes).toEqual({ past: 3, future: 0 })
    cur = u.undo(cur)!; expect(cur).toBe(2)
    cur = u.undo(cur)!; expect(cur).toBe(1)
    cur = u.redo(cur)!; expect(cur).toBe(2)
    expect(u.canRedo).toBe(true)
    edit(7)
    expect(u.canRedo).toBe(false)
    expect(u.redo(cur)).toBeNull()
    cur = u.undo(cur)!; expect(cur).toBe(2)
    cur = u.undo(cur)!; expect(cur).toBe(1)
    cur = u.undo(cur)!; expect(cur).toBe(0)
    expect(u.undo(cur)).toBeNull()
    expect(cur).toBe(0)
  })

  it('skips states equal to the current one and does not record duplicates', () => {
    const u = new UndoStack<number>()
    expect(u.record(5)).toBe(true)
    expect(u.record(5)).toBe(false)
    expect(u.sizes.past).toBe(1)
    // an entry equal to the current state is no step back
    expect(u.undo(5)).toBeNull()
  })

  it('coalesces a burst with the same key into one entry, and keeps the limit', () => {
    const u = new UndoStack<number>({ limit: 3 })
    u.record(0, { key: 'nudge:a', now: 1000 })
    u.record(1, { key: 'nudge:a', now: 1500 })
    u.record(2, { key: 'nudge:a', now: 2400 })
    expect(u.sizes.past).toBe(1)
    u.record(3, { key: 'nudge:a', now: 5000 }) // after the window: a new entry
    u.record(4, { key: 'nudge:b', now: 5100 }) // another key: a new entry
    u.record(5); u.record(6)
    expect(u.sizes.past).toBe(3)
    expect(u.undo(9)).toBe(6)
  })

  it('notifies subscribers', () => {
    const u = new UndoStack<number>()
    let n = 0
    const off = u.subscribe(() => n++)
    u.record(1); u.undo(2); u.redo(1); u.clear()
    off()
    u.record(3)
    expect(n).toBe(4)
  })
})

describe('the design history over the store', () => {
  const design = { kind: 'muography', name: 't' } as unknown as Design
  const panel = (x: number): PanelState => ({ id: 'p0', stack: 'above', x, y: 0, z: 1, span_x: 1, span_y: 1 })

  it('records an edit before it happens and a drag once, at its end, only if something moved', () => {
    designHistory.clear()
    useStudio.setState({ design, panels: [panel(0)] })
    recordEdit('edit')
    useStudio.setState({ panels: [panel(0.5)] })
    expect(designHistory.sizes.past).toBe(1)

    beginDragEdit()
    for (const x of [0.6, 0.7, 0.8]) useStudio.setState({ panels: [panel(x)] })
    endDragEdit()
    expect(designHistory.sizes.past).toBe(2)

    beginDragEdit() // a click without a move
    endDragEdit()
    expect(designHistory.sizes.past).toBe(2)

    const now = { design, panels: useStudio.getState().panels, layers: [], label: 'now' }
    const back = designHistory.undo(now)!
    expect(back.panels[0].x).toBe(0.5)
    const back2 = designHistory.undo(back)!
    expect(back2.panels[0].x).toBe(0)
    expect(designHistory.redo(back2)!.panels[0].x).toBe(0.5)
  })
})
