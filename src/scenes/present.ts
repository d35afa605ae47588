// How WebGL frames reach the screen.
//
// With a GPU: three.js draws on the visible canvas, as usual ('direct').
//
// Without one (SwiftShader, llvmpipe...), Chrome composites in software and reads every WebGL frame of a visible
// canvas back to the CPU during the next compositor commit — on the main thread, waiting until the software
// rasteriser has finished the frame. A frame that takes SwiftShader 25 ms (several times that while the engine
// worker keeps the CPU busy) would block the main thread that long. So in 'readback' mode three.js draws on an
// OffscreenCanvas that is never composited; its pixels are copied into a buffer on the GPU side (a pixel-pack
// buffers), a fence says when that is done (polled, never waited on), and only then are they fetched and put on
// the visible canvas with a 2D context, which software compositing shows without any read-back.
//
// The fetch goes in bands of rows, a task each, and each band has a pixel-pack buffer of its own. Once the fence
// has been seen, Chrome serves the first read of each READ-usage buffer from a shadow copy in shared memory and
// then frees that copy; a second read of the same buffer is a synchronous round trip that first waits for the GPU
// process to finish all its work (1–15 ms per read here, 97 ms once in CI beside a busy background run). One read
// of a whole frame was served from the copy but cost 14–25 ms of CPU (62–84 ms of wall time beside a background
// run); a band costs a fifth of that. While the view draws at reduced resolution, a frame fills the lower-left part
// of the drawing buffer (the viewport) and only that part is fetched: resizing the WebGL drawing buffer instead
// stalled the main thread for 40–70 ms on a 2-core machine, at every change of resolution.
import { Vector2, WebGLRenderer } from 'three'

export type PresentMode = 'direct' | 'readback'

const POLL_MS = 4
const GIVE_UP_MS = 2000
/** bytes per band of the full-width drawing buffer (one pixel-pack buffer, one fetch task) */
const BAND_BYTES = 512 * 1024

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
  /** a pixel-pack buffer per band of `bandRows` rows, sized for the whole drawing buffer (`pboBytes` in all) */
  private pbos: WebGLBuffer[] = []
  private bandRows = 1
  private pboBytes = 0
  private fence: WebGLSync | null = null
  private fenceAt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  // the CPU side, sized once for the whole drawing buffer: a frame at reduced resolution uses the start of it.
  // Fresh memory at every change of resolution (Play, Pause) cost 10–26 ms per frame in page faults and zeroing.
  private staging: Uint8Array | null = null
  /** the top-down pixels, and an ImageData over them per frame size */
  private pixels: Uint8ClampedArray<ArrayBuffer> | null = null
  private images = new Map<string, ImageData>()
  private image: ImageData | null = null
  private pending: { w: number; h: number; onPresented?: () => void } | null = null
  /** the next band of the pending frame to fetch */
  private nextBand = 0

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
    // a lost context (the GPU process restarted) takes its buffers and syncs with it: allocate the bands afresh
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
    return this.pending !== null
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
    const full = gl.drawingBufferWidth * gl.drawingBufferHeight * 4
    if (opts.sync) {
      const buf = this.stagingFor(full).subarray(0, w * h * 4)
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, buf)
      this.flipRows(buf, w, h, 0, h)
      this.show(w, h)
      opts.onPresented?.()
      return
    }
    if (this.pbos.length === 0 || this.pboBytes !== full) this.allocate(gl, full)
    for (let k = 0; k * this.bandRows < h; k++) {
      const a = k * this.bandRows
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbos[k])
      gl.readPixels(0, a, w, Math.min(h, a + this.bandRows) - a, gl.RGBA, gl.UNSIGNED_BYTE, 0)
    }
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
    gl.flush()
    this.pending = { w, h, onPresented: opts.onPresented }
    this.timer = setTimeout(this.fenceFrame, 0)
  }

  /**
   * The fence, in a task after the frame's: Chrome allocates the buffers' shadow copies when a fence is made, and
   * that can wait for the GPU process to release the last frame's (about a third of the frame task's time in a
   * profile of a run)
   */
  private readonly fenceFrame = () => {
    this.timer = null
    const gl = this.gl
    if (!gl || !this.pending || gl.isContextLost()) return
    this.fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0)
    gl.flush()
    this.fenceAt = performance.now()
    this.timer = setTimeout(this.poll, POLL_MS)
  }

  /** the context and fence of the frame in flight, or null (none; or the context was lost, and its buffers forgotten) */
  private inFlight(): { gl: WebGL2RenderingContext; f: WebGLSync; w: number; h: number } | null {
    const gl = this.gl
    const f = this.fence
    const p = this.pending
    if (!gl || !f || !p) return null
    if (gl.isContextLost()) { this.forget(); return null }
    return { gl, f, w: p.w, h: p.h }
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
    this.nextBand = 0
    this.fetchBand()
  }

  /** fetch the next band of rows of the signalled frame (its own buffer: one read, served from the shadow copy) */
  private readonly fetchBand = () => {
    this.timer = null
    const live = this.inFlight()
    if (!live) return
    const { gl, f, w, h } = live
    const a = this.nextBand * this.bandRows, b = Math.min(h, a + this.bandRows)
    const buf = this.stagingFor(this.pboBytes)
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, this.pbos[this.nextBand])
    gl.getBufferSubData(gl.PIXEL_PACK_BUFFER, 0, buf, a * w * 4, (b - a) * w * 4)
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
    this.flipRows(buf, w, h, a, b)
    this.nextBand++
    if (b < h) { this.timer = setTimeout(this.fetchBand, 0); return }
    gl.deleteSync(f) // after the last read: the sync guards the shadow copies
    this.fence = null
    this.timer = setTimeout(this.present, 0)
  }

  /** pixel-pack buffers in bands for a drawing buffer of `full` bytes */
  private allocate(gl: WebGL2RenderingContext, full: number): void {
    for (const b of this.pbos) gl.deleteBuffer(b)
    const rowBytes = gl.drawingBufferWidth * 4
    this.bandRows = Math.max(1, Math.floor(BAND_BYTES / rowBytes))
    this.pbos = Array.from({ length: Math.ceil(gl.drawingBufferHeight / this.bandRows) }, () => {
      const b = gl.createBuffer()
      gl.bindBuffer(gl.PIXEL_PACK_BUFFER, b)
      gl.bufferData(gl.PIXEL_PACK_BUFFER, this.bandRows * rowBytes, gl.STREAM_READ)
      return b
    })
    gl.bindBuffer(gl.PIXEL_PACK_BUFFER, null)
    this.pboBytes = full
  }

  /** the fetched frame onto the visible canvas */
  private readonly present = () => {
    this.timer = null
    const p = this.pending
    if (!p) return
    this.pending = null
    this.show(p.w, p.h)
    p.onPresented?.()
  }

  private stagingFor(bytes: number): Uint8Array {
    if (!this.staging || this.staging.length !== bytes) {
      this.staging = new Uint8Array(bytes)
      this.pixels = new Uint8ClampedArray(bytes)
      this.images.clear()
    }
    return this.staging
  }

  /** GL rows [a, b) of `src` into the image: rows arrive bottom-up from GL; the 2D canvas wants them top-down */
  private flipRows(src: Uint8Array, w: number, h: number, a: number, b: number): void {
    const key = `${w}x${h}`
    let image = this.images.get(key)
    if (!image && this.pixels) {
      image = new ImageData(this.pixels.subarray(0, w * h * 4), w, h)
      this.images.set(key, image)
    }
    if (!image) return
    this.image = image
    const dst = image.data
    const row = w * 4
    for (let y = a; y < b; y++) dst.set(src.subarray(y * row, (y + 1) * row), (h - 1 - y) * row)
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
