// Import hardening: every kind of bad file the importer rejects, with the path and the gist of the message the
// user sees (docs/design-file.md, "What the importer rejects", lists the same cases). None of them throws.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import {
  designTooLarge, FORBIDDEN_KEYS, importDesignBytes, importDesignFile, importDesignText, MAX_ARRAY_LENGTH, MAX_DEPTH, MAX_DESIGN_BYTES,
  type DesignError, type ParseResult,
} from './import'
import { checkJsonValue } from './json-guard'
import { parseDesign } from './parse'

const PRESET_DIR = fileURLToPath(new URL('../../../public/presets/', import.meta.url))
const text = (name: string) => readFileSync(`${PRESET_DIR}${name}.json`, 'utf8')
const lib = () => JSON.parse(text('lead-in-beryllium')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const calo = () => JSON.parse(text('atlas-like-lar')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function errorsOf(r: ParseResult): DesignError[] {
  return r.ok ? [] : r.errors
}

/** the single error of a rejected import */
function only(r: ParseResult): DesignError {
  const errs = errorsOf(r)
  expect(errs, JSON.stringify(r).slice(0, 300)).toHaveLength(1)
  return errs[0]
}

function timed<T>(f: () => T, maxMs: number): T {
  const t0 = performance.now()
  const v = f()
  expect(performance.now() - t0).toBeLessThan(maxMs)
  return v
}

describe('size', () => {
  const big = (n: number) => text('lead-in-beryllium').replace(/}\s*$/, `${' '.repeat(n)}}`)

  test('over 5 MB: rejected before parsing, the message names the size and the limit', () => {
    const e = only(timed(() => importDesignText(big(6_000_000)), 500))
    expect(e.path).toBe('')
    expect(e.message).toMatch(/^the design file is 6 MB \(\d+ bytes\); the limit is 5 MB \(5000000 bytes\)$/)
  })

  test('the limit counts UTF-8 bytes, not characters', () => {
    const d = lib()
    d.description = 'é'.repeat(2000) // 2 bytes each: fine
    expect(importDesignText(JSON.stringify(d)).ok).toBe(true)
    const e = only(importDesignText(`${JSON.stringify(d).slice(0, -1)}, "x": "${'€'.repeat(1_700_000)}"}`))
    expect(e.message).toContain('the limit is 5 MB')
  })

  test('a file just under the limit is parsed', () => {
    const t = big(MAX_DESIGN_BYTES - Buffer.byteLength(text('lead-in-beryllium')) - 10)
    expect(Buffer.byteLength(t)).toBeLessThan(MAX_DESIGN_BYTES)
    expect(importDesignText(t).ok).toBe(true)
  })

  test('bytes and Blobs: the size is checked before decoding or reading', async () => {
    expect(only(importDesignBytes(new Uint8Array(MAX_DESIGN_BYTES + 1))).message).toContain('the limit is 5 MB')
    // a Blob whose contents would fail to read: the size alone rejects it
    const huge = { size: 3e9, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as Blob
    expect(only(await importDesignFile(huge)).message).toMatch(/^the design file is 3 GB \(3000000000 bytes\)/)
    expect((await importDesignFile(new Blob([text('u-lorry')]))).ok).toBe(true)
    expect(designTooLarge(MAX_DESIGN_BYTES)).toBeNull()
  })
})

describe('structure', () => {
  test('nesting deeper than 32: rejected before JSON.parse, with line and column', () => {
    const d = lib()
    d.description = '[[['.repeat(20) // brackets inside strings do not count
    const deep = JSON.stringify(d).replace('"seed":42', `"seed":${'['.repeat(40)}1${']'.repeat(40)}`)
    const e = only(importDesignText(deep))
    expect(e.path).toBe('')
    expect(e.message).toMatch(/^nested deeper than 32 levels \(at line 1, column \d+\)/)
    expect(importDesignText(JSON.stringify(d)).ok).toBe(true)
  })

  test('FORBIDDEN_KEYS covers every property of Object.prototype', () => {
    for (const k of Object.getOwnPropertyNames(Object.prototype)) expect(FORBIDDEN_KEYS).toContain(k)
  })

  test('a million levels: rejected in milliseconds, no stack overflow', () => {
    const n = 2_000_000
    const e = only(timed(() => importDesignText('['.repeat(n) + ']'.repeat(n)), 500))
    expect(e.message).toContain(`nested deeper than ${MAX_DEPTH} levels`)
  })

  test('an object handed in directly (not text) is held to the same depth, even when cyclic', () => {
    const d = lib()
    const loop: unknown[] = []
    loop.push(loop)
    d.volume.blocks = loop
    const errs = errorsOf(parseDesign(d))
    expect(errs.map((e) => e.message)).toEqual([expect.stringContaining('nested deeper than 32 levels')])
    expect(errs[0].path).toMatch(/^volume\.blocks(\[0\])+$/)
  })

  test('an array longer than any the schema allows: rejected at its path before the schema runs', () => {
    const d = lib()
    d.volume.voxels = new Array(MAX_ARRAY_LENGTH + 1).fill(0)
    const e = only(timed(() => importDesignText(JSON.stringify(d)), 2000))
    expect(e).toEqual({ path: 'volume.voxels', message: 'array of 1000001 entries exceeds the limit of 1000000' })
  })

  test('non-finite numbers: 1e999 and -1e999 parse to ±Infinity and are reported at their paths', () => {
    const t = JSON.stringify(lib()).replace('"seed":42', '"seed":1e999').replace(/"span_x":[0-9.]+/, '"span_x":-1e999')
    const errs = errorsOf(importDesignText(t))
    expect(errs.map((e) => e.path)).toEqual(['seed', 'detector.panels[0].span_x'])
    expect(errs[0].message).toBe('number out of range: Infinity (a literal such as 1e999 is too large for a 64-bit float)')
    expect(errs[1].message).toContain('-Infinity')
    // NaN cannot be written in JSON at all; handed in as a value it is named
    expect(only(importDesignText(t.replace('1e999', 'NaN'))).message).toMatch(/^not valid JSON: /)
    const d = lib()
    d.optimizer = { ...d.optimizer, margin: NaN }
    expect(errorsOf(parseDesign(d))).toEqual([{ path: 'optimizer.margin', message: 'not a number (NaN)' }])
  })

  test.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('a "%s" key anywhere is rejected at its path', (key) => {
    const root = JSON.stringify(lib()).replace('{', `{"${key}": {"polluted": true},`)
    expect(only(importDesignText(root))).toEqual({
      path: key, message: `forbidden key "${key}" (a built-in property name: it could change an object's prototype or behaviour)`,
    })
    const nested = JSON.stringify(lib()).replace('"span_x"', `"${key}": 1, "span_x"`)
    expect(only(importDesignText(nested)).path).toBe(`detector.panels[0].${key}`)
    // inside a free-form record, where the schema alone would accept any key
    const d = calo()
    d.results = { metrics: { [key]: 1 } }
    const inRecord = JSON.stringify(d).replace('"results":{"metrics":{}}', `"results":{"metrics":{"${key}":1}}`)
    expect(only(importDesignText(inRecord)).path).toBe(`results.metrics.${key}`)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('a key longer than 256 characters: reported at its object, the key shortened in the message', () => {
    const t = JSON.stringify(lib()).replace('"span_x"', `"${'k'.repeat(100_000)}": 1, "span_x"`)
    const e = only(importDesignText(t))
    expect(e.path).toBe('detector.panels[0]')
    expect(e.message).toBe(`a key of 100000 characters ("${'k'.repeat(39)}…"); the limit is 256`)
  })

  test('not JSON, empty, truncated, not UTF-8, not an object', () => {
    expect(only(importDesignText('')).message).toMatch(/^not valid JSON: Unexpected end of JSON input/)
    expect(only(importDesignText(text('u-lorry').slice(0, 500))).message).toMatch(/^not valid JSON: /)
    expect(only(importDesignBytes(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toEqual({ path: '', message: 'not a text file: the contents are not valid UTF-8' })
    for (const v of ['[]', '"design"', '42', 'null', 'true']) {
      expect(only(importDesignText(v))).toEqual({ path: '', message: 'a design file must be a JSON object' })
    }
    expect(importDesignText(`\ufeff${text('u-lorry')}`).ok).toBe(true) // a byte-order mark is fine
    expect(checkJsonValue(JSON.parse(text('small-walls')))).toEqual([])
  })
})

describe('format, version, kind, voxels', () => {
  test('not a design file: the format tag', () => {
    expect(only(importDesignText('{"type": "excalidraw"}'))).toEqual({
      path: 'format', message: 'not a Detector Design Studio design: expected "detector-design-studio", got nothing',
    })
  })

  test('a version newer than the app, or not an integer ≥ 1', () => {
    const d = lib()
    d.version = 7
    expect(only(importDesignText(JSON.stringify(d)))).toEqual({
      path: 'version', message: 'version 7 is newer than this app understands (1); update the studio',
    })
    for (const v of [0, -1, 1.5, '1', null]) {
      d.version = v
      expect(only(importDesignText(JSON.stringify(d))).message, String(v)).toMatch(/^expected an integer version ≥ 1, got /)
    }
  })

  test('a wrong or missing kind lists the kinds', () => {
    const d = lib()
    d.kind = 'radar'
    expect(only(importDesignText(JSON.stringify(d)))).toEqual({
      path: 'kind', message: 'unknown kind "radar"; expected one of: muography, calorimeter',
    })
    delete d.kind
    expect(only(importDesignText(JSON.stringify(d))).message).toBe('unknown kind (missing); expected one of: muography, calorimeter')
  })

  test('a muography file labelled calorimeter: schema errors at their paths, not a crash', () => {
    const d = lib()
    d.kind = 'calorimeter'
    const errs = errorsOf(importDesignText(JSON.stringify(d)))
    expect(errs.map((e) => e.path)).toEqual(expect.arrayContaining(['beam', 'calorimeter', 'volume']))
  })

  test('a voxel grid too large for memory: one message, from parse.ts (MAX_VOXELS), nothing allocated', () => {
    const d = lib()
    d.volume.size = [500, 500, 500]
    d.volume.voxel = 0.005
    d.volume.origin = [0, 0, 0]
    d.detector.stacks.above = { z_min: 500, z_max: 501 }
    d.detector.stacks.below = { z_min: -1, z_max: 0 }
    const e = timed(() => errorsOf(importDesignText(JSON.stringify(d))), 500).find((x) => x.path === 'volume.voxel')
    expect(e?.message).toBe('grid of 100000×100000×100000 = 1000000000000000 voxels exceeds the limit of 1000000')
  })

  test('wrong types and values are listed with their paths', () => {
    const d = lib()
    d.detector.panels[0].x = '0.5'
    d.detector.panels[1].span_y = -2
    d.seed = 'forty-two'
    const errs = errorsOf(importDesignText(JSON.stringify(d)))
    expect(errs.map((e) => e.path).sort()).toEqual(['detector.panels[0].x', 'detector.panels[1].span_y', 'seed'])
    expect(errs.find((e) => e.path === 'detector.panels[0].x')?.message).toBe('Invalid input: expected number, received string')
  })
})

test('importing never touches anything but its result', () => {
  const input = lib()
  const before = JSON.stringify(input)
  const r = parseDesign(input)
  expect(r.ok).toBe(true)
  expect(JSON.stringify(input)).toBe(before)
  if (r.ok) expect(r.design).not.toBe(input)
})
