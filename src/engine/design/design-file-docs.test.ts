// The defaults that docs/design-file.md lists for a muography design are the ones the schema fills in.
import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { uniformDesign } from '../muography/test-designs'

const DOC = readFileSync(new URL('../../../docs/design-file.md', import.meta.url), 'utf8')

/** the rows `| \`field\` | … | default | … |` of the table under the heading that starts with `heading` */
function defaultsTable(heading: string, column: number): Map<string, string> {
  const start = DOC.indexOf(`\n### ${heading}`)
  expect(start, heading).toBeGreaterThan(0)
  const rows = new Map<string, string>()
  for (const line of DOC.slice(start).split('\n').slice(2)) {
    if (line.startsWith('#')) break
    const cells = line.split('|').map((c) => c.trim())
    const field = /^`([\w.]+)`$/.exec(cells[1] ?? '')
    if (field) rows.set(field[1], cells[column])
  }
  return rows
}

/** a documented default as a value: `"x"` → 'x', `true`, `null`, 20 000 → 20000 */
function value(cell: string): unknown {
  const s = cell.replace(/`/g, '')
  if (s.startsWith('"')) return JSON.parse(s)
  if (s === 'true' || s === 'false' || s === 'null') return JSON.parse(s)
  return Number(s.replace(/ /g, ''))
}

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o)

describe('docs/design-file.md (muography)', () => {
  // a design that sets none of the documented defaults itself (uniformDesign sets θmax 70° and "known", the defaults)
  const design = uniformDesign('iron')

  for (const [heading, key] of [['`simulation`', 'simulation'], ['`optimizer`: gradient descent on the panels', 'optimizer']] as const) {
    test(`the ${key} table's defaults are the schema's`, () => {
      const rows = defaultsTable(heading, 4)
      expect(rows.size).toBeGreaterThan(5)
      for (const [field, cell] of rows) expect(at(design[key], field), `${key}.${field}`).toEqual(value(cell))
    })
  }

  test('the technology table states the defaults of the fields that have one', () => {
    const rows = defaultsTable('`detector`', 3)
    for (const field of ['thickness_x0', 'momentum_resolution'] as const) {
      const m = /default ([\d.]+)/.exec(rows.get(field) ?? '')
      expect(m, field).not.toBeNull()
      expect(design.detector.technology[field], field).toBe(Number(m![1]))
    }
  })
})
