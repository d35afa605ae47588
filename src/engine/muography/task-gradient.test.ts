// Gradients of the task losses with respect to panel x, z and span against central finite differences,
// through the whole chain (hits → fits → angles → weights → Fisher / unrolled EM).
import { beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { fisherConstants, fisherLoss } from './fisher'
import { pathTensors } from './path-tensors'
import { buildPaths } from './paths'
import { createPanelParams, type PanelParams } from './panels'
import { fdCheck, shiftedLoss, tapeGradient, type PanelParam } from './panel-fd'
import { observeBatch, reconstructBatch, simulate, solveX0, truthLines, truthScattering, type SimBatch } from './pipeline'
import { uniformDesign } from './test-designs'
import type { VoxelVolume } from './types'
import { buildVolume } from './volume'
import { logX0Error, unrolledEm } from './x0-loss'

beforeAll(async () => { await useNodeBackend('wasm') })

type LossFn = () => tf.Scalar

/**
 * The slope of the loss in one parameter from antisymmetric differences at k·h (k = 1…6), fitted as a·x + b·x³ by
 * least squares: the cubic absorbs the curvature that a single central difference mistakes for slope, and the fit's
 * residuals measure the float32 noise of the loss (about 1e-7 of a loss of 0.1 in the unrolled EM), which a single
 * difference divides by 2h. Returns the slope a and its standard error.
 */
async function fdSlope(panels: PanelParams, loss: LossFn, which: PanelParam, index: number, h: number): Promise<{ a: number; se: number }> {
  const at = shiftedLoss(panels, loss, which, index)
  const xs = [1, 2, 3, 4, 5, 6].map((k) => k * h)
  const ys: number[] = []
  for (const x of xs) ys.push(((await at(x)) - (await at(-x))) / 2)
  // normal equations of y = a x + b x³
  let s2 = 0, s4 = 0, s6 = 0, sy1 = 0, sy3 = 0
  xs.forEach((x, i) => { s2 += x ** 2; s4 += x ** 4; s6 += x ** 6; sy1 += x * ys[i]; sy3 += x ** 3 * ys[i] })
  const det = s2 * s6 - s4 * s4
  const a = (sy1 * s6 - sy3 * s4) / det, b = (s2 * sy3 - s4 * sy1) / det
  console.log(`d/d${which}[${index}]: a single central difference at ${(1e3 * xs[1]).toFixed(0)} mm is ${(100 * (ys[1] / xs[1] / a - 1)).toFixed(1)} % from the fitted slope`)
  const rss = xs.reduce((r, x, i) => r + (ys[i] - a * x - b * x ** 3) ** 2, 0)
  return { a, se: Math.sqrt((rss / (xs.length - 2)) * (s6 / det)) }
}

function setup(): { vol: VoxelVolume; panels: PanelParams; batch: SimBatch; lamTrue: Float64Array } {
  const design = uniformDesign('iron', { size: [1, 1, 0.6], voxel: 0.2 })
  // off-centre, partly covering panels so that every parameter matters
  design.detector.panels.forEach((p, i) => { p.x = 0.35 + 0.02 * i; p.y = 0.4; p.span_x = 0.7; p.span_y = 0.8 })
  const vol = buildVolume(design.volume)
  const panels = createPanelParams(design.detector)
  const batch = simulate(design, vol, panels, 20_000, 3, 'grad-test')
  return { vol, panels, batch, lamTrue: Float64Array.from(vol.x0, (x) => 1 / x) }
}

describe('task-loss gradients against finite differences', () => {
  test('Fisher loss: d/dx, d/dz, d/dspan', async () => {
    const { vol, panels, batch, lamTrue } = setup()
    const truth = buildPaths(vol, truthLines(batch.tracks, vol))
    const P = pathTensors(truth)
    const K = fisherConstants(truth, lamTrue, truthScattering(truth, lamTrue, batch))
    const loss = () => {
      const r = reconstructBatch(batch, vol, panels, 'smooth', 0.3)
      return fisherLoss(P, K, r.w, r.e)
    }
    for (const [which, idx, eps] of [['xy', 0, 2e-3], ['z', 1, 2e-3], ['span', 1, 2e-3], ['z', 5, 2e-3]] as const) {
      const { g, fd } = await fdCheck(panels, loss, which, idx, eps)
      console.log(`fisher d/d${which}[${idx}]: autodiff ${g.toExponential(4)} FD ${fd.toExponential(4)}, differ by ${(100 * Math.abs(g / fd - 1)).toFixed(4)} %`)
      expect(Math.abs(g)).toBeGreaterThan(0)
      // docs: within 0.1 % (measured 0.002–0.04 %), the panels' own scattering (0.0235 X0 each) included
      expect(Math.abs(g - fd)).toBeLessThan(1e-3 * Math.abs(fd) + 1e-6)
    }
    panels.dispose()
  })

  test('sampled X0 loss through unrolled EM: d/dx, d/dspan', async () => {
    const { vol, panels, batch, lamTrue } = setup()
    // fix the path matrix and the starting point so that the loss is a smooth function of the panels
    const r0 = await observeBatch(batch, vol, panels, 'smooth', 0.3)
    const { em, paths } = solveX0(batch, vol, r0.lines, r0.obs)
    const P = pathTensors(paths)
    const c = tf.tensor1d(Float32Array.from(em.c))
    const lt = tf.tensor1d(Float32Array.from(lamTrue))
    const lam0 = Float32Array.from(em.lambda)
    const loss = () => {
      const r = reconstructBatch(batch, vol, panels, 'smooth', 0.3)
      return logX0Error(unrolledEm(P, { m: r.m, e: r.e, w: r.w, c }, lam0, 2), lt, 0.25)
    }
    for (const [which, idx] of [['xy', 0], ['span', 0]] as const) {
      const g = await tapeGradient(panels, loss, which, idx)
      const { a, se } = await fdSlope(panels, loss, which, idx, 1e-3)
      console.log(`x0 d/d${which}[${idx}]: autodiff ${g.toExponential(4)} FD ${a.toExponential(4)} ± ${se.toExponential(1)}, differ by ${(100 * Math.abs(g / a - 1)).toFixed(2)} % ± ${(100 * Math.abs(se / a)).toFixed(2)} %`)
      // docs: within 0.5 % beside the finite differences' own float32 noise (three standard errors)
      expect(Math.abs(g - a)).toBeLessThan(5e-3 * Math.abs(a) + 3 * se)
    }
    panels.dispose()
  })
})
