// −gradient arrows on the calorimeter's layer boundaries (absorber|active and the back of each layer), from the
// store's gradient: the last step's while the optimiser runs, or one computed on demand while it is paused.
import { useEffect } from 'react'
import { ArrowSet } from '../../../scenes/ArrowSet'
import { useStudio } from '../../../state/store'
import { exposeArrows } from '../../../ui/arrow-hooks'
import { layerArrows, layerGroups, type Arrow } from '../../../ui/gradient-arrows'
import { currentLayout, stackScale } from './Stack'

function arrows(): Arrow[] {
  const s = useStudio.getState()
  const layout = currentLayout()
  if (!s.gradientArrows || !s.gradient || !layout || s.design?.kind !== 'calorimeter') return []
  const { groupOf, groupSize } = layerGroups(s.design.calorimeter.layers.map((l) => l.repeat), s.layers.length, Object.keys(s.gradient).length)
  const { knob } = stackScale(layout)
  const z = -layout.transverse / 2 - knob
  return layerArrows(s.layers, layout, groupOf, groupSize, s.gradient, [z - knob * 2, z - knob * 3.5], 0.25 * Math.max(layout.depth, layout.transverse))
}

function subscribe(cb: () => void): () => void {
  return useStudio.subscribe((s, p) => {
    if (s.gradient !== p.gradient || s.layers !== p.layers || s.gradientArrows !== p.gradientArrows) cb()
  })
}

export function GradientArrows() {
  useEffect(() => exposeArrows(arrows), [])
  return <ArrowSet arrows={arrows} subscribe={subscribe} />
}
