// While a run goes on on a machine with a software GPU, each frame of the 3D view is drawn at a step boundary with
// the optimising worker held there (workers/frame-gate.ts): the frame then has a core of its own instead of
// waiting behind the worker and the GPU process's raster threads.
import { acquireHold, releaseHold, STEP_WAIT_MS } from '../workers/frame-gate'

/** the gate is released this long after the wait at the latest, should the frame never reach the screen */
const RELEASE_AFTER_WAIT_MS = 2000

export class StepAlignedFrames {
  private waiting: (() => void) | null = null
  private held = false
  private safety: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly gate: Int32Array | null, private readonly waitMs = STEP_WAIT_MS) {}

  /**
   * Whether `draw` may draw now. No: the workers are asked to hold at their next step, and `draw` is called again
   * once one does (or after `waitMs`). Without a gate, always yes.
   */
  admit(draw: () => void): boolean {
    if (!this.gate) return true
    if (this.waiting) { this.waiting = draw; return false }
    if (this.held) return true
    this.held = true
    this.waiting = draw
    this.safety = setTimeout(() => this.release(), this.waitMs + RELEASE_AFTER_WAIT_MS)
    // the frame follows in a task of its own
    void acquireHold(this.gate, this.waitMs).then(() => setTimeout(this.fire, 0))
    return false
  }

  /** the frame is on screen, or the run stopped: the workers go on (a frame still waiting is drawn now) */
  release(): void {
    if (!this.held) return
    this.held = false
    releaseHold(this.gate)
    if (this.safety != null) { clearTimeout(this.safety); this.safety = null }
    const d = this.waiting
    this.waiting = null
    if (d) setTimeout(d, 0)
  }

  dispose(): void {
    this.waiting = null
    this.release()
  }

  private readonly fire = () => {
    const d = this.waiting
    this.waiting = null
    d?.()
  }
}
