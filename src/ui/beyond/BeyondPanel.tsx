// The side panel beyond one optimum: three tabs over the open design, each run on background workers while the
// studio (and its own run) goes on.
import { useLayoutEffect, useState } from 'react'
import { CompareView } from './CompareView'
import { EnsembleView } from './EnsembleView'
import { FrontView } from './FrontView'
import './beyond.css'

const TABS = [
  { id: 'ensemble', label: 'Ensemble' },
  { id: 'front', label: 'Front' },
  { id: 'compare', label: 'Compare' },
] as const
type Tab = (typeof TABS)[number]['id']

export default function BeyondPanel({ onClose }: { onClose(): void }) {
  const [tab, setTab] = useState<Tab>('ensemble')
  // below the toolbar, whose height depends on how its controls wrap
  const [top, setTop] = useState(52)
  useLayoutEffect(() => {
    const bar = document.querySelector('.toolbar')
    if (!bar) return
    const fit = () => setTop(Math.round(bar.getBoundingClientRect().bottom))
    fit()
    const o = new ResizeObserver(fit)
    o.observe(bar)
    return () => o.disconnect()
  }, [])
  return (
    <aside className="beyond" aria-label="Beyond one optimum" style={{ top }}>
      <header>
        <div role="tablist" aria-label="Beyond one optimum">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)}>{t.label}</button>
          ))}
        </div>
        <button type="button" className="link" onClick={onClose} aria-label="Close the panel">✕</button>
      </header>
      <div role="tabpanel">
        {tab === 'ensemble' && <EnsembleView />}
        {tab === 'front' && <FrontView />}
        {tab === 'compare' && <CompareView />}
      </div>
    </aside>
  )
}
