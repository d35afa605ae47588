// Detector panels: translucent plates with outlines, one colour per stack, the selected one highlighted.
// Drag a plate to move it in its plane; the gizmo (drei TransformControls) moves it along any axis, z included.
// Orbit controls pause during either drag. Positions are written to three.js objects imperatively from the
// store, so streaming panels from the optimiser re-renders nothing in React.
import { TransformControls } from '@react-three/drei'
import { useThree, type ThreeEvent } from '@react-three/fiber'
import { useEffect, useMemo, useRef, useState } from 'react'
import { BoxGeometry, Color, DoubleSide, EdgesGeometry, Group, LineBasicMaterial, MeshBasicMaterial, Plane, PlaneGeometry, Vector3, type Object3D } from 'three'
import type { TransformControls as TransformControlsImpl } from 'three-stdlib'
import type { PanelState } from '../../../engine/session-types'
import { select } from '../../../state/actions'
import { setDragging, setPanel } from '../store'
import { useStudio } from '../../../state/store'
import { STACK_COLOURS } from '../../../ui/colours'
import { fromThree, toThree } from '../../../scenes/coords'
import { useOrbitPause } from '../../../scenes/orbit-pause'

const PANEL_THICKNESS = 0.012

function panelIdOf(o: Object3D | null): string | null {
  for (let cur = o; cur; cur = cur.parent) if (typeof cur.userData.panelId === 'string') return cur.userData.panelId
  return null
}

export function Panels() {
  const ids = useStudio((s) => s.panels.map((p) => `${p.id}:${p.stack}`).join(','))
  const selection = useStudio((s) => s.selection)
  const invalidate = useThree((s) => s.invalidate)
  const pauseOrbit = useOrbitPause()
  const groups = useRef(new Map<string, Group>())
  const gizmo = useRef<TransformControlsImpl>(null)
  const [selectedObject, setSelectedObject] = useState<Group | null>(null)
  // the gizmo is built once, parked on a hidden group while nothing is selected: building it (some sixty meshes)
  // on the first selection made a main-thread task of about 60 ms, also while the optimiser runs
  const [parking, setParking] = useState<Group | null>(null)

  // the fill is one horizontal quad (cheap to fill on a software renderer); the outline is a thin box's edges,
  // so a plate stays visible edge-on in the front and side views
  const plate = useMemo(() => new PlaneGeometry(1, 1).rotateX(-Math.PI / 2), [])
  const edges = useMemo(() => { const b = new BoxGeometry(1, PANEL_THICKNESS, 1); const e = new EdgesGeometry(b); b.dispose(); return e }, [])
  useEffect(() => () => { plate.dispose(); edges.dispose() }, [plate, edges])

  const list = useMemo(() => (ids ? ids.split(',').map((s) => { const [id, stack] = s.split(':'); return { id, stack: stack as PanelState['stack'] } }) : []), [ids])

  // place the objects from the store, now and whenever panels or the selection change
  useEffect(() => {
    const v = new Vector3()
    const place = () => {
      const { panels, selection: sel } = useStudio.getState()
      for (const p of panels) {
        const g = groups.current.get(p.id)
        if (!g) continue
        toThree(p.x, p.y, p.z, v)
        g.position.copy(v)
        const plate = g.children[0], outline = g.children[1]
        plate.scale.set(p.span_x, 1, p.span_y)
        outline.scale.set(p.span_x, 1, p.span_y)
        const selected = p.id === sel
        const mat = (plate as unknown as { material: MeshBasicMaterial }).material
        mat.color.set(selected ? new Color(STACK_COLOURS[p.stack]).lerp(new Color('#ffffff'), 0.35) : STACK_COLOURS[p.stack])
        mat.opacity = selected ? 0.4 : 0.16
        const lm = (outline as unknown as { material: LineBasicMaterial }).material
        lm.color.set(selected ? '#ffffff' : STACK_COLOURS[p.stack])
      }
      invalidate()
    }
    place()
    return useStudio.subscribe((s, prev) => { if (s.panels !== prev.panels || s.selection !== prev.selection) place() })
  }, [list, invalidate])

  useEffect(() => {
    setSelectedObject(selection ? groups.current.get(selection) ?? null : null)
  }, [selection, list])

  // three.js draws a transparent double-sided material in two passes, back faces then front, re-selecting its
  // program twice per object per frame; plates and gizmo handles are flat and unlit, one pass draws them the same
  useEffect(() => {
    gizmo.current?.traverse((o) => {
      const m = (o as { material?: MeshBasicMaterial }).material
      if (m?.transparent && m.side === DoubleSide && !m.forceSinglePass) {
        m.forceSinglePass = true
        m.needsUpdate = true // a one-pass program, compiled ahead by the warm-up, not on the first selection
      }
    })
  }, [parking])

  // ---- plate drag in the panel's plane ----
  const drag = useRef<{ id: string; plane: Plane; offset: Vector3; pointerId: number } | null>(null)
  const hit = useMemo(() => new Vector3(), [])

  const onPointerDown = (e: ThreeEvent<PointerEvent>) => {
    if (e.button !== 0) return
    if (gizmo.current && (gizmo.current as unknown as { axis: string | null }).axis) return // the gizmo has it
    e.stopPropagation()
    const hits = e.intersections.map((i) => panelIdOf(i.object)).filter((x): x is string => !!x)
    if (hits.length === 0) return
    const { selection: sel, panels } = useStudio.getState()
    const id = sel && hits.includes(sel) ? sel : hits[0]
    select(id)
    const p = panels.find((q) => q.id === id)
    if (!p) return
    const centre = toThree(p.x, p.y, p.z)
    const plane = new Plane(new Vector3(0, 1, 0), -centre.y)
    if (!e.ray.intersectPlane(plane, hit)) return
    drag.current = { id, plane, offset: centre.clone().sub(hit), pointerId: e.pointerId }
    ;(e.target as unknown as Element).setPointerCapture?.(e.pointerId)
    pauseOrbit(true)
    setDragging(id)
  }

  const onPointerMove = (e: ThreeEvent<PointerEvent>) => {
    const d = drag.current
    if (!d || e.pointerId !== d.pointerId) return
    e.stopPropagation()
    if (!e.ray.intersectPlane(d.plane, hit)) return
    hit.add(d.offset)
    const [x, y] = fromThree(hit)
    setPanel(d.id, { x, y }, { live: true })
  }

  const endDrag = (e: ThreeEvent<PointerEvent>) => {
    const d = drag.current
    if (!d || e.pointerId !== d.pointerId) return
    drag.current = null
    ;(e.target as unknown as Element).releasePointerCapture?.(e.pointerId)
    pauseOrbit(false)
    setDragging(null)
  }

  // ---- gizmo ----
  // parked: hidden (drei passes `visible` to its child group, not to the controls, so it is set here)
  useEffect(() => {
    if (gizmo.current) gizmo.current.visible = selectedObject != null
    invalidate()
  }, [selectedObject, parking, invalidate])

  const onGizmoChange = () => {
    const obj = selectedObject
    const id = obj?.userData.panelId as string | undefined
    if (!obj || !id) return
    const [x, y, z] = fromThree(obj.position)
    const p = setPanel(id, { x, y, z }, { live: true })
    if (p) toThree(p.x, p.y, p.z, obj.position) // clamp the gizmo to the bounds at once
  }

  return (
    <>
      <group onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={endDrag} onPointerCancel={endDrag}>
        {list.map(({ id, stack }) => (
          <group
            key={id}
            name={`panel:${id}`}
            userData={{ panelId: id }}
            ref={(g) => { if (g) groups.current.set(id, g); else groups.current.delete(id) }}
          >
            <mesh geometry={plate} renderOrder={2}>
              <meshBasicMaterial color={STACK_COLOURS[stack]} transparent opacity={0.16} depthWrite={false} side={DoubleSide} forceSinglePass />
            </mesh>
            <lineSegments geometry={edges} raycast={() => null}>
              <lineBasicMaterial color={STACK_COLOURS[stack]} />
            </lineSegments>
          </group>
        ))}
      </group>
      <group ref={setParking} name="gizmo-parking" visible={false} />
      {(selectedObject ?? parking) && (
        <TransformControls
          ref={gizmo}
          object={(selectedObject ?? parking)!}
          enabled={selectedObject != null}
          mode="translate"
          space="world"
          size={0.6}
          onObjectChange={onGizmoChange}
          onMouseDown={() => { if (selectedObject) setDragging(selectedObject.userData.panelId as string) }}
          onMouseUp={() => setDragging(null)}
        />
      )}
    </>
  )
}
