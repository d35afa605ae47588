// The frame gate: on a machine whose GPU is software (SwiftShader draws the 3D view on the CPU), the page asks the
// workers that optimise (the engine, background runs) to hold between two steps while it draws a frame or updates
// a batch's views. Without it, on 2 cores, the frame's main-thread task (3–7 ms of CPU) waited 13–66 ms behind a
// busy worker and the GPU process's raster threads, the longest tasks of a run. One shared Int32: FREE; WANTED (the page wants to draw);
// HELD (a worker holds at a step boundary, so the page draws now). Needs SharedArrayBuffer (a cross-origin
// isolated page); without it there is no gate and nothing waits.

export const GATE_FREE = 0
export const GATE_WANTED = 1
export const GATE_HELD = 2

/** the longest a worker holds for one frame, ms: a lost release costs at most this per step */
export const FRAME_HOLD_MAX_MS = 150

/** the gate of this page (null without SharedArrayBuffer); passed to every worker it starts */
export const pageFrameGate: Int32Array | null =
  typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true ? new Int32Array(new SharedArrayBuffer(4)) : null

/** the gate for the page's own work: set by the 3D view when it presents by read-back (a software GPU); with a
 *  real GPU it stays null and the workers never hold */
let workGate: Int32Array | null = null
export const pageWorkGate = (): Int32Array | null => workGate
export function setPageWorkGate(gate: Int32Array | null): void {
  workGate = gate
}

/** the gate's memory, to hand to a worker (undefined without a gate) */
export const pageFrameGateBuffer = (): SharedArrayBuffer | undefined => pageFrameGate?.buffer as SharedArrayBuffer | undefined

type WaitAsync = (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string }

/**
 * page: a frame is wanted; resolves once a worker holds at a step boundary (or after `timeoutMs`, when none
 * comes: no worker is stepping)
 */
export function wantFrame(gate: Int32Array, timeoutMs: number): Promise<void> {
  Atomics.store(gate, 0, GATE_WANTED)
  const w = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync(gate, 0, GATE_WANTED, timeoutMs)
  return Promise.resolve(w.value).then(() => undefined)
}

/** page: the frame is on screen (or given up); the workers go on */
export function frameDone(gate: Int32Array | null): void {
  if (!gate) return
  Atomics.store(gate, 0, GATE_FREE)
  Atomics.notify(gate, 0)
}

/**
 * how long the page waits for a worker to hold before it goes on anyway: about the longest step on a 2-core
 * machine. With 1 s, a background run's steps (0.8–2.4 s each on a loaded 2-core machine) left most of an
 * ensemble's frames drawn beside a computing worker (1 hold in 12 steps).
 */
export const STEP_WAIT_MS = 3000
/** a hold for page work is freed this long after the work at the latest (a hidden page draws no frame) */
const RELEASE_AFTER_WORK_MS = 1000

/** the page's users of a gate (the 3D view's frames, a batch's updates): one hold, freed by the last to release */
const holds = new WeakMap<Int32Array, { users: number; held: Promise<void> }>()

/**
 * page: hold the optimising workers at their next step boundary; resolves once one holds (or after `timeoutMs`).
 * A hold already asked for or held is shared. Every call is paired with a `releaseHold`.
 */
export function acquireHold(gate: Int32Array, timeoutMs: number): Promise<void> {
  let h = holds.get(gate)
  if (!h) holds.set(gate, (h = { users: 0, held: wantFrame(gate, timeoutMs) }))
  h.users++
  return h.held
}

/** page: one user of the hold is done; the last one frees the gate and the workers go on */
export function releaseHold(gate: Int32Array | null): void {
  const h = gate && holds.get(gate)
  if (!h) return
  if (--h.users > 0) return
  holds.delete(gate)
  frameDone(gate)
}

/** a worker, between steps: when the page wants a frame, hold (at most `maxMs`) while it draws; returns the ms held */
export function holdForFrame(gate: Int32Array | null, maxMs = FRAME_HOLD_MAX_MS): number {
  if (!gate) return 0
  const was = Atomics.compareExchange(gate, 0, GATE_WANTED, GATE_HELD)
  if (was === GATE_FREE) return 0
  if (was === GATE_WANTED) Atomics.notify(gate, 0) // the page draws now
  const t = performance.now()
  Atomics.wait(gate, 0, GATE_HELD, maxMs)
  return performance.now() - t
}

/**
 * page: run `work` (a React update, say) while the workers hold at a step boundary, or after `timeoutMs`, and free
 * them once the page has rendered what it changed (the next frame); at once without a gate
 */
export function whileHeld(gate: Int32Array | null, work: () => void, timeoutMs = STEP_WAIT_MS): void {
  if (!gate) { work(); return }
  void acquireHold(gate, timeoutMs).then(() => {
    work()
    let freed = false
    const free = () => { if (!freed) { freed = true; releaseHold(gate) } }
    requestAnimationFrame(() => setTimeout(free, 0))
    setTimeout(free, RELEASE_AFTER_WORK_MS)
  })
}
