// The toolbar's "Beyond one optimum" switch: opens the side panel with the ensemble, the cost–performance front
// and the comparison of two designs. The panel (and its charts and workers) loads on first use.
import { lazy, Suspense, useState } from 'react'
import { useStudio } from '../../state/store'

const BeyondPanel = lazy(() => import('./BeyondPanel'))

export function BeyondButton() {
  const [open, setOpen] = useState(false)
  const hasDesign = useStudio((s) => !!s.design)
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} disabled={!hasDesign} aria-label="Beyond one optimum"
        title="Beyond one optimum: ensembles of runs from different starts, the cost–performance front, two designs side by side">
        Beyond…
      </button>
      {open && <Suspense fallback={null}><BeyondPanel onClose={() => setOpen(false)} /></Suspense>}
    </>
  )
}
