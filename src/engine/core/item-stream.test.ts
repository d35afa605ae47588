import { describe, expect, it } from 'vitest'
import { fillNormals, next32, seedItem, uniform, ZIG_K, ZIG_R } from './item-stream'
import { philox } from './philox'

/** Φ(x) from erfc by its continued fraction (x > 0) or series, accurate to 1e-12: independent of the ziggurat */
function phi(x: number): number {
  // Φ(x) = ½ erfc(−x/√2); erfc by the series of erf for small |x| and Lentz's continued fraction beyond
  const z = Math.abs(x) / Math.SQRT2
  let erfc: number
  if (z < 2) {
    let term = z, sum = z
    for (let n = 1; n < 60; n++) { term *= (-z * z) / n; sum += term / (2 * n + 1) }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum
  } else {
    let f = 0
    for (let n = 60; n >= 1; n--) f = (n / 2) / (z + f)
    erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f)
  }
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

describe('item streams', () => {
  it('start from the Philox word of (item, sub-stream) and step as sfc32', () => {
    const st = new Int32Array(4), w = new Uint32Array(4)
    seedItem(st, 1234, 1, 77, 88)
    philox(1234, 1, 0, 0, 77, 88, w)
    expect(Array.from(st, (v) => v >>> 0)).toEqual(Array.from(w))
    // sfc32 by hand (Doty-Humphrey): t = a + b + d; a = b ^ b >> 9; b = c + c << 3; c = rotl(c, 21) + t; d + 1
    const [a, b, c, d] = Array.from(w)
    const t = (a + b + d) >>> 0
    expect(next32(st) >>> 0).toBe(t)
    expect(st[0] >>> 0).toBe((b ^ (b >>> 9)) >>> 0)
    expect(st[1] >>> 0).toBe((c + c * 8) % 2 ** 32)
    expect(st[2] >>> 0).toBe(((((c << 21) | (c >>> 11)) >>> 0) + t) % 2 ** 32)
    expect(st[3] >>> 0).toBe((d + 1) % 2 ** 32)
  })

  it('uniforms are 24-bit multiples in [0, 1)', () => {
    const st = new Int32Array(4)
    seedItem(st, 5, 0, 1, 2)
    for (let k = 0; k < 1000; k++) {
      const u = uniform(st)
      expect(u).toBeGreaterThanOrEqual(0)
      expect(u).toBeLessThan(1)
      expect(Number.isInteger(u * 2 ** 24)).toBe(true)
    }
  })

  it('normals drawn in blocks of any size are the same sequence', () => {
    const a = new Int32Array(4), b = new Int32Array(4)
    seedItem(a, 42, 0, 3, 4)
    b.set(a)
    const whole = new Float64Array(1000)
    fillNormals(a, whole)
    const parts = new Float64Array(1000), block = new Float64Array(37)
    for (let k = 0; k < 1000;) {
      // a block that starts part-way, as the propagation refills after keeping its last few normals
      const from = k % 3
      fillNormals(b, block, from)
      const take = Math.min(block.length - from, 1000 - k)
      parts.set(block.subarray(from, from + take), k)
      k += take
    }
    expect(Array.from(parts)).toEqual(Array.from(whole))
  })

  it('the ziggurat gives standard normals: moments, the CDF at 13 points, the tail beyond R', () => {
    const st = new Int32Array(4)
    seedItem(st, 0, 0, 2026, 12)
    const n = 2_000_000
    const z = new Float64Array(n)
    fillNormals(st, z)
    let m1 = 0, m2 = 0, m4 = 0, beyondR = 0
    for (const v of z) { m1 += v; m2 += v * v; m4 += v ** 4; if (Math.abs(v) > ZIG_R) beyondR++ }
    m1 /= n; m2 /= n; m4 /= n
    // standard errors at 2e6: mean 7e-4, variance 1e-3, fourth moment 7e-3
    expect(Math.abs(m1)).toBeLessThan(0.004)
    expect(Math.abs(m2 - 1)).toBeLessThan(0.005)
    expect(Math.abs(m4 - 3)).toBeLessThan(0.04)
    // the tail path: P(|z| > R) = 2Φ(−R) = 5.76e-4, ±1.7e-5 at 2e6
    expect(Math.abs(beyondR / n - 2 * phi(-ZIG_R))).toBeLessThan(8e-5)
    const sorted = z.sort()
    for (const x of [-3, -2.5, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 2.5, 3]) {
      let lo = 0, hi = n
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < x) lo = mid + 1; else hi = mid }
      // 5 standard errors of a binomial fraction at 2e6 (each ≤ 3.5e-4)
      expect(Math.abs(lo / n - phi(x)), `CDF at ${x}`).toBeLessThan(1.8e-3)
    }
  })

  it('the ziggurat table k holds integers, as zigset keeps it, so its test is exact on a GPU', () => {
    for (const k of ZIG_K) expect(Number.isInteger(k) && k >= 0 && k < 2 ** 32).toBe(true)
  })
})
