import { describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { tf, useNodeBackend } from '../core/tensor'
import type { MuographyDesign } from '../design/muography'
import { anglesFromReco } from './angles'
import { referenceLines, reconstruct } from './fit'
import { computeStackHits, disposeStackHits, drawHitNoise, measuredHits } from './hits'
import { createPanelParams, type PanelParams } from './panels'
import { pocaFromReco } from './poca'
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
    technology: { resolution: opts.sigma ?? 1e-4, efficiency: opts.eff ?? 1, cost_per_m2: 1, thickness_x0: 0, momentum_resolution: 0.2 },
    stacks: { above: { z_min: 1, z_max: 2 }, below: { z_min: -1, z_max: 0 } },
    panels: zs.map((z, i) => {
      const o = opts.override?.[i]
      return {
        id: `p${i}`, stack: i < 4 ? 'above' as const : 'below' as const, x: 0.5, y: 0.5, z, span_x: opts.span ?? 2, span_y: opts.span ?? 2,
        ...(o ? { technology: { resolution: o.resolution, efficiency: o.efficiency, cost_per_m2: 1, thickness_x0: 0, momentum_resolution: 0.2 } } : {}),
      }
    }),
  }
}

describe('hits', () => {
  test('crossings, noise layout, fit weights and detection probabilities', async () => {
    await useNodeBackend('wasm')
    const det = detector({ sigma: 1e-3, eff: 0.8, span: 1, override: { 2: { resolution: 2e-3, efficiency: 0.5 } } })
    const panels = createPanelParams(det)
    const pairs = [
      { inp: through([0.5, 0.5, 0.5], 0.2, -0.1, Z_IN), out: through([0.5, 0.5, 0.5], 0.1, 0.3, Z_OUT) },
      { inp: through([0.75, 0.2, 0.5], 0.3, 0.1, Z_IN), out: through([0.75, 0.2, 0.5], 0.3, 0.1, Z_OUT) },
    ]
    const tracks = makeTracks(pairs)
    const noise = drawHitNoise(2, 8, createRng(1, 'noise'))
    const L = referenceLines(tracks, Z_IN, Z_OUT)
    const line = {
      x: tf.tensor2d(L.inX, [1, 2]), y: tf.tensor2d(L.inY, [1, 2]), tx: tf.tensor2d(L.inTx, [1, 2]), ty: tf.tensor2d(L.inTy, [1, 2]),
    }
    const h = computeStackHits(panels, 'above', line, Z_IN, noise, { mode: 'hard', smoothness: 0.1 })
    expect(h.panelIndex).toEqual([0, 1, 2, 3])
    expect(h.sigmaRef).toBeCloseTo(1e-3, 9)
    const m = measuredHits(h)
    const tx = h.trueX.arraySync(), ty = h.trueY.arraySync(), mx = m.x.arraySync(), my = m.y.arraySync()
    const acc = h.acceptance.arraySync(), fw = h.fitWeight.arraySync(), dp = h.detProb.arraySync()
    for (let k = 0; k < 4; k++) {
      const p = det.panels[k]
      const sigma = p.technology?.resolution ?? 1e-3, eff = p.technology?.efficiency ?? 0.8
      for (let i = 0; i < 2; i++) {
        const l = pairs[i].inp
        const x = l.x + l.tx * (p.z - Z_IN), y = l.y + l.ty * (p.z - Z_IN)
        expect(tx[k][i]).toBeCloseTo(x, 6)
        expect(ty[k][i]).toBeCloseTo(y, 6)
        // noise [N, P, 2]: muon-major, then panel, then x/y
        expect(mx[k][i] - tx[k][i]).toBeCloseTo(sigma * noise[(i * 8 + k) * 2], 6)
        expect(my[k][i] - ty[k][i]).toBeCloseTo(sigma * noise[(i * 8 + k) * 2 + 1], 6)
        const inside = Math.abs(x - 0.5) < 0.5 && Math.abs(y - 0.5) < 0.5 ? 1 : 0
        expect(acc[k][i]).toBe(inside)
        expect(fw[k][i]).toBeCloseTo(inside * (1e-3 / sigma) ** 2, 6)
        expect(dp[k][i]).toBeCloseTo(inside * eff, 6)
      }
    }
    // muon 1 leaves the panels' x range between the second and third panel
    expect(acc.map((r) => r[1])).toEqual([1, 1, 0, 0])
    disposeStackHits(h)
    tf.dispose([m.x, m.y, line.x, line.y, line.tx, line.ty])
    panels.dispose()
  })
})

/** A scene with edges in play: spans 0.8 around slightly different centres, muons over a wider area. */
function gradientScene(n: number) {
  const det = detector({ sigma: 1e-3, eff: 0.9, span: 0.8 })
  det.panels.forEach((p, i) => { p.x = 0.5 + 0.03 * i; p.y = 0.5 - 0.02 * i; p.span_y = 0.8 + 0.05 * i })
  const rng = createRng(17, 'test')
  const pairs = Array.from({ length: n }, () => {
    const k: [number, number, number] = [0.1 + 0.8 * rng.uniform(), 0.1 + 0.8 * rng.uniform(), 0.2 + 0.6 * rng.uniform()]
    const a = [0.25 * rng.normal(), 0.25 * rng.normal()]
    const b = [a[0] + 0.04 * rng.normal(), a[1] + 0.04 * rng.normal()]
    return { inp: through(k, a[0], a[1], Z_IN), out: through(k, b[0], b[1], Z_OUT) }
  })
  const noise = drawHitNoise(n, 8, createRng(18, 'noise'))
  return { det, tracks: makeTracks(pairs), noise }
}

type LossFn = (panels: PanelParams) => tf.Scalar[]

/** several scalar losses that together reach every panel parameter through every stage */
function losses(tracks: MuonTracks, noise: Float32Array): LossFn {
  return (panels) => {
    const r = reconstruct(tracks, panels, noise, { mode: 'smooth', smoothness: 0.3, zIn: Z_IN, zOut: Z_OUT })
    const a = anglesFromReco(r)
    const p = pocaFromReco(r)
    const n = r.n
    const wsum = tf.sum(r.weight)
    return [
      // acceptance × efficiency
      tf.div(wsum, n),
      // weighted angular measurement error (lever arm: z; weights: xy, span)
      tf.mul(tf.sum(tf.mul(r.weight, a.varProj)), 1e4 / n),
      // weighted mean of θ²/2 (hit noise enters pathwise)
      tf.mul(tf.div(tf.sum(tf.mul(r.weight, tf.add(a.thetaMsq, a.theta2))), wsum), 1e3),
      // mean slope variance of the incoming fit (the brief's example)
      tf.mul(tf.mean(tf.mul(r.weight, r.varInT)), 1e5),
      // PoCA position and its uncertainty
      tf.div(tf.sum(tf.mul(r.weight, tf.addN([p.x, p.y, p.z, tf.mul(tf.add(p.varX, p.varZ), 10)]))), n),
      // fitted positions and slopes
      tf.div(tf.sum(tf.mul(r.weight, tf.addN([r.inX, r.outY, tf.mul(r.inTx, 3), tf.mul(r.outTy, 2)]))), n),
    ] as tf.Scalar[]
  }
}

describe.each(['cpu', 'wasm'] as const)('gradients against central finite differences (%s)', (backend) => {
  test('every loss, every panel parameter', async () => {
    await useNodeBackend(backend)
    const { det, tracks, noise } = gradientScene(400)
    const panels = createPanelParams(det)
    const f = losses(tracks, noise)
    const nLoss = f(panels).length
    const before = tf.memory().numTensors
    // autodiff, one loss at a time
    const ad: Record<string, Float32Array>[] = []
    for (let j = 0; j < nLoss; j++) {
      const { value, grads } = tf.variableGrads(() => {
        const ls = f(panels)
        return ls[j]
      }, panels.variableList)
      ad.push({
        xy: grads[panels.xy.name].dataSync() as Float32Array,
        z: grads[panels.z.name].dataSync() as Float32Array,
        span: grads[panels.span.name].dataSync() as Float32Array,
      })
      tf.dispose([value, ...Object.values(grads)])
    }
    // central differences in float32: the truncation error is ~(ε/ℓ)²/6 with length scales ℓ ≈ s·w/2 ≈ 0.12 m
    // (3e-4 at ε = 5 mm), the round-off ~1e-6·L/ε; wasm's transcendental kernels are a little less smooth
    // than cpu's, so ε is not made smaller
    const eps = 5e-3
    const base = panels.values()
    const evalAt = (group: 'xy' | 'z' | 'span', i: number, d: number): number[] => {
      const v = { ...base, [group]: Float64Array.from(base[group]) }
      v[group][i] += d
      panels.setValues(v)
      const out = tf.tidy(() => f(panels).map((t) => t.dataSync()[0]))
      panels.setValues(base)
      return out
    }
    let checked = 0
    const rel: number[] = []
    for (const group of ['xy', 'z', 'span'] as const) {
      for (let i = 0; i < base[group].length; i++) {
        const lp = evalAt(group, i, eps), lm = evalAt(group, i, -eps)
        for (let j = 0; j < nLoss; j++) {
          const fd = (lp[j] - lm[j]) / (2 * eps)
          const g = ad[j][group][i]
          const scale = Math.max(...ad[j].xy.map(Math.abs), ...ad[j].z.map(Math.abs), ...ad[j].span.map(Math.abs))
          expect(Number.isFinite(g)).toBe(true)
          // relative agreement 1e-2, with a floor at 2e-3 of the loss's largest gradient component
          expect(Math.abs(g - fd), `${backend} loss ${j} ${group}[${i}]: autodiff ${g}, FD ${fd}`).toBeLessThanOrEqual(1e-2 * Math.abs(fd) + 2e-3 * scale)
          if (Math.abs(fd) > 0.05 * scale) { checked++; rel.push(Math.abs(g - fd) / Math.abs(fd)) }
        }
      }
    }
    // most comparisons are of gradients well above the floor
    expect(checked).toBeGreaterThan(0.5 * nLoss * 40)
    // and typically agree far better than the tolerance (measured: median 6e-5 on cpu, 3e-4 on wasm)
    rel.sort((a, b) => a - b)
    expect(rel[rel.length >> 1]).toBeLessThan(2e-3)
    expect(tf.memory().numTensors).toBe(before)
    panels.dispose()
  })
})
