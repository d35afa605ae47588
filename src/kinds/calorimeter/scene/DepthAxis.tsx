// Two depth axes under the calorimeter stack: metres and radiation lengths (X0). Ticks follow the stack as the
// optimiser changes it (re-computed at most when the rounded depth changes). Text uses the app's own font.
import { Billboard, Text } from '@react-three/drei'
import { useEffect, useMemo } from 'react'
import { BufferGeometry, Float32BufferAttribute } from 'three'
import robotoWoff from '@fontsource/roboto/files/roboto-latin-400-normal.woff?url'
import { useStudio } from '../../../state/store'
import { niceStep } from '../../muography/scene/bounds'
import { toThree, type Vec3 } from '../../../scenes/coords'
import { depthAtX0, stackLayout } from './layout'
import { stackScale } from './Stack'
import { useThemeColour } from '../../../state/theme'

export function DepthAxis() {
  // a key that changes only when the axes visibly would: the depth to 1 mm and the X0 depth to 0.1
  const key = useStudio((s) => {
    if (s.design?.kind !== 'calorimeter' || s.layers.length === 0) return ''
    const l = stackLayout(s.layers, s.design.calorimeter.transverse_size)
    return `${l.depth.toFixed(3)}|${l.depthX0.toFixed(1)}|${l.transverse}`
  })
  const axis = useMemo(() => {
    if (!key) return null
    const { layers, design } = useStudio.getState()
    if (design?.kind !== 'calorimeter') return null
    const s = stackLayout(layers, design.calorimeter.transverse_size)
    const { knob, S } = stackScale(s)
    const T = s.transverse
    const y = -T / 2
    const zM = -T / 2 - knob * 3.4
    const zX = zM - knob * 2.6
    const tick = knob * 0.5
    const pts: number[] = []
    const seg = (a: Vec3, b: Vec3) => { const p = toThree(...a), q = toThree(...b); pts.push(p.x, p.y, p.z, q.x, q.y, q.z) }
    const labels: { text: string; at: Vec3; scale: 'm' | 'x0' }[] = []
    seg([0, y, zM], [s.depth, y, zM])
    seg([0, y, zX], [s.depth, y, zX])
    const mStep = niceStep(s.depth, 5)
    for (let v = 0; v <= s.depth + 1e-9; v += mStep) {
      seg([v, y, zM], [v, y, zM - tick])
      labels.push({ text: `${+v.toFixed(4)}`, at: [v, y, zM - tick * 2.6], scale: 'm' })
    }
    labels.push({ text: 'depth (m)', at: [s.depth + knob * 3, y, zM], scale: 'm' })
    const xStep = niceStep(s.depthX0, 5)
    for (let v = 0; v <= s.depthX0 + 1e-9; v += xStep) {
      const d = depthAtX0(s, v)
      seg([d, y, zX], [d, y, zX - tick])
      labels.push({ text: `${+v.toFixed(2)}`, at: [d, y, zX - tick * 2.6], scale: 'x0' })
    }
    labels.push({ text: 'depth (X0)', at: [s.depth + knob * 3, y, zX], scale: 'x0' })
    // the beam
    seg([-S * 0.15, 0, 0], [-S * 0.01, 0, 0])
    labels.push({ text: 'beam', at: [-S * 0.1, 0, knob * 0.8], scale: 'm' })
    const geometry = new BufferGeometry()
    geometry.setAttribute('position', new Float32BufferAttribute(pts, 3))
    return { geometry, labels, fontSize: knob * 0.95 }
  }, [key])
  useEffect(() => () => axis?.geometry.dispose(), [axis])
  const axisColour = useThemeColour('--view-axis')
  const x0Colour = useThemeColour('--series-cost')
  if (!axis) return null
  return (
    <group>
      <lineSegments geometry={axis.geometry} raycast={() => null}>
        <lineBasicMaterial color={axisColour} />
      </lineSegments>
      {axis.labels.map((l, i) => (
        <Billboard key={i} position={toThree(...l.at).toArray()}>
          <Text font={robotoWoff} fontSize={axis.fontSize} color={l.scale === 'x0' ? x0Colour : axisColour} anchorX="center" anchorY="middle" raycast={() => null}>
            {l.text}
          </Text>
        </Billboard>
      ))}
    </group>
  )
}
