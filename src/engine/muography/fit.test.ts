import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { tf, useNodeBackend } from '../core/tensor'
import type { MuographyDesign } from '../design/muography'
import { anglesFromReco } from './angles'
import { disposeReco, probAtLeastTwo, reconstruct, recoToArrays, weightedLineFit } from './fit'
import { createPanelParams } from './panels'
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

describe('track fit on hand-made events', () => {
  test('a straight muon through 4+4 ideal panels gives back its line and θ = 0', async () => {
    const panels = createPanelParams(detector({ sigma: 1e-6 }))
    const k: [number, number, number] = [0.3, 0.6, 0.5]
    const line = (z: number) => through(k, 0.2, -0.1, z)
    const tracks = makeTracks([{ inp: line(Z_IN), out: line(Z_OUT) }])
    for (const noisy of [false, true]) {
      const noise = noisy ? Float32Array.from({ length: 16 }, (_, i) => ((i * 7) % 5) - 2) : new Float32Array(16)
      const reco = reconstruct(tracks, panels, noise, opts())
      const a = await recoToArrays(reco)
      const ang = anglesFromReco(reco)
      const tol = noisy ? 2e-5 : 1e-6 // noise of a few σ = µm over a 0.4 m lever arm
      expect(Math.abs(a.inX[0] - line(Z_IN).x)).toBeLessThan(tol)
      expect(Math.abs(a.inY[0] - line(Z_IN).y)).toBeLessThan(tol)
      expect(Math.abs(a.outX[0] - line(Z_OUT).x)).toBeLessThan(tol)
      expect(Math.abs(a.outY[0] - line(Z_OUT).y)).toBeLessThan(tol)
      expect(Math.abs(a.inTx[0] - 0.2)).toBeLessThan(tol)
      expect(Math.abs(a.inTy[0] + 0.1)).toBeLessThan(tol)
      expect(Math.abs(a.outTx[0] - 0.2)).toBeLessThan(tol)
      expect(Math.abs(a.outTy[0] + 0.1)).toBeLessThan(tol)
      expect(ang.theta.dataSync()[0]).toBeLessThan(noisy ? 5e-5 : 1e-6)
      expect(a.weight[0]).toBeCloseTo(1, 6)
      disposeReco(reco)
      tf.dispose(ang)
    }
    panels.dispose()
  })

  test('a weighted fit of 3 points matches the hand computation', () => {
    // points (z, x) = (0, 1), (1, 2), (3, 2) with weights 1, 2, 1 (σ_ref = 1):
    // S = 4, Sz = 5, Szz = 11, Sx = 7, Sxz = 10, Δ = 44 − 25 = 19
    // at z = 0: x = (11·7 − 5·10)/19 = 27/19, t = (4·10 − 5·7)/19 = 5/19, var x = 11/19, var t = 4/19, cov = −5/19
    // at z = 2: x = 37/19, var x = (11 − 20 + 16)/19 = 7/19, cov = (−5 + 8)/19 = 3/19
    // y = (3, 1, −1): Sy = 3 + 2 − 1 = 4, Syz = 0 + 2 − 3 = −1 → y0 = (44 + 5)/19 = 49/19, ty = (−4 − 20)/19 = −24/19
    const cases = [
      { zRef: 0, x: 27 / 19, varX: 11 / 19, cov: -5 / 19, y: 49 / 19 },
      { zRef: 2, x: 37 / 19, varX: 7 / 19, cov: 3 / 19, y: 49 / 19 - (2 * 24) / 19 },
    ]
    for (const sigmaRef of [1, 0.5]) for (const c of cases) {
      const f = tf.tidy(() => weightedLineFit(
        tf.tensor2d([1, 2, 1], [3, 1]), tf.tensor2d([0, 1, 3], [3, 1]),
        tf.tensor2d([1, 2, 2], [3, 1]), tf.tensor2d([3, 1, -1], [3, 1]), c.zRef, sigmaRef,
      ) as unknown as tf.TensorContainerObject) as unknown as Record<string, tf.Tensor>
      const v = (k: string) => f[k].dataSync()[0]
      const s2 = sigmaRef * sigmaRef
      expect(v('x')).toBeCloseTo(c.x, 5)
      expect(v('tx')).toBeCloseTo(5 / 19, 5)
      expect(v('y')).toBeCloseTo(c.y, 5)
      expect(v('ty')).toBeCloseTo(-24 / 19, 5)
      expect(v('varT')).toBeCloseTo((4 / 19) * s2, 5)
      expect(v('varX')).toBeCloseTo(c.varX * s2, 5)
      expect(v('covXT')).toBeCloseTo(c.cov * s2, 5)
      tf.dispose(f)
    }
  })

  test('hit weights are a/σ²: a panel with 2× worse resolution counts 1/4', () => {
    // two detectors whose above stacks differ only by σ of panel 1; the fitted slope error follows the
    // closed-form (Σ w (z − z̄)²)⁻¹ with w = 1/σ²
    const zs = [1.1, 1.25, 1.35, 1.5]
    const tracks = makeTracks([{ inp: through([0.5, 0.5, 1], 0, 0, 1), out: through([0.5, 0.5, 1], 0, 0, 0) }])
    for (const s1 of [1e-4, 2e-4]) {
      const panels = createPanelParams(detector({ sigma: 1e-4, override: { 1: { resolution: s1, efficiency: 1 } } }))
      const reco = reconstruct(tracks, panels, new Float32Array(16), opts())
      const w = zs.map((_, i) => 1 / (i === 1 ? s1 : 1e-4) ** 2)
      const S = w.reduce((a, b) => a + b), Sz = w.reduce((a, b, i) => a + b * zs[i], 0), Szz = w.reduce((a, b, i) => a + b * zs[i] ** 2, 0)
      const det = S * Szz - Sz * Sz
      expect(reco.varInT.dataSync()[0] / (S / det)).toBeCloseTo(1, 4)
      // var of x at z = 1: (Szz − 2 Sz + S)/Δ
      expect(reco.varInX.dataSync()[0] / ((Szz - 2 * Sz + S) / det)).toBeCloseTo(1, 4)
      disposeReco(reco)
      panels.dispose()
    }
  })

  test('the fit covariance matches the spread over many noise draws (5 %)', async () => {
    const M = 20000
    const panels = createPanelParams(detector({ sigma: 1e-3, override: { 2: { resolution: 3e-3, efficiency: 1 }, 5: { resolution: 2e-3, efficiency: 1 } } }))
    const k: [number, number, number] = [0.4, 0.45, 0.5]
    const tracks = makeTracks(Array.from({ length: M }, () => ({ inp: through(k, 0.3, 0.1, Z_IN), out: through(k, -0.2, 0.15, Z_OUT) })))
    const noise = new Float32Array(M * 8 * 2)
    createRng(11, 'noise').fillNormal(noise)
    const reco = reconstruct(tracks, panels, noise, opts())
    const a = await recoToArrays(reco)
    const moments = (u: Float32Array, v: Float32Array) => {
      let mu = 0, mv = 0
      for (let i = 0; i < M; i++) { mu += u[i]; mv += v[i] }
      mu /= M; mv /= M
      let vu = 0, vv = 0, c = 0
      for (let i = 0; i < M; i++) { vu += (u[i] - mu) ** 2; vv += (v[i] - mv) ** 2; c += (u[i] - mu) * (v[i] - mv) }
      return { varU: vu / (M - 1), varV: vv / (M - 1), cov: c / (M - 1) }
    }
    const checks: [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array][] = [
      [a.inX, a.inTx, a.varInX, a.varInT, a.covInXT],
      [a.inY, a.inTy, a.varInX, a.varInT, a.covInXT],
      [a.outX, a.outTx, a.varOutX, a.varOutT, a.covOutXT],
      [a.outY, a.outTy, a.varOutX, a.varOutT, a.covOutXT],
    ]
    for (const [x, t, vx, vt, cxt] of checks) {
      const m = moments(x, t)
      expect(m.varU / vx[0]).toBeGreaterThan(0.95)
      expect(m.varU / vx[0]).toBeLessThan(1.05)
      expect(m.varV / vt[0]).toBeGreaterThan(0.95)
      expect(m.varV / vt[0]).toBeLessThan(1.05)
      // the covariance is strongly negative here (reference plane below the panels): compare it relatively too
      expect(Math.abs(cxt[0])).toBeGreaterThan(0.5 * Math.sqrt(vx[0] * vt[0]))
      expect(m.cov / cxt[0]).toBeGreaterThan(0.95)
      expect(m.cov / cxt[0]).toBeLessThan(1.05)
    }
    // the fit is unbiased: the mean slope is the true one
    let mt = 0
    for (let i = 0; i < M; i++) mt += a.inTx[i]
    expect(Math.abs(mt / M - 0.3)).toBeLessThan(5 * Math.sqrt(a.varInT[0] / M))
    disposeReco(reco)
    panels.dispose()
  })
})

describe('detection weight', () => {
  test('P(≥2 of 4) at p = 0.9 is 0.9963, and matches enumeration for random p', () => {
    const p4 = probAtLeastTwo(tf.fill([4, 1], 0.9) as tf.Tensor2D)
    expect(p4.dataSync()[0]).toBeCloseTo(0.9963, 6)
    p4.dispose()
    const rng = createRng(3, 'test')
    for (const K of [2, 3, 5, 7]) {
      const N = 50
      const p = new Float32Array(K * N)
      for (let i = 0; i < p.length; i++) p[i] = rng.uniform() < 0.2 ? (rng.uniform() < 0.5 ? 0 : 1) : rng.uniform()
      const got = probAtLeastTwo(tf.tensor2d(p, [K, N]))
      const g = got.dataSync()
      for (let i = 0; i < N; i++) {
        let want = 0
        for (let mask = 0; mask < 1 << K; mask++) {
          let bits = 0, pr = 1
          for (let k = 0; k < K; k++) {
            const pk = p[k * N + i]
            if (mask & (1 << k)) { bits++; pr *= pk } else pr *= 1 - pk
          }
          if (bits >= 2) want += pr
        }
        expect(Math.abs(g[i] - want)).toBeLessThan(1e-6)
      }
      got.dispose()
    }
  })

  test('4+4 panels with efficiency 0.9: weight 0.9963²; 0 for a muon missing the panels or stopped', async () => {
    const panels = createPanelParams(detector({ eff: 0.9, span: 1 }))
    const inside = through([0.5, 0.5, 0.5], 0.05, 0.02, Z_IN)
    const insideOut = through([0.5, 0.5, 0.5], 0.05, 0.02, Z_OUT)
    const tracks = makeTracks([
      { inp: inside, out: insideOut },
      { inp: through([3, 3, 0.5], 0, 0, Z_IN), out: through([3, 3, 0.5], 0, 0, Z_OUT) }, // misses everything
      { inp: inside, out: insideOut, alive: false },
      // misses the upper stack only: crosses above at x ≈ 0.5 + 2·(z − 0.5) > 1
      { inp: through([0.5, 0.5, 0.5], 2, 0, Z_IN), out: through([0.5, 0.5, 0.5], 0, 0, Z_OUT) },
    ])
    const noise = new Float32Array(4 * 8 * 2)
    createRng(5, 'noise').fillNormal(noise)
    const reco = reconstruct(tracks, panels, noise, opts('hard'))
    const a = await recoToArrays(reco)
    expect(a.weight[0]).toBeCloseTo(0.9963 ** 2, 5)
    expect(a.weight[1]).toBe(0)
    expect(a.weight[2]).toBe(0)
    expect(a.weight[3]).toBe(0)
    // degenerate fits stay finite
    for (const k of ['inX', 'inTx', 'varInX', 'varInT', 'covInXT', 'outX', 'outTy', 'varOutT'] as const) {
      for (let i = 0; i < 4; i++) expect(Number.isFinite(a[k][i])).toBe(true)
    }
    // a muon without hits gets a very wide line, not a confident one
    expect(a.varInX[1]).toBeGreaterThan(1e3 * a.varInX[0])
    const ang = anglesFromReco(reco)
    for (const v of ang.thetaMsq.dataSync()) expect(Number.isFinite(v)).toBe(true)
    tf.dispose(ang)
    disposeReco(reco)
    panels.dispose()
  })

  test('efficiency 1 and acceptance 1 (p = 1) gives weight 1 without NaN', () => {
    const panels = createPanelParams(detector({ eff: 1 }))
    const tracks = makeTracks([{ inp: through([0.5, 0.5, 0.5], 0, 0, Z_IN), out: through([0.5, 0.5, 0.5], 0, 0, Z_OUT) }])
    const reco = reconstruct(tracks, panels, new Float32Array(16), opts('hard'))
    expect(reco.weight.dataSync()[0]).toBe(1)
    disposeReco(reco)
    panels.dispose()
  })
})

describe('memory', () => {
  test('reconstruct, angles and their gradients leave no tensors behind', () => {
    const panels = createPanelParams(detector({ eff: 0.9, span: 1 }))
    const rng = createRng(9, 'test')
    const tracks = makeTracks(Array.from({ length: 200 }, () => {
      const k: [number, number, number] = [rng.uniform(), rng.uniform(), rng.uniform()]
      return { inp: through(k, 0.3 * rng.normal(), 0.3 * rng.normal(), Z_IN), out: through(k, 0.3 * rng.normal(), 0.3 * rng.normal(), Z_OUT) }
    }))
    const noise = new Float32Array(200 * 16)
    rng.fillNormal(noise)
    const before = tf.memory().numTensors
    for (const mode of ['hard', 'smooth'] as const) {
      const reco = reconstruct(tracks, panels, noise, opts(mode, 0.2))
      const ang = anglesFromReco(reco, { directions: true })
      disposeReco(reco)
      tf.dispose(ang)
      const { value, grads } = tf.variableGrads(() => {
        const r = reconstruct(tracks, panels, noise, opts(mode, 0.2))
        const an = anglesFromReco(r)
        return tf.sum(tf.mul(r.weight, tf.add(an.thetaMsq, an.varProj))) as tf.Scalar
      }, panels.variableList)
      tf.dispose([value, ...Object.values(grads)])
    }
    expect(tf.memory().numTensors).toBe(before)
    panels.dispose()
  })
})
