// The 3D views' background in the theme's colour, redrawn when the theme changes (the views render on request).
import { useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { useThemeColour } from '../state/theme'

export function ViewBackground() {
  const colour = useThemeColour('--view-bg')
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => { invalidate() }, [colour, invalidate])
  return <color attach="background" args={[colour]} />
}
