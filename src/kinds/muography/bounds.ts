// Where a panel may go when the user moves it: the engine's rule (engine/muography/bounds.ts, the one the
// optimiser and the validator use), within the schema's ranges.
import { panelRanges, type PanelRanges } from '../../engine/muography/bounds'
import type { MuographyDesign } from '../../engine/design/schema'
import type { PanelState } from '../../engine/session-types'
import { panelFieldInfo, type PanelField } from '../../state/schema-meta'

export type PanelBounds = PanelRanges

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

export function panelBounds(d: MuographyDesign, stack: PanelState['stack']): PanelBounds {
  const r = panelRanges(d, stack)
  const out = {} as PanelBounds
  for (const k of Object.keys(r) as PanelField[]) {
    const f = panelFieldInfo[k]
    out[k] = [Math.max(f.min, r[k][0]), Math.min(f.max, r[k][1])]
  }
  return out
}

export function clampPanel<T extends Partial<Record<PanelField, number>>>(patch: T, b: PanelBounds): T {
  const out = { ...patch }
  for (const k of Object.keys(b) as PanelField[]) {
    const v = out[k]
    if (typeof v === 'number' && Number.isFinite(v)) (out as Record<PanelField, number>)[k] = clamp(v, b[k][0], b[k][1])
  }
  return out
}

/** round to the field's step so typed and nudged values stay tidy */
export function roundTo(v: number, step: number): number {
  if (!(step > 0)) return v
  const digits = Math.max(0, Math.ceil(-Math.log10(step)) + 1)
  return Number(v.toFixed(Math.min(12, digits)))
}
