// The design file (schema v1): every shipped preset parses and survives a round trip; broken files give errors
// at the right JSON paths; the generated presets are up to date with scripts/make-presets.ts.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { buildPresets, indexEntries, presetText, readIndex } from '../../../scripts/make-presets'
import { MATERIAL_NAMES } from '../core/materials'
import { parseDesign, parseDesignText, type DesignError } from './parse'
import { CALORIMETER_PRESETS, DEFAULT_PRESET_NAME, groupPresets, presetNames, type PresetEntry } from './presets'

const PRESET_DIR = fileURLToPath(new URL('../../../public/presets/', import.meta.url))
const presetFiles = readdirSync(PRESET_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').sort()
const readPreset = (name: string) => readFileSync(`${PRESET_DIR}${name}.json`, 'utf8')
const lib = () => JSON.parse(readPreset('lead-in-beryllium')) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function errorsOf(input: unknown): DesignError[] {
  const r = parseDesign(input)
  return r.ok ? [] : r.errors
}

const paths = (errs: DesignError[]) => errs.map((e) => e.path)

/** every number anywhere in a value, with its path */
function numbers(v: unknown, path = ''): [string, number][] {
  if (typeof v === 'number') return [[path, v]]
  if (Array.isArray(v)) return v.flatMap((x, i) => numbers(x, `${path}[${i}]`))
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numbers(x, path ? `${path}.${k}` : k))
  return []
}

describe('shipped presets', () => {
  test.each(presetFiles)('%s parses and round-trips (parse → JSON.stringify → parse)', (file) => {
    const first = parseDesignText(readFileSync(PRESET_DIR + file, 'utf8'))
    expect(first.ok ? [] : first.errors).toEqual([])
    if (!first.ok) return
    const second = parseDesignText(JSON.stringify(first.design))
    expect(second.ok ? [] : second.errors).toEqual([])
    if (!second.ok) return
    expect(second.design).toEqual(first.design)
    expect(JSON.stringify(second.design)).toBe(JSON.stringify(first.design))
    // defaults filled in, nothing non-finite anywhere
    for (const [path, x] of numbers(first.design)) expect(Number.isFinite(x), path).toBe(true)
  })

  test('presetNames() names files that exist, the default first, one uniform volume per material', () => {
    const names = presetNames()
    expect(names[0]).toBe(DEFAULT_PRESET_NAME)
    expect(new Set(names).size).toBe(names.length)
    const onDisk = new Set(presetFiles.map((f) => f.slice(0, -5)))
    for (const n of names) expect(onDisk.has(n), `${n}.json exists`).toBe(true)
    for (const m of MATERIAL_NAMES) expect(names).toContain(`uniform-${m}`)
  })

  test('index.json lists only existing presets, with name, title, kind and description, the default first', () => {
    const index = JSON.parse(readPreset('index')) as PresetEntry[]
    expect(index[0].name).toBe(DEFAULT_PRESET_NAME)
    expect(new Set(index.map((e) => e.name)).size).toBe(index.length)
    for (const e of index) {
      expect(Object.keys(e).sort()).toEqual(['description', 'kind', 'name', 'title'])
      expect(e.title.length).toBeGreaterThan(0)
      const r = parseDesignText(readPreset(e.name))
      expect(r.ok && r.design.kind, e.name).toBe(e.kind)
    }
    const listed = new Set(index.map((e) => e.name))
    for (const n of presetNames().filter((n) => !(CALORIMETER_PRESETS as readonly string[]).includes(n))) {
      expect(listed.has(n), `${n} is in index.json`).toBe(true)
    }
  })

  test('the preset menu groups the shipped index: scenarios, calorimeters, then the uniform volumes', () => {
    const index = JSON.parse(readPreset('index')) as PresetEntry[]
    const groups = groupPresets(index)
    expect(groups.map((g) => g.id)).toEqual(['scenario', 'calorimeter', 'calibration'])
    expect(groups[0].entries.map((e) => e.name)).toEqual(['lead-in-beryllium', 'ladle-furnace', 'u-lorry', 'small-walls'])
    expect(groups[1].entries.map((e) => e.name).sort()).toEqual([...CALORIMETER_PRESETS].sort())
    expect(groups[2].entries).toHaveLength(MATERIAL_NAMES.length)
    for (const e of groups[2].entries) expect(e.name).toMatch(/^uniform-/)
    // every entry in exactly one group
    expect(groups.flatMap((g) => g.entries).length).toBe(index.length)
  })

  test('the generated presets match scripts/make-presets.ts (run `npx tsx scripts/make-presets.ts` after changing it)', () => {
    const built = buildPresets()
    for (const p of built) expect(readPreset(p.entry.name), p.entry.name).toBe(presetText(p))
    const index = readIndex(PRESET_DIR)
    expect(index).toEqual(indexEntries(built, index))
  })

  test('the scenarios follow TomOpt (arXiv:2309.14027 and the benchmarks in its repository)', () => {
    const get = (n: string) => {
      const r = parseDesignText(readPreset(n))
      if (!r.ok || r.design.kind !== 'muography') throw new Error(n)
      return r.design
    }
    const cost = (d: ReturnType<typeof get>) => d.detector.panels.reduce((a, p) => a + p.span_x * p.span_y * d.detector.technology.cost_per_m2, 0)
    const hello = get('lead-in-beryllium')
    expect(hello.detector.panels.map((p) => p.z)).toEqual([1, 0.95, 0.9, 0.85, 0.2, 0.15, 0.1, 0.05])
    expect(hello.detector.panels.every((p) => p.x === 0.25 && p.y === 0.25)).toBe(true)
    expect(hello.optimizer.budget).toBe(20)
    expect(cost(hello)).toBe(8)
    const ladle = get('ladle-furnace')
    expect(cost(ladle)).toBeCloseTo(6, 2)
    expect(ladle.optimizer.budget).toBe(6)
    const lorry = get('u-lorry')
    expect(lorry.volume.voxels!.filter((m) => m === 'uranium')).toHaveLength(12)
    expect(lorry.volume.voxels!.slice(0, 100).every((m) => m === 'iron')).toBe(true) // the lorry bed
    expect(lorry.volume.voxels!.slice(400).every((m) => m === 'air')).toBe(true) // above 80 % of the height
    expect(cost(lorry)).toBe(8) // hello-world start, room to grow to the budget
    expect(lorry.optimizer.budget).toBe(32)
    const walls = get('small-walls')
    expect(walls.volume.voxels!.some((m) => m === 'wall-mix')).toBe(true)
    expect(walls.volume.voxels!.slice(900).every((m) => m === 'soil')).toBe(true) // the top layer stays soil
  })
})

describe('broken files give errors at the right paths', () => {
  test('negative span', () => {
    const d = lib()
    d.detector.panels[2].span_x = -1
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['detector.panels[2].span_x'])
    expect(errs[0].message).toMatch(/too small|>=/i)
  })

  test('unknown material', () => {
    const d = lib()
    d.volume.background = 'unobtainium'
    d.volume.blocks[0].material = 'cheese'
    const errs = errorsOf(d)
    expect(paths(errs).sort()).toEqual(['volume.background', 'volume.blocks[0].material'])
    expect(errs[0].message).toContain('unknown material')
    expect(errs[0].message).toContain('lead') // lists the known ones
  })

  test('unknown fields are named with their own paths', () => {
    const d = lib()
    d.colour = 'red'
    d.detector.panels[3].rotation = 45
    d.volume.blocks[0].density = 3
    const errs = errorsOf(d)
    expect(paths(errs).sort()).toEqual(['colour', 'detector.panels[3].rotation', 'volume.blocks[0].density'])
    for (const e of errs) expect(e.message).toMatch(/^unknown field "/)
  })

  test('NaN, Infinity and numbers as strings are rejected', () => {
    for (const bad of [NaN, Infinity, -Infinity, '0.5', null]) {
      const d = lib()
      d.detector.panels[0].x = bad
      expect(paths(errorsOf(d)), String(bad)).toEqual(['detector.panels[0].x'])
    }
    // JSON itself has no NaN: text with it is not valid JSON
    const r = parseDesignText(readPreset('lead-in-beryllium').replace('"seed": 42', '"seed": NaN'))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[0]).toMatchObject({ path: '', message: expect.stringContaining('not valid JSON') })
  })

  test('a panel outside its stack', () => {
    const d = lib()
    d.detector.panels[1].z = 0.5 // inside the volume, not in the upper stack [0.8, 1.2]
    d.detector.panels[6].z = -0.5 // below the lower stack [-0.2, 0.2]
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['detector.panels[1].z', 'detector.panels[6].z'])
    expect(errs[0].message).toContain('above stack')
  })

  test('stacks must not overlap the volume', () => {
    const d = lib()
    d.detector.stacks.above.z_min = 0.7
    d.detector.stacks.below.z_max = 0.3
    expect(paths(errorsOf(d))).toEqual(['detector.stacks.above.z_min', 'detector.stacks.below.z_max'])
  })

  test('a panel centre beyond the margin, a span below span_min', () => {
    const d = lib()
    d.detector.panels[0].x = 5
    d.detector.panels[4].span_y = 0.05
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['detector.panels[0].x', 'detector.panels[4].span_y'])
    expect(errs[0].message).toContain('margin')
  })

  test('duplicate panel ids, too few panels in a stack', () => {
    const d = lib()
    d.detector.panels[1].id = 'above-0'
    expect(paths(errorsOf(d))).toEqual(['detector.panels[1].id'])
    const e = lib()
    e.detector.panels = e.detector.panels.filter((p: { stack: string; id: string }) => p.stack === 'below' || p.id === 'above-0')
    const errs = errorsOf(e)
    expect(paths(errs)).toEqual(['detector.panels'])
    expect(errs[0].message).toContain('above stack needs at least 2 panels')
  })

  test('a version newer than 1 gets a clear message', () => {
    const d = lib()
    d.version = 2
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['version'])
    expect(errs[0].message).toMatch(/version 2 is newer than this app understands \(1\)/)
    for (const v of [0, 1.5, '1', undefined]) {
      const e = lib()
      e.version = v
      expect(paths(errorsOf(e)), String(v)).toEqual(['version'])
    }
  })

  test('a wrong format, or not a design at all', () => {
    const d = lib()
    d.format = 'tomopt'
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['format'])
    expect(errs[0].message).toContain('"detector-design-studio"')
    expect(paths(errorsOf([1, 2]))).toEqual([''])
    expect(paths(errorsOf(null))).toEqual([''])
    expect(paths(errorsOf({}))).toEqual(['format'])
    const text = parseDesignText('{"format": ')
    expect(text.ok ? [] : paths(text.errors)).toEqual([''])
  })

  test('an unknown kind', () => {
    const d = lib()
    d.kind = 'radar'
    expect(paths(errorsOf(d))).toEqual(['kind'])
  })

  test('a voxels list of the wrong length, or with an unknown material', () => {
    const d = lib()
    d.volume.voxels = Array(599).fill('beryllium')
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['volume.voxels'])
    expect(errs[0].message).toContain('expected 600 entries (10×10×6), got 599')
    const e = lib()
    e.volume.voxels = Array(600).fill('beryllium')
    e.volume.voxels[17] = 'kryptonite'
    expect(paths(errorsOf(e))).toEqual(['volume.voxels[17]'])
    const ok = lib()
    ok.volume.voxels = Array(600).fill('iron')
    expect(errorsOf(ok)).toEqual([])
  })

  test('a size that is not a whole number of voxels; a block with max below min', () => {
    const d = lib()
    d.volume.size = [1, 1.05, 0.6]
    expect(paths(errorsOf(d))).toEqual(['volume.size[1]'])
    const e = lib()
    e.volume.blocks[0].max[2] = 0.3
    expect(paths(errorsOf(e))).toEqual(['volume.blocks[0].max[2]'])
  })

  test('a block that does not overlap the volume is rejected at its path; one that overlaps in part is kept', () => {
    const d = lib()
    const [o, sz] = [d.volume.origin as number[], d.volume.size as number[]]
    d.volume.blocks[0].min = o.map((v, k) => v + sz[k] + 4)
    d.volume.blocks[0].max = o.map((v, k) => v + sz[k] + 5)
    const errs = errorsOf(d)
    expect(paths(errs)).toEqual(['volume.blocks[0]'])
    expect(errs[0].message).toMatch(/does not overlap the volume/)
    // touching a face only is no overlap; reaching 1 cm inside is
    const touch = lib()
    touch.volume.blocks[0].min = [o[0] - 1, o[1], o[2]]
    touch.volume.blocks[0].max = [o[0], o[1] + 0.5, o[2] + 0.5]
    expect(paths(errorsOf(touch))).toEqual(['volume.blocks[0]'])
    touch.volume.blocks[0].max[0] = o[0] + 0.01
    expect(errorsOf(touch)).toEqual([])
  })

  test('several problems are all reported', () => {
    const d = lib()
    d.detector.panels[2].span_x = -1
    d.detector.panels[3].colour = 'red'
    d.volume.background = 'cheese'
    expect(paths(errorsOf(d)).sort()).toEqual(['detector.panels[2].span_x', 'detector.panels[3].colour', 'volume.background'])
  })

  test('a calorimeter file: a bad layer thickness and an unknown absorber', () => {
    const d = JSON.parse(readPreset('atlas-like-lar'))
    d.calorimeter.layers[0].absorber_thickness = -0.001
    d.calorimeter.layers[0].absorber = 'mithril'
    expect(paths(errorsOf(d)).sort()).toEqual(['calorimeter.layers[0].absorber', 'calorimeter.layers[0].absorber_thickness'])
  })
})
