// Pure helpers of the studio UI: schema-driven field info, panel bounds, downsampling, the z-up/y-up map.
import { describe, expect, it } from 'vitest'
import { Vector3 } from 'three'
import { muographyDesign, type MuographyDesign } from '../engine/design/schema'
import { fromThree, toThree } from '../scenes/coords'
import { clampPanel, panelBounds, roundTo } from '../kinds/muography/bounds'
import { sampleIndices } from './downsample'
import { fieldLabel, optimizerFieldInfo, panelFieldInfo, technologyFieldInfo } from './schema-meta'

const design = (): MuographyDesign => muographyDesign.parse({
  format: 'detector-design-studio', version: 1, kind: 'muography', name: 't', seed: 1,
  units: { length: 'm', energy: 'GeV' },
  volume: { origin: [0, 0, 0.2], size: [1, 1, 0.6], voxel: 0.1, background: 'beryllium' },
  detector: {
    technology: { resolution: 1e-4, efficiency: 0.9, cost_per_m2: 1 },
    stacks: { above: { z_min: 0.8, z_max: 1.2 }, below: { z_min: -0.2, z_max: 0.2 } },
    panels: ['above', 'above', 'below', 'below'].map((stack, i) => ({ id: `p${i}`, stack, x: 0.5, y: 0.5, z: stack === 'above' ? 1 : 0, span_x: 1, span_y: 1 })),
  },
})

describe('schema-driven field info', () => {
  it('reads units, ranges and steps from the schema meta', () => {
    expect(panelFieldInfo.x).toMatchObject({ unit: 'm', step: 0.01, min: -1000, max: 1000 })
    expect(panelFieldInfo.z.step).toBe(0.005)
    expect(panelFieldInfo.span_x.min).toBe(0.01)
    expect(technologyFieldInfo.efficiency).toMatchObject({ min: 0.01, max: 1 })
    // through .default(), .nullable() and unions with literals
    expect(optimizerFieldInfo.muons_per_step).toMatchObject({ unit: 'muons', step: 1000, min: 100, int: true })
    expect(optimizerFieldInfo.budget.nullable).toBe(true)
    expect(optimizerFieldInfo.cost_weight.literals).toEqual(['auto'])
  })
  it('labels fields as the automated checks expect', () => {
    expect(fieldLabel('x', 'm')).toBe('x (m)')
    expect(fieldLabel('span_y', 'm')).toBe('span y (m)')
    expect(fieldLabel('efficiency', '')).toBe('efficiency')
  })
})

describe('panel bounds', () => {
  it('keeps z in the stack, xy within the margin of the volume, spans above span_min', () => {
    const d = design()
    const b = panelBounds(d, 'above')
    expect(b.z).toEqual([0.8, 1.2])
    expect(b.x).toEqual([-0.5, 1.5]) // default margin 0.5 m
    expect(b.span_x[0]).toBe(0.1)
    // the optimiser's cap: the volume's footprint plus the margin on both sides (1 + 2 × 0.5 m), not the schema's 100 m
    expect(b.span_x[1]).toBe(2)
    expect(clampPanel({ x: 9, z: 0.1, span_y: 0.01 }, b)).toEqual({ x: 1.5, z: 0.8, span_y: 0.1 })
    expect(panelBounds(d, 'below').z).toEqual([-0.2, 0.2])
  })
  it('rounds to a step without float dust', () => {
    expect(roundTo(0.1 + 0.2, 0.001)).toBe(0.3)
    expect(roundTo(1.23456, 0.01)).toBe(1.235)
  })
})

describe('downsampling', () => {
  it('keeps everything when short, first and last always, at most max', () => {
    expect(sampleIndices(5, 10)).toEqual([0, 1, 2, 3, 4])
    const s = sampleIndices(1001, 100)
    expect(s.length).toBeLessThanOrEqual(100)
    expect(s[0]).toBe(0)
    expect(s[s.length - 1]).toBe(1000)
    expect([...s].sort((a, b) => a - b)).toEqual(s)
  })
})

describe('engine (z up) <-> three.js (y up)', () => {
  it('is a proper rotation and round-trips', () => {
    const v = toThree(1, 2, 3)
    expect(v.toArray()).toEqual([1, 3, -2])
    expect(fromThree(v)).toEqual([1, 2, 3])
    // right-handed: x × y = z in the engine maps to X × Y = Z in three
    const x = toThree(1, 0, 0), y = toThree(0, 1, 0), z = toThree(0, 0, 1)
    expect(new Vector3().crossVectors(x, y).toArray().map((c) => c + 0)).toEqual(z.toArray().map((c) => c + 0))
  })
})
