import { describe, expect, it } from 'vitest'
import { normalPair, philox, philoxKey, uniform24 } from './philox'

// Random123's known-answer vectors for Philox4×32-10 (kat_vectors: counter[4] key[2] → output[4])
const KAT: [number[], number[], number[]][] = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
]

describe('Philox4×32-10', () => {
  it('reproduces the Random123 known answers', () => {
    const out = new Uint32Array(4)
    for (const [c, k, want] of KAT) {
      philox(c[0], c[1], c[2], c[3], k[0], k[1], out)
      expect(Array.from(out)).toEqual(want)
    }
  })

  it('high words of 32×32 products agree with BigInt arithmetic', () => {
    // the 16-bit high-word arithmetic against exact 64-bit products, on random counters and keys
    const ref = (c: bigint[], k: bigint[]): bigint[] => {
      const mask = 0xffffffffn
      for (let r = 0; r < 10; r++) {
        const p0 = 0xd2511f53n * c[0], p1 = 0xcd9e8d57n * c[2]
        c = [((p1 >> 32n) ^ c[1] ^ k[0]) & mask, p1 & mask, ((p0 >> 32n) ^ c[3] ^ k[1]) & mask, p0 & mask]
        k = [(k[0] + 0x9e3779b9n) & mask, (k[1] + 0xbb67ae85n) & mask]
      }
      return c
    }
    const out = new Uint32Array(4)
    let s = 12345
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0)
    for (let t = 0; t < 2000; t++) {
      const c = [next(), next(), next(), next()], k = [next(), next()]
      philox(c[0], c[1], c[2], c[3], k[0], k[1], out)
      expect(Array.from(out).map(BigInt)).toEqual(ref(c.map(BigInt), k.map(BigInt)))
    }
  })

  it('keys differ by stream name and seed', () => {
    expect(philoxKey(7, 'muons')).not.toEqual(philoxKey(7, 'showers'))
    expect(philoxKey(7, 'muons')[0]).toBe(7)
    expect(philoxKey(-1, 'muons')[0]).toBe(0xffffffff)
  })

  it('uniforms lie in [0, 1) on a 2⁻²⁴ grid and normals have unit variance and no skew', () => {
    expect(uniform24(0)).toBe(0)
    expect(uniform24(0xffffffff)).toBe(1 - 2 ** -24)
    expect(Math.fround(uniform24(0x12345678))).toBe(uniform24(0x12345678))
    const out = new Uint32Array(4), z = new Float64Array(2)
    const n = 200_000
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0
    for (let i = 0; i < n / 2; i++) {
      philox(i, 0, 0, 0, 1, 2, out)
      normalPair(out[0], out[1], z, 0)
      for (const v of z) { m1 += v; m2 += v * v; m3 += v ** 3; m4 += v ** 4 }
    }
    // standard errors: mean 1/√n, variance √(2/n), skewness √(6/n), fourth moment √(96/n); 5σ bounds
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n))
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n))
    expect(Math.abs(m3 / n)).toBeLessThan(5 * Math.sqrt(6 / n))
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n))
  })
})
