import { beforeAll, describe, expect, test } from 'vitest'
import { createRng } from '../core/rng'
import { tf, useNodeBackend } from '../core/tensor'
import type { MuographyDesign } from '../design/muography'
import { anglesFromReco } from './angles'
import { disposeReco, reconstruct, recoToArrays } from './fit'
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

/** angle between (ax, ay, 1) and (bx, by, 1) in float64 */
function angle64(ax: number, ay: number, bx: number, by: number): number {
  const dot = ax * bx + ay * by + 1
  return Math.acos(Math.min(1, dot / (Math.hypot(ax, ay, 1) * Math.hypot(bx, by, 1))))
}

describe('scattering angles', () => {
  test('a known kink: θ = angle(A, B), projected angles, directions, inclination', () => {
    const panels = createPanelParams(detector({ sigma: 1e-6 }))
    const kinks: { k: [number, number, number]; a: [number, number]; b: [number, number] }[] = [
      { k: [0.4, 0.55, 0.37], a: [0.1, -0.2], b: [0.15, -0.1] },
      { k: [0.6, 0.45, 0.7], a: [-0.3, 0.25], b: [0.2, 0.3] }, // ≈ 0.44 rad
      { k: [0.5, 0.5, 0.5], a: [0.02, 0.01], b: [0.021, 0.0105] }, // ≈ 1e-3 rad
    ]
    const tracks = makeTracks(kinks.map(({ k, a, b }) => ({ inp: through(k, a[0], a[1], Z_IN), out: through(k, b[0], b[1], Z_OUT) })))
    const reco = reconstruct(tracks, panels, new Float32Array(kinks.length * 16), opts())
    const ang = anglesFromReco(reco, { directions: true })
    const th = ang.theta.dataSync(), th2 = ang.theta2.dataSync(), m = ang.thetaMsq.dataSync()
    const dx = ang.dThetaX.dataSync(), dy = ang.dThetaY.dataSync(), cos = ang.cosTheta.dataSync()
    const dIn = ang.dirIn!.arraySync(), dOut = ang.dirOut!.arraySync()
    kinks.forEach(({ a, b }, i) => {
      const want = angle64(a[0], a[1], b[0], b[1])
      expect(Math.abs(th[i] - want)).toBeLessThan(2e-6 + 1e-5 * want)
      expect(Math.abs(th2[i] / (th[i] * th[i]) - 1)).toBeLessThan(1e-6)
      expect(Math.abs(m[i] / ((th[i] * th[i]) / 2) - 1)).toBeLessThan(1e-6)
      expect(dx[i]).toBeCloseTo(Math.atan(b[0]) - Math.atan(a[0]), 5)
      expect(dy[i]).toBeCloseTo(Math.atan(b[1]) - Math.atan(a[1]), 5)
      expect(cos[i]).toBeCloseTo(1 / Math.hypot((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, 1), 5)
      // unit travel directions, pointing down, equal to the simulated ones
      const ni = Math.hypot(a[0], a[1], 1), no = Math.hypot(b[0], b[1], 1)
      expect(dIn[i][0]).toBeCloseTo(-a[0] / ni, 5); expect(dIn[i][1]).toBeCloseTo(-a[1] / ni, 5); expect(dIn[i][2]).toBeCloseTo(-1 / ni, 5)
      expect(dOut[i][0]).toBeCloseTo(-b[0] / no, 5); expect(dOut[i][1]).toBeCloseTo(-b[1] / no, 5); expect(dOut[i][2]).toBeCloseTo(-1 / no, 5)
    })
    tf.dispose(ang)
    disposeReco(reco)
    panels.dispose()
  })

  test('measurement variances match the spread of the measured angles of an inclined straight muon (5 %)', async () => {
    const M = 20000
    const panels = createPanelParams(detector({ sigma: 1e-3 }))
    const k: [number, number, number] = [0.5, 0.5, 0.5]
    const [tx, ty] = [0.7, -0.4] // 39° inclination: cos⁴ and cos² differ by a factor 1.6
    const tracks = makeTracks(Array.from({ length: M }, () => ({ inp: through(k, tx, ty, Z_IN), out: through(k, tx, ty, Z_OUT) })))
    const noise = new Float32Array(M * 16)
    createRng(21, 'noise').fillNormal(noise)
    const reco = reconstruct(tracks, panels, noise, opts())
    const ang = anglesFromReco(reco)
    const dx = ang.dThetaX.dataSync(), dy = ang.dThetaY.dataSync(), m = ang.thetaMsq.dataSync()
    const vx = ang.varThetaX.dataSync()[0], vy = ang.varThetaY.dataSync()[0], e = ang.varProj.dataSync()[0]
    const meanSq = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < M; i++) s += a[i] * a[i]; return s / M }
    let mm = 0
    for (let i = 0; i < M; i++) mm += m[i]
    mm /= M
    expect(meanSq(dx) / vx).toBeGreaterThan(0.95)
    expect(meanSq(dx) / vx).toBeLessThan(1.05)
    expect(meanSq(dy) / vy).toBeGreaterThan(0.95)
    expect(meanSq(dy) / vy).toBeLessThan(1.05)
    // E[θ²/2] = varProj for a muon that does not scatter
    expect(mm / e).toBeGreaterThan(0.95)
    expect(mm / e).toBeLessThan(1.05)
    // and the per-projection cos⁴ rule would not have been good enough here
    expect(Math.abs((vx + vy) / 2 / e - 1)).toBeGreaterThan(0.15)
    // closed form: V(2 + T²)/(1 + T²)² per track, halved sum
    const a = await recoToArrays(reco)
    const Ti = a.inTx[0] ** 2 + a.inTy[0] ** 2, To = a.outTx[0] ** 2 + a.outTy[0] ** 2
    const want = ((a.varInT[0] * (2 + Ti)) / (1 + Ti) ** 2 + (a.varOutT[0] * (2 + To)) / (1 + To) ** 2) / 2
    expect(e / want).toBeCloseTo(1, 5)
    tf.dispose(ang)
    disposeReco(reco)
    panels.dispose()
  })

  test('θ² has a finite gradient at θ = 0', () => {
    const panels = createPanelParams(detector({ sigma: 1e-4 }))
    const k: [number, number, number] = [0.5, 0.5, 0.5]
    const tracks = makeTracks([{ inp: through(k, 0.1, 0.1, Z_IN), out: through(k, 0.1, 0.1, Z_OUT) }])
    const { value, grads } = tf.variableGrads(() => {
      const r = reconstruct(tracks, panels, new Float32Array(16), opts('smooth', 0.2))
      const an = anglesFromReco(r)
      return tf.add(tf.sum(an.theta2), tf.sum(an.theta)) as tf.Scalar
    }, panels.variableList)
    expect(value.dataSync()[0]).toBeLessThan(1e-6)
    for (const g of Object.values(grads)) for (const v of g.dataSync()) expect(Number.isFinite(v)).toBe(true)
    tf.dispose([value, ...Object.values(grads)])
    panels.dispose()
  })
})
