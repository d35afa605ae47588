// Arrows of −gradient for the 3D views: where each arrow starts (engine frame, metres), where it points and how
// long it is. Lengths are relative: the steepest parameter of the design gets `maxLength`, the others in
// proportion (every gradient is per metre, so they compare), and arrows under 2 % of that are left out.
import type { LayerGradient, PanelGradient } from '../engine/explain-types'
import type { LayerState, PanelState } from '../engine/session-types'

export type Vec3 = [number, number, number]

export interface Arrow {
  /** what it stands for, e.g. "above-0 position", "layers[2] absorber" */
  label: string
  origin: Vec3
  /** unit vector */
  dir: Vec3
  length: number
}

const MIN_FRACTION = 0.02

function scaled(raw: { label: string; origin: Vec3; vec: Vec3 }[], maxLength: number): Arrow[] {
  const norm = (v: Vec3) => Math.hypot(v[0], v[1], v[2])
  const top = Math.max(0, ...raw.map((r) => norm(r.vec)))
  if (!(top > 0) || !Number.isFinite(top)) return []
  return raw.filter((r) => norm(r.vec) >= MIN_FRACTION * top).map((r) => {
    const n = norm(r.vec)
    return { label: r.label, origin: r.origin, dir: [r.vec[0] / n, r.vec[1] / n, r.vec[2] / n], length: (maxLength * n) / top }
  })
}

/** per panel: its centre's move (−∂L/∂x, −∂L/∂y, −∂L/∂z) and, on its +x and +y edges, the growth of each span */
export function panelArrows(panels: readonly PanelState[], gradient: Record<string, PanelGradient | LayerGradient>, maxLength: number): Arrow[] {
  const raw: { label: string; origin: Vec3; vec: Vec3 }[] = []
  for (const p of panels) {
    const g = gradient[p.id]
    if (!g || !('x' in g)) continue
    raw.push({ label: `${p.id} position`, origin: [p.x, p.y, p.z], vec: [-g.x, -g.y, -g.z] })
    raw.push({ label: `${p.id} span_x`, origin: [p.x + p.span_x / 2, p.y, p.z], vec: [-g.span_x, 0, 0] })
    raw.push({ label: `${p.id} span_y`, origin: [p.x, p.y + p.span_y / 2, p.z], vec: [0, -g.span_y, 0] })
  }
  return scaled(raw, maxLength)
}

/**
 * Calorimeter (depth along +x): at each layer's absorber|active boundary, −∂L/∂absorber thickness (pointing
 * deeper: a thicker absorber would lower the loss); at its back, the same for the active thickness. A group's
 * gradient is shared by its layers, so each layer shows the group's over the number of layers in it.
 */
export function layerArrows(
  layers: readonly LayerState[], bounds: { split: ArrayLike<number>; end: ArrayLike<number> },
  groupOf: ArrayLike<number>, groupSize: ArrayLike<number>,
  gradient: Record<string, PanelGradient | LayerGradient>, below: [number, number], maxLength: number,
): Arrow[] {
  const raw: { label: string; origin: Vec3; vec: Vec3 }[] = []
  layers.forEach((_, i) => {
    const k = groupOf[i]
    const g = gradient[`layers[${k}]`]
    if (!g || !('active_thickness' in g)) return
    const share = 1 / groupSize[k]
    raw.push({ label: `layer ${i} absorber`, origin: [bounds.split[i], 0, below[0]], vec: [-g.absorber_thickness * share, 0, 0] })
    raw.push({ label: `layer ${i} active`, origin: [bounds.end[i], 0, below[1]], vec: [-g.active_thickness * share, 0, 0] })
  })
  return scaled(raw, maxLength)
}

/** layer → gradient group: the design's entries with their repeats, or one group per layer when there are as
 *  many gradient entries as layers (per-layer granularity) */
export function layerGroups(repeats: readonly number[], nLayers: number, nGradients: number): { groupOf: Int32Array; groupSize: Int32Array } {
  if (nGradients === nLayers) return { groupOf: Int32Array.from({ length: nLayers }, (_, i) => i), groupSize: new Int32Array(nLayers).fill(1) }
  const groupOf = new Int32Array(nLayers)
  let i = 0
  repeats.forEach((r, k) => { for (let j = 0; j < r && i < nLayers; j++) groupOf[i++] = k })
  return { groupOf, groupSize: Int32Array.from(repeats) }
}
