// The benchmark stack: `layers` cells of 5 mm lead + 2 mm scintillator (0.9 X0 each), every layer its own
// parameter pair, seven beam energies.
import type { CalorimeterDesign } from '../design/calorimeter'
import { calorimeterDesign } from '../design/calorimeter'

export function caloBenchDesign(layers: number, showersPerStep: number): CalorimeterDesign {
  return calorimeterDesign.parse({
    format: 'detector-design-studio', version: 1, kind: 'calorimeter', name: `bench: ${layers}-layer Pb/scintillator`, seed: 1,
    units: { length: 'm', energy: 'GeV' },
    beam: { particle: 'e-', energies: [1, 2, 5, 10, 20, 50, 100], showers_per_energy: 10 },
    calorimeter: {
      transverse_size: 0.3,
      layers: [{ repeat: layers, absorber: 'lead', absorber_thickness: 0.005, active: 'scintillator', active_thickness: 0.002 }],
    },
    constraints: { max_depth: 0.25 },
    optimizer: { showers_per_step: showersPerStep, granularity: 'layer', validation_every: 10_000 },
  })
}
