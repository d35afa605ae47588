// Frames drawn at step boundaries: a frame waits with the gate set until a worker holds (as holdForFrame does on
// a worker thread), is drawn then, or after the wait's time-out, and its release frees the gate; without a gate
// every frame draws at once.
import { describe, expect, it, vi } from 'vitest'
import { GATE_FREE, GATE_HELD, GATE_WANTED } from '../workers/frame-gate'
import { StepAlignedFrames } from './step-aligned-frames'

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms))
/** what a worker does at its step boundary when the page wants a frame (holdForFrame, without the blocking wait) */
const workerHolds = (gate: Int32Array) => { expect(Atomics.compareExchange(gate, 0, GATE_WANTED, GATE_HELD)).toBe(GATE_WANTED); Atomics.notify(gate, 0) }

describe('StepAlignedFrames', () => {
  it('holds a frame until a worker holds at a step boundary, and frees the gate once the frame is presented', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const frames = new StepAlignedFrames(gate)
    const draw = vi.fn(() => frames.admit(draw))
    expect(frames.admit(draw)).toBe(false)
    expect(Atomics.load(gate, 0)).toBe(GATE_WANTED)
    expect(frames.admit(draw)).toBe(false) // a second request while waiting: still one frame, still waiting
    await tick(100)
    expect(draw).not.toHaveBeenCalled()
    workerHolds(gate)
    await tick()
    expect(draw).toHaveBeenCalledTimes(1)
    expect(draw.mock.results[0].value).toBe(true) // at the boundary the frame may draw
    frames.release()
    expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
    frames.dispose()
  })

  it('draws anyway when no worker holds within the wait, and a stop releases a waiting frame at once', async () => {
    const gate = new Int32Array(new SharedArrayBuffer(4))
    const frames = new StepAlignedFrames(gate, 1000)
    const draw = vi.fn()
    frames.admit(draw)
    await tick(900)
    expect(draw).not.toHaveBeenCalled()
    await tick(250)
    expect(draw).toHaveBeenCalledTimes(1)
    frames.release()
    const later = vi.fn()
    expect(frames.admit(later)).toBe(false)
    frames.release() // the run stopped
    expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
    await tick()
    expect(later).toHaveBeenCalledTimes(1)
    frames.dispose()
    expect(new StepAlignedFrames(null).admit(() => undefined)).toBe(true)
  })
})
