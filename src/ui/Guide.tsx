// The first-visit guide: a small card over the studio, not modal (the studio keeps running and stays usable), one
// step at a time, skippable. Shown once per browser (state/guide.ts); the status bar's Guide reopens it. Loaded when first shown.
import { useState } from 'react'
import { useStudio } from '../state/store'
import { GUIDE_STEPS } from './guide-steps'

export default function Guide({ onClose }: { onClose(): void }) {
  const kind = useStudio((s) => s.design?.kind ?? 'muography')
  const steps = GUIDE_STEPS[kind]
  const [i, setI] = useState(0)
  const step = steps[Math.min(i, steps.length - 1)]
  const last = i >= steps.length - 1
  return (
    <aside className="guide" role="dialog" aria-modal="false" aria-label="Guide">
      <p className="muted">{i + 1} / {steps.length}</p>
      <h2>{step.title}</h2>
      <p>{step.text}</p>
      <div className="guide-buttons">
        <button type="button" onClick={onClose}>{last ? 'Done' : 'Skip'}</button>
        <span className="spacer" />
        <button type="button" onClick={() => setI(i - 1)} disabled={i === 0}>Back</button>
        {!last && <button type="button" className="primary" onClick={() => setI(i + 1)}>Next</button>}
      </div>
    </aside>
  )
}
