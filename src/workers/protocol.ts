// Types shared by the engine worker and the main thread. Type-only imports from the engine: nothing here pulls
// tfjs into the UI bundle.
import type { DesignError } from '../engine/design/parse'
import type { Design } from '../engine/design/schema'
import type { CrashMode } from './heartbeat'
import type { LayerPatch, PanelPatch, SessionConfigPatch, Snapshot } from '../engine/session-types'
import type { LayerGradient, PanelGradient } from '../engine/explain-types'

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
}

export interface BackendInfo {
  /** the active tfjs backend */
  name: BackendName
  /** true when the URL forced it (?backend=NAME) */
  forced: boolean
  attempts: BackendAttempt[]
}

export interface InitOptions {
  /** force one backend; otherwise try webgpu → webgl → wasm → cpu */
  backend?: BackendName
  /** per-backend time-out for setBackend, ms */
  timeoutMs?: number
  /** in automatic mode, pass over software-emulated GPUs (SwiftShader), which are slower than wasm */
  skipSoftwareGpu?: boolean
}

/** The true passive volume as the 3D view and the slices need it (voxel index = ix + nx·(iy + ny·iz)). */
export interface VolumeView {
  origin: [number, number, number]
  size: [number, number, number]
  voxel: number
  nx: number
  ny: number
  nz: number
  /** true X0 per voxel, metres */
  x0: Float32Array
  palette: string[]
  material: Uint8Array
}

/** One optimisation step as the charts need it. */
export interface StepRecord {
  step: number
  total: number | null
  task: number | null
  cost: number | null
  /** the hard-panel validation metric when it was computed at this step */
  validation: number | null
  /** detector cost (currency) after the step */
  detectorCost: number
  /** panel parameters after the step, 5 per panel in design order: x, y, z, span_x, span_y */
  panels: number[]
}

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
  | { ok: true; generation: number; design: Design; volume: VolumeView | null }
  | { ok: false; errors: DesignError[] }

export interface StreamOptions {
  /** number of muon tracks to send (0 = none) */
  tracks: number
  /** send the predicted X0 map */
  x0: boolean
}

/** The worker's API, called through Comlink. */
export interface EngineApi {
  init(opts: InitOptions): Promise<BackendInfo>
  /** register the snapshot callback (a Comlink proxy) */
  subscribe(cb: (m: StreamMessage) => void): void
  /** parse + validate a design (JSON text or value); when valid, build a new session from it */
  load(input: string | object): Promise<LoadResult>
  start(): Promise<void>
  pause(): Promise<void>
  step(n?: number): Promise<void>
  /** rebuild the session from the start design (same seed: the same start) */
  reset(): Promise<LoadResult>
  setPanels(patch: PanelPatch[], seq: number): void
  /** calorimeter layer edits (a drag or the inspector); `seq` as for setPanels */
  setLayers(patch: LayerPatch[], seq: number): void
  setConfig(patch: SessionConfigPatch): Promise<void>
  setStream(opts: Partial<StreamOptions>): void
  exportDesign(which?: 'current' | 'best'): Promise<Design>
  /** the gradient of the loss of the current design on the next step's batch, without stepping */
  explain(): Promise<Record<string, PanelGradient | LayerGradient>>
  /** test hook (window.__dds.crashWorker): make the worker fail on purpose; see ./heartbeat.ts */
  debugCrash(mode: CrashMode): void
}
