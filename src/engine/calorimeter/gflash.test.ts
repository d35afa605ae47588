import { beforeAll, describe, expect, test } from 'vitest'
import { MATERIALS } from '../core/materials'
import { createRng } from '../core/rng'
import { tf, useNodeBackend } from '../core/tensor'
import { drawShowers } from './draws'
import { gflashAverageHomogeneous, gflashDistribution } from './gflash'
import { lnGamma, lnGammaNumber } from './lgamma'
import { CaloModel, type Particle } from './model'
import { cellFractions, depthGrid, exclusiveCumsumMatrix } from './profile'
import type { Cell } from './stack'

beforeAll(async () => { await useNodeBackend('wasm') })

/** regularised lower incomplete gamma P(a, x), float64 (series below a+1, Lentz continued fraction above) */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0
  const lnPre = a * Math.log(x) - x - lnGammaNumber(a)
  if (x < a + 1) {
    let term = 1 / a, sum = term
    for (let n = 1; n < 500; n++) { term *= x / (a + n); sum += term; if (term < sum * 1e-16) break }
    return sum * Math.exp(lnPre)
  }
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b; if (Math.abs(d) < 1e-300) d = 1e-300
    c = b + an / c; if (Math.abs(c) < 1e-300) c = 1e-300
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-15) break
  }
  return 1 - Math.exp(lnPre) * h
}

/** a homogeneous PbWO4 block of n cells of thickness d (no absorber) */
function crystalModel(n: number, d: number, transverse = 10, particle: Particle = 'e-'): { model: CaloModel; cells: Cell[] } {
  const cells: Cell[] = Array.from({ length: n }, () => ({ group: 0, absorber: 'pbwo4', absorber_thickness: 0, active: 'pbwo4', active_thickness: d }))
  const model = new CaloModel({
    cells, paramOf: new Int32Array(n), nParams: 1, K: 4, transverseSize: transverse, spotSize: 0, particle, noiseGeV: 0,
    scintillatorPePerMeV: 20, prices: { absorber_per_kg: 1, active_per_m2: 1 }, homogeneous: true,
  })
  return { model, cells }
}

describe('ln Γ in tensor ops', () => {
  test('matches exact values and the float64 series', () => {
    const xs = [0.5, 1, 1.1, 2.5, 5, 10.3, 40]
    const exact: Record<number, number> = { 0.5: 0.5 * Math.log(Math.PI), 1: 0, 5: Math.log(24) }
    const got = tf.tidy(() => lnGamma(tf.tensor1d(xs)).dataSync())
    xs.forEach((x, i) => {
      if (x in exact) expect(got[i]).toBeCloseTo(exact[x], 5)
      expect(Math.abs(got[i] - lnGammaNumber(x))).toBeLessThan(2e-5 * Math.max(1, Math.abs(lnGammaNumber(x))))
    })
    // Γ(2.5) = 1.5 · 0.5 · √π
    expect(lnGammaNumber(2.5)).toBeCloseTo(Math.log(0.75 * Math.sqrt(Math.PI)), 8)
  })
})

describe('longitudinal profile (GFLASH, hep-ex/0001020)', () => {
  test('shower maximum of 100 GeV electrons in PbWO4 ≈ 8.4 X0 (±5 %), average parameters', () => {
    const { T, alpha, beta } = gflashAverageHomogeneous(100, MATERIALS.pbwo4.ec_mev, MATERIALS.pbwo4.z)
    console.log(`100 GeV in PbWO4, average parameters: T ${T.toFixed(3)} X0, α ${alpha.toFixed(2)}, β ${beta.toFixed(3)}, leakage beyond 25.8 X0 ${(100 * (1 - gammaP(alpha, beta * 25.8))).toFixed(2)} %`)
    expect(Math.abs(T - 8.4) / 8.4).toBeLessThan(0.05)
    expect(alpha).toBeCloseTo(5.09, 1)
    expect(beta).toBeCloseTo(0.488, 2)
    // average-profile leakage beyond the 25.8 X0 of a CMS crystal, by the incomplete gamma function: 0.56 %
    expect(1 - gammaP(alpha, beta * 25.8)).toBeCloseTo(0.0056, 3)
  })

  test('the simulated mean profile of fluctuated showers peaks at ≈ 8.4 X0 and leaks < 1 % beyond 25.8 X0', () => {
    // 100 cells of 2.3 mm PbWO4 = 230 mm = 25.8 X0, the CMS crystal length
    const n = 100
    const { model } = crystalModel(n, 0.0023)
    const S = 4000
    const draws = drawShowers([12345], 'test', S, n, false)
    const [mean, leak] = tf.tidy(() => {
      const p = { absorber: tf.tensor1d([0]), active: tf.tensor1d([0.0023]), theta: tf.zeros([n]) as tf.Tensor1D, dense: null }
      const sim = model.simulate(p, [100], draws, { lateral: false })
      return [sim.frac.mean(1).reshape([n]), tf.scalar(1).sub(sim.frac.sum(2).mean())]
    }).map((t) => { const v = Array.from(t.dataSync()); t.dispose(); return v })
    model.dispose()
    const dt = 0.23 / MATERIALS.pbwo4.x0_m / n // X0 per cell
    let k = 0
    for (let i = 1; i < n; i++) if (mean[i] > mean[k]) k = i
    // parabola through the three cells around the maximum
    const [a, b, c] = [mean[k - 1], mean[k], mean[k + 1]]
    const peak = (k + 0.5 + (0.5 * (a - c)) / (a - 2 * b + c)) * dt
    console.log(`100 GeV in PbWO4, ${S} fluctuated showers: mean profile's peak ${peak.toFixed(2)} X0, leakage beyond 25.8 X0 ${(100 * leak[0]).toFixed(2)} %`)
    expect(Math.abs(peak - 8.4) / 8.4).toBeLessThan(0.05)
    expect(leak[0]).toBeGreaterThan(0)
    expect(leak[0]).toBeLessThan(0.01)
  })

  test('a photon shower is an electron shower delayed by one X0, not stretched (PDG RPP 2024 §34.5)', () => {
    // 120 cells of PbWO4 = 24 X0, no lateral loss; the same draws for both particles
    const n = 120, d = (24 * MATERIALS.pbwo4.x0_m) / n
    const at = (particle: Particle, E: number) => {
      const { model } = crystalModel(n, d, 10, particle)
      const draws = drawShowers([7], 'test', 4000, n, false)
      const [leak, depth] = tf.tidy(() => {
        const p = { absorber: tf.tensor1d([0]), active: tf.tensor1d([d]), theta: tf.zeros([n]) as tf.Tensor1D, dense: null }
        const m = model.simulate(p, [E], draws, { lateral: false }).frac.mean(1).reshape([n])
        const t = tf.range(0, n).add(0.5).mul(24 / n)
        return [tf.scalar(1).sub(m.sum()), m.mul(t).sum().div(m.sum())]
      }).map((x) => { const v = x.dataSync()[0]; x.dispose(); return v })
      model.dispose()
      return { leak, depth }
    }
    for (const E of [1, 10]) {
      const e = at('e-', E), g = at('gamma', E)
      console.log(`${E} GeV in 24 X0 of PbWO4: the photon ${(g.depth - e.depth).toFixed(2)} X0 deeper, leaking ${(100 * g.leak).toFixed(2)} % against ${(100 * e.leak).toFixed(2)} %`)
      // mean depth one X0 deeper (C_γ − C_e = 1); a stretched profile would move it by more and widen the tail
      expect(g.depth - e.depth).toBeGreaterThan(0.9)
      expect(g.depth - e.depth).toBeLessThan(1.1)
      // leakage out of 24 X0: a delayed tail, close to the electron's (a stretch gave 2.6× at 1 GeV)
      expect(g.leak).toBeGreaterThan(e.leak)
      expect(g.leak / e.leak).toBeLessThan(1.5)
    }
  })

  test('per-cell fractions on the moving grid agree with the incomplete gamma function', () => {
    const widths = [0.3, 0.3, 1.2, 0.05, 2.0, 0.7, 3.0, 1.0, 4.0, 6.0] // X0, deliberately uneven
    const alpha = 4.2, beta = 0.55
    const got = tf.tidy(() => {
      const cx = tf.tensor1d(widths)
      const grid = depthGrid(cx, 8, exclusiveCumsumMatrix(widths.length))
      return cellFractions(tf.tensor2d([[alpha]]), tf.tensor2d([[beta]]), grid, null).dataSync()
    })
    let t = 0
    widths.forEach((w, i) => {
      const exact = gammaP(alpha, beta * (t + w)) - gammaP(alpha, beta * t)
      // midpoint rule with K = 8 points per cell: ≤ 0.3 % even for a 6 X0 cell
      expect(Math.abs(got[i] - exact)).toBeLessThan(3e-3 * exact + 1e-5)
      t += w
    })
  })
})

describe('rear-leakage fluctuations (what sets the constant term of a deep crystal)', () => {
  test('beyond 25.8 X0 of PbWO4 at 250 GeV, GFLASH’s (ln T, ln α) spread the leakage 4× more than a pure shift of the shower would', () => {
    const pb = MATERIALS.pbwo4
    const [mT, sT, mA, sA, rho] = tf.tidy(() => {
      const d = gflashDistribution({ lnY: tf.tensor1d([Math.log(250e3 / pb.ec_mev)]), zEff: tf.scalar(pb.z), invFs: null, oneMinusEhat: null })
      return [d.muLnT, d.sigLnT, d.muLnA, d.sigLnA, d.rho].map((t) => t.dataSync()[0])
    })
    const n = 40000
    const z = new Float64Array(2 * n)
    createRng(13, 'validation').fillNormal(z)
    /** 16 %, 50 % and 84 % quantiles of the leaking fraction, in float64, for a correlation r of ln T and ln α */
    const leakage = (r: number) => {
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const u = Math.sqrt((1 + r) / 2) * z[2 * i], v = Math.sqrt((1 - r) / 2) * z[2 * i + 1]
        const T = Math.exp(mT + sT * (u + v)), a = Math.exp(mA + sA * (u - v))
        out[i] = 1 - gammaP(a, ((a - 1) / T) * 25.8)
      }
      out.sort()
      return [0.16, 0.5, 0.84].map((q) => out[Math.floor(q * n)])
    }
    const [lo, median, hi] = leakage(rho)
    expect(rho).toBeCloseTo(0.705 - 0.023 * Math.log(250e3 / pb.ec_mev), 5)
    expect(median).toBeGreaterThan(0.006)
    expect(median).toBeLessThan(0.01)
    // half the 68 % width: 0.56 % of the energy, as large as CMS's whole σ/E at 250 GeV (0.35 %) and more
    expect((hi - lo) / 2).toBeGreaterThan(0.0045)
    expect((hi - lo) / 2).toBeLessThan(0.0065)
    // the same spreads moving ln T and ln α together (a shower shifted in depth, its shape kept): 0.14 %
    const [lo1, , hi1] = leakage(1)
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`
    console.log(`250 GeV in PbWO4 beyond 25.8 X0: median leak ${pct(median)}, 68 % half-width ${pct((hi - lo) / 2)} (ρ = ${rho.toFixed(2)}), ${pct((hi1 - lo1) / 2)} with ρ = 1`)
    expect((hi1 - lo1) / 2).toBeLessThan(0.25 * (hi - lo) / 2)
  })
})
