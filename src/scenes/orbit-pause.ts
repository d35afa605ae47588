// Orbit controls pause while a plate or a layer boundary is dragged. The controls are read from the R3F store
// at the moment of the drag, not captured during render: three.js objects are mutated in place, never in render.
import { useThree } from '@react-three/fiber'
import { useCallback } from 'react'

interface ControlsLike { enabled: boolean }

/** a function that pauses (true) or resumes (false) the scene's orbit controls, if there are any */
export function useOrbitPause(): (paused: boolean) => void {
  const get = useThree((s) => s.get)
  return useCallback((paused: boolean) => {
    const c = get().controls as unknown as ControlsLike | null
    if (c) c.enabled = !paused
  }, [get])
}
