// Read units, ranges and steps from the design schema (the single source of truth): zod 4 `.meta()` and
// `minValue`/`maxValue`, looking through .default(), .nullable(), .optional() and unions with literals. The
// inspector (state/schema-meta.ts), the design report and the CLI read fields through here.
import type { z } from 'zod'

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

export type AnySchema = z.ZodType

interface Def {
  type: string; innerType?: AnySchema; options?: AnySchema[]; values?: unknown[]; element?: AnySchema; items?: AnySchema[]
  checks?: { _zod: { def: { check: string; format?: string } } }[]
}
export const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def

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

/** the object schema under defaults, optionals and nullables, or null for a leaf */
export function objectShape(s: AnySchema): Record<string, AnySchema> | null {
  let cur = s
  for (let i = 0; i < 5; i++) {
    const d = defOf(cur)
    if (d.type === 'object') return (cur as unknown as { shape: Record<string, AnySchema> }).shape
    if (!d.innerType) return null
    cur = d.innerType
  }
  return null
}
