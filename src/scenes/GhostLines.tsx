// Ghost designs in the 3D view (state/beyond/ghosts.ts): each drawn as coloured outlines over the open design,
// rebuilt imperatively when the list changes, so nothing re-renders in React. The kind says which outlines a
// ghost has (panels, layer boundaries); window.__dds.ghosts() lists what is drawn (for automated checks).
import { useThree } from '@react-three/fiber'
import { useEffect, useRef } from 'react'
import { BufferGeometry, Float32BufferAttribute, Group, LineBasicMaterial, LineSegments } from 'three'
import type { Design } from '../engine/design/schema'
import { allGhosts, useGhosts, type Ghost } from '../state/beyond/ghosts'
import { writeThree } from './coords'

// One material per colour, kept: a ghost redrawn reuses its material. Opaque, like the outlines the view draws from
// its first frame, so the ghosts share their shader program: a transparent line material is a program of its own,
// whose first compile (60–90 ms in software WebGL) landed in a frame while an ensemble ran.
const materials = new Map<string, LineBasicMaterial>()
const materialFor = (colour: string) => {
  let m = materials.get(colour)
  if (!m) materials.set(colour, (m = new LineBasicMaterial({ color: colour, depthTest: false })))
  return m
}

/** `outline(g)`: line segments of ghost g in engine coordinates, 6 numbers (two points) per segment */
export function GhostLines({ kind, outline }: { kind: Design['kind']; outline: (g: Ghost) => number[] }) {
  const group = useRef<Group>(null)
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => {
    let shown: Ghost[] = []
    const draw = () => {
      const g = group.current
      if (!g) return
      const list = allGhosts().filter((x) => x.kind === kind)
      // the same ghosts (a batch's start clears a list that was empty): no rebuild and no frame
      if (list.length === shown.length && list.every((x, i) => x === shown[i])) return
      shown = list
      for (const c of g.children) (c as LineSegments).geometry.dispose()
      g.clear()
      for (const ghost of list) {
        const pts = outline(ghost)
        const pos = new Float32Array(pts.length)
        for (let k = 0; k < pts.length / 3; k++) writeThree(pts, k, pos, k)
        const geo = new BufferGeometry()
        geo.setAttribute('position', new Float32BufferAttribute(pos, 3))
        g.add(new LineSegments(geo, materialFor(ghost.colour)))
      }
      invalidate()
    }
    draw()
    const w = window as unknown as { __dds?: Record<string, unknown> }
    w.__dds = { ...(w.__dds ?? {}), ghosts: () => shown.map((x) => ({ label: x.label, segments: outline(x).length / 6 })) }
    const unsub = useGhosts.subscribe(draw)
    return () => { unsub(); shown = [] }
  }, [kind, outline, invalidate])
  return <group ref={group} renderOrder={2} />
}

/** the 12 edges of an axis-aligned box in engine coordinates */
export function boxEdges(c: [number, number, number], h: [number, number, number]): number[] {
  const out: number[] = []
  const corner = (i: number): number[] => [c[0] + (i & 1 ? h[0] : -h[0]), c[1] + (i & 2 ? h[1] : -h[1]), c[2] + (i & 4 ? h[2] : -h[2])]
  for (let i = 0; i < 8; i++) for (const bit of [1, 2, 4]) if (!(i & bit)) out.push(...corner(i), ...corner(i | bit))
  return out
}
