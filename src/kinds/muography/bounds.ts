// Where a panel may go when the user moves it: z inside its stack, the centre within the optimiser's margin of
// the passive volume, spans between span_min and the schema maximum; every range also within the schema's.
import type { MuographyDesign } from '../../engine/design/schema'
import type { PanelState } from '../../engine/session-types'
import { panelFieldInfo, type PanelField } from '../../state/schema-meta'

export type PanelBounds = Record<PanelField, [number, number]>

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

export function panelBounds(d: MuographyDesign, stack: PanelState['stack']): PanelBounds {
  const { origin, size } = d.volume
  const margin = d.optimizer.margin
  const s = d.detector.stacks[stack]
  const lim = (k: PanelField, lo: number, hi: number): [number, number] => {
    const f = panelFieldInfo[k]
    return [Math.max(f.min, lo), Math.min(f.max, hi)]
  }
  return {
    x: lim('x', origin[0] - margin, origin[0] + size[0] + margin),
    y: lim('y', origin[1] - margin, origin[1] + size[1] + margin),
    z: lim('z', s.z_min, s.z_max),
    span_x: lim('span_x', d.optimizer.span_min, Infinity),
    span_y: lim('span_y', d.optimizer.span_min, Infinity),
  }
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
