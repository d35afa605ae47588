// The calorimeter stack: absorber and active slabs (two instanced meshes, coloured by material), the mean
// longitudinal shower profile as bars above the stack (a third instanced mesh) and as a glow of the active
// slabs, one shower's deposits as thin bars beside it (a fourth), an outline of the selected layer and two drag handles on its boundaries (absorber | active, and the
// back of the cell). Dragging a handle moves that boundary with the pointer: the thickness changes through
// setLayer (throttled to the worker). Positions are written imperatively from the store: streaming layers
// re-renders nothing in React.
import { useThree, type ThreeEvent } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import {
  BoxGeometry, Color, EdgesGeometry, InstancedMesh, LineSegments, Matrix4, Mesh, Plane, Quaternion, Vector3,
} from 'three'
import { layerFieldInfo, selectLayer, setLayer, setLayerDragging, sharedLayers, isHomogeneousStack, useCaloUi, type LayerField } from '../store'
import { useStudio } from '../../../state/store'
import { sizeToThree, toThree } from '../../../scenes/coords'
import { useOrbitPause } from '../../../scenes/orbit-pause'
import { materialColour, PROFILE_COLOUR, SHOWER_COLOUR_VAR } from '../../../ui/colours'
import { stackLayout, type StackLayout } from './layout'
import { useThemeColour } from '../../../state/theme'

/** smallest thickness a drag may reach (the optimiser's floor) */
const DRAG_FLOOR = 1e-4


/** sizes that follow the stack's scale */
export function stackScale(s: { depth: number; transverse: number }): { S: number; knob: number; gap: number; barMax: number } {
  const S = Math.max(s.depth, s.transverse, 1e-3)
  return { S, knob: 0.045 * S, gap: 0.02 * S, barMax: 0.35 * s.transverse + 0.1 * S }
}

/** where the handle of the selected layer's boundary sits (engine frame) */
export function handlePosition(s: StackLayout, index: number, which: 'absorber' | 'active'): [number, number, number] {
  const { knob } = stackScale(s)
  // the two handles sit one above the other below the front edge, so both can be grabbed on thin layers
  return which === 'absorber'
    ? [s.split[index], -s.transverse / 2, -s.transverse / 2 - knob * 0.9]
    : [s.end[index], -s.transverse / 2, -s.transverse / 2 - knob * 2.2]
}

/** the current layout of the store's layers */
export function currentLayout(): StackLayout | null {
  const { layers, design } = useStudio.getState()
  if (!design || design.kind !== 'calorimeter' || layers.length === 0) return null
  return stackLayout(layers, design.calorimeter.transverse_size)
}

export function Stack() {
  const n = useStudio((s) => s.layers.length)
  const transverse = useStudio((s) => (s.design?.kind === 'calorimeter' ? s.design.calorimeter.transverse_size : 0))
  const invalidate = useThree((s) => s.invalidate)
  const camera = useThree((s) => s.camera)
  const pauseOrbit = useOrbitPause()
  const showerColour = useThemeColour(SHOWER_COLOUR_VAR)
  const selectColour = useThemeColour('--highlight')

  const absorbers = useRef<InstancedMesh>(null)
  const actives = useRef<InstancedMesh>(null)
  const bars = useRef<InstancedMesh>(null)
  const showerBars = useRef<InstancedMesh>(null)
  const outline = useRef<LineSegments>(null)
  const handleA = useRef<Mesh>(null)
  const handleB = useRef<Mesh>(null)

  const box = useMemo(() => new BoxGeometry(1, 1, 1), [])
  const edges = useMemo(() => new EdgesGeometry(box), [box])
  useEffect(() => () => { box.dispose(); edges.dispose() }, [box, edges])

  // write slabs, bars, outline and handles from the store
  useEffect(() => {
    if (n === 0) return
    const m = new Matrix4(), q = new Quaternion(), pos = new Vector3(), scl = new Vector3()
    const c = new Color(), glow = new Color(PROFILE_COLOUR)
    const colourCache = new Map<string, Color>()
    const colourOf = (name: string) => { let k = colourCache.get(name); if (!k) { k = new Color(materialColour(name)); colourCache.set(name, k) } return k }
    const place = (mesh: { position: Vector3; scale: Vector3 }, x0: number, x1: number, ty: number, tz: number, z0 = 0) => {
      toThree((x0 + x1) / 2, 0, z0, mesh.position)
      const [a, b, d] = sizeToThree(Math.max(1e-6, x1 - x0), ty, tz)
      mesh.scale.set(a, b, d)
    }
    const write = () => {
      const st = useStudio.getState()
      const layers = st.layers
      if (layers.length !== n || !absorbers.current || !actives.current || !bars.current || !showerBars.current) return
      const s = stackLayout(layers, transverse)
      const { gap, barMax } = stackScale(s)
      const profile = st.calo?.profile
      const one = st.calo?.shower?.fraction.length === n ? st.calo.shower.fraction : null
      // the mean profile and the single shower share one height scale, so the shower's excursions show
      let pmax = 0
      if (profile && profile.length === n) for (let i = 0; i < n; i++) pmax = Math.max(pmax, profile[i], one ? one[i] : 0)
      const T = transverse
      for (let i = 0; i < n; i++) {
        const l = layers[i]
        const f = pmax > 0 && profile ? profile[i] / pmax : 0
        // absorber
        toThree((s.start[i] + s.split[i]) / 2, 0, 0, pos)
        scl.set(...sizeToThree(Math.max(1e-6, s.split[i] - s.start[i]), T, T))
        m.compose(pos, q, scl)
        absorbers.current.setMatrixAt(i, m)
        absorbers.current.setColorAt(i, colourOf(l.absorber))
        // active, glowing with the deposited fraction
        toThree((s.split[i] + s.end[i]) / 2, 0, 0, pos)
        scl.set(...sizeToThree(Math.max(1e-6, s.end[i] - s.split[i]), T * 0.98, T * 0.98))
        m.compose(pos, q, scl)
        actives.current.setMatrixAt(i, m)
        actives.current.setColorAt(i, c.copy(colourOf(l.active)).lerp(glow, 0.85 * f))
        // profile bar above the cell
        const h = Math.max(1e-6, barMax * f)
        toThree((s.start[i] + s.end[i]) / 2, 0, T / 2 + gap + h / 2, pos)
        scl.set(...sizeToThree(Math.max(1e-6, (s.end[i] - s.start[i]) * 0.8), T * 0.25, h))
        m.compose(pos, q, scl)
        bars.current.setMatrixAt(i, m)
        // one shower's deposits: a thin bar in front of the mean one (the camera looks from −y)
        const h1 = Math.max(1e-6, one && pmax > 0 ? (barMax * one[i]) / pmax : 0)
        toThree((s.start[i] + s.end[i]) / 2, -T * 0.2, T / 2 + gap + h1 / 2, pos)
        scl.set(...sizeToThree(Math.max(1e-6, (s.end[i] - s.start[i]) * 0.5), T * 0.08, h1))
        m.compose(pos, q, scl)
        showerBars.current.setMatrixAt(i, m)
      }
      showerBars.current.visible = one !== null
      for (const im of [absorbers.current, actives.current, bars.current, showerBars.current]) {
        im.count = n
        im.instanceMatrix.needsUpdate = true
        if (im.instanceColor) im.instanceColor.needsUpdate = true
        im.computeBoundingSphere()
        im.computeBoundingBox()
      }
      const sel = Math.min(n - 1, useCaloUi.getState().selected)
      const shared = sharedLayers(st.design, sel, n)
      const first = shared[0], lastL = shared[shared.length - 1]
      if (outline.current) place(outline.current, s.start[first], s.end[lastL], T * 1.04, T * 1.04)
      const { knob } = stackScale(s)
      const homogeneous = isHomogeneousStack(layers)
      for (const [ref, which] of [[handleA, 'absorber'], [handleB, 'active']] as const) {
        const h = ref.current
        if (!h) continue
        const [x, y, z] = handlePosition(s, sel, which)
        toThree(x, y, z, h.position)
        h.scale.set(...sizeToThree(knob * 0.35, knob, knob * 1.1))
        h.visible = !(which === 'absorber' && homogeneous)
      }
      invalidate()
    }
    write()
    // while the optimiser runs, redraw at most every 250 ms (a software renderer draws on the main thread);
    // a drag or a selection redraws at once
    let timer: ReturnType<typeof setTimeout> | null = null
    let lastWrite = 0
    const request = () => {
      const st = useStudio.getState()
      const now = performance.now()
      if (st.status !== 'running' || st.dragging || now - lastWrite >= 250) {
        if (timer) { clearTimeout(timer); timer = null }
        lastWrite = now
        write()
      } else if (!timer) {
        timer = setTimeout(() => { timer = null; lastWrite = performance.now(); write() }, 250 - (now - lastWrite))
      }
    }
    const unsub = useStudio.subscribe((st, prev) => { if (st.layers !== prev.layers || st.calo !== prev.calo) request() })
    const unsubSel = useCaloUi.subscribe(write)
    return () => { unsub(); unsubSel(); if (timer) clearTimeout(timer) }
  }, [n, transverse, invalidate])

  // ---- boundary drag ----
  const drag = useRef<{ index: number; field: LayerField; plane: Plane; x0: number; t0: number; k: number; pointerId: number } | null>(null)
  const hit = useMemo(() => new Vector3(), [])

  const onHandleDown = (which: 'absorber' | 'active') => (e: ThreeEvent<PointerEvent>) => {
    if (e.button !== 0) return
    e.stopPropagation()
    const st = useStudio.getState()
    const index = Math.min(st.layers.length - 1, useCaloUi.getState().selected)
    const l = st.layers[index]
    if (!l) return
    const field: LayerField = which === 'absorber' ? 'absorber_thickness' : 'active_thickness'
    const shared = sharedLayers(st.design, index, st.layers.length)
    // the boundary of the k-th layer of its group moves k times as fast as the shared thickness
    const k = Math.max(1, shared.indexOf(index) + 1)
    // a plane through the handle that contains the depth axis and faces the camera as much as it can
    const normal = new Vector3()
    camera.getWorldDirection(normal)
    normal.x = 0
    if (normal.lengthSq() < 1e-6) normal.set(0, 1, 0)
    normal.normalize()
    const plane = new Plane().setFromNormalAndCoplanarPoint(normal, e.point)
    if (!e.ray.intersectPlane(plane, hit)) return
    drag.current = { index, field, plane, x0: hit.x, t0: l[field], k, pointerId: e.pointerId }
    ;(e.target as unknown as Element).setPointerCapture?.(e.pointerId)
    pauseOrbit(true)
    setLayerDragging(index)
  }

  const onHandleMove = (e: ThreeEvent<PointerEvent>) => {
    const d = drag.current
    if (!d || e.pointerId !== d.pointerId) return
    e.stopPropagation()
    if (!e.ray.intersectPlane(d.plane, hit)) return
    // three.js x is the engine's x: the depth axis
    const t = Math.max(DRAG_FLOOR, Math.min(layerFieldInfo[d.field].max, d.t0 + (hit.x - d.x0) / d.k))
    setLayer(d.index, { [d.field]: t }, { live: true })
  }

  const onHandleUp = (e: ThreeEvent<PointerEvent>) => {
    const d = drag.current
    if (!d || e.pointerId !== d.pointerId) return
    drag.current = null
    ;(e.target as unknown as Element).releasePointerCapture?.(e.pointerId)
    pauseOrbit(false)
    setLayerDragging(null)
  }

  const onSlabClick = (e: ThreeEvent<MouseEvent>) => {
    if (e.instanceId == null || e.delta > 4) return
    e.stopPropagation()
    selectLayer(e.instanceId)
  }

  if (n === 0) return null
  return (
    <group>
      <instancedMesh ref={absorbers} args={[box, undefined, n]} onClick={onSlabClick} name="absorbers">
        <meshLambertMaterial />
      </instancedMesh>
      <instancedMesh ref={actives} args={[box, undefined, n]} onClick={onSlabClick} name="actives">
        <meshLambertMaterial />
      </instancedMesh>
      <instancedMesh ref={bars} args={[box, undefined, n]} raycast={() => null} name="profile">
        <meshBasicMaterial color={PROFILE_COLOUR} transparent opacity={0.85} />
      </instancedMesh>
      <instancedMesh ref={showerBars} args={[box, undefined, n]} raycast={() => null} name="shower">
        <meshBasicMaterial color={showerColour} />
      </instancedMesh>
      <lineSegments ref={outline} geometry={edges} raycast={() => null}>
        <lineBasicMaterial color={selectColour} />
      </lineSegments>
      {([['absorber', handleA, '#f472b6'], ['active', handleB, '#22d3ee']] as const).map(([which, ref, colour]) => (
        <mesh
          key={which}
          ref={ref}
          name={`handle:${which}`}
          geometry={box}
          onPointerDown={onHandleDown(which)}
          onPointerMove={onHandleMove}
          onPointerUp={onHandleUp}
          onPointerCancel={onHandleUp}
          onPointerOver={() => { document.body.style.cursor = 'ew-resize' }}
          onPointerOut={() => { document.body.style.cursor = '' }}
        >
          <meshBasicMaterial color={colour} />
        </mesh>
      ))}
    </group>
  )
}
