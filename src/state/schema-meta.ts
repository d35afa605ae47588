// Read units, ranges and steps from the design schema (the single source of truth): zod 4 `.meta()` and
// `minValue`/`maxValue`, looking through .default(), .nullable(), .optional() and unions with literals.
import type { z } from 'zod'
import { muographyDesign } from '../engine/design/schema'

export interface FieldInfo {
  min: number
  max: number
  step: number
  unit: string
  description?: string
  nullable: boolean
  /** integer-only field */
  int: boolean
  /** extra literal choices besides a number (e.g. 'auto') */
  literals: string[]
}

type AnySchema = z.ZodType

interface Def { type: string; innerType?: AnySchema; options?: AnySchema[]; values?: unknown[]; checks?: { _zod: { def: { check: string; format?: string } } }[] }
const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def

export function fieldInfo(schema: AnySchema): FieldInfo {
  let s: AnySchema = schema
  let nullable = false
  const literals: string[] = []
  const metas: Record<string, unknown>[] = []
  for (let guard = 0; guard < 10; guard++) {
    const m = (s as unknown as { meta?: () => Record<string, unknown> | undefined }).meta?.()
    if (m) metas.push(m)
    const d = defOf(s)
    if ((d.type === 'default' || d.type === 'optional' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) {
      if (d.type === 'nullable') nullable = true
      s = d.innerType
      continue
    }
    if (d.type === 'union' && d.options) {
      const num = d.options.find((o) => defOf(o).type === 'number')
      for (const o of d.options) {
        const od = defOf(o)
        if (od.type === 'literal') for (const v of od.values ?? []) literals.push(String(v))
      }
      if (!num) break
      s = num
      continue
    }
    break
  }
  const n = s as unknown as { minValue?: number | null; maxValue?: number | null; meta(): Record<string, unknown> | undefined; isInt?: boolean }
  const meta: Record<string, unknown> = Object.assign({}, ...metas.reverse())
  const int = !!n.isInt || (defOf(s).checks ?? []).some((c) => c._zod.def.format === 'safeint' || c._zod.def.format === 'int32')
  return {
    min: Number.isFinite(n.minValue ?? NaN) ? (n.minValue as number) : -Infinity,
    max: Number.isFinite(n.maxValue ?? NaN) ? (n.maxValue as number) : Infinity,
    step: typeof meta.step === 'number' ? meta.step : int ? 1 : 0.01,
    unit: typeof meta.unit === 'string' ? meta.unit : '',
    description: typeof meta.description === 'string' ? meta.description : undefined,
    nullable,
    int,
    literals,
  }
}

/** The muography schema pieces the inspector edits. */
const shape = muographyDesign.shape
const detectorShape = (shape.detector as unknown as { shape: Record<string, AnySchema> }).shape
const panelShape = (detectorShape.panels as unknown as { element: { shape: Record<string, AnySchema> } }).element.shape
const technologyShape = (detectorShape.technology as unknown as { shape: Record<string, AnySchema> }).shape

function innerObjectShape(s: AnySchema): Record<string, AnySchema> {
  let cur: AnySchema = s
  for (let i = 0; i < 5; i++) {
    const d = defOf(cur)
    if (d.innerType) { cur = d.innerType; continue }
    break
  }
  return (cur as unknown as { shape: Record<string, AnySchema> }).shape
}
const optimizerShape = innerObjectShape(shape.optimizer as AnySchema)

export type PanelField = 'x' | 'y' | 'z' | 'span_x' | 'span_y'
export const PANEL_FIELDS: PanelField[] = ['x', 'y', 'z', 'span_x', 'span_y']

export const panelFieldInfo = Object.fromEntries(PANEL_FIELDS.map((k) => [k, fieldInfo(panelShape[k])])) as Record<PanelField, FieldInfo>

export type TechnologyField = 'resolution' | 'efficiency' | 'cost_per_m2'
export const technologyFieldInfo = {
  resolution: fieldInfo(technologyShape.resolution),
  efficiency: fieldInfo(technologyShape.efficiency),
  cost_per_m2: fieldInfo(technologyShape.cost_per_m2),
} satisfies Record<TechnologyField, FieldInfo>

const lrShape = innerObjectShape(optimizerShape.learning_rates)
const smoothShape = innerObjectShape(optimizerShape.smoothness)
export const optimizerFieldInfo = {
  lr_xy: fieldInfo(lrShape.xy),
  lr_z: fieldInfo(lrShape.z),
  lr_span: fieldInfo(lrShape.span),
  muons_per_step: fieldInfo(optimizerShape.muons_per_step),
  cost_weight: fieldInfo(optimizerShape.cost_weight),
  budget: fieldInfo(optimizerShape.budget),
  smoothness_start: fieldInfo(smoothShape.start),
  smoothness_end: fieldInfo(smoothShape.end),
  steps: fieldInfo(optimizerShape.steps),
  seed: fieldInfo(shape.seed as AnySchema),
}

/** enum choices of the loss kind */
export const lossKinds: string[] = (() => {
  const d = defOf(optimizerShape.loss)
  const inner = d.innerType ?? optimizerShape.loss
  const entries = (inner as unknown as { options?: string[] }).options
  return entries ?? ['x0', 'fisher']
})()

/** the human label of a field: "span_x" + "m" -> "span x (m)" */
export function fieldLabel(key: string, unit: string): string {
  const name = key.replace(/_/g, ' ')
  return unit ? `${name} (${unit})` : name
}
