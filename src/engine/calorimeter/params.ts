// Trainable parameters of a calorimeter design: absorber and active thickness per group of layers (a design
// layer entry with its `repeat`) or per individual layer, the calibration-weight offsets θ per layer, and
// optionally the dense network. Bounds keep every thickness physical; the depth limit is a loss term.
import type { Bounds, GroupSpec } from '../core/optimizer'
import { createRng } from '../core/rng'
import type { CalorimeterDesign } from '../design/calorimeter'
import type { ParamValues } from './evaluate'
import { denseSize, initDense } from './reco'
import { expandStack, isHomogeneous, type Cell } from './stack'

export type Granularity = 'group' | 'layer'

export interface ParamLayout {
  granularity: Granularity
  cells: Cell[]
  /** parameter index of each cell */
  paramOf: Int32Array
  nParams: number
  homogeneous: boolean
}

/** schema limits (design/calorimeter.ts) */
const ABSORBER_MAX = 1
const ACTIVE_MIN = 1e-5
const ACTIVE_MAX = 1
/** smallest absorber the optimiser may reach (keeps ê and the sampling fractions well defined) */
const ABSORBER_FLOOR = 1e-4
const ACTIVE_FLOOR = 1e-4

export const THETA_BOUNDS = { lower: -0.5, upper: 1 }
export const RECO_LR = { theta: 0.005, dense: 0.003 }

export function layoutFor(design: CalorimeterDesign, granularity: Granularity): ParamLayout {
  const cells = expandStack(design.calorimeter)
  const paramOf = granularity === 'group' ? Int32Array.from(cells, (c) => c.group) : Int32Array.from(cells, (_, i) => i)
  return {
    granularity, cells, paramOf,
    nParams: granularity === 'group' ? design.calorimeter.layers.length : cells.length,
    homogeneous: isHomogeneous(cells),
  }
}

/** first cell of each parameter (its thickness is the parameter's value) */
function representatives(layout: ParamLayout): Cell[] {
  const rep: Cell[] = new Array(layout.nParams)
  layout.cells.forEach((c, i) => { rep[layout.paramOf[i]] ??= c })
  return rep
}

export function initialValues(design: CalorimeterDesign, layout: ParamLayout): ParamValues {
  const rep = representatives(layout)
  const L = layout.cells.length
  return {
    absorber: Float64Array.from(rep, (c) => c.absorber_thickness),
    active: Float64Array.from(rep, (c) => c.active_thickness),
    theta: new Float64Array(L),
    dense: design.optimizer.reconstruction === 'dense' ? initDense(L, createRng(design.seed, 'design')) : null,
  }
}

export function boundsFor(v: ParamValues): Record<string, Bounds> {
  const up = (x: number, max: number) => Math.min(max, Math.max(3 * x, x + 0.005))
  const b: Record<string, Bounds> = {
    absorber: {
      lower: v.absorber.map((x) => Math.min(ABSORBER_FLOOR, x)),
      upper: v.absorber.map((x) => up(x, ABSORBER_MAX)),
    },
    active: {
      lower: v.active.map((x) => Math.max(ACTIVE_MIN, Math.min(ACTIVE_FLOOR, 0.5 * x))),
      upper: v.active.map((x) => up(x, ACTIVE_MAX)),
    },
    theta: { lower: v.theta.map(() => THETA_BOUNDS.lower), upper: v.theta.map(() => THETA_BOUNDS.upper) },
  }
  if (v.dense) b.dense = { lower: v.dense.map(() => -10), upper: v.dense.map(() => 10) }
  return b
}

export function groupSpecs(lr: number, v: ParamValues, homogeneous: boolean): GroupSpec[] {
  const g: GroupSpec[] = [
    { name: 'absorber', lr: homogeneous ? 0 : lr },
    { name: 'active', lr },
    { name: 'theta', lr: RECO_LR.theta },
  ]
  if (v.dense) g.push({ name: 'dense', lr: RECO_LR.dense })
  return g
}

/** the cells with the thicknesses of the current parameter values */
export function cellsWith(layout: ParamLayout, v: ParamValues): Cell[] {
  return layout.cells.map((c, i) => ({
    ...c,
    absorber_thickness: layout.homogeneous ? 0 : v.absorber[layout.paramOf[i]],
    active_thickness: v.active[layout.paramOf[i]],
  }))
}

export { denseSize }
