// While the optimiser runs on a machine with a software GPU, each frame of the 3D view is drawn at a step boundary
// with the engine worker held there (workers/frame-gate.ts): the frame then has a core of its own instead of
// waiting behind the engine and the GPU process's raster threads.
import { frameDone, onEngineStep, wantFrame } from '../workers/frame-gate'

/** how long a frame waits for the next step before it is drawn anyway (a step can take this long) */
const STEP_WAIT_MS = 1000
/** the gate is released after this at the latest, should the frame never reach the screen */
const RELEASE_MS = 3000

export class StepAlignedFrames {
  private waiting: (() => void) | null = null
  private held = false
  private fallback: ReturnType<typeof setTimeout> | null = null
  private safety: ReturnType<typeof setTimeout> | null = null
  private readonly off: () => void

  constructor(private readonly gate: Int32Array | null) {
    // the step's message is handled first; the frame follows in a task of its own
    this.off = onEngineStep(() => { if (this.waiting) setTimeout(this.fire, 0) })
  }

  /**
   * Whether `draw` may draw now. No: the engine is asked to hold at its next step, and `draw` is called again then
   * (or after STEP_WAIT_MS). Without a gate, always yes.
   */
  admit(draw: () => void): boolean {
    if (!this.gate) return true
    if (this.waiting) { this.waiting = draw; return false }
    if (this.held) return true
    this.held = true
    wantFrame(this.gate)
    this.waiting = draw
    this.fallback = setTimeout(this.fire, STEP_WAIT_MS)
    this.safety = setTimeout(() => this.release(), RELEASE_MS)
    return false
  }

  /** the frame is on screen, or the run stopped: the engine goes on (a frame still waiting is drawn now) */
  release(): void {
    if (!this.held) return
    this.held = false
    frameDone(this.gate)
    this.clearTimers()
    const d = this.waiting
    this.waiting = null
    if (d) setTimeout(d, 0)
  }

  dispose(): void {
    this.waiting = null
    this.release()
    this.off()
  }

  private readonly fire = () => {
    const d = this.waiting
    this.waiting = null
    if (this.fallback != null) { clearTimeout(this.fallback); this.fallback = null }
    d?.()
  }

  private clearTimers(): void {
    if (this.fallback != null) clearTimeout(this.fallback)
    if (this.safety != null) clearTimeout(this.safety)
    this.fallback = this.safety = null
  }
}
