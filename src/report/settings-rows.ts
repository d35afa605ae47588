// A design's settings as table rows with their units, read from the design schema (the one source of units), so
// a new field shows up in the report without code here.
import { defOf, fieldInfo, objectShape, type AnySchema } from '../engine/design/field-info'

export interface SettingRow { name: string; value: string; unit: string }

/** the schema of a list's entries (arrays and tuples of numbers share one unit), or the schema itself */
function elementOf(s: AnySchema): AnySchema {
  const d = defOf(s)
  return d.element ?? d.items?.[0] ?? s
}

const show = (v: unknown): string => (v === null ? 'none' : Array.isArray(v) ? v.join(', ') : String(v))

/** every leaf of `value` under `schema` (an object schema), arrays of objects left out; names are dotted paths */
export function settingRows(schema: AnySchema, value: unknown, prefix = ''): SettingRow[] {
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
