// `explain` reports the gradient of exactly the loss it prints: a central finite difference of that loss (same
// seed, same batch) over one parameter agrees with it, for a panel position, height and span (Fisher loss, and
// the x0 loss with its path matrix and EM start held), and for calorimeter layer thicknesses.
import { beforeAll, describe, expect, test } from 'vitest'
import { smallDesign } from './calorimeter/test-helpers'
import { createCalorimeterSession } from './calorimeter/session'
import { useNodeBackend } from './core/tensor'
import { explainReport } from './explain'
import type { LayerGradient, PanelGradient } from './explain-types'
import { MuographySession, type X0Constants } from './muography/session'
import { uniformDesign } from './muography/test-designs'

beforeAll(async () => { await useNodeBackend('wasm') })

function muDesign(loss: 'fisher' | 'x0', muons: number) {
  const d = uniformDesign('iron', { size: [1, 1, 0.6], voxel: 0.2 })
  // off-centre panels that cover part of the volume, so that every parameter matters; a budget just under the cost
  d.detector.panels.forEach((p, i) => { p.x = 0.35 + 0.02 * i; p.y = 0.4; p.span_x = 0.7; p.span_y = 0.8 })
  d.optimizer = { ...d.optimizer, loss, muons_per_step: muons, budget: 4, cost_weight: 'auto' }
  return d
}

type PanelKey = keyof PanelGradient

async function panelFd(s: MuographySession, id: string, key: PanelKey, h: number, constants?: X0Constants): Promise<number> {
  const base = s.panelStates().find((p) => p.id === id)!
  const at = async (d: number) => {
    s.setPanels([{ id, [key]: base[key] + d }])
    const l = (await s.explain(constants)).loss
    s.setPanels([{ id, [key]: base[key] }])
    return l
  }
  return ((await at(h)) - (await at(-h))) / (2 * h)
}

describe('explain: gradient against central finite differences of the printed loss', () => {
  test('muography, Fisher loss: x, z and span of panels above and below', async () => {
    const s = new MuographySession(muDesign('fisher', 6000))
    const e = await s.explain()
    expect(e.parts.budget).toBeGreaterThan(0)
    for (const [id, key] of [['above-1', 'x'], ['below-0', 'y'], ['above-2', 'z'], ['below-3', 'z'], ['above-0', 'span_x'], ['below-2', 'span_y']] as const) {
      const fd = await panelFd(s, id, key, 2e-3)
      const g = e.gradient[id][key]
      console.log(`fisher ∂L/∂${id}.${key}: explain ${g.toExponential(4)} FD ${fd.toExponential(4)}`)
      expect(Math.abs(g)).toBeGreaterThan(1e-4)
      expect(Math.abs(g - fd)).toBeLessThan(0.03 * Math.abs(fd) + 2e-4)
    }
    // explaining changes nothing: the same call gives the same loss
    expect((await s.explain()).loss).toBe(e.loss)
    s.dispose()
  })

  test('muography, x0 loss with its path matrix and EM start held: x, z and span', async () => {
    const s = new MuographySession(muDesign('x0', 6000))
    const e = await s.explain()
    const k = e.constants!
    expect(k).not.toBeNull()
    expect((await s.explain(k)).loss).toBeCloseTo(e.loss, 6)
    for (const [id, key] of [['above-0', 'x'], ['below-1', 'z'], ['above-3', 'span_y']] as const) {
      const fd = await panelFd(s, id, key, 2e-3, k)
      const g = e.gradient[id][key]
      console.log(`x0 ∂L/∂${id}.${key}: explain ${g.toExponential(4)} FD ${fd.toExponential(4)}`)
      expect(Math.abs(g - fd)).toBeLessThan(0.05 * Math.abs(fd) + 5e-4)
    }
    s.dispose()
  })

  test('calorimeter: absorber and active thickness of layer groups', async () => {
    const d = smallDesign(
      [{ repeat: 6, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 },
        { repeat: 8, absorber: 'lead', absorber_thickness: 0.006, active: 'scintillator', active_thickness: 0.004 }],
      { transverse: 0.1, noise: 0.002, max_depth: 0.12, optimizer: { showers_per_step: 3000, cost_weight: 0.05 } },
    )
    const s = await createCalorimeterSession(d)
    const e = await s.explain()
    const first = { 'layers[0]': 0, 'layers[1]': 6 } as const
    for (const [group, key] of [['layers[0]', 'absorber_thickness'], ['layers[1]', 'absorber_thickness'], ['layers[0]', 'active_thickness'], ['layers[1]', 'active_thickness']] as const) {
      const base = group === 'layers[0]' ? d.calorimeter.layers[0] : d.calorimeter.layers[1]
      const at = async (dv: number) => {
        s.setLayers([{ index: first[group], [key]: base[key] + dv }])
        const l = (await s.explain()).loss
        s.setLayers([{ index: first[group], [key]: base[key] }])
        return l
      }
      // the smooth depth limit curves the loss sharply: FD with h = 1e-4 m is off by 5 %, with 1e-5 m by < 0.5 %
      const h = 1e-5
      const fd = ((await at(h)) - (await at(-h))) / (2 * h)
      const g = (e.gradient[group] as LayerGradient)[key]
      console.log(`calorimeter ∂L/∂${group}.${key}: explain ${g.toExponential(4)} FD ${fd.toExponential(4)}`)
      expect(Math.abs(g)).toBeGreaterThan(1e-2)
      // floor: two float32 roundings of a loss of about 1 (1.2e-7) over 2h
      expect(Math.abs(g - fd)).toBeLessThan(0.02 * Math.abs(fd) + 6e-3)
    }
    s.dispose()
  })
})

describe('explain: how well each voxel is measured', () => {
  test('precision scales as 1/√N and voxels outside the panels see few muons', async () => {
    const at = async (muons: number) => {
      const s = new MuographySession(muDesign('fisher', muons))
      const r = await explainReport(s)
      s.dispose()
      return r.voxels!
    }
    const a = await at(4000)
    const b = await at(16000)
    expect(a.length).toBe(5 * 5 * 3)
    // four times the muons: twice the precision (Cramér–Rao ∝ 1/√N), voxel by voxel where well covered
    const ratios = a.map((v, j) => (v.muons > 50 && v.x0_rel_error && b[j].x0_rel_error ? v.x0_rel_error / b[j].x0_rel_error : NaN)).filter(Number.isFinite)
    expect(ratios.length).toBeGreaterThan(10)
    const median = ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)]
    expect(median).toBeGreaterThan(1.8)
    expect(median).toBeLessThan(2.2)
    // the panels span x ∈ [0.0, 0.76] at most: the last column (x 0.8–1.0) sees fewer muons than the centre
    const muonsAt = (ix: number) => b.filter((v) => v.ix === ix && v.iz === 1).reduce((s, v) => s + v.muons, 0)
    expect(muonsAt(4)).toBeLessThan(0.5 * muonsAt(2))
  })
})
