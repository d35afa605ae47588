// Types shared by the background optimisation workers (ensembles, budget sweeps, design comparisons: see
// ./background.worker.ts) and the main thread. Type-only imports: nothing here pulls tfjs into the UI bundle.
import type { Design } from '../engine/design/schema'
import type { ParamSpace } from '../engine/ensemble/param-space'

export interface BackgroundJob {
  design: Design
  /** optimisation steps (0: evaluate the design as it is) */
  steps: number
  /** start from the design perturbed within its bounds (engine/ensemble/param-space.ts); absent: the design itself */
  perturb?: { spread: number; seed: number }
  /** the page's frame gate (workers/frame-gate.ts): the run holds between steps while the page draws a frame */
  frameGate?: SharedArrayBuffer
}

/** one optimisation step of a background run, as the trace charts need it */
export interface BackgroundStep {
  step: number
  loss: number | null
  validation: number | null
  /** the optimised parameters after the step (StepResult.parameters: per panel x, y, z, span_x, span_y; per
   *  layer absorber and active thickness) */
  parameters: number[]
}

export interface BackgroundResult {
  space: ParamSpace
  /** parameter vectors (paramVector order) of the start and of the best design */
  start: number[]
  final: number[]
  initialValidation: number
  best: { step: number; validation: number }
  /** detector cost of the best design */
  cost: number
  /** the best design of the run (by validation), with the run's settings */
  design: Design
  interrupted: boolean
}

export interface BackgroundApi {
  /** start the tensor backend (wasm: the GPU, if any, stays with the main run); returns its name */
  init(): Promise<string>
  /** run one job; `onSteps` gets the steps in batches (a Comlink proxy) */
  run(job: BackgroundJob, onSteps: (steps: BackgroundStep[]) => void): Promise<BackgroundResult>
  /** stop the job in flight between two steps (its result then says `interrupted`) */
  stop(): void
}
