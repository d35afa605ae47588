import { beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import type { MuographyDesign } from '../design/muography'
import { acceptanceValue, createPanelParams, panelAcceptance } from './panels'

type Detector = MuographyDesign['detector']

function detector(): Detector {
  return {
    technology: { resolution: 1e-4, efficiency: 0.9, cost_per_m2: 2, thickness_x0: 0, momentum_resolution: 0.2 },
    stacks: { above: { z_min: 1, z_max: 2 }, below: { z_min: -1, z_max: 0 } },
    panels: [
      { id: 'a0', stack: 'above', x: 0.1, y: 0.2, z: 1.1, span_x: 1, span_y: 1.5 },
      { id: 'b0', stack: 'below', x: 0.3, y: 0.4, z: -0.1, span_x: 2, span_y: 0.5 },
      { id: 'a1', stack: 'above', x: 0.5, y: 0.6, z: 1.3, span_x: 0.7, span_y: 0.8,
        technology: { name: 'rpc', resolution: 1e-3, efficiency: 0.95, cost_per_m2: 0.5, thickness_x0: 0.05, momentum_resolution: 0.2 } },
      { id: 'b1', stack: 'below', x: 0.7, y: 0.8, z: -0.3, span_x: 1.2, span_y: 1.1 },
    ],
  }
}

beforeAll(async () => {
  await useNodeBackend('wasm')
})

describe('PanelParams', () => {
  test('built from the design: grouped variables and per-panel constants (technology overrides)', () => {
    const before = tf.memory().numTensors
    const p = createPanelParams(detector())
    expect(p.n).toBe(4)
    expect(p.xy.shape).toEqual([4, 2])
    expect(p.z.shape).toEqual([4])
    expect(p.span.shape).toEqual([4, 2])
    expect(p.xy.trainable && p.z.trainable && p.span.trainable).toBe(true)
    expect(Array.from(p.xy.dataSync())).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])))
    expect(Array.from(p.stackIndex)).toEqual([0, 1, 0, 1])
    expect(p.indicesOf('above')).toEqual([0, 2])
    expect(p.indicesOf('below')).toEqual([1, 3])
    expect(Array.from(p.sigmaValues)).toEqual(Array.from(Float32Array.from([1e-4, 1e-4, 1e-3, 1e-4])))
    expect(Array.from(p.efficiency.dataSync())).toEqual(Array.from(Float32Array.from([0.9, 0.9, 0.95, 0.9])))
    expect(Array.from(p.costPerM2.dataSync())).toEqual([2, 2, 0.5, 2])
    expect(p.variableList).toEqual([p.xy, p.z, p.span])
    p.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  test('toPanelStates / assignFrom / values round trip; exports keep technology overrides', () => {
    const d = detector()
    const p = createPanelParams(d)
    const states = p.toPanelStates()
    expect(states.map((s) => s.id)).toEqual(['a0', 'b0', 'a1', 'b1'])
    states.forEach((s, i) => {
      const q = d.panels[i]
      expect(s.stack).toBe(q.stack)
      for (const k of ['x', 'y', 'z', 'span_x', 'span_y'] as const) expect(s[k]).toBeCloseTo(q[k], 6)
    })
    // by id, in any order, a subset
    p.assignFrom([{ id: 'b1', x: 1, y: 2, z: -0.5, span_x: 3, span_y: 4 }])
    const s2 = p.toPanelStates()
    expect(s2[3]).toEqual({ id: 'b1', stack: 'below', x: 1, y: 2, z: -0.5, span_x: 3, span_y: 4 })
    expect(s2[0].x).toBeCloseTo(0.1, 6)
    // by position
    p.assignFrom(states)
    expect(p.toPanelStates()).toEqual(states)
    expect(() => p.assignFrom([{ id: 'nope', x: 0, y: 0, z: 0, span_x: 1, span_y: 1 }])).toThrow(/no panel/)
    expect(() => p.assignFrom([{ x: 0, y: 0, z: 0, span_x: 1, span_y: 1 }])).toThrow(/needs 4/)
    expect(() => p.setValues({ z: [1, 2, NaN, 3] })).toThrow(/not finite/)
    const v = p.values()
    v.z[2] = 1.7
    p.setValues(v)
    expect(p.z.dataSync()[2]).toBeCloseTo(1.7, 6)
    const exported = p.toDesignPanels()
    expect(exported[2].technology).toEqual(d.panels[2].technology)
    expect(exported[0].technology).toBeUndefined()
    expect(exported[2].z).toBeCloseTo(1.7, 6)
    p.dispose()
  })

  test('cost = Σ cost_per_m² · w_x · w_y, with its gradient', () => {
    const p = createPanelParams(detector())
    const want = 2 * 1 * 1.5 + 2 * 2 * 0.5 + 0.5 * 0.7 * 0.8 + 2 * 1.2 * 1.1
    expect(p.costValue()).toBeCloseTo(want, 5)
    const { value, grads } = tf.variableGrads(() => p.cost(), [p.span])
    expect(value.dataSync()[0]).toBeCloseTo(want, 5)
    const g = grads[p.span.name].dataSync()
    expect(g[4]).toBeCloseTo(0.5 * 0.8, 5) // ∂/∂w_x of panel a1
    expect(g[5]).toBeCloseTo(0.5 * 0.7, 5)
    tf.dispose([value, ...Object.values(grads)])
    p.dispose()
  })
})

describe('acceptance', () => {
  const sig = (t: number) => 1 / (1 + Math.exp(-t))

  test('smooth: 1 at the centre, ≈ ½ at the edge, ≤ 1, symmetric, and the tensor form matches the number form', () => {
    const w = 0.8
    for (const s of [0.05, 0.2, 0.5, 1]) {
      expect(acceptanceValue(0, 0, w, w, 'smooth', s)).toBeCloseTo(1, 12)
      // σ(2/s)·½/σ(1/s)² at one edge, × 1 for the other axis at its centre
      expect(acceptanceValue(w / 2, 0, w, w, 'smooth', s)).toBeCloseTo((sig(2 / s) * 0.5) / sig(1 / s) ** 2, 12)
      let prev = 1
      for (let d = 0; d <= 2; d += 0.01) {
        const a = acceptanceValue(d, 0, w, w, 'smooth', s)
        expect(a).toBeLessThanOrEqual(1 + 1e-12)
        expect(a).toBeLessThanOrEqual(prev + 1e-12) // falls monotonically away from the centre
        expect(acceptanceValue(-d, 0, w, w, 'smooth', s)).toBeCloseTo(a, 12)
        prev = a
      }
    }
    const dx = [-1, -0.41, -0.2, 0, 0.1, 0.39, 0.4, 0.6, 3]
    const dy = [0, 0.2, -0.3, 0.05, 0.5, -0.1, 0.3, 0, 0]
    for (const mode of ['smooth', 'hard'] as const) {
      const got = tf.tidy(() => panelAcceptance(
        tf.tensor2d(dx, [1, dx.length]), tf.tensor2d(dy, [1, dy.length]), tf.tensor2d([[w / 2]]), tf.tensor2d([[0.35]]), mode, 0.3,
      ).dataSync())
      dx.forEach((d, i) => expect(got[i]).toBeCloseTo(acceptanceValue(d, dy[i], w, 0.7, mode, 0.3), 5))
    }
  })

  test('hard edges: inside 1, outside 0; smooth tends to hard as s → 0', () => {
    const w = 1
    expect(acceptanceValue(0.49, -0.49, w, w, 'hard', 0.1)).toBe(1)
    expect(acceptanceValue(0.51, 0, w, w, 'hard', 0.1)).toBe(0)
    expect(acceptanceValue(0, -0.51, w, w, 'hard', 0.1)).toBe(0)
    for (const d of [0, 0.2, 0.45, 0.55, 0.8, 2]) {
      expect(Math.abs(acceptanceValue(d, 0, w, w, 'smooth', 0.005) - acceptanceValue(d, 0, w, w, 'hard', 0))).toBeLessThan(1e-3)
    }
  })

  test('the smooth form has no kink at the centre and finite gradients for x and span', () => {
    const grad = (d: number) => {
      const g = tf.grads((c: tf.Tensor, h: tf.Tensor) => tf.sum(panelAcceptance(tf.sub(tf.tensor2d([[d]]), c), tf.zeros([1, 1]), h, tf.tensor2d([[0.5]]), 'smooth', 0.2)))
      const [gc, gh] = g([tf.tensor2d([[0]]), tf.tensor2d([[0.5]])])
      const out = [gc.dataSync()[0], gh.dataSync()[0]]
      tf.dispose([gc, gh])
      return out
    }
    expect(grad(0)[0]).toBeCloseTo(0, 10)
    // derivative is continuous through 0: ±δ give small, opposite slopes
    const [gp] = grad(1e-3), [gm] = grad(-1e-3)
    expect(gp).toBeCloseTo(-gm, 6)
    expect(Math.abs(gp)).toBeLessThan(0.01)
    // near the edge: moving the centre towards the point or widening the panel raises the acceptance
    const [gc, gh] = grad(0.5)
    expect(gc).toBeGreaterThan(0)
    expect(gh).toBeGreaterThan(0)
  })
})
