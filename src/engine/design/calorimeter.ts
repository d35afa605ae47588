// Calorimeter design file (v1), documented in docs/design-file.md. Owned by the calorimeter engine; extend with care.
import { z } from 'zod'
import { header, materialName, num } from './common'

export const layer = z.strictObject({
  repeat: z.number().int().min(1).max(1000).default(1),
  absorber: materialName,
  absorber_thickness: num(0, 1, 'm', 1e-4, 'absorber thickness'),
  active: materialName,
  active_thickness: num(1e-5, 1, 'm', 1e-4, 'active thickness'),
})

export const calorimeterDesign = z.strictObject({
  ...header,
  kind: z.literal('calorimeter'),
  beam: z.strictObject({
    particle: z.enum(['e-', 'gamma', 'pi-', 'mu-']).default('e-'),
    energies: z.array(num(0.1, 1e4, 'GeV', 0.1)).min(1).max(64),
    showers_per_energy: z.number().int().min(1).max(1_000_000).default(2000),
    spot_size: num(0, 1, 'm', 0.001, 'side of the square on the front face that the impact points fill uniformly (beam spot); 0 = all at the centre').default(0),
  }),
  calorimeter: z.strictObject({
    transverse_size: num(0.001, 100, 'm', 0.01),
    layers: z.array(layer).min(1).max(1000),
    noise_gev_per_layer: num(0, 10, 'GeV', 0.001, 'electronic noise σ per layer channel, in GeV of visible (active-layer) energy').default(0),
    scintillator_pe_per_mev: num(0.01, 1e5, 'pe/MeV', 1, 'photoelectrons per MeV of visible energy in plastic-scintillator layers, or in the crystal of a homogeneous stack (photostatistics)').default(20),
  }),
  prices: z.strictObject({
    absorber_per_kg: num(0, 1e6, 'cost/kg', 0.1).default(1),
    active_per_m2: num(0, 1e7, 'cost/m²', 1).default(100),
  }).default({ absorber_per_kg: 1, active_per_m2: 100 }),
  constraints: z.strictObject({ max_depth: num(0.001, 100, 'm', 0.01).nullable().default(null) })
    .default({ max_depth: null }),
  optimizer: z.strictObject({
    loss: z.enum(['resolution', 'resolution_fit']).default('resolution'),
    budget: num(0, 1e9, 'cost', 1).nullable().default(null),
    steps: z.number().int().min(1).max(100_000).default(100),
    showers_per_step: z.number().int().min(10).max(1_000_000).default(2000),
    learning_rate: num(0, 1, 'm/step', 1e-5).default(2e-4),
    cost_weight: z.union([num(0, 1e6, '', 0.01), z.literal('auto')]).default(0),
    depth_weight: num(0, 1e6, '', 0.1).default(10),
    reconstruction: z.enum(['weights', 'dense']).default('weights'),
    /** the task term takes σ/E after the rear-leakage correction (a segmented stack's; a homogeneous one has none) */
    leakage_correction: z.boolean().default(false),
    validation_every: z.number().int().min(1).max(10_000).default(5),
    /** one absorber and one active thickness per layer entry (group) or per individual layer */
    granularity: z.enum(['group', 'layer']).default('group'),
  }).default({
    loss: 'resolution', budget: null, steps: 100, showers_per_step: 2000, learning_rate: 2e-4,
    cost_weight: 0, depth_weight: 10, reconstruction: 'weights', leakage_correction: false, validation_every: 5, granularity: 'group',
  }),
})

export type CalorimeterDesign = z.infer<typeof calorimeterDesign>
export type Layer = z.infer<typeof layer>
