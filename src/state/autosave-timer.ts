// When the work is saved: every few seconds while something changed, and whenever the page is hidden or closed;
// never while the engine restarts. What is saved is ./autosave.ts's (the live design, settings, history).
import { serializeWork, writeSaved } from './autosave'
import { useStudio } from './store'
import { useTrust } from './trust'

export const AUTOSAVE_INTERVAL_MS = 3000
let dirty = false
let autosaveOn = false

export function saveNow(): boolean {
  const s = useStudio.getState()
  if (!s.design) return false
  const text = serializeWork(s)
  if (!text) return false
  const ok = writeSaved(text)
  if (ok) { dirty = false; useTrust.setState({ savedAt: Date.now() }) }
  return ok
}

export function startAutosave(): void {
  if (autosaveOn) return
  autosaveOn = true
  useStudio.subscribe((s, p) => {
    if (s.design !== p.design || s.panels !== p.panels || s.layers !== p.layers || s.historyVersion !== p.historyVersion || s.view !== p.view ||
      s.smoothness !== p.smoothness || s.presetName !== p.presetName || s.fileName !== p.fileName) dirty = true
  })
  setInterval(() => { if (dirty && !useTrust.getState().restarting) saveNow() }, AUTOSAVE_INTERVAL_MS)
  const flush = () => { if (useStudio.getState().design && !useTrust.getState().restarting) saveNow() }
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush() })
  window.addEventListener('pagehide', flush)
}
