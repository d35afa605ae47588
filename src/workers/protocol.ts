// Types shared by the engine worker and the main thread. Type-only imports from the engine: nothing here pulls
// tfjs into the UI bundle.
import type { DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'
import type { CrashMode } from './heartbeat'
import type { LayerGradient, PanelGradient } from '../engine/explain-types'
import type { LossScan } from '../engine/scan'
import type { LayerPatch, PanelPatch, SessionConfigPatch, Snapshot, StepResult, VolumeView } from '../engine/session-types'

export type { VolumeView } from '../engine/session-types'

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu'
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu']

export function isBackendName(s: string | null | undefined): s is BackendName {
  return !!s && (BACKEND_ORDER as readonly string[]).includes(s)
}

export interface BackendAttempt {
  name: BackendName
  ok: boolean
  /** milliseconds spent on the attempt */
  ms: number
  /** why it failed or was passed over */
  note?: string
  /** automatic mode: the time of one calibration step (ms) and its loss (backend-choice.ts) */
  stepMs?: number
  loss?: number
}

export interface BackendInfo {
  /** the active tfjs backend */
  name: BackendName
  /** true when the URL forced it (?backend=NAME) */
  forced: boolean
  attempts: BackendAttempt[]
  /** CPU threads that run the per-muon and per-shower loops (1 when the page is not cross-origin isolated) */
  threads: number
}

export interface InitOptions {
  /** force one backend; otherwise try webgpu → webgl → wasm → cpu */
  backend?: BackendName
  /** per-backend time-out for setBackend, ms */
  timeoutMs?: number
  /** in automatic mode, pass over software-emulated GPUs (SwiftShader), which are slower than wasm */
  skipSoftwareGpu?: boolean
  /** the generation the worker counts on from (a restarted engine continues its predecessor's numbering) */
  generation?: number
  /** CPU threads for the per-muon and per-shower loops (?threads=N); default every core but the page's */
  threads?: number
  /** the page's frame gate (workers/frame-gate.ts): the loop holds between steps while the page draws a frame */
  frameGate?: SharedArrayBuffer
}

/** One optimisation step as the session reported it (the charts' and the history's record). */
export type StepRecord = Omit<StepResult, 'loss' | 'skipped'>

/** What the worker streams to the main thread, at most ~20 times per second. */
export interface StreamMessage {
  /** bumps on every load and reset; older messages are dropped */
  generation: number
  snapshot: Snapshot
  /** steps since the previous message, oldest first */
  records: StepRecord[]
  running: boolean
  stepsPerSecond: number
  /** highest setPanels sequence number applied before this snapshot was taken */
  appliedSeq: number
  /** a step error (the loop pauses) */
  error?: string
}

export type LoadResult =
  | { ok: true; generation: number; volume: VolumeView | null }
  | { ok: false; errors: DesignError[] }

export interface StreamOptions {
  /** number of muon tracks to send (0 = none) */
  tracks: number
  /** send the predicted X0 map */
  x0: boolean
}

/** per voxel (the volume's order): σ(X0)/X0 expected (Infinity: no detected muon crosses it) and the expected
 *  number of muons crossing it with hits on both sides */
export interface VoxelPrecision {
  x0RelError: Float32Array
  muons: Float32Array
  /** muons in the batch the figures come from */
  simulated: number
}

/** The worker's API, called through Comlink. */
export interface EngineApi {
  init(opts: InitOptions): Promise<BackendInfo>
  /** register the snapshot callback (a Comlink proxy) */
  subscribe(cb: (m: StreamMessage) => void): void
  /** build a new session from a design the main thread has validated (state/load.ts parses each design once) */
  load(design: Design): Promise<LoadResult>
  start(): Promise<void>
  pause(): Promise<void>
  step(n?: number): Promise<void>
  /** rebuild the session from the parameters the run started from, with the current settings (same seed: the
   *  same start) */
  reset(): Promise<LoadResult>
  setPanels(patch: PanelPatch[], seq: number): void
  /** calorimeter layer edits (a drag or the inspector); `seq` as for setPanels */
  setLayers(patch: LayerPatch[], seq: number): void
  setConfig(patch: SessionConfigPatch): Promise<void>
  setStream(opts: Partial<StreamOptions>): void
  exportDesign(which?: 'current' | 'best' | 'start'): Promise<Design>
  /** the gradient of the loss of the current design on the next step's batch, without stepping */
  explain(): Promise<Record<string, PanelGradient | LayerGradient>>
  /** the loss along one parameter around its current value (engine/scan.ts) */
  scan(parameter: string): Promise<LossScan>
  /** how well the current design measures each voxel (muography; null for a calorimeter): explain's per-voxel
   *  Cramér–Rao precision of X0 and the muons crossing it, from the next step's batch */
  measurement(): Promise<VoxelPrecision | null>
  /** the parameters a scan takes */
  scanParameters(): Promise<string[]>
  /** test hook (window.__dds.crashWorker): make the worker fail on purpose; see ./heartbeat.ts */
  debugCrash(mode: CrashMode): void
}
