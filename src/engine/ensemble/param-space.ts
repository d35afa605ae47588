// The optimised parameters of a design as one flat vector with bounds, for either kind: muography panels
// (x, y, z, span_x, span_y each, within the optimiser's bounds of bounds.ts) and calorimeter layer groups
// (absorber and active thickness, within those of params.ts). Ensembles perturb starts and compare optima here.
import { createRng, deriveSeed } from '../core/rng'
import { boundsFor } from '../calorimeter/params'
import { stackCost } from '../calorimeter/session'
import { isHomogeneous, expandStack } from '../calorimeter/stack'
import type { CalorimeterDesign } from '../design/calorimeter'
import type { Design, MuographyDesign } from '../design/schema'
import { panelBounds } from '../muography/bounds'

export interface ParamSpace {
  names: string[]
  lower: number[]
  upper: number[]
}

const PANEL_KEYS = ['x', 'y', 'z', 'span_x', 'span_y'] as const
const LAYER_KEYS = ['absorber_thickness', 'active_thickness'] as const

/** With per-layer granularity the optimiser exports one entry per layer: start from that form so that the
 *  start and the optimised design have the same parameters. */
export function canonicalDesign(design: Design): Design {
  const d = structuredClone(design)
  if (d.kind === 'calorimeter' && d.optimizer.granularity === 'layer') {
    d.calorimeter.layers = d.calorimeter.layers.flatMap((l) => Array.from({ length: l.repeat }, () => ({ ...l, repeat: 1 })))
  }
  return d
}

const absorberFree = (d: CalorimeterDesign) => !isHomogeneous(expandStack(d.calorimeter))

export function paramSpace(design: Design): ParamSpace {
  const names: string[] = [], lower: number[] = [], upper: number[] = []
  if (design.kind === 'muography') {
    const b = panelBounds(design)
    design.detector.panels.forEach((p, i) => {
      const lo = [b.xy.lower[2 * i], b.xy.lower[2 * i + 1], b.z.lower[i], b.span.lower[2 * i], b.span.lower[2 * i + 1]]
      const hi = [b.xy.upper[2 * i], b.xy.upper[2 * i + 1], b.z.upper[i], b.span.upper[2 * i], b.span.upper[2 * i + 1]]
      PANEL_KEYS.forEach((k, j) => { names.push(`${p.id}.${k}`); lower.push(lo[j]); upper.push(hi[j]) })
    })
    return { names, lower, upper }
  }
  const layers = design.calorimeter.layers
  const b = boundsFor({
    absorber: Float64Array.from(layers, (l) => l.absorber_thickness),
    active: Float64Array.from(layers, (l) => l.active_thickness),
    theta: new Float64Array(0), dense: null,
  })
  const keys = absorberFree(design) ? LAYER_KEYS : LAYER_KEYS.slice(1)
  layers.forEach((_, k) => keys.forEach((key) => {
    const bb = key === 'absorber_thickness' ? b.absorber : b.active
    names.push(`layers[${k}].${key}`); lower.push(bb.lower[k]); upper.push(bb.upper[k])
  }))
  return { names, lower, upper }
}

export function paramVector(design: Design): number[] {
  if (design.kind === 'muography') return design.detector.panels.flatMap((p) => PANEL_KEYS.map((k) => p[k]))
  const keys = absorberFree(design) ? LAYER_KEYS : LAYER_KEYS.slice(1)
  return design.calorimeter.layers.flatMap((l) => keys.map((k) => l[k]))
}

export function withParams(design: Design, v: readonly number[]): Design {
  const d = structuredClone(design)
  if (d.kind === 'muography') {
    d.detector.panels.forEach((p, i) => PANEL_KEYS.forEach((k, j) => { p[k] = v[i * PANEL_KEYS.length + j] }))
    return d
  }
  const keys = absorberFree(d) ? LAYER_KEYS : LAYER_KEYS.slice(1)
  d.calorimeter.layers.forEach((l, i) => keys.forEach((k, j) => { l[k] = v[i * keys.length + j] }))
  return d
}

/** The design with every parameter moved by a uniform draw within ±spread × its bound range (seeded), clamped
 *  into the bounds. */
export function perturbedStart(design: Design, spread: number, seed: number): Design {
  const space = paramSpace(design)
  const rng = createRng(deriveSeed(seed, 'ensemble-start'), 'design')
  const v = paramVector(design).map((x, j) => {
    const range = space.upper[j] - space.lower[j]
    return Math.min(space.upper[j], Math.max(space.lower[j], x + spread * range * (2 * rng.uniform() - 1)))
  })
  return withParams(design, v)
}

/** Detector cost of a design: panels Σ cost_per_m² · span_x · span_y; calorimeter absorber mass × price per kg
 *  + active area × price per m² (the costs the optimisers use, cost.ts and calorimeter/session.ts). */
export function designCost(design: Design): number {
  if (design.kind === 'muography') return muographyCost(design)
  return stackCost(expandStack(design.calorimeter), design.calorimeter.transverse_size, design.prices)
}

function muographyCost(d: MuographyDesign): number {
  return d.detector.panels.reduce((s, p) => s + (p.technology ?? d.detector.technology).cost_per_m2 * p.span_x * p.span_y, 0)
}
