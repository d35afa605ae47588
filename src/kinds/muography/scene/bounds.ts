// The engine-frame box that holds the volume and the detector stacks, for the camera and the axes.
import type { Design } from '../../../engine/design/schema'
import type { Vec3 } from '../../../scenes/coords'

export interface Box3E { min: Vec3; max: Vec3 }

export function sceneBounds(d: Design | null): Box3E {
  if (!d || d.kind !== 'muography') return { min: [-0.5, -0.5, -0.5], max: [0.5, 0.5, 0.5] }
  const { origin, size } = d.volume
  const min: Vec3 = [origin[0], origin[1], Math.min(origin[2], d.detector.stacks.below.z_min)]
  const max: Vec3 = [origin[0] + size[0], origin[1] + size[1], Math.max(origin[2] + size[2], d.detector.stacks.above.z_max)]
  for (const p of d.detector.panels) {
    min[0] = Math.min(min[0], p.x - p.span_x / 2); max[0] = Math.max(max[0], p.x + p.span_x / 2)
    min[1] = Math.min(min[1], p.y - p.span_y / 2); max[1] = Math.max(max[1], p.y + p.span_y / 2)
  }
  return { min, max }
}

/** a "nice" tick step (1, 2 or 5 × 10^k) giving about `target` ticks over `span` */
export function niceStep(span: number, target = 5): number {
  const raw = span / Math.max(1, target)
  const p = 10 ** Math.floor(Math.log10(raw))
  const f = raw / p
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p
}
