// Muography design file (v1). Field names (docs/design-file.md) are public: they are a contract with other tools.
import { z } from 'zod'
import { header, materialName, num, vec3 } from './common'

export const block = z.strictObject({
  material: materialName,
  min: vec3(-1000, 1000, 'm'),
  max: vec3(-1000, 1000, 'm'),
})

export const volume = z.strictObject({
  /** minimum corner of the passive volume */
  origin: vec3(-1000, 1000, 'm'),
  size: vec3(0.01, 1000, 'm'),
  voxel: num(0.005, 100, 'm', 0.01, 'voxel edge length'),
  background: materialName,
  blocks: z.array(block).max(10_000).default([]),
  /** explicit material per voxel, x fastest, then y, then z (bottom layer first) */
  voxels: z.array(materialName).max(1_000_000).optional(),
})

/** 1 cm of plastic scintillator (PVT, X0 = 42.54 cm) */
export const DEFAULT_PANEL_THICKNESS_X0 = 0.0235

export const technology = z.strictObject({
  name: z.string().max(100).optional(),
  resolution: num(1e-6, 0.1, 'm', 1e-5, 'hit resolution σ'),
  efficiency: num(0.01, 1, '', 0.01, 'hit efficiency'),
  cost_per_m2: num(0, 1e6, 'cost/m²', 0.1, 'cost per square metre'),
  /** material a muon crosses per panel, in radiation lengths (scatters it and, as plastic scintillator, slows it) */
  thickness_x0: num(0, 1, 'X0', 0.001, 'panel thickness in radiation lengths').default(DEFAULT_PANEL_THICKNESS_X0),
  /** relative momentum resolution σp/p of the momentum measurement (simulation.momentum "measured") */
  momentum_resolution: num(0.001, 2, '', 0.01, 'relative momentum resolution σp/p').default(0.2),
})

export const stack = z.strictObject({ z_min: num(-1000, 1000, 'm', 0.01), z_max: num(-1000, 1000, 'm', 0.01) })

export const panel = z.strictObject({
  id: z.string().min(1).max(64),
  stack: z.enum(['above', 'below']),
  x: num(-1000, 1000, 'm', 0.01, 'panel centre x'),
  y: num(-1000, 1000, 'm', 0.01, 'panel centre y'),
  z: num(-1000, 1000, 'm', 0.005, 'panel height'),
  span_x: num(0.01, 100, 'm', 0.01, 'panel width along x'),
  span_y: num(0.01, 100, 'm', 0.01, 'panel width along y'),
  technology: technology.optional(),
})

export const detector = z.strictObject({
  technology,
  stacks: z.strictObject({ above: stack, below: stack }),
  panels: z.array(panel).min(4).max(64),
})

export const simulation = z.strictObject({
  flux: z.enum(['guan', 'shukla']).default('guan'),
  theta_max_deg: num(0, 85, 'deg', 1).default(70),
  energy_min_gev: num(0.2, 1e4, 'GeV', 0.1).default(0.5),
  energy_max_gev: num(0.5, 1e5, 'GeV', 1).default(500),
  energy_loss: z.boolean().default(true),
  /** single-scattering (Rutherford) tail beyond the Gaussian core */
  tail: z.boolean().default(true),
  /** the inference also uses the muons seen entering that never leave (absorption term, muography/absorption.ts) */
  absorption: z.boolean().default(true),
  /** maximum propagation step inside the volume */
  step_m: num(1e-4, 1, 'm', 0.001).default(0.05),
  momentum: z.enum(['known', 'measured', 'unknown']).default('known'),
})

export const optimizerMuography = z.strictObject({
  muons_per_step: z.number().int().min(100).max(1_000_000).default(20_000).meta({ unit: 'muons', step: 1000 }),
  steps: z.number().int().min(1).max(100_000).default(60).meta({ unit: 'steps', step: 1 }),
  budget: num(0, 1e7, 'cost', 1).nullable().default(null),
  cost_weight: z.union([num(0, 1e6, '', 0.01), z.literal('auto')]).default('auto'),
  loss: z.enum(['x0', 'fisher']).default('fisher'),
  learning_rates: z.strictObject({
    xy: num(0, 1, 'm/step', 0.001).default(0.02),
    z: num(0, 1, 'm/step', 0.001).default(0.01),
    span: num(0, 1, 'm/step', 0.001).default(0.02),
  }).default({ xy: 0.02, z: 0.01, span: 0.02 }),
  max_change: num(0, 1, 'm/step', 0.001).default(0.05),
  span_min: num(0.01, 100, 'm', 0.01).default(0.1),
  margin: num(0, 100, 'm', 0.05).default(0.5),
  smoothness: z.strictObject({ start: num(0.001, 2, '', 0.01).default(0.5), end: num(0.001, 2, '', 0.01).default(0.1) })
    .default({ start: 0.5, end: 0.1 }),
  validation_every: z.number().int().min(1).max(10_000).default(5),
  validation_muons: z.number().int().min(100).max(1_000_000).default(30_000),
})

export const muographyDesign = z.strictObject({
  ...header,
  kind: z.literal('muography'),
  volume,
  detector,
  simulation: simulation.default(simulation.parse({})),
  optimizer: optimizerMuography.default(optimizerMuography.parse({})),
})

export type MuographyDesign = z.infer<typeof muographyDesign>
export type Panel = z.infer<typeof panel>
export type Technology = z.infer<typeof technology>
