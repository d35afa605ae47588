// The 3D view of a calorimeter design: the stack (slabs by material), the mean shower profile, the depth axes in
// metres and X0, drag handles on the selected layer's boundaries. Renders on request only, through the same
// scheduler and presenter as the muography view (RenderScheduler.tsx).
import { Canvas, useThree } from '@react-three/fiber'
import { useEffect } from 'react'
import { Vector3 } from 'three'
import { useStudio } from '../../../state/store'
import { OrbitView } from '../../../scenes/OrbitView'
import { createRenderer } from '../../../scenes/present'
import { renderAndCountColours, RenderScheduler } from '../../../scenes/RenderScheduler'
import { toThree, type Vec3 } from '../../../scenes/coords'
import { DepthAxis } from './DepthAxis'
import { GhostStack } from './GhostStack'
import { GradientArrows } from './GradientArrows'
import { currentLayout, handlePosition, Stack, stackScale } from './Stack'
import { useCaloUi } from '../store'
import { ViewBackground } from '../../../scenes/ViewBackground'

interface OrbitLike { target: Vector3; update(): void }

/** engine-frame direction from the stack towards the camera: in front, a little above, from the beam side */
const VIEW_DIR: Vec3 = [-0.45, -1, 0.55]

export const caloViewListeners = new Set<() => void>()
export function resetCaloView(): void { for (const l of caloViewListeners) l() }

function CameraRig() {
  // re-frame when the camera or the orbit controls change, not only on a new design; the objects themselves
  // are taken from the store inside the effect (three.js objects are mutated in place, never during render)
  const camera = useThree((s) => s.camera)
  const controls = useThree((s) => s.controls)
  const get = useThree((s) => s.get)
  const key = useStudio((s) => (s.design?.kind === 'calorimeter' && s.layers.length ? `${s.generation}|${s.design.name}` : ''))
  useEffect(() => {
    const go = () => {
      const { camera, controls, invalidate } = get()
      const orbit = controls as unknown as OrbitLike | null
      const s = currentLayout()
      if (!s) return
      const { knob, barMax } = stackScale(s)
      const zLo = -s.transverse / 2 - knob * 7, zHi = s.transverse / 2 + barMax
      const c = toThree(s.depth / 2, 0, (zLo + zHi) / 2)
      const radius = 0.5 * Math.hypot(s.depth * 1.3, s.transverse, zHi - zLo)
      const fov = 'fov' in camera ? (camera as unknown as { fov: number }).fov : 40
      const dist = (radius / Math.sin(((fov / 2) * Math.PI) / 180)) * 1.02
      const dir = toThree(...VIEW_DIR).normalize()
      camera.position.copy(c).addScaledVector(dir, dist)
      camera.near = dist / 100
      camera.far = dist * 20
      camera.updateProjectionMatrix()
      camera.lookAt(c)
      if (orbit) { orbit.target.copy(c); orbit.update() }
      invalidate()
    }
    caloViewListeners.add(go)
    if (key) go()
    return () => void caloViewListeners.delete(go)
  }, [key, camera, controls, get])
  return null
}

/** hooks for automated checks: handle positions on screen, a synchronous render + colour count */
function TestHooks() {
  const events = useThree((s) => s.events)
  const camera = useThree((s) => s.camera)
  const gl = useThree((s) => s.gl)
  useEffect(() => {
    const w = window as unknown as { __dds?: Record<string, unknown> }
    w.__dds = {
      ...(w.__dds ?? {}),
      layerHandleScreen(which: 'absorber' | 'active'): { x: number; y: number } | null {
        const s = currentLayout()
        if (!s) return null
        const i = Math.min(s.n - 1, useCaloUi.getState().selected)
        const t = toThree(...handlePosition(s, i, which)).project(camera)
        const r = (events.connected as HTMLElement).getBoundingClientRect()
        return { x: r.left + ((t.x + 1) / 2) * r.width, y: r.top + ((1 - t.y) / 2) * r.height }
      },
      canvasColours(): number {
        return renderAndCountColours(gl.domElement as HTMLCanvasElement | OffscreenCanvas)
      },
    }
  }, [camera, gl, events])
  return null
}

export function StackViewer() {
  return (
    <Canvas
      className="viewer-canvas"
      frameloop="never"
      dpr={1}
      camera={{ fov: 40, position: [1, 1, 1], near: 0.01, far: 100 }}
      gl={createRenderer}
    >
      <ViewBackground />
      <ambientLight intensity={1.1} />
      <directionalLight position={[-2, 4, 3]} intensity={1.8} />
      <Stack />
      <GradientArrows />
      <GhostStack />
      <DepthAxis />
      <OrbitView />
      <CameraRig />
      <TestHooks />
      <RenderScheduler />
    </Canvas>
  )
}
