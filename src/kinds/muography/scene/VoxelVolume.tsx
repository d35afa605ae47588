// The passive volume: ONE InstancedMesh of voxel cubes, coloured by X0 on a log scale (true, predicted or the
// error between them). Dense voxels are drawn larger so the inside of the volume stays visible.
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import { BoxGeometry, BufferAttribute, Color, InstancedBufferAttribute, InstancedMesh, Matrix4, MeshBasicMaterial, Quaternion, Vector3 } from 'three'
import { useMeasurement } from '../../../state/measurement'
import { precisionPosition } from '../../../state/precision-scale'
import { useStudio } from '../../../state/store'
import { diverging, errorPosition, viridis, x0Position, x0Range } from '../../../ui/colours'
import { toThree } from '../../../scenes/coords'

/** a unit cube whose faces carry fixed brightness (top brightest), multiplied by the instance colour */
function shadedBox(): BoxGeometry {
  const g = new BoxGeometry(1, 1, 1)
  // BoxGeometry face order: +x, −x, +y (top), −y, +z, −z; 4 vertices per face
  const shade = [0.78, 0.62, 1.0, 0.45, 0.88, 0.7]
  const c = new Float32Array(24 * 3)
  for (let f = 0; f < 6; f++) for (let v = 0; v < 4; v++) c.fill(shade[f], (f * 4 + v) * 3, (f * 4 + v) * 3 + 3)
  g.setAttribute('color', new BufferAttribute(c, 3))
  return g
}

export function VoxelVolume() {
  const volume = useStudio((s) => s.volume)
  const visible = useStudio((s) => s.view.voxels)
  const invalidate = useThree((s) => s.invalidate)
  const meshRef = useRef<InstancedMesh>(null)

  const geometry = useMemo(() => shadedBox(), [])
  // unlit: the shading is baked into the cube's vertex colours (cheap on a software renderer)
  const material = useMemo(() => new MeshBasicMaterial({ color: 0xffffff, vertexColors: true }), [])
  useEffect(() => () => { geometry.dispose(); material.dispose() }, [geometry, material])

  const count = volume ? volume.nx * volume.ny * volume.nz : 0

  useEffect(() => {
    const mesh = meshRef.current
    if (!mesh || !volume) return
    if (!mesh.instanceColor || mesh.instanceColor.count !== count) {
      mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(count * 3), 3)
    }
    const range = x0Range(volume.x0)
    const m = new Matrix4(), q = new Quaternion(), pos = new Vector3(), scl = new Vector3(), c: [number, number, number] = [0, 0, 0]
    const col = new Color()

    const paint = () => {
      const { view, x0Pred } = useStudio.getState()
      const pred = x0Pred && x0Pred.length === count ? x0Pred : null
      const precision = useMeasurement.getState().precision
      const rel = precision && precision.x0RelError.length === count ? precision.x0RelError : null
      const { nx, ny, voxel, origin } = volume
      for (let i = 0; i < count; i++) {
        const ix = i % nx, iy = Math.floor(i / nx) % ny, iz = Math.floor(i / (nx * ny))
        let t: number, size: number
        if (view.colour === 'measured') {
          // well measured bright and large; a voxel no detected muon crosses dark and small
          t = rel ? precisionPosition(rel[i]) : NaN
          if (Number.isFinite(t)) { viridis(1 - t, c); size = 0.3 + 0.6 * (1 - t) } else { c[0] = c[1] = c[2] = 0.2; size = 0.2 }
        } else if (view.colour === 'true' || !pred) {
          t = x0Position(volume.x0[i], range)
          if (view.colour === 'true') viridis(t, c)
          else { c[0] = c[1] = c[2] = 0.35 } // no prediction yet
          size = 0.3 + 0.6 * t
        } else if (view.colour === 'pred') {
          t = x0Position(pred[i], range)
          viridis(t, c)
          size = 0.3 + 0.6 * Math.min(1, Math.max(0, t))
        } else {
          t = errorPosition(pred[i], volume.x0[i])
          diverging(t, c)
          size = 0.25 + 0.65 * Math.min(1, Math.abs(t - 0.5) * 2)
        }
        toThree(origin[0] + (ix + 0.5) * voxel, origin[1] + (iy + 0.5) * voxel, origin[2] + (iz + 0.5) * voxel, pos)
        const s = size * voxel
        scl.set(s, s, s)
        m.compose(pos, q, scl)
        mesh.setMatrixAt(i, m)
        col.setRGB(c[0], c[1], c[2])
        mesh.setColorAt(i, col)
      }
      mesh.instanceMatrix.needsUpdate = true
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true
      mesh.computeBoundingSphere()
      invalidate()
    }
    paint()
    // repaint when the prediction, the precision map or the colour mode changes (not on every store update)
    const unsub = useStudio.subscribe((s, prev) => {
      if (s.view.colour !== prev.view.colour || (s.x0Pred !== prev.x0Pred && (s.view.colour === 'pred' || s.view.colour === 'error'))) paint()
    })
    const unsubPrecision = useMeasurement.subscribe((s, prev) => {
      if (s.precision !== prev.precision && useStudio.getState().view.colour === 'measured') paint()
    })
    return () => { unsub(); unsubPrecision() }
  }, [volume, count, invalidate])

  if (!volume || count === 0) return null
  return (
    <instancedMesh
      key={count}
      ref={meshRef}
      args={[geometry, material, count]}
      visible={visible}
      frustumCulled={false}
      raycast={() => null}
    />
  )
}
