// −gradient arrows on the panels (centre move and span growth), from the store's gradient: the last step's
// while the optimiser runs, or one computed on demand while it is paused.
import { useEffect } from 'react'
import { ArrowSet } from '../../../scenes/ArrowSet'
import { useStudio } from '../../../state/store'
import { panelArrows, type Arrow } from '../../../ui/gradient-arrows'
import { exposeArrows } from '../../../ui/arrow-hooks'

function arrows(): Arrow[] {
  const s = useStudio.getState()
  if (!s.gradientArrows || !s.gradient || !s.volume) return []
  return panelArrows(s.panels, s.gradient, 0.3 * Math.max(...s.volume.size))
}

function subscribe(cb: () => void): () => void {
  return useStudio.subscribe((s, p) => {
    if (s.gradient !== p.gradient || s.panels !== p.panels || s.gradientArrows !== p.gradientArrows) cb()
  })
}

export function GradientArrows() {
  useEffect(() => exposeArrows(arrows), [])
  return <ArrowSet arrows={arrows} subscribe={subscribe} />
}
