// The design schema's fields as the inspector edits them: units, ranges and steps read through
// engine/design/field-info.ts.
import { defOf, fieldInfo, objectShape, type AnySchema, type FieldInfo } from '../engine/design/field-info'
import { muographyDesign } from '../engine/design/schema'

/** The muography schema pieces the inspector edits. */
const shape = muographyDesign.shape
const detectorShape = (shape.detector as unknown as { shape: Record<string, AnySchema> }).shape
const panelShape = (detectorShape.panels as unknown as { element: { shape: Record<string, AnySchema> } }).element.shape
const technologyShape = (detectorShape.technology as unknown as { shape: Record<string, AnySchema> }).shape

const innerObjectShape = (s: AnySchema): Record<string, AnySchema> => objectShape(s) ?? {}
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
