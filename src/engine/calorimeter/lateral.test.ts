import { beforeAll, describe, expect, test } from 'vitest'
import { MATERIALS } from '../core/materials'
import { tf, useNodeBackend } from '../core/tensor'
import { lateralContainment, spotFluctuation } from './lateral'
import { createCalorimeterSession } from './session'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })

/** fraction of the 2D density with cumulative r²/(r²+R²) inside a disk of radius r centred d away (polar quadrature) */
function offsetDisk(R: number, r: number, d: number): number {
  const rho = (s2: number) => (R * R) / (Math.PI * (s2 + R * R) ** 2)
  const nr = 800, nphi = 800
  let sum = 0
  for (let i = 0; i < nr; i++) {
    const s = ((i + 0.5) / nr) * r
    for (let j = 0; j < nphi; j++) {
      const phi = ((j + 0.5) / nphi) * 2 * Math.PI
      sum += rho((s * Math.cos(phi) + d) ** 2 + (s * Math.sin(phi)) ** 2) * s
    }
  }
  return (sum * r * 2 * Math.PI) / (nr * nphi)
}

describe('impact-point offset', () => {
  test('∂F/∂(d²) gives the containment of an off-centre disk to second order in d', () => {
    // one grid point deep in a shower (τ = 2) of 10 GeV in Z = 68, face radius 2.5 R_M
    const [F, per] = tf.tidy(() => {
      const out = lateralContainment({
        lnE: tf.tensor1d([Math.log(10)]), tMax: tf.tensor1d([6]), t: tf.tensor1d([12]), r: tf.scalar(2.5),
        zEff: tf.scalar(68), invFs: null, oneMinusEhat: null,
      })
      return [out.F, out.perOffset2]
    }).map((x) => { const v = x.dataSync()[0]; x.dispose(); return v })
    expect(F).toBeGreaterThan(0.5)
    expect(F).toBeLessThan(0.99)
    // check the one-component form against the quadrature: R = 1 (core-like) and R = 2 (tail-like), r = 2.5
    for (const R of [1, 2]) {
      const r = 2.5, d = 0.4
      const second = (r * r) / (r * r + R * R) - (2 * d * d * r * r * R * R) / (r * r + R * R) ** 3
      expect(Math.abs(offsetDisk(R, r, d) - second)).toBeLessThan(1e-3)
      // the offset costs containment
      expect(second).toBeLessThan((r * r) / (r * r + R * R))
    }
    expect(per).toBeLessThan(0)
  })

  test('a beam spot lowers the mean containment of a 3 × 3 crystal sum and widens its resolution', async () => {
    const run = async (spot: number) => {
      const d = smallDesign(
        [{ repeat: 100, absorber: 'pbwo4', absorber_thickness: 0, active: 'pbwo4', active_thickness: 0.0023 }],
        { energies: [50], showers: 3000, transverse: 0.066 },
      )
      d.beam.spot_size = spot
      d.calorimeter.scintillator_pe_per_mev = 4.5
      const s = await createCalorimeterSession(d)
      const p = s.snapshot().calo!.points[0]
      s.dispose()
      return p
    }
    const centre = await run(0), spread = await run(0.022)
    expect(spread.mean_response).toBeLessThan(centre.mean_response - 0.003)
    expect(spread.sigma_over_e).toBeGreaterThan(centre.sigma_over_e)
  }, 60_000)
})

describe('spot statistics', () => {
  test('a 5 × 5 PbWO4 sum (F = 0.975) at 20 GeV: σ(F)/F = √((1−F)/(F·N_spot)) = 0.22 %, N_spot = 93 ln Z E^0.876', () => {
    const z = MATERIALS.pbwo4.z
    const nSpot = 93 * Math.log(z) * 20 ** 0.876
    const rel = tf.tidy(() => spotFluctuation(tf.tensor1d([0.975]), tf.scalar(z), [20], tf.tensor2d([[1]])).dataSync()[0] - 1)
    expect(rel).toBeCloseTo(Math.sqrt(0.025 / (0.975 * nSpot)), 5)
    expect(rel).toBeCloseTo(0.0022, 4)
  })
})
