// When the 3D view has drawn: the render scheduler reports each frame it presents, and autoplay (and a batch of
// background runs) waits for the view's first frame before it starts computing, so the view's first frames (lazy
// chunk, scene mount, shader programs) are not drawn while the optimiser runs.
/** how long work that waits for the 3D view's first frames (autoplay, background runs) waits at most */
export const VIEW_WAIT_MS = 5000

let lastStarted = -Infinity
const waiting = new Set<{ since: number; resolve: (drawn: boolean) => void }>()

/** called by the render scheduler once a frame whose drawing began at `startedAt` (performance.now) is on screen */
export function reportFrame(startedAt: number): void {
  lastStarted = Math.max(lastStarted, startedAt)
  for (const w of waiting) if (startedAt >= w.since) { waiting.delete(w); w.resolve(true) }
}

/**
 * Resolves true once a frame begun after `since` is on screen, false after `timeoutMs` (no WebGL, a view that
 * never mounts): callers go on either way.
 */
export function frameDrawnSince(since: number, timeoutMs: number): Promise<boolean> {
  if (lastStarted >= since) return Promise.resolve(true)
  return new Promise((resolve) => {
    const w = { since, resolve: (drawn: boolean) => { clearTimeout(t); resolve(drawn) } }
    const t = setTimeout(() => { waiting.delete(w); resolve(false) }, timeoutMs)
    waiting.add(w)
  })
}
