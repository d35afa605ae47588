// The 3D view of a muography design: voxels, panels (draggable), tracks, axes; orbit/zoom/pan and preset
// camera views. Frames are drawn only when the render scheduler asks (frameloop="never", scenes/RenderScheduler.tsx
// advances the loop): nothing burns CPU while idle.
import { Canvas, useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { Vector3 } from 'three'
import { select } from '../../../state/actions'
import { useStudio } from '../../../state/store'
import { Axes } from './Axes'
import { sceneBounds } from './bounds'
import { toThree, VIEW_DIRECTIONS, type ViewName } from '../../../scenes/coords'
import { Ghosts } from './Ghosts'
import { GradientArrows } from './GradientArrows'
import { Panels } from './Panels'
import { setCameraView, viewListeners } from '../../../scenes/camera'
import { Tracks } from './Tracks'
import { OrbitView } from '../../../scenes/OrbitView'
import { createRenderer } from '../../../scenes/present'
import { renderAndCountColours, RenderScheduler } from '../../../scenes/RenderScheduler'
import { VoxelVolume } from './VoxelVolume'
import { ViewBackground } from '../../../scenes/ViewBackground'

interface OrbitLike { target: Vector3; update(): void }

function CameraRig() {
  const camera = useThree((s) => s.camera)
  const controls = useThree((s) => s.controls) as unknown as OrbitLike | null
  const invalidate = useThree((s) => s.invalidate)
  const generationDesign = useStudio((s) => (s.design ? `${s.design.name}|${s.design.kind}|${s.volume?.nx}` : ''))

  useEffect(() => {
    const go = (v: ViewName) => {
      const b = sceneBounds(useStudio.getState().design)
      const c = toThree((b.min[0] + b.max[0]) / 2, (b.min[1] + b.max[1]) / 2, (b.min[2] + b.max[2]) / 2)
      const radius = 0.5 * Math.hypot(b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2])
      const fov = 'fov' in camera ? (camera as unknown as { fov: number }).fov : 45
      const dist = (radius / Math.sin(((fov / 2) * Math.PI) / 180)) * 1.05
      const d = VIEW_DIRECTIONS[v]
      const dir = toThree(d[0], d[1], d[2]).normalize()
      camera.position.copy(c).addScaledVector(dir, dist)
      camera.near = dist / 100
      camera.far = dist * 10
      camera.updateProjectionMatrix()
      camera.lookAt(c)
      if (controls) { controls.target.copy(c); controls.update() }
      invalidate()
    }
    viewListeners.add(go)
    return () => void viewListeners.delete(go)
  }, [camera, controls, invalidate])

  // frame the design whenever a different one is loaded
  useEffect(() => {
    if (generationDesign) setCameraView('iso')
  }, [generationDesign, controls])
  return null
}

/** Hooks for automated checks: where a panel is on screen, in CSS pixels of the page. */
function TestHooks() {
  const events = useThree((s) => s.events)
  const camera = useThree((s) => s.camera)
  const gl = useThree((s) => s.gl)
  useEffect(() => {
    const w = window as unknown as { __dds?: Record<string, unknown> }
    w.__dds = {
      ...(w.__dds ?? {}),
      /** u, v in [-1, 1]: position on the plate in units of its half spans */
      panelScreen(id: string, u = 0, v = 0): { x: number; y: number } | null {
        const p = useStudio.getState().panels.find((q) => q.id === id)
        if (!p) return null
        const t = toThree(p.x + (u * p.span_x) / 2, p.y + (v * p.span_y) / 2, p.z).project(camera)
        const r = (events.connected as HTMLElement).getBoundingClientRect()
        return { x: r.left + ((t.x + 1) / 2) * r.width, y: r.top + ((1 - t.y) / 2) * r.height }
      },
      /** render now and count the distinct colours on the canvas (read in the same task as the render) */
      canvasColours(): number {
        return renderAndCountColours(gl.domElement as HTMLCanvasElement | OffscreenCanvas)
      },
    }
  }, [camera, gl, events])
  return null
}

export function Viewer() {
  return (
    <Canvas
      className="viewer-canvas"
      frameloop="never"
      dpr={1}
      camera={{ fov: 40, position: [2, 2, 2], near: 0.01, far: 100 }}
      gl={createRenderer}
      onPointerMissed={() => select(null)}
    >
      <ViewBackground />
      <ambientLight intensity={0.9} />
      <directionalLight position={[3, 5, 2]} intensity={1.6} />
      <VoxelVolume />
      <Panels />
      <GradientArrows />
      <Ghosts />
      <Tracks />
      <Axes />
      <OrbitView />
      <CameraRig />
      <TestHooks />
      <RenderScheduler />
    </Canvas>
  )
}
