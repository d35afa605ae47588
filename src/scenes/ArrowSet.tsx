// A set of arrows in the 3D view (three.js ArrowHelpers), rebuilt imperatively when the list changes, so a
// streamed gradient re-renders nothing in React.
import { useThree } from '@react-three/fiber'
import { useEffect, useRef } from 'react'
import { ArrowHelper, Group, Vector3 } from 'three'
import type { Arrow } from '../ui/gradient-arrows'
import { toThree } from './coords'

export const GRADIENT_COLOUR = '#f472b6'

/** `subscribe(cb)` calls cb with the current arrows whenever they change and returns an unsubscribe function */
export function ArrowSet({ arrows, subscribe }: { arrows: () => Arrow[]; subscribe: (cb: () => void) => () => void }) {
  const group = useRef<Group>(null)
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => {
    const o = new Vector3(), d = new Vector3(), zero = new Vector3()
    const draw = () => {
      const g = group.current
      if (!g) return
      for (const c of [...g.children]) { g.remove(c); (c as ArrowHelper).dispose() }
      for (const a of arrows()) {
        toThree(...a.origin, o)
        toThree(...a.dir, d).sub(toThree(0, 0, 0, zero)).normalize()
        const h = new ArrowHelper(d, o, a.length, GRADIENT_COLOUR, 0.25 * a.length, 0.12 * a.length)
        h.userData.label = a.label
        g.add(h)
      }
      invalidate()
    }
    draw()
    return subscribe(draw)
  }, [arrows, subscribe, invalidate])
  return <group ref={group} />
}
