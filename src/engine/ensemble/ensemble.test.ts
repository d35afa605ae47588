// Clusters, the Pareto front and the parameter space on hand-made numbers.
import { describe, expect, test } from 'vitest'
import { smallDesign } from '../calorimeter/test-helpers'
import { uniformDesign } from '../muography/test-designs'
import { clusterDesigns, normalisedDistance } from './clusters'
import { paretoFront } from './front'
import { canonicalDesign, designCost, paramSpace, paramVector, perturbedStart, withParams } from './param-space'

const space = { names: ['a', 'b'], lower: [0, 0], upper: [1, 10] }

describe('clusters', () => {
  test('distance is the RMS of range-normalised differences', () => {
    // Δa = 0.3 of a range 1, Δb = 4 of a range 10: √((0.09 + 0.16)/2)
    expect(normalisedDistance(space, [0.1, 1], [0.4, 5])).toBeCloseTo(Math.sqrt(0.125), 12)
  })

  test('single linkage chains close designs; a far one stays alone; medians and centres', () => {
    // 0–1 and 1–2 are 0.04/√2 apart, 0–2 twice that: one chain below 0.05; 3 is far away
    const v = [[0.1, 1], [0.14, 1], [0.18, 1], [0.9, 9]]
    const c = clusterDesigns(space, v, [3, 1, 2, 0.5], 0.05)
    expect(c).toHaveLength(2)
    expect(c[0].members.sort()).toEqual([0, 1, 2])
    expect(c[0].validation_median).toBe(2)
    expect(c[0].centre[0]).toBeCloseTo(0.14, 12)
    expect(c[1]).toEqual({ members: [3], validation_median: 0.5, centre: [0.9, 9] })
    // a tighter threshold splits the chain
    expect(clusterDesigns(space, v, [3, 1, 2, 0.5], 0.02)).toHaveLength(4)
  })
})

describe('Pareto front', () => {
  test('a design both dearer and worse than another is off the front', () => {
    expect(paretoFront([[1, 5], [2, 3], [3, 4], [4, 1], [2, 3]])).toEqual([true, true, false, true, true])
  })
})

describe('parameter space', () => {
  test('muography: five parameters per panel, perturbation inside the bounds, round trip', () => {
    const d = uniformDesign('iron')
    const s = paramSpace(d)
    expect(s.names.slice(0, 5)).toEqual(['above-0.x', 'above-0.y', 'above-0.z', 'above-0.span_x', 'above-0.span_y'])
    const p = perturbedStart(d, 1, 7)
    const v = paramVector(p)
    v.forEach((x, j) => { expect(x).toBeGreaterThanOrEqual(s.lower[j]); expect(x).toBeLessThanOrEqual(s.upper[j]) })
    expect(paramVector(withParams(d, v))).toEqual(v)
    expect(paramVector(perturbedStart(d, 0.1, 7))).toEqual(paramVector(perturbedStart(d, 0.1, 7)))
    // 8 panels of 1 m × 1 m at 1 per m²
    expect(designCost(d)).toBeCloseTo(8, 12)
  })

  test('calorimeter: per-layer granularity expands the groups so that start and optimum share parameters', () => {
    const d = smallDesign([{ repeat: 3, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 }],
      { optimizer: { granularity: 'layer' } })
    const c = canonicalDesign(d)
    expect(paramSpace(c).names).toHaveLength(6)
    expect(paramVector(c)).toEqual([0.004, 0.003, 0.004, 0.003, 0.004, 0.003])
    // 3 × 4 mm of lead (11.35 g/cm³) on 0.4 m × 0.4 m, and 3 active layers of 0.16 m²
    const lead = 3 * 0.004 * 11350 * 0.16
    expect(designCost(d)).toBeCloseTo(lead * d.prices.absorber_per_kg + 3 * 0.16 * d.prices.active_per_m2, 6)
  })
})
