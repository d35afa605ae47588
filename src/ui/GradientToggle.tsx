// The "gradient" switch of the 3D view's toolbar (both kinds): arrows of −gradient on the design's parameters.
import { showGradient } from '../state/actions'
import { useStudio } from '../state/store'

export function GradientToggle() {
  const on = useStudio((s) => s.gradientArrows)
  return (
    <label title="Arrows of −gradient: where each parameter would move to lower the loss (relative sizes); while paused, computed for the current design">
      <input type="checkbox" checked={on} onChange={(e) => void showGradient(e.target.checked)} /> gradient
    </label>
  )
}
