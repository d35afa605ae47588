// Camera preset requests (front, side, top, iso) from anywhere in the UI to the rig inside the Canvas.
import type { ViewName } from './coords'

type ViewListener = (v: ViewName) => void
export const viewListeners = new Set<ViewListener>()

/** move the camera to a preset view */
export function setCameraView(v: ViewName): void {
  for (const l of viewListeners) l(v)
}
