// The shader warm-up against a stand-in renderer whose compile is slow, as it is without parallel shader
// compilation: one slow object per task, nothing compiled twice, and a changed material compiled again.
import { BoxGeometry, DoubleSide, Group, InstancedBufferAttribute, InstancedMesh, Mesh, MeshBasicMaterial, PerspectiveCamera, Scene, type Material, type Object3D, type WebGLRenderer } from 'three'
import { describe, expect, it } from 'vitest'
import { ShaderWarmUp } from './warm-up'

function standIn(compileMs: number) {
  const compiled: string[] = []
  let linked = 0
  const gl = {
    compile(o: Object3D): Set<Material> {
      const end = performance.now() + compileMs
      while (performance.now() < end) { /* a synchronous compile and link */ }
      compiled.push(o.name)
      const m = (o as Mesh).material as Material
      // as three.js does: a transparent double-sided material is compiled for each face, each a needsUpdate
      if (m.transparent && m.side === DoubleSide) { m.needsUpdate = true; m.needsUpdate = true }
      return new Set([m])
    },
    properties: { get: () => ({ currentProgram: { getUniforms: () => { linked++ } } }) },
  }
  return { gl: gl as unknown as WebGLRenderer, compiled, linked: () => linked }
}

function scene() {
  const s = new Scene()
  const g = new Group()
  g.name = 'group'
  const a = new Mesh(new BoxGeometry(), new MeshBasicMaterial())
  a.name = 'a'
  const b = new Mesh(new BoxGeometry(), new MeshBasicMaterial())
  b.name = 'b'
  const v = new InstancedMesh(new BoxGeometry(), new MeshBasicMaterial(), 4)
  v.name = 'voxels'
  g.add(a, b)
  s.add(g, v)
  return { s, a, v }
}

describe('ShaderWarmUp', () => {
  const camera = new PerspectiveCamera()

  it('compiles one slow object per step, waits for each link, and reports when all are ready', () => {
    const { gl, compiled, linked } = standIn(12)
    const { s } = scene()
    const w = new ShaderWarmUp(gl)
    expect(w.step(s, camera, 8)).toBe(false)
    expect(compiled).toEqual(['a'])
    expect(w.step(s, camera, 8)).toBe(false)
    expect(compiled).toEqual(['a', 'b'])
    expect(w.step(s, camera, 8)).toBe(true) // the last one: nothing is left
    expect(compiled).toEqual(['a', 'b', 'voxels'])
    expect(linked()).toBe(3)
    expect(w.step(s, camera, 8)).toBe(true)
    expect(compiled).toHaveLength(3)
  })

  it('compiles fast objects together in one step', () => {
    const { gl, compiled } = standIn(0)
    const w = new ShaderWarmUp(gl)
    expect(w.step(scene().s, camera, 8)).toBe(true)
    expect(compiled).toEqual(['a', 'b', 'voxels'])
  })

  it('compiles again what changed: a new material version, instance colours added', () => {
    const { gl, compiled } = standIn(0)
    const { s, a, v } = scene()
    const w = new ShaderWarmUp(gl)
    w.step(s, camera)
    compiled.length = 0
    ;(a.material as Material).needsUpdate = true
    expect(w.step(s, camera)).toBe(true)
    expect(compiled).toEqual(['a'])
    v.instanceColor = new InstancedBufferAttribute(new Float32Array(12), 3)
    w.step(s, camera)
    expect(compiled).toEqual(['a', 'voxels'])
  })
  it('does not take its own compile of a transparent double-sided material for a change, shared or not', () => {
    const { gl, compiled } = standIn(0)
    const { s, a, v } = scene()
    const shared = new MeshBasicMaterial({ transparent: true, side: DoubleSide })
    a.material = shared
    v.material = shared
    const w = new ShaderWarmUp(gl)
    expect(w.step(s, camera)).toBe(true)
    expect(shared.version).toBe(4)
    compiled.length = 0
    expect(w.step(s, camera)).toBe(true)
    expect(compiled).toEqual([])
    shared.color.set('red') // no new program
    expect(w.step(s, camera)).toBe(true)
    expect(compiled).toEqual([])
  })
})
