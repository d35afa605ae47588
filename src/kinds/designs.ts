// The pure half of the kind registry (./index.ts): per kind, how the store's live parameters and a design file
// map onto each other. No React here: state modules import this table.
import type { CalorimeterDesign, Design, MuographyDesign } from '../engine/design/schema'
import type { LayerState, PanelState } from '../engine/session-types'
import { calorimeterLiveDesign, layersOf, sameCalorimeterStructure } from './calorimeter/live-design'
import { muographyLiveDesign, panelsOf, sameMuographyStructure } from './muography/live-design'

/** the live parameters of every kind as the store holds them */
export interface LiveParameters {
  panels: PanelState[]
  layers: LayerState[]
}

export interface DesignOps<D extends Design> {
  /** the store's parameters read from a design (at load) */
  parameters(d: D): LiveParameters
  /** the design with the live parameters written in (a new object, no results block) */
  live(d: D, p: LiveParameters): D
  /** a and b differ at most in parameters and optimiser settings */
  sameStructure(a: D, b: D): boolean
}

const muography: DesignOps<MuographyDesign> = {
  parameters: (d) => ({ panels: panelsOf(d), layers: [] }),
  live: (d, p) => muographyLiveDesign(d, p.panels),
  sameStructure: sameMuographyStructure,
}

const calorimeter: DesignOps<CalorimeterDesign> = {
  parameters: (d) => ({ panels: [], layers: layersOf(d) }),
  live: (d, p) => calorimeterLiveDesign(d, p.layers),
  sameStructure: sameCalorimeterStructure,
}

export const DESIGN_OPS: { [K in Design['kind']]: DesignOps<Extract<Design, { kind: K }>> } = { muography, calorimeter }

const opsOf = (d: Design) => DESIGN_OPS[d.kind] as DesignOps<Design>

/** THE live design: the loaded design with its current parameters and settings */
export function liveDesign(d: Design, p: LiveParameters): Design {
  return opsOf(d).live(d, p)
}

export function parametersOf(d: Design): LiveParameters {
  return opsOf(d).parameters(d)
}

export function sameStructure(a: Design, b: Design): boolean {
  return a.kind === b.kind && opsOf(a).sameStructure(a, b)
}
