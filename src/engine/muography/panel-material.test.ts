// The panels' own scattering as functions of the panel heights: the slope sensitivities b_j against a hand-made
// stack, their tensor form against the numbers and a finite difference, the displaced crossings on the tape
// against the displacements written out by hand, and the panels' term of the variance against its sum written out.
import { beforeAll, describe, expect, test } from 'vitest'
import { readBack, tf, useNodeBackend } from '../core/tensor'
import { createPanelParams } from './panels'
import { DEFAULT_PANEL_THICKNESS_X0 } from '../design/muography'
import { highlandTheta0 } from './highland'
import { panelMajorPairs } from './panel-major'
import { kickShifts, panelLayout, panelLoss, panelVariance, sensitivityTensor } from './panel-material'
import { uniformDesign } from './test-designs'

beforeAll(async () => { await useNodeBackend('cpu') })

// above: z = 1.2, 1.15, 1.1, 1.05 (design order); below: 0.2, 0.15, 0.1, 0.05; all σ equal
const detector = uniformDesign('iron').detector

describe('panel material', () => {
  test('the default panel (1 cm of plastic scintillator) at 1 GeV/c: 1.8 mrad of scattering, twice the slope resolution of four 100 µm planes over 15 cm, and ≈ 2 MeV of loss', () => {
    expect(DEFAULT_PANEL_THICKNESS_X0).toBeCloseTo(0.01 / 0.4254, 3) // PVT, X0 = 42.54 cm (PDG)
    const theta0 = highlandTheta0(DEFAULT_PANEL_THICKNESS_X0, 1, 1)
    expect(theta0 * 1e3).toBeCloseTo(1.8, 1)
    // least-squares slope error σ/√Σ(z − z̄)² for planes at 0, 5, 10, 15 cm: 0.89 mrad
    const slope = 1e-4 / Math.sqrt([-0.075, -0.025, 0.025, 0.075].reduce((s, d) => s + d * d, 0))
    expect(slope * 1e3).toBeCloseTo(0.89, 2)
    expect(theta0 / slope).toBeCloseTo(2, 0)
    // PDG: dE/dx_min of polyvinyltoluene 1.956 MeV cm²/g × 1.032 g/cm³ × 1 cm = 2.02 MeV (a little more above minimum)
    const loss = panelLoss(1, DEFAULT_PANEL_THICKNESS_X0) * 1e3
    console.log(`default panel at 1 GeV/c: θ0 ${(theta0 * 1e3).toFixed(2)} mrad, ${(theta0 / slope).toFixed(2)}× the slope resolution ${(slope * 1e3).toFixed(2)} mrad, loss ${loss.toFixed(2)} MeV`)
    expect(loss).toBeGreaterThan(1.9)
    expect(loss).toBeLessThan(2.3)
  })

  test('b_j of a stack of equal panels: a kick at the panel nearest the volume tilts the fitted line by −δ (above)', () => {
    const panels = createPanelParams(detector)
    const L = panelLayout(panels, panels.values().z)
    // above, z̄ = 1.125, Σ(z − z̄)² = 0.0125, a = (z − z̄)/0.0125 = [6, 2, −2, −6]; b_j = −Σ_{z_k > z_j} a_k (z_k − z_j)
    const b = [0, -(6 * 0.05), -(6 * 0.1 + 2 * 0.05), -(6 * 0.15 + 2 * 0.1 - 2 * 0.05)]
    // (the σ weights are float32: agreement to 1e-6)
    b.forEach((v, j) => expect(L.sensitivity[j]).toBeCloseTo(v, 6))
    expect(L.sensitivity[3]).toBeCloseTo(-1, 6)
    // below, mirrored: a kick at the top panel (nearest the volume, crossed first) tilts the line by +δ
    expect(L.sensitivity[4]).toBeCloseTo(1, 6)
    expect(L.sensitivity[7]).toBeCloseTo(0, 6)
    panels.dispose()
  })

  test('the tensor b(z) equals the numbers and its gradient a central finite difference', async () => {
    const panels = createPanelParams(detector)
    const z = Float64Array.from(panels.values().z)
    z[1] += 0.013; z[6] -= 0.021
    panels.setValues({ ...panels.values(), z })
    const L = panelLayout(panels, z)
    const [bt] = await readBack([sensitivityTensor(panels, L)])
    L.sensitivity.forEach((v, j) => expect(bt[j]).toBeCloseTo(v, 4))
    // d/dz_k of Σ_j r_j b_j with fixed r
    const r = [0.3, -1.1, 0.7, 0.2, -0.4, 0.9, 0.5, -0.8]
    const f = (zz: Float64Array) => panelLayout(panels, zz).sensitivity.reduce((s, v, j) => s + r[j] * v, 0)
    const g = tf.variableGrads(() => tf.sum(tf.mul(sensitivityTensor(panels, L), r)) as tf.Scalar, [panels.z])
    const [gz] = await readBack([g.grads[panels.z.name]])
    for (const k of [0, 2, 5, 7]) {
      const h = 1e-5
      const up = Float64Array.from(z), dn = Float64Array.from(z)
      up[k] += h; dn[k] -= h
      const fd = (f(up) - f(dn)) / (2 * h)
      expect(Math.abs(gz[k] - fd)).toBeLessThan(2e-3 * Math.abs(fd) + 2e-3)
    }
    tf.dispose([g.value, ...Object.values(g.grads)])
    panels.dispose()
  })

  test('kicks displace the crossings of the panels crossed before them, by δ times the distance', async () => {
    const panels = createPanelParams(detector)
    const zv = panels.values().z
    const L = panelLayout(panels, zv)
    const P = 8, N = 2
    const kicks = new Float32Array(N * P * 2)
    // muon 0: kick 1e-3 in x at above-2 (z 1.1); muon 1: kick −2e-3 in y at below-1 (z 0.15)
    kicks[2 * 2] = 1e-3
    kicks[2 * (P + 5) + 1] = -2e-3
    const above = [0, 1, 2, 3], below = [4, 5, 6, 7]
    const zt = (idx: number[]) => tf.tensor2d(idx.map((p) => zv[p]), [idx.length, 1])
    const shifts = (idx: number[]) => {
      const [dx, dy] = panelMajorPairs(kicks, N, P, idx)
      return kickShifts(L, idx, zt(idx), tf.tensor2d(dx, [idx.length, N]), tf.tensor2d(dy, [idx.length, N]))
    }
    const [ax, ay] = shifts(above)
    const [bx, by] = shifts(below)
    const [AX, AY, BX, BY] = await readBack([ax, ay, bx, by])
    // above: panels 0 (z 1.2) and 1 (z 1.15) move by −δ (z_k − 1.1); the rest stay
    const axExpect = [-1e-3 * 0.1, 0, -1e-3 * 0.05, 0, 0, 0, 0, 0] // [K, N] panel-major
    axExpect.forEach((v, q) => expect(AX[q]).toBeCloseTo(v, 9))
    expect(Array.from(AY).every((v) => v === 0)).toBe(true)
    // below: panels 6 (z 0.1) and 7 (z 0.05) move by +δ (z_k − 0.15) for muon 1
    const byExpect = [0, 0, 0, 0, 0, -2e-3 * -0.05, 0, -2e-3 * -0.1]
    byExpect.forEach((v, q) => expect(BY[q]).toBeCloseTo(v, 9))
    expect(Array.from(BX).every((v) => v === 0)).toBe(true)
    tf.dispose([ax, ay, bx, by])
    panels.dispose()
  })

  test('the panels\' term Σ_j c_ij g_ij b_j² against the sum written out, from c at the stacks as numbers and as tensors', async () => {
    const panels = createPanelParams(detector)
    const L = panelLayout(panels, panels.values().z)
    const P = 8, N = 3
    const g = Float32Array.from({ length: N * P }, (_, q) => 0.5 + 0.1 * (q % 7))
    const cIn = [2e-4, 5e-4, 1e-3], cOut = [3e-4, 8e-4, 2e-3]
    // above (panels 0–3) c at the stack above, below (4–7) c at the stack below
    const want = cIn.map((_, i) => L.sensitivity.reduce((sum, b, j) => sum + (j < 4 ? cIn[i] : cOut[i]) * g[i * P + j] * b * b, 0))
    const tensors = { cIn: tf.tensor1d(cIn), cOut: tf.tensor1d(cOut) }
    const [fromNumbers, fromTensors] = await readBack([panelVariance(panels, L, g, cIn, cOut), panelVariance(panels, L, g, tensors.cIn, tensors.cOut)])
    want.forEach((v, i) => {
      expect(v).toBeGreaterThan(0)
      // float32 products and sums
      expect(Math.abs(fromNumbers[i] / v - 1)).toBeLessThan(1e-6)
      expect(fromTensors[i]).toBe(fromNumbers[i])
    })
    tf.dispose([tensors.cIn, tensors.cOut])
    panels.dispose()
  })
})
