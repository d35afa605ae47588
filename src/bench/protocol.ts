// Messages between the bench page (main.ts) and its worker (bench.worker.ts).
import type { ReadCounts } from '../engine/core/read-backs'
import type { KernelCheck } from '../engine/gpu/check'
import type { BackendName } from '../workers/protocol'

export interface BenchRequest {
  backends: BackendName[]
  /** muons per step of each muography scenario */
  muons: number[]
  /** each muography scenario with the x0 loss too (the benchmark design's is the Fisher loss) */
  x0Loss: boolean
  /** showers per step of the calorimeter scenario (0: none) */
  showers: number
  repeats: number
  /** on webgpu, check each GPU kernel against its CPU reference first */
  kernels: boolean
}

export interface BenchRow {
  backend: BackendName
  /** muography-x0: the muography scenario with the x0 loss */
  kind: 'muography' | 'muography-x0' | 'calorimeter'
  /** muons or showers per step */
  size: number
  step_ms: number
  /** muons/s or showers/s */
  per_s: number
  /** mean ms per step of each phase of the step */
  phases_ms: Record<string, number>
  /** the GPU kernels the scenario dispatched (its set-up, warm-up and timed steps), with their dispatches; none off
   *  webgpu */
  gpu_kernels: Record<string, number>
  /** read-backs per timed step, of tensors and of kernels' buffers, and the waits they make: how often the step
   *  waits for its device */
  reads_per_step: ReadCounts
  /** the GPU kernels' buffers made during the timed steps, by name: none where they persist across steps */
  gpu_buffers_made: Record<string, number>
}

export type BenchMessage =
  | { type: 'start'; threads: number; userAgent: string }
  | { type: 'backend'; backend: BackendName; ok: boolean; note?: string }
  | { type: 'row'; row: BenchRow }
  | { type: 'kernels'; backend: BackendName; checks: KernelCheck[] }
  | { type: 'error'; backend: BackendName; message: string }
  | { type: 'done' }
