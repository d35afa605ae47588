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
    /** per beam energy: E (GeV), mean response, σ/E */
    points: { energy_gev: number; mean_response: number; sigma_over_e: number }[]
    fit: { stochastic: number; noise: number; constant: number } | null
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

export interface StepResult {
  step: number
  loss: LossParts | null
  skipped: boolean
  validation: number | null
}

/** What every kind of session offers (muography: session.ts; calorimeter: calorimeter/session.ts). */
export interface Session {
  readonly kind: Design['kind']
  step(): Promise<StepResult>
  /** the loss of the current design on the next step's batch and its gradient, without stepping */
  explain(): Explanation<PanelGradient | LayerGradient>
  /** run the hard-panel validation now */
  validate(): Promise<number>
  setPanels?(patch: PanelPatch[]): void
  setLayers?(patch: LayerPatch[]): void
  setConfig(patch: SessionConfigPatch): void
  snapshot(opts?: { tracks?: number; x0?: boolean }): Snapshot
  /** the current design (or the best one by validation) as a v1 design file, with a results block */
  exportDesign(which?: 'current' | 'best'): Design
  dispose(): void
}
