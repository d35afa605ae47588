// The kind registry: one entry per detector kind, everything the studio needs to show and edit it. A new kind is
// a folder beside muography/ and calorimeter/ (workspace, inspector, charts, scene, store, live design), its line
// here and its line in ./designs.ts (the pure half, which state modules import without the stores).
import { lazy, type ComponentType, type LazyExoticComponent } from 'react'
import type { Design } from '../engine/design/schema'
import { applyLayers } from './calorimeter/store'
import { DESIGN_OPS, type DesignOps, type LiveParameters } from './designs'
import { applyPanels } from './muography/store'

export interface Kind<K extends Design['kind']> {
  /** the studio for this kind: 3D view, inspector, charts (loaded on first use) */
  Workspace: LazyExoticComponent<ComponentType>
  design: DesignOps<Extract<Design, { kind: K }>>
  /** put parameters back in place (an undo or redo within the same design: the run goes on) */
  applyParameters(p: LiveParameters): void
}

export const KINDS: { [K in Design['kind']]: Kind<K> } = {
  muography: {
    Workspace: lazy(() => import('./muography/Workspace').then((m) => ({ default: m.MuographyWorkspace }))),
    design: DESIGN_OPS.muography,
    applyParameters: (p) => applyPanels(p.panels),
  },
  calorimeter: {
    Workspace: lazy(() => import('./calorimeter/Workspace').then((m) => ({ default: m.CaloWorkspace }))),
    design: DESIGN_OPS.calorimeter,
    applyParameters: (p) => applyLayers(p.layers),
  },
}
