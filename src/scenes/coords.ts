// The ONE place where engine coordinates (metres, z up, right-handed, like TomOpt and the design file) meet
// three.js coordinates (y up). engine (x, y, z) -> three (x, z, -y); the map is a proper rotation
// (−90° about x), so handedness and lengths are preserved. Nothing else in the UI swaps axes.
import { Vector3 } from 'three'

export type Vec3 = [number, number, number]

/** engine (x, y, z; z up) -> three.js (y up) */
export function toThree(x: number, y: number, z: number, out: Vector3 = new Vector3()): Vector3 {
  return out.set(x, z, -y)
}

/** three.js (y up) -> engine (x, y, z; z up) */
export function fromThree(v: { x: number; y: number; z: number }): Vec3 {
  return [v.x, -v.z, v.y]
}

/** engine box sizes (sx, sy, sz) -> three.js box sizes (x, y, z extents); sizes are unsigned */
export function sizeToThree(sx: number, sy: number, sz: number): Vec3 {
  return [sx, sz, sy]
}

/** Write engine point k (x, y, z at 3k..3k+2 of src) into a three.js position array at 3j. */
export function writeThree(src: ArrayLike<number>, k: number, dst: Float32Array, j: number): void {
  dst[3 * j] = src[3 * k]
  dst[3 * j + 1] = src[3 * k + 2]
  dst[3 * j + 2] = -src[3 * k + 1]
}

/** Camera presets, expressed as an engine-frame direction from the target towards the camera. */
export const VIEW_DIRECTIONS: Record<'front' | 'side' | 'top' | 'iso', Vec3> = {
  // looking along +y (from −y), z up on screen
  front: [0, -1, 0],
  // looking along −x (from +x)
  side: [1, 0, 0],
  // looking down −z; a tiny −y tilt keeps OrbitControls' up vector well defined
  top: [0, -1e-3, 1],
  iso: [1, -1.2, 0.9],
}
export type ViewName = keyof typeof VIEW_DIRECTIONS
