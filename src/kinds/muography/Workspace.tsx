// The muography studio: the passive volume and the panels in 3D with the view's controls and legend, the inspector
// (selected panel, technology, optimiser), the loss and panel charts and the X0 slices.
import { lazy, Suspense } from 'react'
import { Charts } from './Charts'
import { Inspector } from './Inspector'
import { ViewOverlay } from './ViewOverlay'
import { X0Slices } from './X0Slices'

const Viewer = lazy(() => import('./scene/Viewer').then((m) => ({ default: m.Viewer })))

export function MuographyWorkspace() {
  return (
    <main className="workspace muography">
      <section className="view" aria-label="3D view">
        <Suspense fallback={<div className="loading">loading the 3D view…</div>}>
          <Viewer />
        </Suspense>
        <ViewOverlay />
      </section>
      <Inspector />
      <div className="bottom">
        <Charts />
        <X0Slices />
      </div>
    </main>
  )
}
