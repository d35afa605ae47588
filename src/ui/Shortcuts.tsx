// Keyboard shortcuts: one registry drives both the handler and the help dialog. Every shortcut is ignored while
// typing in a field (input, textarea, select, contenteditable). Other modules add theirs with registerShortcut.
import { useEffect } from 'react'
import { setCameraView } from '../scenes/camera'
import { nudge } from '../kinds/muography/store'
import { reset, select, stepOnce, togglePlay } from '../state/actions'
import { redo, undo } from '../state/undo-apply'
import { Modal } from './Modal'

export interface ShortcutContext { toggleHelp(): void }

export interface Shortcut {
  /** as shown in the help */
  keys: string
  what: string
  /** Ctrl (or ⌘) is part of the combination; entries without it ignore events with Ctrl/⌘/Alt held */
  mod?: boolean
  /** false: not while a button has focus (Space is a focused button's own key) */
  onButton?: boolean
  match(e: KeyboardEvent): boolean
  run(e: KeyboardEvent, ctx: ShortcutContext): void
}

const key = (...ks: string[]) => (e: KeyboardEvent) => ks.includes(e.key)
const lower = (e: KeyboardEvent) => e.key.toLowerCase()

export const SHORTCUTS: Shortcut[] = [
  { keys: 'Space', what: 'Play / Pause', onButton: false, match: key(' ', 'Spacebar'), run: () => void togglePlay() },
  { keys: 'S', what: 'one optimisation step', match: key('s', 'S'), run: () => void stepOnce() },
  { keys: 'R', what: 'Reset (same seed, same start)', match: key('r', 'R'), run: () => void reset() },
  { keys: 'Ctrl+Z', what: 'undo the last design edit (drag, inspector edit, load, run)', mod: true, match: (e) => !e.shiftKey && lower(e) === 'z', run: () => void undo() },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', what: 'redo', mod: true, match: (e) => (e.shiftKey && lower(e) === 'z') || (!e.shiftKey && lower(e) === 'y'), run: () => void redo() },
  { keys: '← → ↑ ↓', what: 'nudge the selected panel in x / y (Shift: fine)', match: key('ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'),
    run: (e) => {
      if (e.key === 'ArrowLeft') nudge('x', -1, e.shiftKey)
      else if (e.key === 'ArrowRight') nudge('x', 1, e.shiftKey)
      else if (e.key === 'ArrowUp') nudge('y', 1, e.shiftKey)
      else nudge('y', -1, e.shiftKey)
    } },
  { keys: 'PageUp / PageDown', what: 'move the selected panel up / down in z (Shift: fine)', match: key('PageUp', 'PageDown'), run: (e) => nudge('z', e.key === 'PageUp' ? 1 : -1, e.shiftKey) },
  { keys: 'Esc', what: 'deselect', match: key('Escape'), run: () => select(null) },
  { keys: '1 2 3 4', what: 'front / side / top / iso view', match: key('1', '2', '3', '4'),
    run: (e) => setCameraView((['front', 'side', 'top', 'iso'] as const)[Number(e.key) - 1]) },
  { keys: '?', what: 'this help', match: key('?'), run: (_e, ctx) => ctx.toggleHelp() },
]

/** add a shortcut (e.g. a studio mode's own); returns a function that removes it */
export function registerShortcut(s: Shortcut): () => void {
  SHORTCUTS.push(s)
  return () => { const i = SHORTCUTS.indexOf(s); if (i >= 0) SHORTCUTS.splice(i, 1) }
}

function typing(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null
  if (!el || !el.tagName) return false
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.isContentEditable
}

export function useShortcuts(toggleHelp: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // nothing behind an open modal dialog reacts; the dialog handles its own keys (Escape closes it)
      if (e.defaultPrevented || typing(e.target) || document.querySelector('dialog[open]')) return
      const mod = (e.ctrlKey || e.metaKey) && !e.altKey
      if (!mod && (e.ctrlKey || e.metaKey || e.altKey)) return
      const onButton = (e.target as HTMLElement | null)?.tagName === 'BUTTON'
      const s = SHORTCUTS.find((x) => !!x.mod === mod && x.match(e))
      if (!s || (onButton && s.onButton === false)) return
      e.preventDefault()
      s.run(e, { toggleHelp })
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [toggleHelp])
}

/** the help: every shortcut, from the registry */
export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal label="Keyboard shortcuts" onClose={onClose}>
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>{SHORTCUTS.map((s) => <tr key={s.keys}><th><kbd>{s.keys}</kbd></th><td>{s.what}</td></tr>)}</tbody>
      </table>
      <p className="muted">Mouse: drag to orbit, right-drag to pan, wheel to zoom; click a panel to select it, drag it to move it in its plane, use the gizmo arrows for any axis. Drop a design file anywhere to import it. Shortcuts are ignored while typing in a field.</p>
      <p className="muted">How fast is this machine? <a href="bench.html" target="_blank" rel="noopener" data-testid="bench-link">The benchmark page</a> times the optimisation step on every backend this browser has (webgpu, webgl, wasm) and gives the figures as JSON.</p>
    </Modal>
  )
}
