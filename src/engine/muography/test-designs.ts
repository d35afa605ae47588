// Small design files built in code for tests (the shipped presets live in public/presets/).
import { parseDesign } from '../design/parse'
import type { MuographyDesign } from '../design/schema'

export function uniformDesign(material: string, opts: {
  size?: [number, number, number]; voxel?: number; thetaMaxDeg?: number; momentum?: 'known' | 'unknown'; seed?: number
} = {}): MuographyDesign {
  const size = opts.size ?? [1, 1, 0.6]
  const zTop = 0.2 + size[2]
  const above = [0, 1, 2, 3].map((i) => ({ id: `above-${i}`, stack: 'above', x: size[0] / 2, y: size[1] / 2, z: zTop + 0.2 - 0.05 * i, span_x: size[0], span_y: size[1] }))
  const below = [0, 1, 2, 3].map((i) => ({ id: `below-${i}`, stack: 'below', x: size[0] / 2, y: size[1] / 2, z: 0.2 - 0.05 * i, span_x: size[0], span_y: size[1] }))
  const r = parseDesign({
    format: 'detector-design-studio', version: 1, kind: 'muography', name: `uniform ${material}`, seed: opts.seed ?? 1,
    units: { length: 'm', energy: 'GeV' },
    volume: { origin: [0, 0, 0.2], size, voxel: opts.voxel ?? 0.1, background: material, blocks: [] },
    detector: {
      technology: { resolution: 1e-4, efficiency: 0.9, cost_per_m2: 1 },
      stacks: { above: { z_min: zTop, z_max: zTop + 0.5 }, below: { z_min: -0.3, z_max: 0.2 } },
      panels: [...above, ...below],
    },
    simulation: { theta_max_deg: opts.thetaMaxDeg ?? 70, momentum: opts.momentum ?? 'known' },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.design as MuographyDesign
}
