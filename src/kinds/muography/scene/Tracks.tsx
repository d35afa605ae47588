// A sample of muon tracks from the latest step: the incoming line (from above the detector down to where it
// enters the volume), the outgoing line (from where it leaves down past the lower panels) and the PoCA points.
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { BufferAttribute, BufferGeometry, Vector3 } from 'three'
import { useStudio } from '../../../state/store'
import { toThree } from '../../../scenes/coords'
import { useTheme, useThemeColour } from '../../../state/theme'

const MAX_TRACKS = 256

/** incoming (blue) and outgoing (pink) track colours, light on the dark background and dark on the light one */
const TRACK_RGB = {
  dark: { entry: [0.55, 0.75, 1], exit: [1, 0.5, 0.75] },
  light: { entry: [0.1, 0.3, 0.75], exit: [0.7, 0.1, 0.4] },
} as const

export function Tracks() {
  const visible = useStudio((s) => s.view.tracks)
  const invalidate = useThree((s) => s.invalidate)
  const pocaColour = useThemeColour('--highlight')
  const theme = useTheme()
  const { lines, points } = useMemo(() => {
    const lines = new BufferGeometry()
    lines.setAttribute('position', new BufferAttribute(new Float32Array(MAX_TRACKS * 4 * 3), 3))
    lines.setAttribute('color', new BufferAttribute(new Float32Array(MAX_TRACKS * 4 * 3), 3))
    lines.setDrawRange(0, 0)
    const points = new BufferGeometry()
    points.setAttribute('position', new BufferAttribute(new Float32Array(MAX_TRACKS * 3), 3))
    points.setDrawRange(0, 0)
    return { lines, points }
  }, [])
  useEffect(() => () => { lines.dispose(); points.dispose() }, [lines, points])

  useEffect(() => {
    const v = new Vector3()
    const write = () => {
      const { tracks, design } = useStudio.getState()
      if (!tracks || !design || design.kind !== 'muography') {
        lines.setDrawRange(0, 0); points.setDrawRange(0, 0); invalidate(); return
      }
      const zTop = design.detector.stacks.above.z_max + 0.1
      const zBottom = design.detector.stacks.below.z_min - 0.1
      const pos = lines.getAttribute('position') as BufferAttribute
      const col = lines.getAttribute('color') as BufferAttribute
      const pp = points.getAttribute('position') as BufferAttribute
      const P = pos.array as Float32Array, C = col.array as Float32Array, Q = pp.array as Float32Array
      const n = Math.min(MAX_TRACKS, Math.floor(tracks.entry.length / 3))
      let nl = 0, np = 0
      const put = (x: number, y: number, z: number, r: number, g: number, b: number) => {
        const t = toThree(x, y, z, v)
        P[3 * nl] = t.x; P[3 * nl + 1] = t.y; P[3 * nl + 2] = t.z
        C[3 * nl] = r; C[3 * nl + 1] = g; C[3 * nl + 2] = b
        nl++
      }
      const { entry: E, exit: X, entryDir: D, exitDir: F, poca } = tracks
      const [inR, inG, inB] = TRACK_RGB[theme].entry, [outR, outG, outB] = TRACK_RGB[theme].exit
      for (let i = 0; i < n; i++) {
        const ex = E[3 * i], ey = E[3 * i + 1], ez = E[3 * i + 2]
        const dx = D[3 * i], dy = D[3 * i + 1], dz = D[3 * i + 2]
        const xx = X[3 * i], xy = X[3 * i + 1], xz = X[3 * i + 2]
        const fx = F[3 * i], fy = F[3 * i + 1], fz = F[3 * i + 2]
        if (![ex, ey, ez, xx, xy, xz].every(Number.isFinite)) continue
        if (dz < -1e-6) { const t = (zTop - ez) / dz; put(ex + dx * t, ey + dy * t, zTop, inR, inG, inB); put(ex, ey, ez, inR, inG, inB) }
        if (fz < -1e-6) { const t = (zBottom - xz) / fz; put(xx, xy, xz, outR, outG, outB); put(xx + fx * t, xy + fy * t, zBottom, outR, outG, outB) }
        const px = poca[3 * i], py = poca[3 * i + 1], pz = poca[3 * i + 2]
        if (Number.isFinite(px) && Number.isFinite(py) && Number.isFinite(pz)) {
          const t = toThree(px, py, pz, v)
          Q[3 * np] = t.x; Q[3 * np + 1] = t.y; Q[3 * np + 2] = t.z
          np++
        }
      }
      lines.setDrawRange(0, nl)
      points.setDrawRange(0, np)
      pos.needsUpdate = true; col.needsUpdate = true; pp.needsUpdate = true
      lines.computeBoundingSphere(); points.computeBoundingSphere()
      invalidate()
    }
    write()
    return useStudio.subscribe((s, prev) => { if (s.tracks !== prev.tracks) write() })
  }, [lines, points, invalidate, theme])

  return (
    <group visible={visible}>
      <lineSegments geometry={lines} raycast={() => null} frustumCulled={false}>
        <lineBasicMaterial vertexColors transparent opacity={0.4} depthWrite={false} />
      </lineSegments>
      <points geometry={points} raycast={() => null} frustumCulled={false}>
        <pointsMaterial color={pocaColour} size={4} sizeAttenuation={false} />
      </points>
    </group>
  )
}
