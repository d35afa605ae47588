// The calorimeter design as it is now: the loaded design (with the settings the user changed) and the live layer
// thicknesses written into it. Autosave, share links, export, undo/redo and engine restarts all go through here.
import type { CalorimeterDesign, Layer } from '../../engine/design/schema'
import type { LayerState } from '../../engine/session-types'

/** one entry per physical layer (the design's `repeat` counts expanded), as the store and the snapshots hold them */
export function layersOf(d: CalorimeterDesign): LayerState[] {
  const out: LayerState[] = []
  for (const l of d.calorimeter.layers) {
    for (let k = 0; k < l.repeat; k++) {
      out.push({ index: out.length, absorber: l.absorber, absorber_thickness: l.absorber_thickness, active: l.active, active_thickness: l.active_thickness })
    }
  }
  return out
}

const sameLayer = (a: LayerState, b: LayerState) =>
  a.absorber === b.absorber && a.active === b.active && a.absorber_thickness === b.absorber_thickness && a.active_thickness === b.active_thickness

// layer states carry the design's (or the session's) material names
const entry = (l: LayerState, repeat: number): Layer => ({
  repeat, absorber: l.absorber as Layer['absorber'], absorber_thickness: l.absorber_thickness,
  active: l.active as Layer['active'], active_thickness: l.active_thickness,
})

/**
 * The design with `layers` written into it (a new object; `d` is not changed; no results block). Each layer entry
 * keeps its place: with granularity 'group' its layers share one thickness, so the entry takes its first layer's;
 * with 'layer' an entry whose layers now differ splits into runs of equal layers.
 */
export function calorimeterLiveDesign(d: CalorimeterDesign, layers: readonly LayerState[]): CalorimeterDesign {
  const { results: _r, ...rest } = d
  void _r
  const total = d.calorimeter.layers.reduce((n, l) => n + l.repeat, 0)
  if (layers.length !== total) return { ...rest } // not the layers of this design (none streamed yet)
  const out: Layer[] = []
  let i = 0
  for (const l of d.calorimeter.layers) {
    const mine = layers.slice(i, i + l.repeat)
    i += l.repeat
    if (d.optimizer.granularity === 'group') { out.push(entry(mine[0], l.repeat)); continue }
    for (let k = 0; k < mine.length; ) {
      let n = 1
      while (k + n < mine.length && sameLayer(mine[k], mine[k + n])) n++
      out.push(entry(mine[k], n))
      k += n
    }
  }
  return { ...rest, calorimeter: { ...d.calorimeter, layers: out } }
}

/** the same design but for layer thicknesses and optimiser settings: an undo between them edits layers in place */
export function sameCalorimeterStructure(a: CalorimeterDesign, b: CalorimeterDesign): boolean {
  const strip = (d: CalorimeterDesign) => {
    const { results: _r, optimizer, seed: _s, calorimeter, ...rest } = d
    void _r; void _s
    const materials = layersOf(d).map((l) => `${l.absorber}/${l.active}`)
    return JSON.stringify({ ...rest, granularity: optimizer.granularity, calorimeter: { ...calorimeter, layers: materials } })
  }
  return strip(a) === strip(b)
}
