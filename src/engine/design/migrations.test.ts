// The numbered-migration machinery, exercised with a made-up chain (only version 1 exists for real).
import { describe, expect, test } from 'vitest'
import { CURRENT_VERSION } from './common'
import { migrate, migrations, type MigrationTable } from './migrations'

// a pretend history: v1 → v2 renamed `seed` to `seeds.design`; v2 → v3 added `units.angle`
const table: MigrationTable = {
  1: ({ seed, ...rest }) => ({ ...rest, seeds: { design: seed } }),
  2: (d) => ({ ...d, units: { ...(d.units as object), angle: 'deg' } }),
}

describe('migrate', () => {
  test('a v1 file goes through every step, in order, to the current version', () => {
    const r = migrate({ version: 1, seed: 42, units: { length: 'm' } }, table, 3)
    expect(r).toEqual({ ok: true, value: { version: 3, seeds: { design: 42 }, units: { length: 'm', angle: 'deg' } } })
  })

  test('a file already at an intermediate version runs only the remaining steps', () => {
    const r = migrate({ version: 2, seeds: { design: 1 }, units: {} }, table, 3)
    expect(r).toEqual({ ok: true, value: { version: 3, seeds: { design: 1 }, units: { angle: 'deg' } } })
  })

  test('the input object is not modified', () => {
    const d = { version: 1, seed: 7, units: { length: 'm' } }
    migrate(d, table, 3)
    expect(d).toEqual({ version: 1, seed: 7, units: { length: 'm' } })
  })

  test('a gap in the chain, a step that throws, a version past the current one', () => {
    expect(migrate({ version: 1 }, { 2: table[2] }, 3)).toEqual({
      ok: false, errors: [{ path: 'version', message: 'no migration from version 1 to 2' }],
    })
    const broken: MigrationTable = { 1: () => { throw new Error('seed missing') } }
    expect(migrate({ version: 1 }, broken, 2)).toEqual({
      ok: false, errors: [{ path: 'version', message: 'could not migrate from version 1 to 2: seed missing' }],
    })
    expect(migrate({ version: 4 }, table, 3)).toEqual({
      ok: false, errors: [{ path: 'version', message: 'version 4 is newer than this app understands (3); update the studio' }],
    })
    // an inherited key is not a step
    expect(migrate({ version: 1 }, Object.create({ 1: table[1] }) as MigrationTable, 2).ok).toBe(false)
  })

  test('the real table: version 1 is current and passes through unchanged', () => {
    expect(CURRENT_VERSION).toBe(1)
    expect(Object.keys(migrations)).toEqual([])
    const d = { version: 1, name: 'x' }
    expect(migrate(d)).toEqual({ ok: true, value: d })
  })
})
