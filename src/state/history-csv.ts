// The run history as a table: one row per step with every loss part, the validation, the detector cost and the
// optimised parameters, for a spreadsheet or a plotting script. Columns are named after the design.
import type { Design } from '../engine/design/schema'
import { PANEL_FIELDS } from './schema-meta'
import type { History } from './store'

/** the names of a step record's parameters, in the sessions' order (engine/session-types.ts StepResult) */
export function parameterColumns(design: Design, count: number): string[] {
  if (design.kind === 'muography') return design.detector.panels.flatMap((p) => PANEL_FIELDS.map((k) => `${p.id}.${k}_m`))
  // the calorimeter records absorber and active thickness per layer of the expanded stack
  return Array.from({ length: count / 2 }, (_, i) => [`layer${i}.absorber_thickness_m`, `layer${i}.active_thickness_m`]).flat()
}

const cell = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '' : String(v))
const safe = (unit: string) => unit.replace(/[^\w]+/g, '_')

export function historyCsv(h: History, design: Design, costUnit: string): string {
  const width = h.panels[0]?.length ?? 0
  const params = parameterColumns(design, width)
  if (params.length !== width) throw new Error(`the history has ${width} parameters per step, the design ${params.length}`)
  const header = ['step', 'loss_total', 'loss_task', 'loss_penalties', 'validation', `detector_cost_${safe(costUnit)}`, ...params]
  const rows = h.step.map((s, i) => [String(s), cell(h.total[i]), cell(h.task[i]), cell(h.cost[i]), cell(h.validation[i]), cell(h.detectorCost[i]), ...(h.panels[i] ?? []).map(cell)].join(','))
  return [header.join(','), ...rows].join('\n') + '\n'
}
