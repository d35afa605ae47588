// The benchmark scenario, the same work as TomOpt's lead-in-beryllium speed test (docs/architecture.md, Speed): a 1 m³ volume of 10 cm voxels
// (beryllium with a lead block) and 4+4 panels of 100 µm resolution and 90 % efficiency. Physics 'ideal' turns off
// what issue-13 physics added (energy loss with straggling, the single-scattering tail, the panels' material), so
// one run can show what that physics costs a step; the momentum option (default known) shows what an unknown one costs.
import type { MuographyDesign } from '../design/schema'
import { parseDesign } from '../design/parse'

/** 'full': the design defaults; 'ideal': Gaussian scattering only, no energy loss, massless panels */
export type BenchPhysics = 'full' | 'ideal'

/** how the inference knows each muon's momentum (the design's simulation.momentum) */
export type BenchMomentum = 'known' | 'measured' | 'unknown'

export function benchDesign(muons: number, physics: BenchPhysics = 'full', momentum: BenchMomentum = 'known'): MuographyDesign {
  const panels = [1.4, 1.35, 1.3, 1.25].map((z, i) => ({ id: `above-${i}`, stack: 'above', x: 0.5, y: 0.5, z, span_x: 1, span_y: 1 }))
    .concat([0.15, 0.1, 0.05, 0.0].map((z, i) => ({ id: `below-${i}`, stack: 'below', x: 0.5, y: 0.5, z, span_x: 1, span_y: 1 })))
  const r = parseDesign({
    format: 'detector-design-studio', version: 1, kind: 'muography', name: 'benchmark: 1 m³, 10 cm voxels, 4+4 panels', seed: 1,
    units: { length: 'm', energy: 'GeV' },
    volume: { origin: [0, 0, 0.2], size: [1, 1, 1], voxel: 0.1, background: 'beryllium',
      blocks: [{ material: 'lead', min: [0.5, 0.5, 0.4], max: [1, 1, 0.7] }] },
    detector: {
      technology: { resolution: 1e-4, efficiency: 0.9, cost_per_m2: 1, ...(physics === 'ideal' ? { thickness_x0: 0 } : {}) },
      stacks: { above: { z_min: 1.2, z_max: 1.7 }, below: { z_min: -0.2, z_max: 0.2 } },
      panels,
    },
    optimizer: { muons_per_step: muons, budget: 20, validation_every: 10000 },
    simulation: { momentum, ...(physics === 'ideal' ? { energy_loss: false, tail: false } : {}) },
  })
  if (!r.ok) throw new Error(`benchmark design invalid: ${JSON.stringify(r.errors)}`)
  return r.design as MuographyDesign
}
