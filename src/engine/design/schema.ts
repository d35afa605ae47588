// The design file: one schema with two kinds, discriminated by `kind`.
import { z } from 'zod'
import { calorimeterDesign } from './calorimeter'
import { muographyDesign } from './muography'

export const designSchema = z.discriminatedUnion('kind', [muographyDesign, calorimeterDesign])
export type Design = z.infer<typeof designSchema>
export type { MuographyDesign, Panel, Technology } from './muography'
export type { CalorimeterDesign, Layer } from './calorimeter'
export { muographyDesign } from './muography'
export { calorimeterDesign } from './calorimeter'
