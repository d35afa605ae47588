// The frame gate: on a machine whose GPU is software (SwiftShader draws the 3D view on the CPU), the page asks the
// workers that optimise (the engine, background runs) to hold between two steps while it draws a frame. Without
// it, on 2 cores, the frame's main-thread task (3–7 ms of CPU) waited 13–66 ms behind a busy worker and the GPU
// process's raster threads, the longest tasks of a run. One shared Int32: FREE; WANTED (the page wants to draw);
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
