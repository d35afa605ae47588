// The render loop shared by both 3D views (muography and calorimeter): frames on request only, presented
// through present.ts (a read-back path when WebGL is software-rendered), with a quality ladder while the optimiser
// runs. Also the synchronous render behind the view's PNG export and the colour count of the end-to-end tests.
import { advance, useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { useBeyond } from '../state/beyond/store'
import { useStudio } from '../state/store'
import { reportFrame } from '../state/view-ready'
import { pageFrameGate, setPageWorkGate } from '../workers/frame-gate'
import { Presenter } from './present'
import { StepAlignedFrames } from './step-aligned-frames'
import { ShaderWarmUp } from './warm-up'

/** draw and present a frame now, in this task (for read-backs in tests) */
const renderSyncRef: { current: (() => void) | null } = { current: null }
const presenterRef: { current: Presenter | null } = { current: null }
/** the WebGL canvas of the mounted view (what direct presentation shows) */
const canvasRef: { current: HTMLCanvasElement | null } = { current: null }

const QUALITY = [
  { dpr: 1, gap: 200 },
  { dpr: 0.75, gap: 350 },
  { dpr: 0.5, gap: 500 },
  { dpr: 0.35, gap: 800 },
] as const
const IDLE = { dpr: 1, gap: 16 }

/**
 * Renders on request only, in a task of its own (never inside requestAnimationFrame), rate-limited. Every
 * `invalidate()` (drei controls, r3f prop updates, our store subscriptions) lands here.
 *
 * Why: with a software GPU (SwiftShader) Chrome composites in software and reads every WebGL frame back on the
 * main thread during the next commit, so a frame costs the main thread as long as SwiftShader takes to draw it,
 * and much longer while the engine worker keeps the CPU busy. While the optimiser or background runs go on, the
 * view therefore draws at a reduced pixel ratio and frame rate, adapted to the long tasks it observes (a quality
 * ladder, as in r3f's performance regression); when they stop it returns to full quality at once.
 */
export function RenderScheduler() {
  const set = useThree((s) => s.set)
  const get = useThree((s) => s.get)
  const setDpr = useThree((s) => s.setDpr)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    let last = -Infinity
    // a 2-core machine starts lower on the ladder
    let level = (navigator.hardwareConcurrency ?? 4) <= 2 ? 2 : 0
    let lastLong = -Infinity
    let lastChange = -Infinity
    const running = () => useStudio.getState().status === 'running'
    // background runs (an ensemble, a front) load the CPU as a run does: the view draws at a run's quality meanwhile
    const busy = () => running() || useBeyond.getState().batch?.running === true
    const quality = () => (busy() ? QUALITY[level] : IDLE)

    const presenter = new Presenter(get().gl)
    presenterRef.current = presenter
    // a software GPU draws on the CPU: during runs, frames are drawn with the optimising workers held between steps
    const gate = presenter.mode === 'readback' ? pageFrameGate : null
    const frames = new StepAlignedFrames(gate)
    setPageWorkGate(gate)
    const warmUp = new ShaderWarmUp(get().gl)
    // after a frame reaches the canvas, the next scene is not drawn before the compositor has committed (and,
    // without a GPU, read back) that frame: drawn earlier, its commands would queue ahead of the read-back
    let settling = false
    let presented = 0
    let again = false
    const render = () => {
      timer = null
      if (presenter.busy || settling) { again = true; return }
      // the view's first frame is not held back: at page load the run's first step can take seconds
      if (busy() && presented > 0 && !frames.admit(render)) return
      // new shader programs first, a few per task, so that the frame itself does not stall on them
      const { scene, camera } = get()
      if (!warmUp.step(scene, camera)) { timer = setTimeout(render, 0); return }
      last = performance.now()
      const started = last
      presenter.frame(() => advance(last / 1000), {
        onPresented: () => {
          presented++
          frames.release()
          reportFrame(started)
          // a test hook that costs nothing: how many frames have reached the screen (page-load checks wait on it)
          const h = window as unknown as { __dds?: { framesPresented?: number } }
          if (h.__dds) h.__dds.framesPresented = (h.__dds.framesPresented ?? 0) + 1
          settling = true
          requestAnimationFrame(() => setTimeout(() => {
            settling = false
            if (again) { again = false; request() }
          }, 0))
        },
      })
    }
    const request = () => {
      if (timer != null) return
      timer = setTimeout(render, Math.max(0, last + quality().gap - performance.now()))
    }
    renderSyncRef.current = () => presenter.frame(() => advance(performance.now() / 1000), { sync: true })
    const dom = get().gl.domElement
    canvasRef.current = dom instanceof HTMLCanvasElement ? dom : null
    // in a task of its own: a resolution change re-renders r3f's subscribers and resizes the canvas
    let dprTimer: ReturnType<typeof setTimeout> | null = null
    const apply = () => {
      if (dprTimer != null) clearTimeout(dprTimer)
      dprTimer = setTimeout(() => {
        dprTimer = null
        const q = quality()
        // read back: a smaller viewport in the same drawing buffer (present.ts), which costs nothing to change.
        // When a batch starts, the frame on screen stays until the scene changes: its redraw at lower resolution
        // came while the batch's fresh worker started (its JIT compiles load every core). A run's start still
        // redraws (held to its first step), as it did when the run checks last passed in CI.
        if (presenter.mode === 'readback') {
          const sharper = q.dpr > presenter.scale
          presenter.scale = q.dpr
          if (sharper || presented === 0 || running()) request()
          return
        }
        if (get().viewport.dpr !== q.dpr) setDpr(q.dpr)
        request()
      }, 30)
    }

    const original = get().invalidate
    set({ invalidate: ((() => request()) as unknown) as typeof original })
    apply()

    // a run or background runs started or stopped: another quality, and no frame held for a worker that stopped
    const busyChanged = () => {
      if (!busy()) frames.release()
      apply()
    }
    const unsubStatus = useStudio.subscribe((st, prev) => { if (st.status !== prev.status) busyChanged() })
    const unsubBatch = useBeyond.subscribe((st, prev) => { if (st.batch?.running !== prev.batch?.running) busyChanged() })
    let observer: PerformanceObserver | null = null
    try {
      observer = new PerformanceObserver((list) => {
        if (!busy()) return
        const now = performance.now()
        for (const e of list.getEntries()) if (e.duration > 50) lastLong = now
        if (lastLong === now && level < QUALITY.length - 1 && now - lastChange > 1500) {
          level++
          lastChange = now
          apply()
        }
      })
      observer.observe({ type: 'longtask' })
    } catch { observer = null }
    const recover = setInterval(() => {
      const now = performance.now()
      if (busy() && level > 0 && now - lastLong > 15_000 && now - lastChange > 15_000) {
        level--
        lastChange = now
        apply()
      }
    }, 5000)

    let size = get().size
    const onResize = () => {
      const now = get().size
      if (now.width !== size.width || now.height !== size.height) { size = now; request() }
    }
    const ro = new ResizeObserver(() => setTimeout(onResize, 0))
    const hooks = window as unknown as { __dds?: Record<string, unknown> }
    hooks.__dds = { ...(hooks.__dds ?? {}), presentMode: presenter.mode }
    const box = get().events.connected ?? get().gl.domElement
    if (box instanceof Element) ro.observe(box)
    return () => {
      renderSyncRef.current = null
      presenterRef.current = null
      canvasRef.current = null
      presenter.dispose()
      frames.dispose()
      setPageWorkGate(null)
      set({ invalidate: original })
      if (timer != null) clearTimeout(timer)
      clearInterval(recover)
      if (dprTimer != null) clearTimeout(dprTimer)
      observer?.disconnect()
      unsubStatus()
      unsubBatch()
      ro.disconnect()
    }
  }, [get, set, setDpr])
  return null
}

/** draw a frame now, in this task, and return the canvas that shows it (read it in the same task: the WebGL
 *  drawing buffer is not preserved past it) */
function drawNow(): HTMLCanvasElement | null {
  if (renderSyncRef.current) renderSyncRef.current()
  else advance(performance.now() / 1000)
  return presenterRef.current?.visibleCanvas() ?? canvasRef.current
}

/** render now, in this task, and count the distinct colours on the visible canvas (a test hook) */
export function renderAndCountColours(fallback: HTMLCanvasElement | OffscreenCanvas): number {
  const src = drawNow() ?? fallback
  const c = document.createElement('canvas')
  c.width = src.width
  c.height = src.height
  const ctx = c.getContext('2d')
  if (!ctx) return 0
  ctx.drawImage(src, 0, 0)
  const d = ctx.getImageData(0, 0, c.width, c.height).data
  const seen = new Set<number>()
  for (let i = 0; i < d.length; i += 12) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2])
  return seen.size
}

/** the view as it is on screen, drawn now, as a PNG (null: no view mounted) */
export async function viewPng(): Promise<Blob | null> {
  const src = renderSyncRef.current ? drawNow() : null
  if (!src) return null
  return new Promise((resolve) => src.toBlob((b) => resolve(b), 'image/png'))
}
