// The calorimeter studio: the stack in 3D (slabs, shower profile, depth axes, boundary handles), the inspector
// (summary + selected layer) and the charts (σ/E vs E with its fit, the longitudinal profile, the loss).
import { GradientToggle } from '../../ui/GradientToggle'
import { ViewPngButton } from '../../ui/ViewPngButton'
import { lazy, Suspense, useEffect } from 'react'
import { exposeCaloHooks, useCaloUi, type CaloView } from './store'
import { useStudio } from '../../state/store'
import { materialColour, PROFILE_COLOUR, SHOWER_COLOUR_VAR } from '../../ui/colours'
import { CaloCharts } from './Charts'
import { CaloInspector } from './Inspector'
import './calo.css'

const StackViewer = lazy(() => import('./scene/StackViewer').then((m) => ({ default: m.StackViewer })))

function Overlay() {
  const materials = useStudio((s) => {
    const seen = new Set<string>()
    for (const l of s.layers) { seen.add(l.absorber); seen.add(l.active) }
    return [...seen].join(',')
  })
  const showerE = useStudio((s) => s.calo?.shower?.energy_gev ?? null)
  return (
    <>
      <div className="view-tools" role="toolbar" aria-label="View">
        <span className="group">
          <button type="button" onClick={() => void import('./scene/StackViewer').then((m) => m.resetCaloView())} title="Frame the stack">Frame stack</button>
        </span>
        <span className="group"><GradientToggle /></span>
        <span className="group"><ViewPngButton /></span>
      </div>
      <div className="legend calo-legend" aria-label="Colour legend">
        {materials.split(',').filter(Boolean).map((m) => (
          <span key={m}><i style={{ background: materialColour(m) }} />{m}</span>
        ))}
        <span><i style={{ background: PROFILE_COLOUR }} />mean shower profile</span>
        {showerE != null && <span><i style={{ background: `var(${SHOWER_COLOUR_VAR})` }} />one {showerE} GeV shower</span>}
      </div>
    </>
  )
}

export function CaloWorkspace() {
  const selected = useCaloUi((s) => s.selected)
  const generation = useStudio((s) => s.generation)
  useEffect(() => { exposeCaloHooks() }, [])
  // a new design: select the layer at the shower maximum once the first evaluation arrives (its boundary handles
  // then move a whole group finely: the k-th layer's boundary moves k times as fast as the thickness)
  useEffect(() => {
    useCaloUi.setState({ selected: 0 })
    const pick = (calo: CaloView | null) => {
      if (!calo || calo.profile.length === 0) return false
      let best = 0
      for (let i = 1; i < calo.profile.length; i++) if (calo.profile[i] > calo.profile[best]) best = i
      useCaloUi.setState({ selected: best })
      return true
    }
    if (pick(useStudio.getState().calo)) return
    const unsub = useStudio.subscribe((s) => { if (pick(s.calo)) unsub() })
    return unsub
  }, [generation])
  return (
    <main className="workspace calo">
      <section className="view" aria-label="3D view">
        <Suspense fallback={<div className="loading">loading the 3D view…</div>}>
          <StackViewer />
        </Suspense>
        <Overlay />
      </section>
      <CaloInspector />
      <div className="bottom calo-bottom">
        <CaloCharts selected={selected} />
      </div>
    </main>
  )
}
