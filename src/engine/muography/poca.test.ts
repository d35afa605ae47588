import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { tf, useNodeBackend } from '../core/tensor'
import type { MuographyDesign } from '../design/muography'
import { disposeReco, reconstruct } from './fit'
import { createPanelParams } from './panels'
import { pocaFromReco, pocaPoints, pocaToArrays } from './poca'
import type { MuonTracks } from './types'

type Detector = MuographyDesign['detector']
const Z_IN = 1
const Z_OUT = 0

/** lines given at z = 1 (in) and z = 0 (out) by position and slope dx/dz */
interface Line { x: number; y: number; tx: number; ty: number }

function makeTracks(pairs: { inp: Line; out: Line; alive?: boolean }[]): MuonTracks {
  const n = pairs.length
  const f = () => new Float32Array(n)
  const t: MuonTracks = {
    n, p: f().fill(3), pOut: f().fill(3), xin: f(), yin: f(), zin: f(), uxin: f(), uyin: f(), uzin: f(),
    xout: f(), yout: f(), zout: f(), uxout: f(), uyout: f(), uzout: f(), alive: new Uint8Array(n),
  }
  pairs.forEach(({ inp, out, alive }, i) => {
    const ni = Math.hypot(inp.tx, inp.ty, 1), no = Math.hypot(out.tx, out.ty, 1)
    t.xin[i] = inp.x; t.yin[i] = inp.y; t.zin[i] = Z_IN
    t.uxin[i] = -inp.tx / ni; t.uyin[i] = -inp.ty / ni; t.uzin[i] = -1 / ni
    t.xout[i] = out.x; t.yout[i] = out.y; t.zout[i] = Z_OUT
    t.uxout[i] = -out.tx / no; t.uyout[i] = -out.ty / no; t.uzout[i] = -1 / no
    t.alive[i] = alive === false ? 0 : 1
  })
  return t
}

/** a line through point k with slopes (tx, ty), evaluated at z */
const through = (k: [number, number, number], tx: number, ty: number, z: number): Line =>
  ({ x: k[0] + tx * (z - k[2]), y: k[1] + ty * (z - k[2]), tx, ty })

function detector(opts: { sigma?: number; eff?: number; span?: number; override?: Partial<Record<number, { resolution: number; efficiency: number }>> } = {}): Detector {
  const zs = [1.1, 1.25, 1.35, 1.5, -0.1, -0.2, -0.35, -0.5]
  return {
    technology: { resolution: opts.sigma ?? 1e-4, efficiency: opts.eff ?? 1, cost_per_m2: 1 },
    stacks: { above: { z_min: 1, z_max: 2 }, below: { z_min: -1, z_max: 0 } },
    panels: zs.map((z, i) => {
      const o = opts.override?.[i]
      return {
        id: `p${i}`, stack: i < 4 ? 'above' as const : 'below' as const, x: 0.5, y: 0.5, z, span_x: opts.span ?? 2, span_y: opts.span ?? 2,
        ...(o ? { technology: { resolution: o.resolution, efficiency: o.efficiency, cost_per_m2: 1 } } : {}),
      }
    }),
  }
}

const opts = (mode: 'hard' | 'smooth' = 'hard', smoothness = 0.1) => ({ mode, smoothness, zIn: Z_IN, zOut: Z_OUT })

beforeAll(async () => {
  await useNodeBackend('wasm')
})

describe('point of closest approach', () => {
  test('recovers the kink point of hand-made events to 1e-5 m', async () => {
    const panels = createPanelParams(detector({ sigma: 1e-6 }))
    const kinks: { k: [number, number, number]; a: [number, number]; b: [number, number] }[] = [
      { k: [0.4, 0.55, 0.37], a: [0.1, -0.2], b: [0.15, -0.1] },
      { k: [0.6, 0.45, 0.7], a: [-0.3, 0.25], b: [0.2, 0.3] },
      { k: [0.25, 0.8, 0.1], a: [0.5, 0.4], b: [0.45, 0.42] },
      { k: [0.5, 0.5, 0.5], a: [0, 0], b: [0.01, 0] },
    ]
    const tracks = makeTracks(kinks.map(({ k, a, b }) => ({ inp: through(k, a[0], a[1], Z_IN), out: through(k, b[0], b[1], Z_OUT) })))
    const reco = reconstruct(tracks, panels, new Float32Array(kinks.length * 16), opts())
    const p = pocaFromReco(reco)
    const arr = await pocaToArrays(p)
    kinks.forEach(({ k }, i) => {
      for (let c = 0; c < 3; c++) expect(Math.abs(arr.point[3 * i + c] - k[c])).toBeLessThan(1e-5)
      expect(arr.parallel[i]).toBe(0)
    })
    const stacked = pocaPoints(p).arraySync()
    expect(stacked.length).toBe(kinks.length)
    stacked.forEach((row, i) => row.forEach((v, c) => expect(v).toBe(arr.point[3 * i + c])))
    tf.dispose(p)
    disposeReco(reco)
    panels.dispose()
  })

  test('skew lines that do not meet: the midpoint of the common perpendicular', async () => {
    const panels = createPanelParams(detector({ sigma: 1e-6 }))
    const P: [number, number, number] = [0.5, 0.5, 0.5], u = [0.3, 0, 1]
    const Q: [number, number, number] = [0.5, 0.6, 0.5], v = [0, 0.3, 1]
    const tracks = makeTracks([{ inp: through(P, u[0], u[1], Z_IN), out: through(Q, v[0], v[1], Z_OUT) }])
    const reco = reconstruct(tracks, panels, new Float32Array(16), opts())
    const p = pocaFromReco(reco)
    const arr = await pocaToArrays(p)
    // independent float64: minimise |P + s u − Q − t v|² → [u·u, −u·v; u·v, −v·v][s, t] = [−u·w, −v·w], w = P − Q
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
    const w = [P[0] - Q[0], P[1] - Q[1], P[2] - Q[2]]
    const [a11, a12, a21, a22, r1, r2] = [dot(u, u), -dot(u, v), dot(u, v), -dot(v, v), -dot(u, w), -dot(v, w)]
    const det = a11 * a22 - a12 * a21
    const s = (r1 * a22 - a12 * r2) / det, t = (a11 * r2 - a21 * r1) / det
    const A = P.map((x, c) => x + s * u[c]), B = Q.map((x, c) => x + t * v[c])
    // the connecting segment is perpendicular to both lines
    const AB = [B[0] - A[0], B[1] - A[1], B[2] - A[2]]
    expect(Math.abs(dot(AB, u))).toBeLessThan(1e-12)
    expect(Math.abs(dot(AB, v))).toBeLessThan(1e-12)
    for (let c = 0; c < 3; c++) expect(Math.abs(arr.point[c] - (A[c] + B[c]) / 2)).toBeLessThan(1e-5)
    tf.dispose(p)
    disposeReco(reco)
    panels.dispose()
  })

  test('parallel lines fall back to the midpoint with finite gradients', async () => {
    const panels = createPanelParams(detector({ sigma: 1e-4 }))
    const k: [number, number, number] = [0.4, 0.6, 0.5]
    const tracks = makeTracks([{ inp: through(k, 0.2, 0.1, Z_IN), out: through(k, 0.2, 0.1, Z_OUT) }])
    const reco = reconstruct(tracks, panels, new Float32Array(16), opts())
    const p = pocaFromReco(reco)
    const arr = await pocaToArrays(p)
    expect(arr.parallel[0]).toBe(1)
    // midpoint of (x_in, y_in, 1) and (x_out, y_out, 0) = the line at z = 0.5
    expect(arr.point[0]).toBeCloseTo(0.4, 5)
    expect(arr.point[1]).toBeCloseTo(0.6, 5)
    expect(arr.point[2]).toBeCloseTo(0.5, 6)
    for (const v of arr.variance) expect(Number.isFinite(v)).toBe(true)
    tf.dispose(p)
    disposeReco(reco)
    const { value, grads } = tf.variableGrads(() => {
      const r = reconstruct(tracks, panels, new Float32Array(16), opts('smooth', 0.2))
      const q = pocaFromReco(r)
      return tf.sum(tf.addN([q.x, q.y, q.z, q.varX, q.varY, q.varZ])) as tf.Scalar
    }, panels.variableList)
    expect(Number.isFinite(value.dataSync()[0])).toBe(true)
    for (const g of Object.values(grads)) for (const v of g.dataSync()) expect(Number.isFinite(v)).toBe(true)
    tf.dispose([value, ...Object.values(grads)])
    panels.dispose()
  })

  test('the closed-form position uncertainty follows the spread over noise draws', async () => {
    const M = 20000
    const panels = createPanelParams(detector({ sigma: 1e-3 }))
    const cases: { k: [number, number, number]; a: [number, number]; b: [number, number] }[] = [
      { k: [0.5, 0.5, 0.5], a: [0.05, 0.02], b: [0.1, -0.03] }, // θ ≈ 0.07
      { k: [0.4, 0.6, 0.3], a: [0.3, -0.2], b: [0.33, -0.24] }, // inclined, θ ≈ 0.04
    ]
    for (const { k, a, b } of cases) {
      const tracks = makeTracks(Array.from({ length: M }, () => ({ inp: through(k, a[0], a[1], Z_IN), out: through(k, b[0], b[1], Z_OUT) })))
      const noise = new Float32Array(M * 16)
      createRng(31, 'noise').fillNormal(noise)
      const reco = reconstruct(tracks, panels, noise, opts())
      const p = pocaFromReco(reco)
      const arr = await pocaToArrays(p)
      for (let c = 0; c < 3; c++) {
        let m = 0, v = 0, pred = 0
        for (let i = 0; i < M; i++) { m += arr.point[3 * i + c]; pred += arr.variance[3 * i + c] }
        m /= M; pred /= M
        for (let i = 0; i < M; i++) v += (arr.point[3 * i + c] - m) ** 2
        v /= M - 1
        // an approximation (module comment of poca.ts): within 15 % here (measured: 1–10 %)
        expect(v / pred).toBeGreaterThan(0.85)
        expect(v / pred).toBeLessThan(1.15)
        // and the PoCA is unbiased to well within its spread
        expect(Math.abs(m - k[c])).toBeLessThan(0.1 * Math.sqrt(v))
      }
      tf.dispose(p)
      disposeReco(reco)
    }
    panels.dispose()
  })
})
