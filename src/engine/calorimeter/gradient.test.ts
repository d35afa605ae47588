import { beforeAll, describe, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { drawShowers } from './draws'
import { paramTensors, type ParamValues } from './evaluate'
import { CaloModel } from './model'
import { objective, type ObjectiveConfig } from './objective'
import { rearCells } from './leakage-correction'
import { cellX0, expandStack } from './stack'
import { smallDesign } from './test-helpers'

beforeAll(async () => { await useNodeBackend('wasm') })

// 14 individually parameterised cells of Pb / scintillator, 10 cm wide (lateral leakage matters), with noise and
// a depth limit just above the stack's depth (0.098 m), so that every loss part and every model piece carries gradient.
const design = smallDesign(
  [{ repeat: 14, absorber: 'lead', absorber_thickness: 0.004, active: 'scintillator', active_thickness: 0.003 }],
  { transverse: 0.1, noise: 0.002 },
)
const cells = expandStack(design.calorimeter)
const L = cells.length
const energies = [2, 10, 50]
// the rear cells of the rear-leakage correction: the last 3 X0 of this 10 X0 stack
const rear = rearCells(cells.map(cellX0))
const cfg = (loss: ObjectiveConfig['loss'], only = false, corrected = false): ObjectiveConfig => only
  ? { loss, costWeight: 0, costRef: 1, budget: null, maxDepth: null, depthWeight: 0, linearityWeight: 0, rear: corrected ? rear : null }
  : { loss, costWeight: 0.05, costRef: 100, budget: null, maxDepth: 0.1, depthWeight: 10, linearityWeight: 1, rear: corrected ? rear : null }

function setup() {
  const model = new CaloModel({
    cells, paramOf: Int32Array.from(cells, (_, i) => i), nParams: L, K: 8, transverseSize: 0.1, spotSize: 0, particle: 'e-',
    noiseGeV: 0.002, scintillatorPePerMeV: 20, prices: design.prices, homogeneous: false,
  })
  const draws = drawShowers(energies.map((_, e) => 100 + e), 'showers', 3000, L, true)
  const values: ParamValues = {
    absorber: new Float64Array(L).fill(0.004), active: new Float64Array(L).fill(0.003),
    theta: Float64Array.from({ length: L }, (_, i) => 0.01 * Math.sin(i)), dense: null,
  }
  return { model, draws, values }
}

function lossAt(model: CaloModel, draws: ReturnType<typeof drawShowers>, v: ParamValues, c: ObjectiveConfig): number {
  return tf.tidy(() => objective(model, paramTensors(v), energies, draws, c).total.dataSync()[0])
}

function autograd(model: CaloModel, draws: ReturnType<typeof drawShowers>, v: ParamValues, c: ObjectiveConfig) {
  const out = tf.tidy(() => {
    const p = paramTensors(v)
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor, t: tf.Tensor) =>
      objective(model, { absorber: a as tf.Tensor1D, active: b as tf.Tensor1D, theta: t as tf.Tensor1D, dense: null }, energies, draws, c).total,
    )([p.absorber, p.active, p.theta])
    return g
  })
  const [absorber, active, theta] = out.map((t) => Array.from(t.dataSync()))
  out.forEach((t) => t.dispose())
  return { absorber, active, theta }
}

describe('gradients against finite differences (common random numbers)', () => {
  const cases = [['resolution', true, false], ['resolution_fit', true, false], ['resolution', false, false], ['resolution', true, true], ['resolution', false, true]] as const
  for (const [loss, only, corrected] of cases) {
    test(`${only ? 'resolution part alone' : 'full loss'} ('${loss}'${corrected ? ', after the rear-leakage correction' : ''}) w.r.t. single layer thicknesses and a calibration weight`, () => {
      const { model, draws, values } = setup()
      const before = tf.memory().numTensors
      const c = cfg(loss, only, corrected)
      const g = autograd(model, draws, values, c)
      const fd = (name: 'absorber' | 'active' | 'theta', i: number, h: number) => {
        const plus = { ...values, [name]: values[name].slice() } as ParamValues
        const minus = { ...values, [name]: values[name].slice() } as ParamValues
        plus[name][i] += h
        minus[name][i] -= h
        return (lossAt(model, draws, plus, c) - lossAt(model, draws, minus, c)) / (2 * h)
      }
      // [parameter, index, step h, absolute floor]: the floor is the float32 rounding of the loss (~1e-7) over 2h
      const checks: [('absorber' | 'active' | 'theta'), number, number, number][] = [
        ['absorber', 0, 1e-4, 3e-3], ['absorber', 4, 1e-4, 3e-3], ['absorber', 13, 1e-4, 3e-3],
        ['active', 2, 1e-4, 3e-3], ['active', 9, 1e-4, 3e-3], ['theta', 3, 2e-3, 1e-4],
      ]
      for (const [name, i, h, floor] of checks) {
        const num = fd(name, i, h)
        const ana = g[name][i]
        expect(Math.abs(ana - num)).toBeLessThan(0.03 * Math.abs(num) + floor)
      }
      expect(tf.memory().numTensors).toBe(before)
      model.dispose()
    })
  }
})

/**
 * 16 cells of 20 mm Fe + 5 mm scintillator, 25 cm wide, for a beam of `particle` at 5 and 20 GeV: the resolution
 * part's tape gradient in the absorber and active thickness of single cells, and its central finite difference
 */
function ironStackGradients(particle: 'pi-' | 'mu-') {
  const n = 16
  const fe = smallDesign([{ repeat: n, absorber: 'iron', absorber_thickness: 0.02, active: 'scintillator', active_thickness: 0.005 }])
  const feCells = expandStack(fe.calorimeter)
  const model = new CaloModel({
    cells: feCells, paramOf: Int32Array.from(feCells, (_, i) => i), nParams: n, K: 4, transverseSize: 0.25, spotSize: 0, particle,
    noiseGeV: 0, scintillatorPePerMeV: 20, prices: fe.prices, homogeneous: false,
  })
  const e = [5, 20]
  const draws = drawShowers(e.map((_, k) => 200 + k), 'showers', 3000, n, false)
  const values: ParamValues = { absorber: new Float64Array(n).fill(0.02), active: new Float64Array(n).fill(0.005), theta: new Float64Array(n), dense: null }
  const c = cfg('resolution', true)
  const loss = (v: ParamValues) => tf.tidy(() => objective(model, paramTensors(v), e, draws, c).total.dataSync()[0])
  const g = tf.tidy(() => {
    const p = paramTensors(values)
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      objective(model, { absorber: a as tf.Tensor1D, active: b as tf.Tensor1D, theta: p.theta, dense: null }, e, draws, c).total,
    )([p.absorber, p.active])
  })
  const [ga, gb] = g.map((t) => Array.from(t.dataSync()))
  g.forEach((t) => t.dispose())
  const fd = (name: 'absorber' | 'active', i: number, h: number) => {
    const plus = { ...values, [name]: values[name].slice() } as ParamValues
    const minus = { ...values, [name]: values[name].slice() } as ParamValues
    plus[name][i] += h
    minus[name][i] -= h
    return (loss(plus) - loss(minus)) / (2 * h)
  }
  const checks = [['absorber', 0, ga[0]], ['absorber', 10, ga[10]], ['active', 5, gb[5]], ['active', 15, gb[15]]] as const
  return { checks, fd, dispose: () => model.dispose() }
}

describe('pion showers: gradients against finite differences', () => {
  test('resolution part w.r.t. single layer thicknesses (Bock profile, e/h and hadronic sampling all depend on them)', () => {
    // leakage out of the back (2.7 λ_I) and the sides, the mip track and the shower all contribute
    const { checks, fd, dispose } = ironStackGradients('pi-')
    for (const [name, i, ana] of checks) {
      const num = fd(name, i, 2e-4)
      expect(Math.abs(ana - num)).toBeLessThan(0.03 * Math.abs(num) + 2e-3)
    }
    dispose()
  })
})

describe('muons: gradients against finite differences', () => {
  test('resolution part w.r.t. single layer thicknesses (mean losses, radiated share and straggling depend on them)', () => {
    // 5 and 20 GeV muons cross the stack (no stopping, whose cap has a kink)
    const { checks, fd, dispose } = ironStackGradients('mu-')
    for (const [name, i, ana] of checks) {
      // the gradients are small (1e-4 to 1e-2 per metre) and the loss nearly linear in the thicknesses: a 1 mm step
      // keeps the float32 difference of the losses well above its rounding
      const num = fd(name, i, 1e-3)
      expect(Math.abs(ana - num)).toBeLessThan(0.05 * Math.abs(num) + 1e-5)
    }
    dispose()
  })
})
