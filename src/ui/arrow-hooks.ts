// Test hook: window.__dds.gradientArrows() lists the arrows the 3D view draws (label, origin, direction, length).
import type { Arrow } from './gradient-arrows'

export function exposeArrows(arrows: () => Arrow[]): void {
  const w = window as unknown as { __dds?: Record<string, unknown> }
  w.__dds = { ...(w.__dds ?? {}), gradientArrows: arrows }
}
