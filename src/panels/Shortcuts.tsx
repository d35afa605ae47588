// Keyboard shortcuts, one table drives both the handler and the help dialog.
import { useEffect } from 'react'
import { setCameraView } from '../scenes/camera'
import { nudge, reset, select, stepOnce, togglePlay } from '../state/actions'

export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Space', what: 'Play / Pause' },
  { keys: 'S', what: 'one optimisation step' },
  { keys: 'R', what: 'Reset (same seed, same start)' },
  { keys: '← → ↑ ↓', what: 'nudge the selected panel in x / y (Shift: fine)' },
  { keys: 'PageUp / PageDown', what: 'move the selected panel up / down in z (Shift: fine)' },
  { keys: 'Esc', what: 'deselect' },
  { keys: '1 2 3 4', what: 'front / side / top / iso view' },
  { keys: '?', what: 'this help' },
]

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null
  if (!el || !el.tagName) return false
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable
}

export function useShortcuts(toggleHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return
      const onButton = (e.target as HTMLElement | null)?.tagName === 'BUTTON'
      const k = e.key
      let handled = true
      if (k === ' ' || k === 'Spacebar') { if (onButton) return; void togglePlay() }
      else if (k === 's' || k === 'S') void stepOnce()
      else if (k === 'r' || k === 'R') void reset()
      else if (k === 'ArrowLeft') nudge('x', -1, e.shiftKey)
      else if (k === 'ArrowRight') nudge('x', 1, e.shiftKey)
      else if (k === 'ArrowUp') nudge('y', 1, e.shiftKey)
      else if (k === 'ArrowDown') nudge('y', -1, e.shiftKey)
      else if (k === 'PageUp') nudge('z', 1, e.shiftKey)
      else if (k === 'PageDown') nudge('z', -1, e.shiftKey)
      else if (k === 'Escape') select(null)
      else if (k === '1') setCameraView('front')
      else if (k === '2') setCameraView('side')
      else if (k === '3') setCameraView('top')
      else if (k === '4') setCameraView('iso')
      else if (k === '?') toggleHelp()
      else handled = false
      if (handled) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [toggleHelp])
}

export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="modal" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="modal-body" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>{SHORTCUTS.map((s) => <tr key={s.keys}><th><kbd>{s.keys}</kbd></th><td>{s.what}</td></tr>)}</tbody>
        </table>
        <p className="muted">Mouse: drag to orbit, right-drag to pan, wheel to zoom; click a panel to select it, drag it to move it in its plane, use the gizmo arrows for any axis. Drop a design file anywhere to import it.</p>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </div>
  )
}
