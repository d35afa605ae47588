// Where each slab of a calorimeter stack sits in the engine frame: the beam enters at x = 0 and the depth runs
// along +x; the stack is centred on the x axis (|y|, |z| ≤ transverse/2). The conversion to three.js goes through
// ../coords only.
import type { LayerState } from '../../../engine/session-types'
import { x0Of } from '../store'

export interface StackLayout {
  n: number
  /** depth where layer i starts, where its absorber ends (= active starts), where it ends (metres) */
  start: Float64Array
  split: Float64Array
  end: Float64Array
  /** cumulative radiation lengths at start[i], split[i], end[i] */
  x0Start: Float64Array
  x0Split: Float64Array
  x0End: Float64Array
  depth: number
  depthX0: number
  transverse: number
}

export function stackLayout(layers: LayerState[], transverse: number): StackLayout {
  const n = layers.length
  const start = new Float64Array(n), split = new Float64Array(n), end = new Float64Array(n)
  const x0Start = new Float64Array(n), x0Split = new Float64Array(n), x0End = new Float64Array(n)
  let d = 0, t = 0
  for (let i = 0; i < n; i++) {
    const l = layers[i]
    start[i] = d; x0Start[i] = t
    d += Math.max(0, l.absorber_thickness); t += Math.max(0, l.absorber_thickness) / x0Of(l.absorber)
    split[i] = d; x0Split[i] = t
    d += Math.max(0, l.active_thickness); t += Math.max(0, l.active_thickness) / x0Of(l.active)
    end[i] = d; x0End[i] = t
  }
  return { n, start, split, end, x0Start, x0Split, x0End, depth: d, depthX0: t, transverse }
}

/** the depth (m) at which the stack reaches `x0` radiation lengths (piecewise linear inside each slab) */
export function depthAtX0(s: StackLayout, x0: number): number {
  if (x0 <= 0) return 0
  for (let i = 0; i < s.n; i++) {
    if (x0 <= s.x0Split[i]) return lerp(s.start[i], s.split[i], s.x0Start[i], s.x0Split[i], x0)
    if (x0 <= s.x0End[i]) return lerp(s.split[i], s.end[i], s.x0Split[i], s.x0End[i], x0)
  }
  return s.depth
}

function lerp(d0: number, d1: number, t0: number, t1: number, t: number): number {
  return t1 > t0 ? d0 + ((t - t0) / (t1 - t0)) * (d1 - d0) : d0
}
