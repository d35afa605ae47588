// The frame gate: on a machine whose GPU is software (SwiftShader draws the 3D view on the CPU), the page asks the
// engine worker to hold between two optimisation steps while it draws a frame. Without it, on 2 cores, the frame's
// main-thread task (3–7 ms of CPU) waited 13–66 ms behind the engine worker and the GPU process's raster threads,
// the longest tasks of a run. One shared Int32: 1 while the page wants or draws a frame, 0 otherwise.
// Needs SharedArrayBuffer (a cross-origin isolated page); without it there is no gate and nothing waits.

/** the longest the engine worker holds for one frame, ms: a lost release costs at most this per step */
export const FRAME_HOLD_MAX_MS = 150

/** the gate of this page (null without SharedArrayBuffer); passed to every engine worker it starts */
export const pageFrameGate: Int32Array | null =
  typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true ? new Int32Array(new SharedArrayBuffer(4)) : null

/** page: a frame is wanted; the engine holds at its next step boundary */
export function wantFrame(gate: Int32Array | null): void {
  if (gate) Atomics.store(gate, 0, 1)
}

/** page: the frame is on screen (or given up); the engine goes on */
export function frameDone(gate: Int32Array | null): void {
  if (!gate) return
  Atomics.store(gate, 0, 0)
  Atomics.notify(gate, 0)
}

/** engine worker, between steps: while the page draws, wait (at most `maxMs`); returns the ms waited */
export function holdForFrame(gate: Int32Array | null, maxMs = FRAME_HOLD_MAX_MS): number {
  if (!gate || Atomics.load(gate, 0) === 0) return 0
  const t = performance.now()
  Atomics.wait(gate, 0, 1, maxMs)
  return performance.now() - t
}

const stepListeners = new Set<() => void>()

/** page: the engine worker reported a step (and holds now if a frame is wanted) */
export function engineStepped(): void {
  for (const l of stepListeners) l()
}

/** page: call `l` at each step the engine reports; returns the unsubscribe */
export function onEngineStep(l: () => void): () => void {
  stepListeners.add(l)
  return () => stepListeners.delete(l)
}
