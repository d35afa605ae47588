// Numbered migrations: migrations[n] turns a version-n file into version n+1. Only version 1 exists so far;
// a version-2 schema adds its step here and bumps CURRENT_VERSION.
import { CURRENT_VERSION } from './common'
import type { DesignError } from './parse'

type Migration = (d: Record<string, unknown>) => Record<string, unknown>
export const migrations: Record<number, Migration> = {}

export function migrate(d: Record<string, unknown>):
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; errors: DesignError[] } {
  let v = d.version
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return { ok: false, errors: [{ path: 'version', message: `expected an integer version ≥ 1, got ${JSON.stringify(v) ?? 'nothing'}` }] }
  }
  let cur = d
  while (v < CURRENT_VERSION) {
    const step = migrations[v]
    if (!step) return { ok: false, errors: [{ path: 'version', message: `no migration from version ${v}` }] }
    cur = step(cur)
    v += 1
  }
  return { ok: true, value: cur }
}
