// Stack geometry: the design's layer entries (each with `repeat`) expanded into individual sampling cells
// (absorber then active layer), with depth in metres and in radiation lengths.
import { material, type MaterialName } from '../core/materials'
import type { CalorimeterDesign } from '../design/calorimeter'

/** one sampling cell: an absorber layer followed by an active layer; thicknesses in metres */
export interface Cell {
  /** index of the design layer entry (the group) this cell came from */
  group: number
  absorber: MaterialName
  absorber_thickness: number
  active: MaterialName
  active_thickness: number
}

export function expandStack(calo: CalorimeterDesign['calorimeter']): Cell[] {
  const cells: Cell[] = []
  calo.layers.forEach((entry, group) => {
    for (let r = 0; r < entry.repeat; r++) {
      cells.push({
        group,
        absorber: entry.absorber,
        absorber_thickness: entry.absorber_thickness,
        active: entry.active,
        active_thickness: entry.active_thickness,
      })
    }
  })
  return cells
}

/** thickness of one cell in radiation lengths: d_p/X0_p + d_a/X0_a */
export function cellX0(c: Cell): number {
  return c.absorber_thickness / material(c.absorber).x0_m + c.active_thickness / material(c.active).x0_m
}

export function stackDepth_m(cells: readonly Cell[]): number {
  let d = 0
  for (const c of cells) d += c.absorber_thickness + c.active_thickness
  return d
}

export function stackDepth_x0(cells: readonly Cell[]): number {
  let t = 0
  for (const c of cells) t += cellX0(c)
  return t
}

/** cell boundaries in X0 from the front face: L+1 numbers, 0 first */
export function cellBoundaries_x0(cells: readonly Cell[]): Float64Array {
  const b = new Float64Array(cells.length + 1)
  for (let i = 0; i < cells.length; i++) b[i + 1] = b[i] + cellX0(cells[i])
  return b
}

/** a stack without absorber (all absorber thicknesses 0) is treated as a homogeneous calorimeter */
export function isHomogeneous(cells: readonly Cell[]): boolean {
  return cells.every((c) => c.absorber_thickness === 0)
}

/** depth in nuclear interaction lengths λ_I (PDG tables, material.lambda_i_g_cm2 / ρ) */
export function depthLambda(cells: readonly Cell[]): number {
  const inv = (name: MaterialName) => (100 * material(name).density_g_cm3) / material(name).lambda_i_g_cm2
  let t = 0
  for (const c of cells) t += c.absorber_thickness * inv(c.absorber) + c.active_thickness * inv(c.active)
  return t
}
