// The calorimeter studio's own state and actions: the selected layer, layer edits (inspector and boundary drags,
// each an undo step) sent to the worker through setLayers (throttled while dragging), units and ranges from the
// design schema, and small derived quantities (mean σ/E, the groups that share a thickness parameter).
import { create } from 'zustand'
import { MATERIALS, isMaterialName } from '../../engine/core/materials'
import { layer as layerSchema, type CalorimeterDesign } from '../../engine/design/calorimeter'
import type { Design } from '../../engine/design/schema'
import type { LayerPatch, LayerState, Snapshot } from '../../engine/session-types'
import { nextEditSeq } from '../../state/actions'
import { fieldInfo, type FieldInfo } from '../../engine/design/field-info'
import { pendingEdits, useStudio } from '../../state/store'
import { beginDragEdit, endDragEdit, recordEdit } from '../../state/undo'
import { engine } from '../../workers/supervisor'
import { showers } from '../../engine/calorimeter/beam-task'

export type LayerField = 'absorber_thickness' | 'active_thickness'
export const LAYER_FIELDS: LayerField[] = ['absorber_thickness', 'active_thickness']

const layerShape = (layerSchema as unknown as { shape: Record<string, Parameters<typeof fieldInfo>[0]> }).shape
export const layerFieldInfo: Record<LayerField, FieldInfo> = {
  absorber_thickness: fieldInfo(layerShape.absorber_thickness),
  active_thickness: fieldInfo(layerShape.active_thickness),
}

export type CaloView = NonNullable<Snapshot['calo']>

interface CaloUiState {
  /** the selected layer (expanded index) */
  selected: number
}

export const useCaloUi = create<CaloUiState>()(() => ({ selected: 0 }))

export function selectLayer(index: number): void {
  const n = useStudio.getState().layers.length
  const i = Math.max(0, Math.min(Math.max(0, n - 1), Math.round(index)))
  if (useCaloUi.getState().selected !== i) useCaloUi.setState({ selected: i })
}

/** mean σ/E over the beam energies (the headline resolution number) */
export function meanResolution(calo: CaloView | null): number | null {
  if (!calo || calo.points.length === 0) return null
  return calo.points.reduce((s, p) => s + p.sigma_over_e, 0) / calo.points.length
}


/** the layer entry (group) of each expanded layer, from the design's `repeat` counts */
function groupIndexOf(d: CalorimeterDesign): Int32Array {
  const out: number[] = []
  d.calorimeter.layers.forEach((l, g) => { for (let k = 0; k < l.repeat; k++) out.push(g) })
  return Int32Array.from(out)
}

/** the expanded layers that share the thickness parameters of layer `index` (its group, or itself) */
export function sharedLayers(d: Design | null, index: number, n: number): number[] {
  if (!d || d.kind !== 'calorimeter' || d.optimizer.granularity === 'layer') return [index]
  const g = groupIndexOf(d)
  if (g.length !== n) return [index]
  const out: number[] = []
  for (let i = 0; i < n; i++) if (g[i] === g[index]) out.push(i)
  return out
}

/** a stack without absorber (a crystal): its absorber thickness is not a parameter */
export function isHomogeneousStack(layers: LayerState[]): boolean {
  return layers.length > 0 && layers.every((l) => l.absorber_thickness === 0)
}

export function x0Of(name: string): number {
  return isMaterialName(name) ? MATERIALS[name].x0_m : Infinity
}

// ---- edits -----------------------------------------------------------------------------------------------

const LIVE_INTERVAL_MS = 100
let timer: ReturnType<typeof setTimeout> | null = null
let last = 0
const outbox = new Map<number, LayerPatch>()
let outboxSeq = 0

function flush(): void {
  timer = null
  const c = engine()
  if (!c || outbox.size === 0) return
  last = performance.now()
  const patch = [...outbox.values()]
  outbox.clear()
  c.api.setLayers(patch, outboxSeq)
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

/**
 * Change the thicknesses of a layer (and of every layer that shares its parameters). The store updates at once;
 * the worker hears about it at most every 100 ms while `live` (a drag), immediately otherwise.
 */
export function setLayer(index: number, patch: Partial<Record<LayerField, number>>, opts: { live?: boolean } = {}): LayerState | null {
  const st = useStudio.getState()
  const cur = st.layers[index]
  if (!cur || !st.design || st.design.kind !== 'calorimeter') return null
  if (!opts.live && !st.dragging) recordEdit('edit') // a drag records once, at its end
  const homogeneous = isHomogeneousStack(st.layers)
  const next: Partial<Record<LayerField, number>> = {}
  for (const k of LAYER_FIELDS) {
    const v = patch[k]
    if (v == null || !Number.isFinite(v)) continue
    if (k === 'absorber_thickness' && homogeneous) continue
    const info = layerFieldInfo[k]
    next[k] = clamp(v, info.min, info.max)
  }
  if (Object.keys(next).length === 0) return cur
  const seq = nextEditSeq()
  const shared = new Set(sharedLayers(st.design, index, st.layers.length))
  const layers = st.layers.map((l) => {
    if (!shared.has(l.index)) return l
    pendingEdits.set(`layer:${l.index}`, seq)
    return { ...l, ...next }
  })
  useStudio.setState({ layers })
  outbox.set(index, { index, ...outbox.get(index), ...next })
  outboxSeq = seq
  const now = performance.now()
  if (!opts.live || now - last >= LIVE_INTERVAL_MS) {
    if (timer) { clearTimeout(timer); timer = null }
    flush()
  } else if (!timer) {
    timer = setTimeout(flush, LIVE_INTERVAL_MS - (now - last))
  }
  return layers[index]
}

/** put every layer's thicknesses where `layers` has them (an undo or redo within the same design) */
export function applyLayers(layers: readonly LayerState[]): void {
  const st = useStudio.getState()
  if (layers.length !== st.layers.length) return
  const seq = nextEditSeq()
  for (const l of layers) {
    pendingEdits.set(`layer:${l.index}`, seq)
    outbox.set(l.index, { index: l.index, absorber_thickness: l.absorber_thickness, active_thickness: l.active_thickness })
  }
  outboxSeq = seq
  useStudio.setState({ layers: st.layers.map((l, i) => ({ ...l, absorber_thickness: layers[i].absorber_thickness, active_thickness: layers[i].active_thickness })) })
  flush()
}

/** a boundary drag starts (index) or ends (null) */
export function setLayerDragging(index: number | null): void {
  if (index != null) beginDragEdit()
  useStudio.setState({ dragging: index == null ? null : `layer:${index}` })
  if (index == null) { flush(); endDragEdit() }
}

// ---- hooks for automated checks -------------------------------------------------------------------------

export function exposeCaloHooks(): void {
  const w = window as unknown as { __dds?: Record<string, unknown> }
  w.__dds = {
    ...(w.__dds ?? {}),
    layers: () => structuredClone(useStudio.getState().layers),
    calo: () => {
      const c = useStudio.getState().calo
      return c ? { points: c.points, fit: c.fit, depth_m: c.depth_m, depth_x0: c.depth_x0, profile: [...c.profile], mean_sigma_over_e: meanResolution(c) } : null
    },
    selectedLayer: () => useCaloUi.getState().selected,
  }
}

/** whether the open design's beam is a muon, whose task is its signal's width (engine/calorimeter/beam-task.ts) */
export function useMuonBeam(): boolean {
  return useStudio((s) => s.design?.kind === 'calorimeter' && !showers(s.design.beam.particle))
}
