// Undo / Redo, Stop (terminates a run at once: the worker is killed and restarted from the current design, unlike
// Pause) and the share link, plus the restored-work notice (src/state/undo-apply.ts, engine-life.ts, share.ts,
// boot.ts).
import { useSyncExternalStore } from 'react'
import { useStudio } from '../state/store'
import { startFresh } from '../state/boot'
import { stopRun } from '../state/engine-life'
import { closeShareLink, copyShareLink } from '../state/share'
import { dismissRestored, useTrust } from '../state/trust'
import { redo, undo } from '../state/undo-apply'
import { designHistory } from '../state/undo'
import './trust.css'

function useUndoState(): { canUndo: boolean; canRedo: boolean } {
  const key = useSyncExternalStore(
    (fn) => designHistory.subscribe(fn),
    () => `${designHistory.canUndo ? 1 : 0}${designHistory.canRedo ? 1 : 0}`,
  )
  return { canUndo: key[0] === '1', canRedo: key[1] === '1' }
}

export function TrustControls() {
  const status = useStudio((s) => s.status)
  const hasDesign = useStudio((s) => !!s.design)
  const restarting = useTrust((t) => t.restarting)
  const { canUndo, canRedo } = useUndoState()
  return (
    <div className="trust" role="group" aria-label="History and sharing">
      <button type="button" onClick={() => void stopRun()} disabled={status !== 'running' || restarting} title="Stop the run at once: the engine is restarted from the current design (Pause waits for the step in flight)">Stop</button>
      <button type="button" onClick={() => void undo()} disabled={!canUndo || restarting} title="Undo the last design edit (Ctrl+Z)" aria-keyshortcuts="Control+Z">Undo</button>
      <button type="button" onClick={() => void redo()} disabled={!canRedo || restarting} title="Redo (Ctrl+Shift+Z or Ctrl+Y)" aria-keyshortcuts="Control+Shift+Z Control+Y">Redo</button>
      <button type="button" onClick={() => void copyShareLink()} disabled={!hasDesign} title="Copy a link that opens this design (without its results)">Copy share link</button>
    </div>
  )
}

/** the numerical guard rails, always visible: skipped non-finite steps and whether the per-step clamp hit */
export function RailsBadge() {
  const nanSteps = useStudio((s) => s.nanSteps)
  const clamped = useStudio((s) => s.clamped)
  const hasDesign = useStudio((s) => !!s.design)
  if (!hasDesign) return null
  return (
    <span
      className={`rails${nanSteps > 0 ? ' warn' : ''}`}
      data-testid="rails"
      title="Guard rails. Steps skipped because the loss or a gradient was not finite (NaN/∞), and whether the last update was clamped by the per-step limit (max_change). Values at a bound are marked in the inspector. 5 skipped steps in a row pause the run."
    >
      rails: <span data-testid="nan-steps">{nanSteps} non-finite skipped</span> · <span data-testid="clamp">{clamped ? 'step clamped' : 'no clamp'}</span>
    </span>
  )
}

export function ShareLinkField() {
  const link = useTrust((t) => t.shareLink)
  const copied = useTrust((t) => t.shareCopied)
  if (!link) return null
  return (
    <div className="share-link" role="group" aria-label="Share link">
      <label>
        Share link
        <input type="text" readOnly value={link} data-testid="share-link" onFocus={(e) => e.currentTarget.select()} />
      </label>
      <span className="muted">{copied === true ? 'copied to the clipboard' : copied === false ? 'copy it from the field (no clipboard access)' : ''}</span>
      <button type="button" onClick={closeShareLink} aria-label="Close share link">×</button>
    </div>
  )
}

export function RestoreNotice() {
  const at = useTrust((t) => t.restoredAt)
  if (!at) return null
  const when = new Date(at)
  return (
    <div className="restore-notice" role="status">
      <span>Restored your work from {when.toLocaleString()}</span>
      <button type="button" onClick={() => void startFresh()}>Start fresh</button>
      <button type="button" onClick={dismissRestored} aria-label="Dismiss notice">×</button>
    </div>
  )
}
