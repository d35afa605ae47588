// The live design of each kind: the store's parameters written back into the design file, by hand-made examples.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importDesignText } from '../engine/design/import'
import { parseDesign } from '../engine/design/parse'
import type { CalorimeterDesign, Design } from '../engine/design/schema'
import { layersOf } from './calorimeter/live-design'
import { liveDesign, parametersOf, sameStructure } from './designs'

function preset(name: string): Design {
  const r = importDesignText(readFileSync(`public/presets/${name}.json`, 'utf8'))
  if (!r.ok) throw new Error(`${name} does not parse`)
  return r.design
}

describe('muography live design', () => {
  it('writes each panel by id, keeps the input and drops results', () => {
    const d = preset('lead-in-beryllium')
    const before = JSON.stringify(d)
    const p = parametersOf(d)
    const moved = p.panels.map((q, i) => (i === 2 ? { ...q, x: q.x + 0.1, span_y: 0.5 } : q)).reverse()
    const live = liveDesign({ ...d, results: { steps: 3 } }, { ...p, panels: moved })
    if (live.kind !== 'muography' || d.kind !== 'muography') throw new Error('kind')
    expect(live.detector.panels[2].x).toBeCloseTo(d.detector.panels[2].x + 0.1, 12)
    expect(live.detector.panels[2].span_y).toBe(0.5)
    expect(live.detector.panels.map((q) => q.id)).toEqual(d.detector.panels.map((q) => q.id))
    expect(live.results).toBeUndefined()
    expect(JSON.stringify(d)).toBe(before)
    expect(parseDesign(live).ok).toBe(true)
    expect(sameStructure(d, live)).toBe(true)
    expect(sameStructure(d, { ...live, volume: { ...live.volume, background: 'iron' } })).toBe(false)
  })
})

describe('calorimeter live design', () => {
  const twoGroups = (granularity: 'group' | 'layer'): CalorimeterDesign => {
    const r = parseDesign({
      format: 'detector-design-studio', version: 1, kind: 'calorimeter', name: 't', seed: 1, units: { length: 'm', energy: 'GeV' },
      beam: { energies: [10] },
      calorimeter: {
        transverse_size: 0.3,
        layers: [
          { repeat: 3, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 },
          { repeat: 2, absorber: 'iron', absorber_thickness: 0.01, active: 'scintillator', active_thickness: 0.005 },
        ],
      },
      optimizer: { granularity },
    })
    if (!r.ok || r.design.kind !== 'calorimeter') throw new Error('test design does not parse')
    return r.design
  }

  it('expands the repeat counts into one state per layer', () => {
    const l = layersOf(twoGroups('group'))
    expect(l.map((x) => x.index)).toEqual([0, 1, 2, 3, 4])
    expect(l.map((x) => x.absorber)).toEqual(['lead', 'lead', 'lead', 'iron', 'iron'])
  })

  it('granularity group: each entry takes its layers\' shared thickness', () => {
    const d = twoGroups('group')
    const layers = layersOf(d).map((x) => (x.index < 3 ? { ...x, absorber_thickness: 0.0031 } : { ...x, active_thickness: 0.006 }))
    const live = liveDesign(d, { panels: [], layers })
    if (live.kind !== 'calorimeter') throw new Error('kind')
    expect(live.calorimeter.layers.map((e) => [e.repeat, e.absorber_thickness, e.active_thickness]))
      .toEqual([[3, 0.0031, 0.003], [2, 0.01, 0.006]])
    expect(sameStructure(d, live)).toBe(true)
    expect(d.calorimeter.layers[0].absorber_thickness).toBe(0.004) // input untouched
  })

  it('granularity layer: an entry whose layers now differ splits into runs of equal layers', () => {
    const d = twoGroups('layer')
    const layers = layersOf(d).map((x) => (x.index === 1 ? { ...x, absorber_thickness: 0.002 } : x))
    const live = liveDesign(d, { panels: [], layers })
    if (live.kind !== 'calorimeter') throw new Error('kind')
    expect(live.calorimeter.layers.map((e) => [e.repeat, e.absorber_thickness])).toEqual([[1, 0.004], [1, 0.002], [1, 0.004], [2, 0.01]])
    expect(layersOf(live).map((x) => x.absorber_thickness)).toEqual(layers.map((x) => x.absorber_thickness))
    expect(sameStructure(d, live)).toBe(true) // the same layers, only thicknesses differ
    expect(parseDesign(live).ok).toBe(true)
  })

  it('a material change or another layer count is another structure; layers of another design are ignored', () => {
    const d = twoGroups('group')
    const other = { ...d, calorimeter: { ...d.calorimeter, layers: [{ ...d.calorimeter.layers[0], absorber: 'tungsten' as const }, d.calorimeter.layers[1]] } }
    expect(sameStructure(d, other)).toBe(false)
    const live = liveDesign(d, { panels: [], layers: layersOf(d).slice(0, 2) })
    expect(live).toEqual(d)
  })
})
