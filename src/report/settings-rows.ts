// A design's settings as table rows with their units, read from the design schema (the one source of units), so
// a new field shows up in the report without code here.
import type { z } from 'zod'
import { fieldInfo } from '../state/schema-meta'

export interface SettingRow { name: string; value: string; unit: string }

interface Def { type: string; innerType?: z.ZodType; element?: z.ZodType; items?: z.ZodType[] }
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def

/** the object schema under defaults, optionals and nullables, or null for a leaf */
function objectShape(s: z.ZodType): Record<string, z.ZodType> | null {
  let cur = s
  for (let i = 0; i < 5; i++) {
    const d = defOf(cur)
    if (d.type === 'object') return (cur as unknown as { shape: Record<string, z.ZodType> }).shape
    if (!d.innerType) return null
    cur = d.innerType
  }
  return null
}

/** the schema of a list's entries (arrays and tuples of numbers share one unit), or the schema itself */
function elementOf(s: z.ZodType): z.ZodType {
  const d = defOf(s)
  return d.element ?? d.items?.[0] ?? s
}

const show = (v: unknown): string => (v === null ? 'none' : Array.isArray(v) ? v.join(', ') : String(v))

/** every leaf of `value` under `schema` (an object schema), arrays of objects left out; names are dotted paths */
export function settingRows(schema: z.ZodType, value: unknown, prefix = ''): SettingRow[] {
  const shape = objectShape(schema)
  if (!shape || value == null || typeof value !== 'object') return []
  const out: SettingRow[] = []
  for (const [key, sub] of Object.entries(shape)) {
    const v = (value as Record<string, unknown>)[key]
    if (v === undefined) continue
    const name = prefix ? `${prefix}.${key}` : key
    if (objectShape(sub)) { out.push(...settingRows(sub, v, name)); continue }
    if (Array.isArray(v) && v.some((e) => typeof e === 'object')) continue
    out.push({ name, value: show(v), unit: typeof v === 'number' || Array.isArray(v) ? fieldInfo(elementOf(sub)).unit : '' })
  }
  return out
}
