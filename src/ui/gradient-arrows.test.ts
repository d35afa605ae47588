import { describe, expect, test } from 'vitest'
import { layerArrows, layerGroups, panelArrows } from './gradient-arrows'

const panel = { id: 'p', stack: 'above' as const, x: 0.5, y: 0.5, z: 1, span_x: 0.4, span_y: 0.6 }

describe('gradient arrows', () => {
  test('panel: −gradient directions, lengths relative to the steepest, tiny ones left out', () => {
    // |∇position| = 2 (steepest), span_x −1 (grow: +x, half length), span_y 0.01 (0.5 % of the steepest: left out)
    const a = panelArrows([panel], { p: { x: 0, y: 1.2, z: -1.6, span_x: -1, span_y: 0.01 } }, 0.3)
    expect(a.map((r) => r.label)).toEqual(['p position', 'p span_x'])
    expect(a[0].origin).toEqual([0.5, 0.5, 1])
    expect(a[0].dir[1]).toBeCloseTo(-0.6, 12)
    expect(a[0].dir[2]).toBeCloseTo(0.8, 12)
    expect(a[0].length).toBeCloseTo(0.3, 12)
    expect(a[1].origin).toEqual([0.7, 0.5, 1])
    expect(a[1].dir).toEqual([1, 0, 0])
    expect(a[1].length).toBeCloseTo(0.15, 12)
    expect(panelArrows([panel], { p: { x: 0, y: 0, z: 0, span_x: 0, span_y: 0 } }, 0.3)).toEqual([])
  })

  test('layers: a group gradient is shared by its layers; arrows sit on the boundaries', () => {
    const layer = { absorber: 'lead', absorber_thickness: 0.002, active: 'scintillator', active_thickness: 0.003 }
    const layers = [0, 1, 2].map((index) => ({ index, ...layer }))
    const { groupOf, groupSize } = layerGroups([1, 2], 3, 2)
    expect(Array.from(groupOf)).toEqual([0, 0 + 1, 1])
    const bounds = { split: [0.002, 0.007, 0.012], end: [0.005, 0.01, 0.015] }
    const g = { 'layers[0]': { absorber_thickness: 4, active_thickness: 0 }, 'layers[1]': { absorber_thickness: -4, active_thickness: 0 } }
    const a = layerArrows(layers, bounds, groupOf, groupSize, g, [-0.1, -0.2], 0.05)
    expect(a.map((r) => r.label)).toEqual(['layer 0 absorber', 'layer 1 absorber', 'layer 2 absorber'])
    expect(a[0]).toEqual({ label: 'layer 0 absorber', origin: [0.002, 0, -0.1], dir: [-1, 0, 0], length: 0.05 })
    // the second group's 2 layers each show half of it, pointing deeper (a thicker absorber lowers the loss)
    expect(a[1].dir).toEqual([1, 0, 0])
    expect(a[1].length).toBeCloseTo(0.025, 12)
    // per-layer granularity: one gradient entry per layer
    expect(Array.from(layerGroups([3], 3, 3).groupOf)).toEqual([0, 1, 2])
  })
})
