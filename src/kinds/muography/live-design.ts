// The muography design as it is now: the loaded design (with the settings the user changed) and the live panel
// positions written into it. Autosave, share links, export, undo/redo and engine restarts all go through here.
import type { MuographyDesign } from '../../engine/design/schema'
import type { PanelState } from '../../engine/session-types'

/** the panels as the store holds them, from a design */
export function panelsOf(d: MuographyDesign): PanelState[] {
  return d.detector.panels.map((p) => ({ id: p.id, stack: p.stack, x: p.x, y: p.y, z: p.z, span_x: p.span_x, span_y: p.span_y }))
}

/** the design with `panels` written into it (a new object; `d` is not changed; no results block) */
export function muographyLiveDesign(d: MuographyDesign, panels: readonly PanelState[]): MuographyDesign {
  const { results: _r, ...rest } = d
  void _r
  const byId = new Map(panels.map((p) => [p.id, p]))
  return {
    ...rest,
    detector: {
      ...d.detector,
      panels: d.detector.panels.map((p) => {
        const q = byId.get(p.id)
        return q ? { ...p, x: q.x, y: q.y, z: q.z, span_x: q.span_x, span_y: q.span_y } : p
      }),
    },
  }
}

/** the same design but for panel positions and optimiser settings: an undo between them moves panels in place */
export function sameMuographyStructure(a: MuographyDesign, b: MuographyDesign): boolean {
  const strip = (d: MuographyDesign) => {
    const { results: _r, optimizer: _o, seed: _s, detector, ...rest } = d
    void _r; void _o; void _s
    return JSON.stringify({ ...rest, detector: { ...detector, panels: detector.panels.map((p) => [p.id, p.stack, p.technology ?? null]) } })
  }
  return strip(a) === strip(b)
}
