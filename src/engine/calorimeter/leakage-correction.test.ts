import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { gaussianCore } from './core-fit'
import { tf, useNodeBackend } from '../core/tensor'
import { leakageCorrected, leakageCorrectedOnTape, REAR_X0, rearCells, rearShares } from './leakage-correction'

beforeAll(async () => { await useNodeBackend('wasm') })

describe('the rear of the stack', () => {
  test('the cells whose centres lie within 3 X0 of the back face, and at least the last one', () => {
    expect(REAR_X0).toBe(3)
    // ATLAS-like cells of 0.3013 X0: centres 0.15, 0.45, …, 2.86 X0 from the back are in, the 11th (3.16) is not
    const fine = rearCells(new Array(91).fill(0.3013))
    expect(Array.from(fine.subarray(0, 81)).every((r) => r === 0)).toBe(true)
    expect(Array.from(fine.subarray(81)).every((r) => r === 1)).toBe(true)
    // cells of 5 X0: the last one's centre is 2.5 X0 from the back, the one before it 7.5
    expect(Array.from(rearCells([5, 5, 5]))).toEqual([0, 0, 1])
    // a last cell thicker than 6 X0 still counts
    expect(Array.from(rearCells([1, 8]))).toEqual([0, 1])
  })

  test('each shower’s share of its energy in the rear cells', () => {
    const out = new Float64Array(3)
    rearShares([1, 1, 2, /**/ 0, 0, 0, /**/ 0, 3, 1], 3, Uint8Array.of(0, 1, 1), out)
    expect(Array.from(out)).toEqual([0.75, 0, 1])
  })
})

describe('the rear-leakage correction', () => {
  // hand-made showers of 100 GeV: each leaks f = 2r + 20r² of its energy, r its rear share, and the rest is measured
  // with a 0.2 % Gaussian error; the correction should take σ/E from the leakage's spread down to that error
  const E = 100, N = 8000
  const showers = (informative: boolean) => {
    const rng = createRng(7, 'leakage-test')
    const reco = new Float64Array(N), share = new Float64Array(N)
    for (let s = 0; s < N; s++) {
      const r = 0.001 + 0.02 * rng.uniform()
      const f = 2 * r + 20 * r * r
      reco[s] = E * (1 - f) * (1 + 0.002 * rng.normal())
      share[s] = informative ? r : 0.001 + 0.02 * rng.uniform()
    }
    return { reco, share }
  }
  const width = (x: ArrayLike<number>) => { const c = gaussianCore(x); return { sigma: c.sigma / c.mean, spread: c.sigma, mean: c.mean } }

  test('a share that measures the leakage: σ/E falls to the measurement error, and the mean to E', () => {
    const { reco, share } = showers(true)
    const before = width(reco), after = width(leakageCorrected(reco, share, E))
    console.log(`hand-made leakage: σ/E ${(100 * before.sigma).toFixed(3)} % → ${(100 * after.sigma).toFixed(3)} % (measurement error 0.2 %)`)
    expect(before.sigma).toBeGreaterThan(0.01)
    expect(Math.abs(after.sigma / 0.002 - 1)).toBeLessThan(0.05)
    expect(Math.abs(after.mean / E - 1)).toBeLessThan(2e-4)
  })

  test('a share that says nothing: the cross-fitted correction only adds the mean leakage, and σ stays', () => {
    const { reco, share } = showers(false)
    const before = width(reco), after = width(leakageCorrected(reco, share, E))
    expect(Math.abs(after.spread / before.spread - 1)).toBeLessThan(0.01)
    expect(Math.abs(after.mean / E - 1)).toBeLessThan(1e-3)
  })

  test('too few showers for a fit (under 30 per half): no correction', () => {
    expect(Array.from(leakageCorrected([90, 95, 99], [0.01, 0.02, 0.03], 100))).toEqual([90, 95, 99])
    // three energies, each with its own share: a quadratic in the share is exact
    const reco = (n: number) => Array.from({ length: n }, (_, s) => 90 + 3 * (s % 3))
    const share = (r: number[]) => r.map((e) => (100 - e) / 500)
    expect(Array.from(leakageCorrected(reco(58), share(reco(58)), 100))).toEqual(reco(58))
    // with 30 in each half it corrects them all to 100
    const more = reco(60), moreShare = share(more)
    for (const e of leakageCorrected(more, moreShare, 100)) expect(e).toBeCloseTo(100, 6)
  })
})

describe('the rear-leakage correction on the tape (the training loss)', () => {
  // the hand-made showers above as two cells, the second the rear: its share is the shower's r
  const E = 100, N = 8000
  const batch = (share: (s: number, r: number) => number, split = true) => {
    const rng = createRng(7, 'leakage-test')
    const reco = new Float32Array(N), cal = new Float32Array(2 * N)
    for (let s = 0; s < N; s++) {
      const r = 0.001 + 0.02 * rng.uniform()
      reco[s] = E * (1 - 2 * r - 20 * r * r) * (1 + 0.002 * rng.normal())
      const q = share(s, r)
      // without the split, both cells hold 1: every share is exactly ½
      cal[2 * s] = split ? reco[s] * (1 - q) : 1
      cal[2 * s + 1] = split ? reco[s] * q : 1
    }
    return { reco, cal }
  }
  const corrected = async (b: { reco: Float32Array; cal: Float32Array }) => {
    const t = tf.tidy(() => leakageCorrectedOnTape(tf.tensor2d(b.reco, [1, N]), tf.tensor3d(b.cal, [1, N, 2]), Uint8Array.of(0, 1), [E]))
    const out = await t.data()
    t.dispose()
    return out
  }

  test('the same correction as the cross-fitted one: σ/E falls to the 0.2 % measurement error', async () => {
    const before = tf.memory().numTensors
    const b = batch((_, r) => r)
    const onTape = await corrected(b)
    const c = gaussianCore(onTape)
    expect(Math.abs(c.sigma / c.mean / 0.002 - 1)).toBeLessThan(0.05)
    expect(Math.abs(c.mean / E - 1)).toBeLessThan(2e-4)
    expect(tf.memory().numTensors).toBe(before)
  })

  test('every shower with the same rear share: no fit in the share, only the mean leakage added, and no NaN', async () => {
    const b = batch(() => 0.5, false)
    const onTape = await corrected(b)
    expect(Array.from(onTape).every(Number.isFinite)).toBe(true)
    // the RMS (the Gaussian core's window would move by a shower or two): adding a constant leaves it as it was, to
    // float32 rounding
    const stats = (x: ArrayLike<number>) => {
      const m = Array.from(x).reduce((a, v) => a + v, 0) / x.length
      return { m, rms: Math.sqrt(Array.from(x).reduce((a, v) => a + (v - m) ** 2, 0) / x.length) }
    }
    const c = stats(onTape), plain = stats(b.reco)
    expect(Math.abs(c.rms / plain.rms - 1)).toBeLessThan(1e-5)
    // the least-squares intercept puts the mean at E
    expect(Math.abs(c.m / E - 1)).toBeLessThan(1e-5)
  })
})
