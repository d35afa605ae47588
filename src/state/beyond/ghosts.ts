// Designs drawn as ghosts (outlines) over the open one in the 3D view: the best designs of an ensemble's runs and
// the second design of a comparison. Each kind's scene draws the parameters it understands (panels or layers).
import { create } from 'zustand'
import type { Design } from '../../engine/design/schema'
import { parametersOf, type LiveParameters } from '../../kinds/designs'

export interface Ghost extends LiveParameters {
  label: string
  colour: string
  kind: Design['kind']
}

interface GhostState {
  ensemble: Ghost[]
  compare: Ghost | null
}

export const useGhosts = create<GhostState>()(() => ({ ensemble: [], compare: null }))

/** one colour per run or cluster, shared by the ghosts and the ensemble charts */
export const RUN_COLOURS = ['#a78bfa', '#f472b6', '#34d399', '#fbbf24', '#60a5fa', '#fb7185', '#2dd4bf', '#c084fc', '#a3e635', '#f97316']
export const runColour = (i: number) => RUN_COLOURS[i % RUN_COLOURS.length]
export const COMPARE_COLOUR = '#fde047'

export function ghostOf(design: Design, label: string, colour: string): Ghost {
  return { ...parametersOf(design), label, colour, kind: design.kind }
}

export function allGhosts(s: GhostState = useGhosts.getState()): Ghost[] {
  return s.compare ? [...s.ensemble, s.compare] : s.ensemble
}
