// The "how well measured" voxel view (muography): explain's per-voxel precision of X0 for the design as it is,
// asked of the engine when the view is chosen, and again after each load, pause or edit while it is shown (a
// step moves the panels, so while the optimiser runs the map is the one of the design when it was computed).
import { create } from 'zustand'
import type { VoxelPrecision } from '../workers/protocol'
import { engine } from '../workers/supervisor'
import { errorText } from './actions'
import { useStudio } from './store'

interface MeasurementState {
  precision: VoxelPrecision | null
  /** the optimiser step of the design it was computed for */
  step: number | null
  busy: boolean
}

export const useMeasurement = create<MeasurementState>()(() => ({ precision: null, step: null, busy: false }))

let token = 0

export async function refreshMeasurement(): Promise<void> {
  const c = engine()
  const st = useStudio.getState()
  if (!c || st.design?.kind !== 'muography') return
  const mine = ++token
  useMeasurement.setState({ busy: true })
  try {
    const precision = await c.api.measurement()
    if (mine === token) useMeasurement.setState({ precision, step: st.step, busy: false })
  } catch (e) {
    if (mine === token) useMeasurement.setState({ busy: false })
    useStudio.setState({ notice: `how well measured: ${errorText(e)}` })
  }
}

const EDIT_DELAY_MS = 400
let editTimer: ReturnType<typeof setTimeout> | null = null

/** keep the map current while the view shows it; returns the unsubscribe function */
export function followMeasurement(): () => void {
  if (useStudio.getState().view.colour === 'measured') void refreshMeasurement()
  const unsub = useStudio.subscribe((s, p) => {
    if (s.view.colour !== 'measured') return
    if (p.view.colour !== 'measured' || s.generation !== p.generation || (p.status === 'running' && s.status !== 'running')) {
      void refreshMeasurement()
    } else if (s.panels !== p.panels && s.status !== 'running') {
      if (editTimer) clearTimeout(editTimer)
      editTimer = setTimeout(() => { editTimer = null; void refreshMeasurement() }, EDIT_DELAY_MS)
    }
  })
  return () => { unsub(); if (editTimer) clearTimeout(editTimer) }
}
