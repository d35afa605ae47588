// Shader programs compiled ahead of the first draw, a few objects per task.
//
// Why: three.js compiles and links a material's program on the first draw that needs it and then waits for the
// result (getProgramInfoLog, getUniforms): without KHR_parallel_shader_compile (SwiftShader, the software GPU of a
// machine without one, has none) that wait blocks the main thread for every new program at once. The first frame
// of the muography view compiles about seven programs: one task of 156 ms, measured. Compiling them one object
// per task keeps each task to about one program.
import type { Camera, Material, Object3D, Scene, WebGLRenderer } from 'three'

type Drawable = Object3D & { material?: Material | Material[]; instanceColor?: unknown; isMesh?: boolean; isLine?: boolean; isPoints?: boolean; isSprite?: boolean }
type ProgramLike = { getUniforms(): unknown }

const materialsOf = (o: Drawable): Material[] => (Array.isArray(o.material) ? o.material : o.material ? [o.material] : [])

/** which materials an object draws with, and how (null: nothing to draw); their versions are tracked apart */
function objectKey(o: Drawable): string | null {
  if (!(o.isMesh || o.isLine || o.isPoints || o.isSprite) || !o.material) return null
  // instanceColor adds a define (USE_INSTANCING_COLOR) without a new material version
  return `${materialsOf(o).map((m) => m.uuid).join(',')}|${o.instanceColor ? 1 : 0}`
}

export class ShaderWarmUp {
  private compiled = new WeakMap<Object3D, string>()
  /**
   * Each material's version after its last compile here. Kept per material, not per object: compiling a
   * transparent double-sided material bumps its version (three.js compiles it for each face), and objects that
   * share it (the transform gizmo's handles) would otherwise take each other's compile for a change, forever.
   */
  private versions = new WeakMap<Material, number>()

  constructor(private readonly gl: WebGLRenderer) {}

  /**
   * Compiles the programs of objects that are new or changed since they were last compiled, and waits for each
   * link, until `budgetMs` have passed (checked between objects, so a task holds about one slow compile).
   * Returns true when nothing is left to compile: the next draw will not stall on a shader.
   */
  step(scene: Scene, camera: Camera, budgetMs = 8): boolean {
    const t0 = performance.now()
    let done = true
    scene.traverse((o) => {
      if (!done) return
      const d = o as Drawable
      const key = objectKey(d)
      if (key == null || (this.compiled.get(o) === key && materialsOf(d).every((m) => this.versions.get(m) === m.version))) return
      if (performance.now() - t0 > budgetMs) { done = false; return }
      for (const m of this.gl.compile(o, camera, scene)) {
        const program = (this.gl.properties.get(m) as { currentProgram?: ProgramLike }).currentProgram
        program?.getUniforms() // the first use waits for the link: here, not in the next frame
      }
      this.compiled.set(o, key)
      for (const m of materialsOf(d)) this.versions.set(m, m.version)
    })
    return done
  }
}
