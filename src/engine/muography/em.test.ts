import { describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { coreProbability, mixtureUpdate, solveScatteringDensity } from './em'
import type { PathMatrix } from './paths'
import { highlandC, highlandG, highlandGPrime } from './highland'
import { buildPaths, type LinePair } from './paths'
import type { VoxelVolume } from './types'

function gridVolume(nx: number, ny: number, nz: number, h: number, x0: (ix: number, iy: number, iz: number) => number): VoxelVolume {
  const V = nx * ny * nz
  const vol: VoxelVolume = {
    origin: [0, 0, 0], size: [nx * h, ny * h, nz * h], voxel: h, nx, ny, nz,
    palette: ['iron'], material: new Uint8Array(V), x0: new Float64Array(V),
  }
  for (let iz = 0; iz < nz; iz++) for (let iy = 0; iy < ny; iy++) for (let ix = 0; ix < nx; ix++) {
    vol.x0[ix + nx * (iy + ny * iz)] = x0(ix, iy, iz)
  }
  return vol
}

/** straight muons (no kink) with random position and inclination */
function straightLines(vol: VoxelVolume, n: number, seed: number): LinePair {
  const rng = createRng(seed, 'test')
  const inX = new Float32Array(n), inY = new Float32Array(n), tx = new Float32Array(n), ty = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    inX[i] = rng.uniform() * vol.size[0]
    inY[i] = rng.uniform() * vol.size[1]
    tx[i] = (rng.uniform() - 0.5) * 0.6
    ty[i] = (rng.uniform() - 0.5) * 0.6
  }
  const zIn = vol.size[2]
  const outX = inX.map((x, i) => x - tx[i] * zIn)
  const outY = inY.map((y, i) => y - ty[i] * zIn)
  return { n, zIn, zOut: 0, inX, inY, inTx: tx, inTy: ty, outX, outY, outTx: tx, outTy: ty }
}

describe('path matrix', () => {
  test('a vertical muon crosses one voxel per layer with length h', () => {
    const vol = gridVolume(3, 3, 4, 0.1, () => 1)
    const p = buildPaths(vol, { n: 1, zIn: 0.4, zOut: 0, inX: [0.15], inY: [0.25], inTx: [0], inTy: [0], outX: [0.15], outY: [0.25], outTx: [0], outTy: [0] })
    expect(p.nnz).toBe(4)
    for (let k = 0; k < 4; k++) expect(p.length[k]).toBeCloseTo(0.1, 6)
    expect([...p.voxel].sort((a, b) => a - b)).toEqual([1 + 3 * 2, 1 + 3 * 2 + 9, 1 + 3 * 2 + 18, 1 + 3 * 2 + 27])
  })

  test('an inclined straight muon: total length = height / cos θ, lengths sum per voxel', () => {
    const vol = gridVolume(10, 10, 6, 0.1, () => 1)
    const tx = 0.3, ty = -0.2
    const lines = { n: 1, zIn: 0.6, zOut: 0, inX: [0.3], inY: [0.6], inTx: [tx], inTy: [ty], outX: [0.3 - tx * 0.6], outY: [0.6 - ty * 0.6], outTx: [tx], outTy: [ty] }
    const p = buildPaths(vol, lines)
    const expected = 0.6 * Math.sqrt(1 + tx * tx + ty * ty)
    expect(p.total[0]).toBeCloseTo(expected, 5)
    expect(p.length.reduce((a, b) => a + b, 0)).toBeCloseTo(expected, 5)
    expect(p.nnz).toBeGreaterThan(6)
    // one entry per (muon, voxel): the kink of the path does not split a voxel's length in two
    const keys = new Set(Array.from(p.voxel, (v, k) => `${p.muon[k]}:${v}`))
    expect(keys.size).toBe(p.nnz)
  })

  test('a muon entering through a side face is traced only inside the volume', () => {
    const vol = gridVolume(2, 2, 2, 0.5, () => 1)
    // starts outside x < 0 at the top, crosses into the box
    const lines = { n: 1, zIn: 1, zOut: 0, inX: [-0.25], inY: [0.5], inTx: [-1], inTy: [0], outX: [0.75], outY: [0.5], outTx: [-1], outTy: [0] }
    const p = buildPaths(vol, lines)
    // inside portion: from x=0 (z=0.75) to x=0.75 (z=0) → length 0.75·√2
    expect(p.total[0]).toBeCloseTo(0.75 * Math.SQRT2, 5)
  })
})

describe('ML/EM scattering density on synthetic muons with known answers', () => {
  test('recovers per-voxel X0 of a two-material volume', () => {
    const truth = (ix: number) => (ix === 0 ? 0.01757 : 0.005612) // iron | lead columns
    const vol = gridVolume(2, 1, 1, 0.1, truth)
    const n = 40_000
    const lines = straightLines(vol, n, 1)
    const paths = buildPaths(vol, lines)
    const rng = createRng(2, 'test')
    const m = new Float64Array(n), c = new Float64Array(n), w = new Float64Array(n).fill(1), e = new Float64Array(n).fill(1e-8)
    const t = new Float64Array(n)
    for (let k = 0; k < paths.nnz; k++) t[paths.muon[k]] += paths.length[k] / vol.x0[paths.voxel[k]]
    for (let i = 0; i < n; i++) {
      const p = 1 + 9 * rng.uniform()
      c[i] = highlandC(p)
      const s = c[i] * highlandG(t[i]) + e[i]
      const gx = rng.normal(), gy = rng.normal()
      m[i] = (s * (gx * gx + gy * gy)) / 2 // θ²/2 with θx, θy ~ N(0, s)
    }
    const res = solveScatteringDensity(paths, { m, c, w, e }, { iterations: 200 })
    const x0 = Array.from(res.lambda, (l) => 1 / l)
    expect(x0[0] / 0.01757).toBeGreaterThan(0.95)
    expect(x0[0] / 0.01757).toBeLessThan(1.05)
    expect(x0[1] / 0.005612).toBeGreaterThan(0.95)
    expect(x0[1] / 0.005612).toBeLessThan(1.05)
  })
})

describe('an unknown momentum: the likelihood is the mixture over the prior\'s values (mixtureUpdate)', () => {
  const out = new Float64Array(3 + 4)
  /** ln of the mixture's density (1/n) Σ_q e^(−m/s_q)/s_q over the values that leave, straight from its definition */
  const lnMixture = (m: number, t: number, e: number, c: number[]) => {
    const leave = c.filter((v) => v > 0)
    return Math.log(leave.reduce((a, v) => a + Math.exp(-m / (v * highlandG(t) + e)) / (v * highlandG(t) + e), 0) / leave.length)
  }

  test('one value: the core probability and the update terms of a known momentum (c·m/s², c/s)', () => {
    const c = 2e-4, e = 1e-7, t = 3, m = 4e-4, s = c * highlandG(t) + e
    mixtureUpdate(m, e, highlandG(t), [c], 0, 1, 0.03, out)
    expect(out[0]).toBeCloseTo(coreProbability(m, s, 0.03), 12)
    expect(out[1] / ((c * m) / (s * s))).toBeCloseTo(1, 12)
    expect(out[2] / (c / s)).toBeCloseTo(1, 12)
  })

  test('four values, one of which stops: g′(t)·(terms[1] − terms[2]) is the derivative of ln p(m) in t (central differences)', () => {
    const c = [3e-3, 0, 4e-4, 5e-5], e = 2e-7, h = 1e-5
    for (const [m, t] of [[1e-4, 2], [2e-3, 10], [5e-6, 0.5]]) {
      mixtureUpdate(m, e, highlandG(t), c, 0, 4, 1e-12, out)
      const fd = (lnMixture(m, t + h, e, c) - lnMixture(m, t - h, e, c)) / (2 * h)
      expect(Math.abs(highlandGPrime(t) * (out[1] - out[2]) - fd)).toBeLessThan(1e-6 * Math.abs(fd) + 1e-9)
      expect(out[0]).toBeCloseTo(1, 9)
    }
  })

  test('one value either side of where the densities relative to their bound underflow (m/s about 466): the same terms', () => {
    const c = 2e-4, e = 1e-7, g = highlandG(2), s = c * g + e
    for (const y of [400, 460, 470, 600]) {
      mixtureUpdate(y * s, e, g, [c], 0, 1, 0.03, out)
      expect(out[1] / ((c * y) / s)).toBeCloseTo(1, 12)
      expect(out[2] / (c / s)).toBeCloseTo(1, 12)
      expect(out[0]).toBe(coreProbability(y * s, s, 0.03))
    }
  })

  test('an angle far beyond every value\'s scale: no underflow, and the muon goes to the tail', () => {
    const c = [1e-4, 2e-4], e = 0
    mixtureUpdate(1, e, highlandG(1), c, 0, 2, 0.03, out)
    expect(out.slice(0, 3).every(Number.isFinite)).toBe(true)
    expect(out[0]).toBeLessThan(1e-6)
    // the posterior then rests on the value with the larger scale
    expect(out[2]).toBeCloseTo(c[1] / (c[1] * highlandG(1)), 6)
  })
})

describe('a voxel seen only through a single scatter', () => {
  test('keeps its λ: a muon with m = 100 s has a core probability below the floor, so no weight and no terms', () => {
    // voxel 0: 200 muons whose m is drawn from the core; voxel 1: one muon (m = 100 s) that crosses only it
    const n = 201, L = 0.1, lam = 1 / 0.0176, c = highlandC(3), e = 1e-8
    const s = c * highlandG(L * lam) + e
    const rng = createRng(3, 'em-floor')
    const m = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? -s * Math.log(1 - rng.uniform()) : 100 * s))
    expect(coreProbability(m[n - 1], s)).toBe(0)
    const paths: PathMatrix = {
      nnz: n, nMuons: n, nVoxels: 2, muon: Int32Array.from({ length: n }, (_, i) => i),
      voxel: Int32Array.from({ length: n }, (_, i) => (i < n - 1 ? 0 : 1)), length: new Float32Array(n).fill(L), total: new Float32Array(n).fill(L),
    }
    const obs = { m, e: new Float64Array(n).fill(e), w: new Float64Array(n).fill(1), c: new Float64Array(n).fill(c) }
    const init = Float64Array.of(lam, lam)
    const res = solveScatteringDensity(paths, obs, { iterations: 5, init })
    // voxel 1 has no information: its λ stays where it started; its muon's weight is 0
    expect(res.lambda[1]).toBe(lam)
    expect(res.weight[n - 1]).toBe(0)
    // voxel 0 is measured: within the 200 muons' statistics (≈ 7 %) of the truth
    expect(Math.abs(res.lambda[0] / lam - 1)).toBeLessThan(0.25)
  })
})
