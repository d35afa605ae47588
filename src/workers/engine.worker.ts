// The engine worker: owns the tfjs backend and the optimisation session, runs the optimisation loop itself
// and streams snapshots to the main thread (at most ~20 per second, bulk arrays transferred). It only forwards:
// the session says what a step means and writes the design; designs arrive validated (the main thread parses each
// once). The main thread talks to it only through the typed API in ./protocol (Comlink); ./client.ts is the handle.
import { scanParameter, scanParameters } from '../engine/scan'
import * as Comlink from 'comlink'
import type { Design } from '../engine/design/schema'
import type { LayerPatch, PanelPatch, Session } from '../engine/session-types'
import { activeBackendObject, selectBackend } from './backend'
import { GPU_LOST_KEY, gpuFailure, watchGpuLoss, type GpuLost } from './gpu-loss'
import { startHeartbeat } from './heartbeat'
import { holdForFrame } from './frame-gate'
import { kernelThreadsFor, spawnKernelThreads } from './kernel-threads'
import { stepSolvesMap, X0_INTERVAL_MS } from './map-refresh'
import { createSession } from './engine-entry'
import type { MuographyExplanation } from '../engine/muography/session'
import type { BackendInfo, EngineApi, InitOptions, LoadResult, StepRecord, StreamMessage, StreamOptions, VoxelPrecision } from './protocol'

const EMIT_INTERVAL_MS = 50 // ≤ 20 snapshots per second
const TRACKS_INTERVAL_MS = 250

let backendReady: Promise<BackendInfo> | null = null
let backend: BackendInfo | null = null
let listener: ((m: StreamMessage) => void) | null = null

let session: Session | null = null
let generation = 0
let running = false
let loopActive = false
/** the page's frame gate, when it has one (workers/frame-gate.ts) */
let frameGate: Int32Array | null = null
/** stop automatically when the planned number of steps is reached (once per load/reset) */
let plannedStop: number | null = null

let pendingRecords: StepRecord[] = []
/** the step number of the latest step (0: none yet) */
let lastStep = 0
let lastEmit = 0
let lastX0 = -Infinity
let lastTracks = -Infinity
/** when the last step that solved the X0 map ended, and how long the last step took (map-refresh.ts) */
let lastMapSolved = -Infinity
let lastStepMs = 0
const stepTimes: number[] = []
let stream: StreamOptions = { tracks: 64, x0: true }

const pendingPanels = new Map<string, PanelPatch>()
/** calorimeter layer edits waiting for the step in flight (expanded layer index -> patch) */
const pendingLayers = new Map<number, LayerPatch>()
let revalidateQueued = false
let pendingSeq = 0
let appliedSeq = 0
let stepping = false

/** serialise everything that awaits inside the session (step, load, reset, export) */
let chain: Promise<unknown> = Promise.resolve()
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const p = chain.then(fn, fn)
  chain = p.catch(() => undefined)
  return p
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0))

function stepsPerSecond(): number {
  if (stepTimes.length < 2) return 0
  const dt = stepTimes[stepTimes.length - 1] - stepTimes[0]
  return dt > 0 ? ((stepTimes.length - 1) * 1000) / dt : 0
}

function applyPendingLayers(): void {
  if (!session?.setLayers || pendingLayers.size === 0) return
  const patch = [...pendingLayers.values()]
  pendingLayers.clear()
  try {
    session.setLayers(patch)
  } catch (e) {
    emit(true, `layer edit rejected: ${(e as Error).message ?? String(e)}`)
  }
  appliedSeq = pendingSeq
}

function applyPendingPanels(): void {
  applyPendingLayers()
  if (!session?.setPanels || pendingPanels.size === 0) return
  const patch = [...pendingPanels.values()]
  pendingPanels.clear()
  session.setPanels(patch)
  appliedSeq = pendingSeq
}

function copyF32(a: Float32Array): Float32Array {
  return new Float32Array(a)
}

function emit(force = false, error?: string): void {
  if (!session || !listener) return
  const now = performance.now()
  if (!force && now - lastEmit < EMIT_INTERVAL_MS) return
  lastEmit = now
  // a map not sent yet: solved since the last one went (steps that do not solve it keep the last)
  const wantX0 = stream.x0 && (force || (now - lastX0 >= X0_INTERVAL_MS && lastMapSolved > lastX0))
  const wantTracks = stream.tracks > 0 && (force || now - lastTracks >= TRACKS_INTERVAL_MS)
  const snap = session.snapshot({ tracks: wantTracks ? stream.tracks : 0, x0: wantX0 })
  const transfers: Transferable[] = []
  // copy before transferring: the session may keep its own arrays
  if (snap.x0Pred) { snap.x0Pred = copyF32(snap.x0Pred); transfers.push(snap.x0Pred.buffer); lastX0 = now }
  if (snap.tracks) {
    const t = snap.tracks
    snap.tracks = { entry: copyF32(t.entry), exit: copyF32(t.exit), entryDir: copyF32(t.entryDir), exitDir: copyF32(t.exitDir), poca: copyF32(t.poca) }
    for (const a of Object.values(snap.tracks)) transfers.push((a as Float32Array).buffer)
    lastTracks = now
  }
  if (snap.calo?.profile) { snap.calo.profile = copyF32(snap.calo.profile); transfers.push(snap.calo.profile.buffer) }
  if (snap.calo?.shower) { snap.calo.shower.fraction = copyF32(snap.calo.shower.fraction); transfers.push(snap.calo.shower.fraction.buffer) }
  const msg: StreamMessage = {
    generation, snapshot: snap, records: pendingRecords, running, stepsPerSecond: stepsPerSecond(), appliedSeq, error,
  }
  pendingRecords = []
  listener(Comlink.transfer(msg, transfers))
}

/** test hook: the next step throws (debugCrash('step')) */
let crashNextStep = false

async function doStep(): Promise<void> {
  if (!session) return
  spawnKernelThreads(backend?.threads ?? 1)
  stepping = true
  try {
    if (crashNextStep) { crashNextStep = false; throw new Error('simulated step failure (test hook)') }
    applyPendingPanels()
    const t0 = performance.now()
    const x0 = stream.x0 && stepSolvesMap(t0, lastMapSolved, lastStepMs)
    const { loss: _loss, skipped: _skipped, ...rec } = await session.step({ x0 })
    void _loss; void _skipped
    pendingRecords.push(rec)
    lastStep = rec.step
    const t1 = performance.now()
    lastStepMs = t1 - t0
    if (x0) lastMapSolved = t1
    stepTimes.push(t1)
    if (stepTimes.length > 12) stepTimes.shift()
  } finally {
    stepping = false
  }
  applyPendingPanels()
}

/** a step threw: a failing GPU is reported as a loss (the main thread moves the engine to wasm), anything else
 *  as a failed step (the main thread restarts the engine on the same backend) */
function stepFailed(e: unknown): void {
  const gpu = backend ? gpuFailure(backend.name, e) : null
  if (gpu && backend) postGpuLost(backend.name, gpu)
  else emit(true, `optimisation step failed: ${(e as Error)?.message ?? String(e)}`)
}

function postGpuLost(name: BackendInfo['name'], message: string): void {
  const m: GpuLost = { [GPU_LOST_KEY]: { backend: name, message } }
  ;(self as unknown as Worker).postMessage(m)
}

async function loop(): Promise<void> {
  if (loopActive) return
  loopActive = true
  const gen = generation
  try {
    while (running && session && gen === generation) {
      await exclusive(() => (running && gen === generation ? doStep() : Promise.resolve()))
      if (!running || gen !== generation) break
      if (plannedStop != null && lastStep >= plannedStop) {
        running = false
        plannedStop = null
      }
      emit(!running)
      holdForFrame(frameGate) // the page draws a frame now: leave it the CPU
      await nextTask() // let setPanels / pause / setConfig messages in
    }
  } catch (e) {
    running = false
    stepFailed(e)
  } finally {
    loopActive = false
    if (running && session) void loop() // Play pressed again while this loop was winding down
  }
}

/**
 * Stop the loop. Called inside exclusive(): no step is in flight, and a step the loop has already queued sees
 * `running` false (or a new generation) and does nothing.
 */
function stopLoop(): void {
  running = false
}

/** a new session from a validated design (the session keeps its own copy) */
async function build(design: Design): Promise<LoadResult> {
  stopLoop()
  await (backendReady ?? api.init({})) // the session uses the active tfjs backend
  let next: Session
  try {
    next = await createSession(design)
  } catch (e) {
    return { ok: false, errors: [{ path: '', message: `the engine could not build this design: ${(e as Error)?.message ?? String(e)}` }] }
  }
  session?.dispose()
  session = next
  generation++
  pendingRecords = []
  lastStep = 0
  stepTimes.length = 0
  lastMapSolved = -Infinity
  lastStepMs = 0
  pendingPanels.clear()
  pendingLayers.clear()
  appliedSeq = pendingSeq
  plannedStop = design.optimizer.steps
  lastEmit = 0
  const volume = next.view()
  emit(true)
  const result: LoadResult = { ok: true, generation, volume }
  return volume ? Comlink.transfer(result, [volume.x0.buffer, volume.material.buffer]) : result
}

const api: EngineApi = {
  init(opts: InitOptions) {
    if (opts.generation != null && !session) generation = opts.generation
    if (opts.frameGate) frameGate = new Int32Array(opts.frameGate)
    if (!backendReady) {
      // The kernel threads start with the first optimisation step (doStep): started here, their start-up and the
      // design's first evaluation on them took the page's second core while it loads (the calorimeter's load
      // blocked the main thread 215 ms instead of 165). The calibration and the load run on this worker alone.
      const threads = kernelThreadsFor(opts.threads)
      backendReady = selectBackend(opts).then((b) => {
        watchGpuLoss(b.name, activeBackendObject(), (m) => postGpuLost(m[GPU_LOST_KEY].backend, m[GPU_LOST_KEY].message), self)
        return (backend = { ...b, threads })
      })
    }
    return backendReady
  },

  subscribe(cb) {
    listener = cb
  },

  async load(design) {
    return exclusive(() => build(design))
  },

  async start() {
    if (!session || running) return
    running = true
    void loop()
  },

  async pause() {
    running = false
    while (loopActive) await nextTask()
    emit(true)
  },

  async step(n = 1) {
    if (!session) return
    if (running) return
    try {
      for (let i = 0; i < n; i++) {
        await exclusive(doStep)
        await nextTask() // the heartbeat and other messages between steps
      }
    } catch (e) {
      stepFailed(e)
      return
    }
    emit(true)
  },

  async reset() {
    return exclusive(async () => {
      if (!session) return { ok: false, errors: [{ path: '', message: 'no design loaded' }] }
      // the start parameters with every setting changed since: the session writes both
      const d = session.exportDesign('start')
      delete d.results
      return build(d)
    })
  },

  setPanels(patch, seq) {
    for (const q of patch) pendingPanels.set(q.id, { ...pendingPanels.get(q.id), ...q })
    pendingSeq = Math.max(pendingSeq, seq)
    if (!stepping) {
      applyPendingPanels()
      if (!running) emit(true)
    }
  },

  setLayers(patch, seq) {
    for (const q of patch) pendingLayers.set(q.index, { ...pendingLayers.get(q.index), ...q })
    pendingSeq = Math.max(pendingSeq, seq)
    if (stepping || running) return // applied before the next step
    applyPendingLayers()
    emit(true)
    // paused: re-evaluate the edited stack on the validation set (coalesced while a drag streams edits)
    if (revalidateQueued) return
    revalidateQueued = true
    void exclusive(async () => {
      revalidateQueued = false
      if (!session || running) return
      applyPendingLayers()
      await session.validate()
      emit(true)
    })
  },

  async setConfig(patch) {
    if (!session) return
    session.setConfig(patch)
    if (!running) emit(true)
  },

  setStream(opts) {
    stream = { ...stream, ...opts }
    if (!running && session) emit(true)
  },

  async explain() {
    return exclusive(async () => {
      if (!session) throw new Error('no design loaded')
      applyPendingPanels()
      return (await session.explain()).gradient
    })
  },

  async scan(parameter) {
    return exclusive(async () => {
      if (!session) throw new Error('no design loaded')
      applyPendingPanels()
      return scanParameter(session, parameter)
    })
  },

  async measurement() {
    return exclusive(async () => {
      if (!session) throw new Error('no design loaded')
      applyPendingPanels()
      const v = ((await session.explain()) as Partial<MuographyExplanation>).voxels
      if (!v) return null
      const out: VoxelPrecision = { x0RelError: Float32Array.from(v.x0RelError), muons: Float32Array.from(v.muons), simulated: v.simulated }
      return Comlink.transfer(out, [out.x0RelError.buffer, out.muons.buffer])
    })
  },

  async scanParameters() {
    return exclusive(async () => (session ? scanParameters(session) : []))
  },

  async exportDesign(which = 'current') {
    return exclusive(async () => {
      if (!session) throw new Error('no design loaded')
      return session.exportDesign(which)
    })
  },

  debugCrash(mode) {
    if (mode === 'step') crashNextStep = true
    else if (mode === 'throw') setTimeout(() => { throw new Error('simulated engine crash (test hook)') }, 0)
    else if (mode === 'hang') setTimeout(() => { for (;;) { /* simulated hang (test hook) */ } }, 0)
    else if (mode === 'exit') setTimeout(() => self.close(), 0)
    else if (mode === 'gpu') postGpuLost(backend?.name ?? 'wasm', 'simulated GPU device loss (test hook)')
    else if (mode === 'nan' && session) {
      // every later snapshot reports every step as skipped (non-finite): exercises the UI's guard
      const s = session
      const orig = s.snapshot.bind(s)
      s.snapshot = (o) => { const snap = orig(o); snap.nanSteps = snap.step; return snap }
    }
  },
}

Comlink.expose(api)
startHeartbeat((m) => (self as unknown as Worker).postMessage(m))
