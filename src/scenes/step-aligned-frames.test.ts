// Frames drawn at step boundaries: a frame waits for the engine's next step with the gate set, is drawn then (or
// after the wait's time-out), and its release opens the gate; without a gate every frame draws at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { engineStepped } from '../workers/frame-gate'
import { StepAlignedFrames } from './step-aligned-frames'

describe('StepAlignedFrames', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('holds a frame until the next step, with the engine asked to hold, and opens the gate once it is presented', () => {
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const frames = new StepAlignedFrames(gate)
    const draw = vi.fn(() => frames.admit(draw))
    expect(frames.admit(draw)).toBe(false)
    expect(Atomics.load(gate, 0)).toBe(1)
    expect(frames.admit(draw)).toBe(false) // a second request while waiting: still one frame, still waiting
    vi.advanceTimersByTime(500)
    expect(draw).not.toHaveBeenCalled()
    engineStepped()
    vi.advanceTimersByTime(0)
    expect(draw).toHaveBeenCalledTimes(1)
    expect(draw.mock.results[0].value).toBe(true) // at the boundary the frame may draw
    frames.release()
    expect(Atomics.load(gate, 0)).toBe(0)
    frames.dispose()
  })

  it('draws anyway when no step comes, and a stop releases a waiting frame at once', () => {
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const frames = new StepAlignedFrames(gate)
    const draw = vi.fn()
    frames.admit(draw)
    vi.advanceTimersByTime(999)
    expect(draw).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(draw).toHaveBeenCalledTimes(1)
    frames.release()
    const later = vi.fn()
    frames.admit(later)
    frames.release() // the run stopped
    expect(Atomics.load(gate, 0)).toBe(0)
    vi.advanceTimersByTime(0)
    expect(later).toHaveBeenCalledTimes(1)
    frames.dispose()
  })

  it('opens the gate after a while should a frame never be presented; no gate, no waiting', () => {
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const frames = new StepAlignedFrames(gate)
    frames.admit(() => undefined)
    vi.advanceTimersByTime(3000)
    expect(Atomics.load(gate, 0)).toBe(0)
    frames.dispose()
    expect(new StepAlignedFrames(null).admit(() => undefined)).toBe(true)
  })
})
