// The shape of an optimisation session as the worker and the CLI drive it, and of the snapshots it emits.
// No tfjs here: the UI imports these types.
import type { Design } from './design/schema'
import type { Explanation, LayerGradient, PanelGradient } from './explain-types'

export interface PanelState {
  id: string
  stack: 'above' | 'below'
  x: number
  y: number
  z: number
  span_x: number
  span_y: number
}

export interface LayerState {
  index: number
  absorber: string
  absorber_thickness: number
  active: string
  active_thickness: number
}

/** loss and its named parts (task, cost, budget, depth, ...) for one step */
export interface LossParts {
  total: number
  parts: Record<string, number>
}

export interface TrackSample {
  /** k muons × 3 floats each: entry point, exit point, PoCA (NaN when undefined) */
  entry: Float32Array
  exit: Float32Array
  entryDir: Float32Array
  exitDir: Float32Array
  poca: Float32Array
}

export interface Snapshot {
  kind: Design['kind']
  step: number
  loss: LossParts | null
  /** metric on the fixed, seeded validation set with physical (hard-edged) panels; lower is better */
  validation: number | null
  best: { step: number; validation: number } | null
  /** steps skipped because the loss or a gradient was not finite */
  nanSteps: number
  /** last update was clamped by the per-step limit */
  clamped: boolean
  cost: number
  budget: number | null
  /** ∂loss/∂parameter of the last step, per panel id or layer group (absent before the first step) */
  gradient?: Record<string, PanelGradient | LayerGradient>
  /** muography */
  panels?: PanelState[]
  /** per voxel predicted X0 in metres (same order as the volume) */
  x0Pred?: Float32Array
  tracks?: TrackSample
  /** calorimeter */
  layers?: LayerState[]
  calo?: {
    /** per beam energy: E (GeV), mean response, σ/E of the Gaussian core, the full RMS/E, and the core's σ/E after
     *  the rear-leakage correction (calorimeter/leakage-correction.ts; null for a homogeneous stack) */
    points: { energy_gev: number; mean_response: number; sigma_over_e: number; rms_over_e: number; sigma_over_e_leakage_corrected?: number | null }[]
    fit: { stochastic: number; noise: number; constant: number } | null
    /** the fit of the leakage-corrected σ/E */
    fit_leakage_corrected?: { stochastic: number; noise: number; constant: number } | null
    depth_m: number
    depth_x0: number
    /** mean deposited fraction per layer for the display */
    profile: Float32Array
    /** one shower of the highest beam energy: its deposited fraction per layer (the display's overlay) */
    shower?: { energy_gev: number; fraction: Float32Array }
    /** minimum-ionising sampling fraction of the whole stack, and per layer */
    sampling_fraction?: number
    layer_sampling_fraction?: Float32Array
    /** per beam energy (same order as points): mean longitudinal leakage out of the back, and the mean
     *  contained fraction after lateral and longitudinal losses */
    leakage?: number[]
    containment?: number[]
    /** constraints.max_depth in metres (null: none) */
    max_depth?: number | null
  }
}

export type PanelPatch = { id: string } & Partial<Omit<PanelState, 'id' | 'stack'>>
export type LayerPatch = { index: number } & Partial<Omit<LayerState, 'index'>>

export interface SessionConfigPatch {
  learning_rates?: Partial<{ xy: number; z: number; span: number }>
  learning_rate?: number
  muons_per_step?: number
  showers_per_step?: number
  cost_weight?: number | 'auto'
  budget?: number | null
  loss?: string
  smoothness?: number
  seed?: number
}

/** an amount with its unit, e.g. a detector cost of 1200 "cost" (the design's price unit) */
export interface Amount {
  value: number
  unit: string
}

/** One step, the same for every kind: what the charts, the history and the export need. */
export interface StepResult {
  step: number
  /** the training loss; null when it was not finite */
  total: number | null
  /** the physics term the detector is optimised for (X0 error, resolution + linearity) */
  task: number | null
  /** what the loss adds to the task: weighted cost, budget and depth terms (total − task) */
  penalties: number | null
  loss: LossParts | null
  skipped: boolean
  /** the validation metric when it was computed at this step */
  validation: number | null
  /** the detector's cost after the step */
  detectorCost: Amount
  /** the optimised parameters after the step, flat, in the kind's order (muography: x, y, z, span_x, span_y per
   *  panel; calorimeter: absorber and active thickness per layer) */
  parameters: number[]
}

/** a finite number or null */
const finiteOr = (v: number | null | undefined): number | null => (v != null && Number.isFinite(v) ? v : null)

/** the kind-neutral step record from a step's loss (its `task` part names the physics term) */
export function stepResult(
  r: { step: number; loss: LossParts | null; skipped: boolean; validation: number | null; detectorCost: Amount; parameters: number[] },
): StepResult {
  const total = finiteOr(r.loss?.total)
  const task = finiteOr(r.loss?.parts.task)
  return { ...r, total, task, penalties: total != null && task != null ? total - task : null, validation: finiteOr(r.validation) }
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

/** What a host asks of a step besides the step itself. */
export interface StepOptions {
  /**
   * Solve the predicted X0 map (the snapshot's x0Pred) on this step's batch; default true. With muography's Fisher
   * loss the step does not need the map (its EM solve is about a third of the step), so a host that shows the map
   * less often than it steps, or not at all, asks for it only on the steps it shows. The x0 loss solves it anyway.
   */
  x0?: boolean
}

/** What every kind of session offers (muography: session.ts; calorimeter: calorimeter/session.ts). */
export interface Session {
  readonly kind: Design['kind']
  step(opts?: StepOptions): Promise<StepResult>
  /** solve the predicted X0 map on the last step's batch when that step did not (StepOptions.x0; muography) */
  solveMap?(): Promise<void>
  /** the loss of the current design on the next step's batch and its gradient, without stepping */
  explain(): Promise<Explanation<PanelGradient | LayerGradient>>
  /** run the hard-panel validation now */
  validate(): Promise<number>
  setPanels?(patch: PanelPatch[]): void
  setLayers?(patch: LayerPatch[]): void
  setConfig(patch: SessionConfigPatch): void
  snapshot(opts?: { tracks?: number; x0?: boolean }): Snapshot
  /** the design with every setting the session holds and the current parameters (or the best by validation, or
   *  those it started from: the first step's, edits before it included) as a v1 design file with a results block */
  exportDesign(which?: 'current' | 'best' | 'start'): Design
  /** what the view shows that is not in the snapshots: the true voxel volume (muography), or null */
  view(): VolumeView | null
  dispose(): void
}
