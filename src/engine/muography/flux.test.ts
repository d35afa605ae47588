// The flux models (docs/physics-muography-simulation.md) against the published integrals, and the generator against direct integration.
import { describe, expect, test } from 'vitest'
import { binOf, fluxRate, generateMuons, intensity, medianEnergy, verticalIntegral, zenithDistribution, type FluxModel } from './flux'

const M = 0.1056584
const AREA = { x0: -1, x1: 2, y0: 0.5, y1: 1.5 }

/** ∫∫ f(E,θ)·I(E,θ)·cosθ·sinθ dθ dE by Simpson's rule in (ln E, θ), written here independently of flux.ts */
function integrate(model: FluxModel, eMin: number, eMax: number, thMax: number, f: (e: number, th: number) => number): number {
  const nE = 1200, nT = 400 // even
  const a = Math.log(eMin), hE = (Math.log(eMax) - a) / nE, hT = thMax / nT
  const w = (k: number, n: number) => (k === 0 || k === n ? 1 : k % 2 ? 4 : 2)
  let s = 0
  for (let i = 0; i <= nE; i++) {
    const e = Math.exp(a + i * hE)
    for (let j = 0; j <= nT; j++) {
      const th = j * hT
      s += w(i, nE) * w(j, nT) * f(e, th) * intensity(model, e, Math.cos(th)) * e * Math.cos(th) * Math.sin(th)
    }
  }
  return (s * hE * hT) / 9
}

function sample(model: FluxModel, n: number, seed: number, stream = 'muons', eMin = 1) {
  return generateMuons({ n, model, thetaMaxDeg: 70, eMin, eMax: 500, area: AREA, z: 1.25, seed, stream })
}

describe('flux models', () => {
  test('vertical integral intensity above 1 GeV/c: Guan ≈ 60, Shukla ≈ 70 m⁻² s⁻¹ sr⁻¹ (±10 %)', () => {
    // trapezoid in ln E up to 10 TeV, directly on the intensity function
    const vert = (model: FluxModel) => {
      const a = Math.log(Math.hypot(1, M)), b = Math.log(1e4), n = 20000, h = (b - a) / n
      let s = 0
      for (let i = 0; i <= n; i++) {
        const e = Math.exp(a + i * h)
        s += (i === 0 || i === n ? 0.5 : 1) * intensity(model, e, 1) * e
      }
      return s * h
    }
    const g = vert('guan'), sh = vert('shukla')
    console.log(`vertical I(p > 1 GeV/c): Guan ${g.toFixed(1)}, Shukla ${sh.toFixed(1)} m⁻² s⁻¹ sr⁻¹`)
    expect(Math.abs(g / 60 - 1)).toBeLessThan(0.1)
    expect(Math.abs(sh / 70 - 1)).toBeLessThan(0.1)
    // the docs' table, to its last digit (a deterministic integral)
    expect(g).toBeCloseTo(60.4, 1)
    expect(sh).toBeCloseTo(70.2, 1)
    expect(verticalIntegral('guan', Math.hypot(1, M), 1e4) / g).toBeCloseTo(1, 3)
    expect(verticalIntegral('shukla', Math.hypot(1, M), 1e4) / sh).toBeCloseTo(1, 3)
  })

  test('flux through a horizontal plane (E > 1 GeV, θ < 70°): Guan ≈ 98, Shukla ≈ 110 m⁻² s⁻¹', () => {
    for (const [model, ref] of [['guan', 98], ['shukla', 110]] as const) {
      const direct = 2 * Math.PI * integrate(model, 1, 500, (70 * Math.PI) / 180, () => 1)
      const rate = fluxRate(model, { eMin: 1, eMax: 500, thetaMaxDeg: 70 })
      expect(Math.abs(rate / direct - 1)).toBeLessThan(2e-3)
      expect(Math.abs(rate / ref - 1)).toBeLessThan(0.05)
      // the docs' table: 98.4 and 109.5
      expect(rate).toBeCloseTo(model === 'guan' ? 98.4 : 109.5, 1)
    }
    // the default range (0.5–500 GeV): Guan ≈ 115 m⁻² s⁻¹ (the integral of arXiv:1509.06176's spectrum)
    expect(Math.abs(fluxRate('guan') / 115 - 1)).toBeLessThan(0.05)
    expect(fluxRate('guan')).toBeCloseTo(115, 0)
    // the part above 100 GeV, where radiative-loss fluctuations would start to matter (docs: 0.35 %)
    expect(fluxRate('guan', { eMin: 100 }) / fluxRate('guan')).toBeCloseTo(0.0035, 4)
    console.log(`horizontal-plane rate (E > 1 GeV, θ < 70°): Guan ${fluxRate('guan', { eMin: 1, eMax: 500, thetaMaxDeg: 70 }).toFixed(1)}, Shukla ${fluxRate('shukla', { eMin: 1, eMax: 500, thetaMaxDeg: 70 }).toFixed(1)} m⁻² s⁻¹; default range Guan ${fluxRate('guan').toFixed(1)} m⁻² s⁻¹, ${(100 * fluxRate('guan', { eMin: 100 }) / fluxRate('guan')).toFixed(3)} % above 100 GeV`)
  })

  test('median energy (E > 1 GeV, θ < 70°): Guan ≈ 3.8, Shukla ≈ 3.0 GeV (±10 %); the sampled median agrees', () => {
    for (const [model, ref] of [['guan', 3.8], ['shukla', 3.0]] as const) {
      const med = medianEnergy(model, { eMin: 1, eMax: 500, thetaMaxDeg: 70 })
      const mu = sample(model, 100_000, 1)
      const e = Array.from(mu.p, (p) => Math.hypot(p, M)).sort((a, b) => a - b)
      const sampled = (e[49_999] + e[50_000]) / 2
      console.log(`${model}: median E ${med.toFixed(3)} GeV (tabulated), ${sampled.toFixed(3)} GeV (sampled)`)
      expect(Math.abs(med / ref - 1)).toBeLessThan(0.1)
      // the docs' table: 3.81 and 3.00 GeV
      expect(med).toBeCloseTo(model === 'guan' ? 3.81 : 3.0, 2)
      expect(Math.abs(sampled / med - 1)).toBeLessThan(0.02)
    }
  })

  test('zenith angle: ⟨cos θ⟩ of the sample matches direct integration within 1 %, and the θ histogram follows the model', () => {
    const thMax = (70 * Math.PI) / 180
    for (const model of ['guan', 'shukla'] as const) {
      const direct = integrate(model, 1, 500, thMax, (_e, th) => Math.cos(th)) / integrate(model, 1, 500, thMax, () => 1)
      const n = 100_000
      const mu = sample(model, n, 2)
      let mc = 0
      for (let i = 0; i < n; i++) mc -= mu.uz[i] / n
      console.log(`${model}: ⟨cos θ⟩ sampled ${mc.toFixed(4)}, integrated ${direct.toFixed(4)}`)
      expect(Math.abs(mc / direct - 1)).toBeLessThan(0.01)
      // the docs' table: 0.802 and 0.806
      expect(Math.abs(direct - (model === 'guan' ? 0.802 : 0.806))).toBeLessThan(0.001)
      const zd = zenithDistribution(model, { eMin: 1, eMax: 500, thetaMaxDeg: 70 }, 7)
      expect(Math.abs(zd.meanCos / direct - 1)).toBeLessThan(1e-3)
      const counts = new Array<number>(7).fill(0)
      for (let i = 0; i < n; i++) counts[Math.min(6, Math.floor((Math.acos(-mu.uz[i]) / thMax) * 7))]++
      for (let k = 0; k < 7; k++) {
        const expected = n * zd.prob[k]
        expect(Math.abs(counts[k] - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1)
      }
    }
  })
})

test('the plain Gaisser formula (PDG RPP 2024 eq. 30.4) overestimates the vertical flux 63-fold at 1 GeV, 16-fold at 2, 8.5-fold at 3', () => {
  // cm⁻² s⁻¹ sr⁻¹ GeV⁻¹ → m⁻²: ×1e4
  const gaisser = (e: number) => 1400 * e ** -2.7 * (1 / (1 + (1.1 * e) / 115) + 0.054 / (1 + (1.1 * e) / 850))
  console.log(`plain Gaisser / Guan, vertical: ${[1, 2, 3].map((e) => `${(gaisser(e) / intensity('guan', e, 1)).toFixed(2)}-fold at ${e} GeV`).join(', ')}`)
  for (const [e, ratio] of [[1, 63], [2, 16.4], [3, 8.5]] as const) {
    expect(gaisser(e) / intensity('guan', e, 1) / ratio - 1, `${e} GeV`).toBeLessThan(0.02)
    expect(gaisser(e) / intensity('guan', e, 1) / ratio - 1, `${e} GeV`).toBeGreaterThan(-0.02)
  }
})

describe('generator', () => {
  test('muons lie on the plane over the area, point down within θmax, and carry p = √(E² − m²) in range', () => {
    const mu = sample('guan', 20_000, 3, 'muons', 0.5)
    let bad = 0
    for (let i = 0; i < mu.n; i++) {
      const norm = Math.hypot(mu.ux[i], mu.uy[i], mu.uz[i])
      const th = Math.acos(-mu.uz[i])
      const e = Math.hypot(mu.p[i], M)
      const ok = mu.z[i] === Math.fround(1.25) && mu.x[i] >= AREA.x0 && mu.x[i] <= AREA.x1 && mu.y[i] >= AREA.y0 &&
        mu.y[i] <= AREA.y1 && Math.abs(norm - 1) < 1e-6 && mu.uz[i] < 0 && th <= (70 * Math.PI) / 180 + 1e-6 &&
        e >= 0.5 * (1 - 1e-6) && e <= 500 * (1 + 1e-6)
      if (!ok) bad++
    }
    expect(bad).toBe(0)
  })

  test('same seed and stream → identical muons; another stream → different', () => {
    const a = sample('shukla', 1000, 7), b = sample('shukla', 1000, 7), c = sample('shukla', 1000, 7, 'validation')
    for (const k of ['x', 'y', 'ux', 'uy', 'uz', 'p'] as const) expect(Array.from(a[k])).toEqual(Array.from(b[k]))
    expect(Array.from(a.p)).not.toEqual(Array.from(c.p))
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x))
  })

  test('muon i is a function of (seed, stream, i): a batch that starts at muon 300 repeats the tail of one from 0', () => {
    const whole = generateMuons({ n: 1000, model: 'guan', area: AREA, z: 1, seed: 9 })
    const tail = generateMuons({ n: 700, model: 'guan', area: AREA, z: 1, seed: 9, first: 300 })
    for (const k of ['x', 'y', 'ux', 'uy', 'uz', 'p'] as const) expect(Array.from(tail[k])).toEqual(Array.from(whole[k].subarray(300)))
  })

  test('the integer cut points pick each bin with its tabulated probability', () => {
    // three bins, the middle one empty (equal cut points): a word below 1000 picks bin 0, any other bin 2, never 1
    const cut = Uint32Array.of(1000, 1000, 0xffffffff)
    expect([0, 999, 1000, 0xfffffffe, 0xffffffff].map((w) => binOf(cut, w))).toEqual([0, 0, 2, 2, 2])
  })

  test('θmax = 0 gives vertical muons with the vertical spectrum', () => {
    const mu = generateMuons({ n: 1000, model: 'guan', thetaMaxDeg: 0, eMin: 1, eMax: 100, area: AREA, z: 0, seed: 1 })
    for (let i = 0; i < mu.n; i++) expect(mu.uz[i]).toBe(-1)
    expect(fluxRate('guan', { thetaMaxDeg: 0, eMin: 1, eMax: 100 })).toBeGreaterThan(50)
  })
})
