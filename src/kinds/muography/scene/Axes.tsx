// Axes in metres along the engine's x, y and z (z up), from the low corner of the scene box, with ticks and
// labels. Text uses a font that ships with the app (drei <Text> would otherwise fetch one from a CDN).
import { Billboard, Text } from '@react-three/drei'
import { useMemo } from 'react'
import { BufferGeometry, Float32BufferAttribute } from 'three'
import robotoWoff from '@fontsource/roboto/files/roboto-latin-400-normal.woff?url'
import { useStudio } from '../../../state/store'
import { niceStep, sceneBounds } from './bounds'
import { toThree, type Vec3 } from '../../../scenes/coords'
import { useThemeColour } from '../../../state/theme'

export function Axes() {
  const design = useStudio((s) => s.design)
  const colour = useThemeColour('--view-axis')
  const { geometry, labels, fontSize } = useMemo(() => {
    const b = sceneBounds(design)
    const span = Math.max(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2])
    const pad = 0.08 * span
    const o: Vec3 = [b.min[0] - pad, b.min[1] - pad, b.min[2] - pad]
    const ends: Vec3 = [b.max[0] + pad, b.max[1] + pad, b.max[2] + pad]
    const tick = 0.02 * span
    const pts: number[] = []
    const labels: { text: string; at: Vec3; anchor: 'center' | 'left' | 'right' }[] = []
    const seg = (a: Vec3, c: Vec3) => { const p = toThree(...a), q = toThree(...c); pts.push(p.x, p.y, p.z, q.x, q.y, q.z) }
    for (let axis = 0; axis < 3; axis++) {
      const a = [...o] as Vec3, e = [...o] as Vec3
      e[axis] = ends[axis]
      seg(a, e)
      const step = niceStep(ends[axis] - o[axis], 5)
      for (let v = Math.ceil(o[axis] / step) * step; v <= ends[axis] + 1e-9; v += step) {
        const t0 = [...o] as Vec3
        t0[axis] = v
        const t1 = [...t0] as Vec3
        // ticks point away from the volume
        if (axis === 2) t1[0] -= tick; else t1[axis === 0 ? 1 : 0] -= tick
        seg(t0, t1)
        const at = [...t1] as Vec3
        if (axis === 2) at[0] -= tick * 2; else at[axis === 0 ? 1 : 0] -= tick * 2.5
        labels.push({ text: `${+v.toFixed(3)}`, at, anchor: axis === 2 ? 'right' : 'center' })
      }
      const name = [...e] as Vec3
      name[axis] += tick * 4
      labels.push({ text: `${'xyz'[axis]} (m)`, at: name, anchor: 'center' })
    }
    const geometry = new BufferGeometry()
    geometry.setAttribute('position', new Float32BufferAttribute(pts, 3))
    return { geometry, labels, fontSize: 0.035 * span }
  }, [design])

  return (
    <group>
      <lineSegments geometry={geometry} raycast={() => null}>
        <lineBasicMaterial color={colour} />
      </lineSegments>
      {labels.map((l, i) => (
        <Billboard key={i} position={toThree(...l.at).toArray()}>
          <Text font={robotoWoff} fontSize={fontSize} color={colour} anchorX={l.anchor} anchorY="middle" raycast={() => null}>
            {l.text}
          </Text>
        </Billboard>
      ))}
    </group>
  )
}
