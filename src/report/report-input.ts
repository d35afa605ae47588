// What a design report is made from, the same in the studio and the CLI, and the run's metrics at its start, its
// best step (lowest validation) and its end.
import type { Design } from '../engine/design/schema'
import type { LayerState, Snapshot, StepResult, VolumeView } from '../engine/session-types'

/** the run, a row per step (the studio's history, or the CLI's step records) */
export interface ReportHistory {
  step: number[]
  total: (number | null)[]
  task: (number | null)[]
  penalties: (number | null)[]
  validation: (number | null)[]
  detectorCost: number[]
}

export interface ReportInput {
  /** the design reported on: the best of the run by validation */
  design: Design
  /** the design the run started from, for the parameters' before and after */
  start: Design
  history: ReportHistory
  /** the validation metric of the start design, when it was measured (the CLI measures it before the first step) */
  startValidation?: number | null
  costUnit: string
  version: string
  generatedAt: string
  /** where the run was made: "studio (wasm)", "CLI (wasm)" */
  madeWith: string
  muography?: { volume: VolumeView; x0Pred: ArrayLike<number> | null }
  calorimeter?: { calo: NonNullable<Snapshot['calo']>; layers: LayerState[] }
  /** many starts of one design (issue "beyond one optimum"): each run's best, and the clusters of close optima */
  ensemble?: EnsembleSummary
  /** one optimisation per budget: best validation against detector cost */
  front?: FrontSummary
}

export interface EnsembleSummary {
  runs: { seed: number; best: { validation: number; step: number; cost: number } }[]
  clusters: { members: number[]; validation_median: number }[]
  /** the linking distance: RMS of the parameter differences, each as a fraction of its allowed range */
  distance: number
}

export interface FrontSummary {
  points: { budget: number; cost: number; validation: number; on_front: boolean }[]
}

export interface MetricRow {
  label: string
  step: number
  total: number | null
  task: number | null
  penalties: number | null
  validation: number | null
  detectorCost: number
}

export function historyOf(records: StepResult[]): ReportHistory {
  return {
    step: records.map((r) => r.step),
    total: records.map((r) => r.total),
    task: records.map((r) => r.task),
    penalties: records.map((r) => r.penalties),
    validation: records.map((r) => r.validation),
    detectorCost: records.map((r) => r.detectorCost.value),
  }
}

function row(h: ReportHistory, i: number, label: string): MetricRow {
  return { label, step: h.step[i], total: h.total[i], task: h.task[i], penalties: h.penalties[i], validation: h.validation[i], detectorCost: h.detectorCost[i] }
}

/** the first step, the best (lowest validation; the first of equals) and the last step; none for an empty run */
export function metricRows(h: ReportHistory): MetricRow[] {
  const n = h.step.length
  if (n === 0) return []
  let best = -1
  h.validation.forEach((v, i) => { if (v != null && Number.isFinite(v) && (best < 0 || v < (h.validation[best] as number))) best = i })
  return [row(h, 0, 'first step'), ...(best >= 0 ? [row(h, best, 'best')] : []), row(h, n - 1, 'last step')]
}
