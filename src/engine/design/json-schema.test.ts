// The shipped JSON Schema: up to date with the zod schema, accepted by an independent validator (Ajv), and it
// agrees with the studio's own validator on the presets and on broken designs.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { designJsonSchema, SCHEMA_FILE } from './json-schema'
import { parseDesignText } from './parse'

const PUBLIC = fileURLToPath(new URL('../../../public/', import.meta.url))
const shipped = JSON.parse(readFileSync(PUBLIC + SCHEMA_FILE, 'utf8'))
const presets = readdirSync(PUBLIC + 'presets').filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
const preset = (f: string) => JSON.parse(readFileSync(`${PUBLIC}presets/${f}`, 'utf8'))

const ajv = new Ajv2020({ allErrors: true })
ajv.addVocabulary(['unit', 'step']) // the UI's metadata on numbers
const check = ajv.compile(shipped)

describe('design.schema.json', () => {
  test('is what the zod schema generates now (run `npm run schema` after changing it)', () => {
    expect(shipped).toEqual(designJsonSchema())
  })

  test.each(presets)('preset %s is valid by the schema', (f) => {
    expect(check(preset(f)), JSON.stringify(check.errors)).toBe(true)
  })

  test('a "$schema" key is accepted by the schema and by the studio', () => {
    const d = { $schema: '../design.schema.json', ...preset('u-lorry.json') }
    expect(check(d)).toBe(true)
    const r = parseDesignText(JSON.stringify(d))
    expect(r.ok ? null : r.errors).toBeNull()
  })

  test('broken fields are rejected at the same paths as the studio reports', () => {
    const d = preset('lead-in-beryllium.json')
    d.detector.panels[2].span_x = -1
    d.volume.background = 'cheese'
    d.frobnicate = 1
    expect(check(d)).toBe(false)
    const paths = new Set(check.errors!.map((e) => `${e.instancePath}${e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : ''}`))
    for (const p of ['/detector/panels/2/span_x', '/volume/background', '/frobnicate']) expect(paths).toContain(p)
    const r = parseDesignText(JSON.stringify(d))
    expect(r.ok ? [] : r.errors.map((e) => e.path).sort()).toEqual(['detector.panels[2].span_x', 'frobnicate', 'volume.background'])
    const calo = preset('atlas-like-lar.json')
    calo.beam.energies = [0]
    expect(check(calo)).toBe(false)
    expect(parseDesignText(JSON.stringify(calo)).ok).toBe(false)
  })
})
