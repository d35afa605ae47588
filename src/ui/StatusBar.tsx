import { useStudio } from '../state/store'
import { nextChoice, setThemeChoice, useTheme, useThemeChoice } from '../state/theme'
import { RailsBadge, TrustControls } from './TrustControls'

export function StatusBar({ onHelp, onAbout, onGuide }: { onHelp(): void; onAbout(): void; onGuide(): void }) {
  const status = useStudio((s) => s.status)
  const notice = useStudio((s) => s.notice)
  const design = useStudio((s) => s.design)
  const fileName = useStudio((s) => s.fileName)
  const nvox = useStudio((s) => (s.volume ? s.volume.nx * s.volume.ny * s.volume.nz : 0))
  return (
    <footer className="statusbar" aria-live="polite">
      <span data-testid="run-status">{status}</span>
      {design && <span>{design.name}{fileName ? ` (${fileName})` : ''} · seed {design.seed}{nvox ? ` · ${nvox} voxels` : ''}</span>}
      {notice && <span className="notice">{notice}</span>}
      <span className="spacer" />
      <RailsBadge />
      <TrustControls />
      <button type="button" className="link" onClick={onHelp}>Keyboard shortcuts (?)</button>
      <button type="button" className="link" onClick={onGuide}>Guide</button>
      <button type="button" className="link" onClick={onAbout}>About</button>
      <ThemeToggle />
    </footer>
  )
}

/** system → light → dark; the label says what is shown and why */
function ThemeToggle() {
  const choice = useThemeChoice()
  const theme = useTheme()
  const label = choice === 'system' ? `Theme: ${theme} (system)` : `Theme: ${theme}`
  return (
    <button type="button" className="link" data-testid="theme-toggle" onClick={() => setThemeChoice(nextChoice(choice))} title="light or dark colours; remembered in this browser">
      {label}
    </button>
  )
}
