// The inference's momentum along the path against a hand integration of the same energy loss, and the stopped
// muons' absorption view against a block where the answer is known.
import { describe, expect, test } from 'vitest'
import { MATERIALS } from '../core/materials'
import { kineticAfter } from '../core/muon-energy-loss'
import { createRng } from '../core/rng'
import { MUON_MASS_GEV } from '../core/units'
import { highlandC } from './highland'
import { stoppedPathLength } from './infer'
import { pathMomentum } from './momentum-model'
import type { PathMatrix } from './paths'
import { propagate } from './propagate'
import { pencilBeam } from './slab'
import { buildVolume } from './volume'

/** one muon going straight down through 10 voxels of 10 cm */
function column(): PathMatrix {
  return {
    nnz: 10, nMuons: 1, nVoxels: 10, muon: new Int32Array(10), voxel: Int32Array.from({ length: 10 }, (_, k) => 9 - k),
    length: new Float32Array(10).fill(0.1), total: Float32Array.of(1),
  }
}

describe('momentum along the path (momentum-model.ts)', () => {
  test('1 m of iron at 10 GeV/c: c̄ is the path average of (13.6 MeV/βp)² under the iron loss (±1 %)', () => {
    const lam = new Float64Array(10).fill(1 / MATERIALS.iron.x0_m)
    const pm = pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(10), energyLoss: true })
    let hand = 0
    for (let k = 0; k < 1000; k++) {
      const e = kineticAfter('iron', 10, (k + 0.5) / 1000) + MUON_MASS_GEV
      hand += highlandC(Math.sqrt(e * e - MUON_MASS_GEV ** 2)) / 1000
    }
    expect(Math.abs(pm.c[0] / hand - 1)).toBeLessThan(0.01)
    expect(pm.c[0]).toBeGreaterThan(highlandC(10) * 1.1)
    expect(pm.cIn[0]).toBeCloseTo(highlandC(10), 12)
    expect(pm.stops[0]).toBe(0)
    // without energy loss, c̄ is the entry c
    const off = pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(10), energyLoss: false })
    expect(off.c[0]).toBeCloseTo(highlandC(10), 12)
  })

  test('1 m of lead: a 1.2 GeV/c muon stops; with an unknown momentum only the quantiles that cross count', () => {
    const lam = new Float64Array(10).fill(1 / MATERIALS.lead.x0_m)
    expect(pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(1.2), energyLoss: true }).stops[0]).toBe(1)
    const prior = Float64Array.of(0.8, 1.2, 3, 10)
    const pm = pathMomentum(column(), lam, { kind: 'prior', p: prior, energyLoss: true })
    const each = [3, 10].map((p) => pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(p), energyLoss: true }).c[0])
    expect(pm.c[0]).toBeCloseTo((each[0] + each[1]) / 2, 12)
  })

  test('the quantiles go down the path together: each one\'s c̄ and ∂c̄/∂λ are those of its value alone', () => {
    // a column of iron, lead and beryllium, so that each voxel's derivative differs; the lowest value stops
    const lam = Float64Array.from({ length: 10 }, (_, k) => 1 / MATERIALS[k < 3 ? 'iron' : k < 6 ? 'lead' : 'beryllium'].x0_m)
    const prior = Float64Array.of(0.6, 1.5, 2.5, 7)
    const pm = pathMomentum(column(), lam, { kind: 'prior', p: prior, energyLoss: true }, { derivative: true, perQuantile: true })
    const each = [...prior].map((p) => pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(p), energyLoss: true }, { derivative: true }))
    expect(each.map((e) => e.stops[0])).toEqual([1, 0, 0, 0])
    each.forEach((e, q) => expect(pm.cq![q]).toBe(q === 0 ? 0 : e.c[0]))
    for (let k = 0; k < 10; k++) {
      const mean = (each[1].dc![k] + each[2].dc![k] + each[3].dc![k]) / 3
      expect(pm.dc![k]).toBeCloseTo(mean, 15)
      expect(Math.abs(pm.dc![k])).toBeGreaterThan(0)
    }
  })
})

describe('stopped muons, absorption view', () => {
  test('1.3 GeV/c muons down a block half lead, half beryllium (1 m tall, 3 m wide): stopped path ≈ all in lead, none in beryllium', () => {
    const vol = buildVolume({
      origin: [0, 0, 0], size: [3, 3, 1], voxel: 0.25, background: 'beryllium',
      blocks: [{ material: 'lead', min: [0, 0, 0], max: [1.5, 3, 1] }],
    })
    const n = 400
    const mu = pencilBeam(n, 1.3, 1)
    const r = createRng(3, 'test')
    // far from the lead/beryllium boundary (x = 1.5) and the sides, which scattering in lead would let muons reach
    for (let i = 0; i < n; i++) { mu.x[i] = (i % 2 ? 2.1 : 0.6) + 0.3 * r.uniform(); mu.y[i] = 1.35 + 0.3 * r.uniform() }
    const t = propagate(vol, mu, { seed: 4 }, { energyLoss: true })
    const { stopped, all } = stoppedPathLength(vol, t)
    let sl = 0, al = 0, sb = 0, ab = 0
    for (let j = 0; j < stopped.length; j++) {
      if (vol.palette[vol.material[j]] === 'lead') { sl += stopped[j]; al += all[j] } else { sb += stopped[j]; ab += all[j] }
    }
    expect(sl / al).toBeGreaterThan(0.95)
    expect(sb / ab).toBe(0)
  })
})

describe('∂c̄/∂λ_j for the Fisher information', () => {
  // central differences of c̄ over a relative change of one voxel's λ, against the derivative the model returns
  const finiteDifference = (lam: Float64Array, entry: Parameters<typeof pathMomentum>[2], j: number) => {
    const h = 1e-4 * lam[j]
    const up = Float64Array.from(lam), down = Float64Array.from(lam)
    up[j] += h
    down[j] -= h
    return (pathMomentum(column(), up, entry).c[0] - pathMomentum(column(), down, entry).c[0]) / (2 * h)
  }
  const check = (lam: Float64Array, entry: Parameters<typeof pathMomentum>[2]) => {
    const d = pathMomentum(column(), lam, entry, { derivative: true }).dc!
    const path = column()
    const fd = Array.from(path.voxel, (j) => finiteDifference(lam, entry, j))
    // relative to the largest: where the reweighting and the slowing down nearly cancel, a derivative is small
    const scale = Math.max(...fd.map(Math.abs))
    console.log(`∂c̄/∂λ_j / max: model ${[...d].map((v) => (v / scale).toFixed(4)).join(' ')}; finite differences ${fd.map((v) => (v / scale).toFixed(4)).join(' ')}`)
    console.log(`largest |model − finite difference|: ${(100 * Math.max(...fd.map((v, k) => Math.abs(d[k] - v))) / scale).toFixed(3)} % of the largest derivative`)
    for (let k = 0; k < path.nnz; k++) expect(Math.abs(d[k] - fd[k]), `entry ${k}: ${d[k]} against ${fd[k]}`).toBeLessThan(0.01 * scale)
  }

  test('iron, lead and water along the path, 3 GeV/c: within 1 % (of the largest) of central finite differences at every voxel', () => {
    const materials = ['water', 'iron', 'lead', 'iron', 'concrete', 'lead', 'water', 'iron', 'aluminium', 'lead'] as const
    const lam = Float64Array.from(materials, (m) => 1 / MATERIALS[m].x0_m)
    check(lam, { kind: 'point', p: Float32Array.of(3), energyLoss: true })
  })

  test('an unknown momentum: the average over the quantiles that cross, within 1 %; no energy loss: zero', () => {
    const lam = new Float64Array(10).fill(1 / MATERIALS.iron.x0_m)
    check(lam, { kind: 'prior', p: Float64Array.of(2.5, 4, 10), energyLoss: true })
    const off = pathMomentum(column(), lam, { kind: 'point', p: Float32Array.of(3), energyLoss: false }, { derivative: true })
    expect([...off.dc!].every((v) => v === 0)).toBe(true)
  })
})
