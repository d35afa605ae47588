// Pieces shared by both kinds of design file. Ranges and units live here and nowhere else: the inspector,
// the CLI and the importer read them from these schemas (see ./field-info.ts).
import { z } from 'zod'
import { MATERIAL_NAMES } from '../core/materials'
import { describeValue } from './json-guard'

// No code generation: the built app's Content-Security-Policy has no 'unsafe-eval' (scripts/csp-plugin.ts), and
// without this zod probes `new Function` on first use, which the browser reports as a CSP violation.
z.config({ jitless: true })

export const FORMAT = 'detector-design-studio'
export const CURRENT_VERSION = 1

export const materialName = z.enum(MATERIAL_NAMES, {
  error: (iss) => `unknown material ${describeValue(iss.input)} (known: ${MATERIAL_NAMES.join(', ')})`,
})

/** a finite number with a unit and a range, described for the UI */
export const num = (min: number, max: number, unit: string, step: number, description?: string) =>
  z.number().min(min).max(max).meta({ unit, step, description })

export const vec3 = (min: number, max: number, unit: string) =>
  z.tuple([num(min, max, unit, 0.01), num(min, max, unit, 0.01), num(min, max, unit, 0.01)])

export const units = z.strictObject({ length: z.literal('m'), energy: z.literal('GeV') })

export const historyPoint = z.strictObject({
  step: z.number().int().min(0),
  loss: z.number().nullable(),
  task: z.number().nullable().optional(),
  cost: z.number().nullable().optional(),
  validation: z.number().nullable().optional(),
})

/** shown by the importer, never trusted as input to a run */
export const results = z.strictObject({
  steps: z.number().int().min(0).optional(),
  best_step: z.number().int().min(0).nullable().optional(),
  best_validation: z.number().nullable().optional(),
  final_loss: z.number().nullable().optional(),
  backend: z.string().max(32).optional(),
  exported_at: z.string().max(64).optional(),
  loss_history: z.array(historyPoint).max(100_000).optional(),
  metrics: z.record(z.string().max(64), z.number().nullable()).optional(),
})

export const header = {
  /** where an editor finds the JSON Schema of this file (design.schema.json); the studio ignores it */
  $schema: z.string().max(2048).optional(),
  format: z.literal(FORMAT),
  version: z.literal(CURRENT_VERSION),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  units,
  results: results.optional(),
}
