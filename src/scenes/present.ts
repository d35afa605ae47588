// How WebGL frames reach the screen.
//
// With a GPU: three.js draws on the visible canvas, as usual ('direct').
//
// Without one (SwiftShader, llvmpipe...), Chrome composites in software and reads every WebGL frame of a visible
// canvas back to the CPU during the next compositor commit — on the main thread, waiting until the software
// rasteriser has finished the frame. A frame that takes SwiftShader 25 ms (several times that while the engine
// worker keeps the CPU busy) would block the main thread that long. So in 'readback' mode three.js draws on an
// OffscreenCanvas that is never composited; its pixels are copied into a buffer on the GPU side (a pixel-pack
// buffer), a fence says when that is done (polled, never waited on), and only then are they fetched and put on
// the visible canvas with a 2D context, which software compositing shows without any read-back. The fetch goes in
// slices of rows, a task each: one getBufferSubData of a whole frame takes tens of milliseconds from a busy GPU
// process. While the view draws at reduced resolution, a frame fills the lower-left part of the drawing buffer
// (the viewport) and only that part is fetched: resizing the WebGL drawing buffer instead stalled the main thread
// for 40–70 ms on a 2-core machine, at every change of resolution.
import { Vector2, WebGLRenderer } from 'three'

export type PresentMode = 'direct' | 'readback'

const POLL_MS = 4
const PBO_RING = 1
const GIVE_UP_MS = 2000
/** bytes fetched per task */
const SLICE_BYTES = 512 * 1024

let probed: boolean | null = null

/** true when WebGL is rendered in software (SwiftShader, llvmpipe, ...) */
export function softwareWebGL(): boolean {
  if (probed !== null) return probed
  probed = false
  try {
    const c = document.createElement('canvas')
    const gl = c.getContext('webgl2') as WebGL2RenderingContext | null
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info')
      const name = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
      probed = /swiftshader|llvmpipe|softpipe|software/i.test(name)
      gl.getExtension('WEBGL_lose_context')?.loseContext()
    }
  } catch {
    probed = false
  }
  return probed
}

interface Display { mode: PresentMode; ctx2d: CanvasRenderingContext2D | null; visible: HTMLCanvasElement | null }
const displays = new WeakMap<WebGLRenderer, Display>()

function chosenMode(): PresentMode {
  const forced = new URLSearchParams(location.search).get('present')
  if (forced === 'direct' || forced === 'readback') return forced
  return softwareWebGL() && typeof OffscreenCanvas !== 'undefined' ? 'readback' : 'direct'
}

/** the renderer for <Canvas gl={createRenderer}> */
export function createRenderer(props: { canvas: HTMLCanvasElement | EventTarget }): WebGLRenderer {
  const el = props.canvas as HTMLCanvasElement | OffscreenCanvas
  const opts = { antialias: false, powerPreference: 'high-performance' as const, preserveDrawingBuffer: false }
  if (typeof HTMLCanvasElement !== 'undefined' && el instanceof HTMLCanvasElement && chosenMode() === 'readback') {
    // willReadFrequently keeps this 2D canvas on the CPU: an accelerated one would wait on the GPU process again
    const ctx2d = el.getContext('2d', { alpha: false, willReadFrequently: true })
    if (ctx2d) {
      const target = new OffscreenCanvas(Math.max(1, el.clientWidth), Math.max(1, el.clientHeight))
      const renderer = new WebGLRenderer({ ...opts, canvas: target })
      if (renderer.getContext() instanceof WebGL2RenderingContext) {
        displays.set(renderer, { mode: 'readback', ctx2d, visible: el })
        return renderer
      }
      renderer.dispose()
    }
  }
  const renderer = new WebGLRenderer({ ...opts, canvas: el })
  displays.set(renderer, { mode: 'direct', ctx2d: null, visible: null })
  return renderer
}

export function presentMode(renderer: WebGLRenderer): PresentMode {
  return displays.get(renderer)?.mode ?? 'direct'
}

/** Draws frames and puts them on screen without making the main thread wait for the GPU. */
export class Presenter {
  private readonly display: Display
  private readonly gl: WebGL2RenderingContext | null
  // a ring of pixel-pack buffers: ANGLE keeps a fast CPU shadow of a buffer only if it is not written again soon
  // after it was read ("READ-usage buffer was written, then fenced, but written again before being read back")
  private pbos: WebGLBuffer[] = []
  private pboIndex = 0
  private pboBytes = 0
  private fence: WebGLSync | null = null
  private fenceAt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private image: ImageData | null = null
  private staging: Uint8Array | null = null
  private pending: { w: number; h: number; onPresented?: () => void } | null = null
  /** the next GL row (bottom-up) to fetch of the pending frame */
  private nextRow = 0

  private readonly canvas: EventTarget | null
  private readonly renderer: WebGLRenderer
  private readonly size = new Vector2()
  /** the fraction of the canvas's resolution that frames are drawn at (readback mode; sync frames draw at 1) */
  scale = 1

  constructor(renderer: WebGLRenderer) {
    this.renderer = renderer
    this.display = displays.get(renderer) ?? { mode: 'direct', ctx2d: null, visible: null }
    const ctx = renderer.getContext()
    this.gl = ctx instanceof WebGL2RenderingContext ? ctx : null
    // a lost context (the GPU process restarted) takes its buffers and syncs with it: start the ring afresh
    this.canvas = (this.gl?.canvas as EventTarget | undefined) ?? null
    this.canvas?.addEventListener('webglcontextlost', this.forget)
    this.canvas?.addEventListener('webglcontextrestored', this.forget)
  }

  private readonly forget = () => {
    if (this.timer != null) { clearTimeout(this.timer); this.timer = null }
    this.fence = null
    this.pending = null
    this.pbos = []
    this.pboBytes = 0
  }

  get mode(): PresentMode {
    return this.display.mode
  }

  /** a frame is drawn but not yet on screen */
  get busy(): boolean {
    return this.fence !== null
  }

  /**
   * Draw a frame with `draw` (which renders the scene to the screen framebuffer). In 'readback' mode it reaches
   * the visible canvas once the GPU has finished it — or at once, blocking, with `sync` (for tests).
   */
  frame(draw: () => void, opts: { sync?: boolean; onPresented?: () => void } = {}): void {
    const gl = this.gl
    if (this.display.mode === 'direct' || !gl || gl.isContextLost()) { draw(); opts.onPresented?.(); return }
    const s = opts.sync ? 1 : this.scale
    this.renderer.getSize(this.size)
    this.renderer.setViewport(0, 0, this.size.x * s, this.size.y * s)
    // the clear too: the rest of the drawing buffer is never read
    this.renderer.setScissor(0, 0, this.size.x * s, this.size.y * s)
    this.renderer.setScissorTest(s < 1)
    draw()
    this.cancel()
    const vp = gl.getParameter(gl.VIEWPORT) as Int32Array
    const w = Math.min(vp[2], gl.drawingBufferWidth), h = Math.min(vp[3], gl.drawingBufferHeight)
    if (w <= 0 || h <= 0) { opts.onPresented?.(); return }
    if (opts.sync) {
      const buf = this.stagingFor(w * h * 4)
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, buf)
      this.put(buf, w, h)
      opts.onPresented?.()
      return
    }
    const bytes = w * h * 4
    if (this.pbos.length === 0 || this.pboBytes !== bytes) {
      for (const b of this.pbos) gl.deleteBuffer(b)
      this.pbos = []
      for (let i = 0; i < PBO_RING; i++) {
        const b = gl.createBuffer()
        gl.bindBuffer(gl.PIXEL_PACK_BUFFER, b)
        gl.bufferData(gl.PIXEL_PACK_BUFFER, bytes, gl.STREAM_READ)
        this.pbos.push(b)
      }
      this.pboBytes = bytes
    }
    this.pboIndex = (this.pboIndex + 1) % this.pbos.length
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbos[this.pboIndex])
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, 0)
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
    this.fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0)
    gl.flush()
    this.fenceAt = performance.now()
    this.pending = { w, h, onPresented: opts.onPresented }
    this.timer = setTimeout(this.poll, POLL_MS)
  }

  /** the context and fence of the frame in flight, or null (none; or the context was lost, and the ring forgotten) */
  private inFlight(): { gl: WebGL2RenderingContext; f: WebGLSync } | null {
    const gl = this.gl
    const f = this.fence
    if (!gl || !f || !this.pending) return null
    if (gl.isContextLost()) { this.forget(); return null }
    return { gl, f }
  }

  private readonly poll = () => {
    this.timer = null
    const live = this.inFlight()
    if (!live) return
    const { gl, f } = live
    // clientWaitSync with a zero time-out never blocks (MDN, WebGL best practices: async read-back)
    const res = gl.clientWaitSync(f, 0, 0)
    const done = res === gl.ALREADY_SIGNALED || res === gl.CONDITION_SATISFIED || res === gl.WAIT_FAILED
    if (!done && performance.now() - this.fenceAt < GIVE_UP_MS) {
      this.timer = setTimeout(this.poll, POLL_MS)
      return
    }
    this.nextRow = 0
    this.fetchSlice()
  }

  /** fetch the next slice of rows of the signalled frame into the image; the last one puts it on screen */
  private readonly fetchSlice = () => {
    this.timer = null
    const live = this.inFlight()
    if (!live || !this.pending) return
    const { gl, f } = live
    const { w, h, onPresented } = this.pending
    const row = w * 4
    const a = this.nextRow, b = Math.min(h, a + Math.max(1, Math.floor(SLICE_BYTES / row)))
    const buf = this.stagingFor(w * h * 4)
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbos[this.pboIndex])
    gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, a * row, buf, a * row, (b - a) * row)
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
    this.flipRows(buf, w, h, a, b)
    this.nextRow = b
    if (b < h) { this.timer = setTimeout(this.fetchSlice, 0); return }
    this.pending = null
    gl.deleteSync(f) // after the read: the sync guards the fast read-back copy
    this.fence = null
    this.show(w, h)
    onPresented?.()
  }

  private stagingFor(bytes: number): Uint8Array {
    if (!this.staging || this.staging.length !== bytes) this.staging = new Uint8Array(bytes)
    return this.staging
  }

  /** GL rows [a, b) of `src` into the image: rows arrive bottom-up from GL; the 2D canvas wants them top-down */
  private flipRows(src: Uint8Array, w: number, h: number, a: number, b: number): void {
    if (!this.image || this.image.width !== w || this.image.height !== h) this.image = new ImageData(w, h)
    const dst = this.image.data
    const row = w * 4
    for (let y = a; y < b; y++) dst.set(src.subarray(y * row, (y + 1) * row), (h - 1 - y) * row)
  }

  private put(src: Uint8Array, w: number, h: number): void {
    this.flipRows(src, w, h, 0, h)
    this.show(w, h)
  }

  private show(w: number, h: number): void {
    const { ctx2d, visible } = this.display
    if (!ctx2d || !visible || !this.image) return
    if (visible.width !== w) visible.width = w
    if (visible.height !== h) visible.height = h
    ctx2d.putImageData(this.image, 0, 0)
  }

  /** the pixels now on screen, for checks (readback mode), or null */
  visibleCanvas(): HTMLCanvasElement | null {
    return this.display.visible
  }

  private cancel(): void {
    if (this.timer != null) { clearTimeout(this.timer); this.timer = null }
    if (this.fence && this.gl) this.gl.deleteSync(this.fence)
    this.fence = null
    this.pending = null
  }

  dispose(): void {
    this.cancel()
    if (this.gl && !this.gl.isContextLost()) for (const b of this.pbos) this.gl.deleteBuffer(b)
    this.pbos = []
    this.canvas?.removeEventListener('webglcontextlost', this.forget)
    this.canvas?.removeEventListener('webglcontextrestored', this.forget)
  }
}
