// Numbered migrations: migrations[n] turns a version-n file into version n+1. Only version 1 exists so far;
// a version-2 schema adds its step here (migrations[1]) and bumps CURRENT_VERSION. Every version check lives in
// migrate(): not an integer, newer than the app, no step to get from the file's version to the current one.
import { CURRENT_VERSION } from './common'
import { describeValue } from './json-guard'
import type { DesignError } from './parse'

export type Migration = (d: Record<string, unknown>) => Record<string, unknown>
export type MigrationTable = Readonly<Record<number, Migration>>
export const migrations: MigrationTable = {}

export type MigrateResult = { ok: true; value: Record<string, unknown> } | { ok: false; errors: DesignError[] }

/**
 * Bring a parsed file up to `current`, one numbered step at a time. `table` and `current` are parameters so a test
 * can run a chain that does not exist yet; the app always uses the defaults.
 */
export function migrate(d: Record<string, unknown>, table: MigrationTable = migrations, current: number = CURRENT_VERSION): MigrateResult {
  const v0 = d.version
  if (typeof v0 !== 'number' || !Number.isInteger(v0) || v0 < 1) {
    return { ok: false, errors: [{ path: 'version', message: `expected an integer version ≥ 1, got ${describeValue(v0)}` }] }
  }
  if (v0 > current) {
    return {
      ok: false,
      errors: [{ path: 'version', message: `version ${v0} is newer than this app understands (${current}); update the studio` }],
    }
  }
  let cur = d
  for (let v = v0; v < current; v++) {
    const step = Object.prototype.hasOwnProperty.call(table, v) ? table[v] : undefined
    if (!step) return { ok: false, errors: [{ path: 'version', message: `no migration from version ${v} to ${v + 1}` }] }
    try {
      // the step owns the shape; the version number is migrate()'s
      cur = { ...step(cur), version: v + 1 }
    } catch (e) {
      return {
        ok: false,
        errors: [{ path: 'version', message: `could not migrate from version ${v} to ${v + 1}: ${e instanceof Error ? e.message : String(e)}` }],
      }
    }
  }
  return { ok: true, value: cur }
}
