// A set of solid arrows in the 3D view (a shaft and a cone each, drawn over the voxels so none hides), rebuilt
// imperatively when the list changes, so a streamed gradient re-renders nothing in React.
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { ConeGeometry, CylinderGeometry, Group, Mesh, MeshBasicMaterial, Quaternion, Vector3 } from 'three'
import type { Arrow } from '../ui/gradient-arrows'
import { toThree } from './coords'

export const GRADIENT_COLOUR = '#f472b6'

/** `subscribe(cb)` calls cb whenever the arrows may have changed and returns an unsubscribe function */
export function ArrowSet({ arrows, subscribe }: { arrows: () => Arrow[]; subscribe: (cb: () => void) => () => void }) {
  const group = useRef<Group>(null)
  const invalidate = useThree((s) => s.invalidate)
  // unit shaft and cone along +y with their base at the origin
  const parts = useMemo(() => ({
    shaft: new CylinderGeometry(1, 1, 1, 8).translate(0, 0.5, 0),
    head: new ConeGeometry(1, 1, 12).translate(0, 0.5, 0),
    material: new MeshBasicMaterial({ color: GRADIENT_COLOUR, depthTest: false, transparent: true, opacity: 0.95 }),
  }), [])
  useEffect(() => () => { parts.shaft.dispose(); parts.head.dispose(); parts.material.dispose() }, [parts])
  useEffect(() => {
    const o = new Vector3(), d = new Vector3(), zero = new Vector3(), up = new Vector3(0, 1, 0)
    const draw = () => {
      const g = group.current
      if (!g) return
      g.clear()
      const list = arrows()
      // one shaft thickness for the whole set, from the longest arrow, so short arrows stay visible
      const radius = 0.025 * Math.max(0, ...list.map((a) => a.length))
      for (const a of list) {
        toThree(...a.origin, o)
        toThree(...a.dir, d).sub(toThree(0, 0, 0, zero)).normalize()
        const head = Math.min(0.4 * a.length, 4 * radius)
        const arrow = new Group()
        arrow.position.copy(o)
        arrow.quaternion.copy(new Quaternion().setFromUnitVectors(up, d))
        const shaft = new Mesh(parts.shaft, parts.material)
        shaft.scale.set(radius, a.length - head, radius)
        const cone = new Mesh(parts.head, parts.material)
        cone.position.set(0, a.length - head, 0)
        cone.scale.set(2.5 * radius, head, 2.5 * radius)
        shaft.renderOrder = cone.renderOrder = 10
        arrow.add(shaft, cone)
        arrow.userData.label = a.label
        g.add(arrow)
      }
      invalidate()
    }
    draw()
    return subscribe(draw)
  }, [arrows, subscribe, invalidate, parts])
  return <group ref={group} />
}
