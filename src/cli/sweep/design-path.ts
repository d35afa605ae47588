// Design-file paths as the CLI and the validator spell them: `optimizer.budget`, `detector.panels[2].z`, `seed`.
import { UsageError } from '../args'

export type PathKey = string | number

export function parsePath(path: string): PathKey[] {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*|\[\d+\])*$/.test(path)) {
    throw new UsageError(`"${path}" is not a design-file path (like optimizer.budget or detector.panels[0].z)`)
  }
  return [...path.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])))
}

type Container = Record<string | number, unknown>

const isContainer = (v: unknown): v is Container => typeof v === 'object' && v !== null

/** set `path` in `obj` to `value`; the path must already exist (a typo is an error, not a new field) */
export function setAtPath(obj: unknown, path: string, value: unknown): void {
  const keys = parsePath(path)
  let cur: unknown = obj
  keys.forEach((k, i) => {
    const where = `${path}: ${i === 0 ? 'the design' : keys.slice(0, i).join('.')}`
    if (!isContainer(cur) || Array.isArray(cur) !== (typeof k === 'number') || !(k in cur)) {
      throw new UsageError(`${where} has no ${typeof k === 'number' ? `element [${k}]` : `field "${k}"`}`)
    }
    if (i === keys.length - 1) cur[k] = value
    else cur = cur[k]
  })
}
