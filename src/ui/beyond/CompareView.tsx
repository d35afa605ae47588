// The compare tab: the open design against a second one (the run's best so far, pinned, or a design file), both
// evaluated the same way (validation on the fixed validation set, detector cost) in one table with the rows that
// differ highlighted; the second design is drawn as a ghost in the 3D view.
import { useRef } from 'react'
import { applyDesign } from '../../state/beyond/apply'
import { clearCompare, compareFile, evaluateBoth, pinBest, useCompare } from '../../state/beyond/compare'
import { compareRows } from '../../state/beyond/compare-rows'
import { COMPARE_COLOUR } from '../../state/beyond/ghosts'
import { useStudio } from '../../state/store'
import { fmt } from '../chart-kit'

export function CompareView() {
  const { a, b, busy, notice } = useCompare()
  const unit = useStudio((s) => s.costUnit)
  const input = useRef<HTMLInputElement>(null)
  const rows = a?.result && b?.result ? compareRows(a.result, b.result, unit) : []
  return (
    <div className="beyond-view">
      <p className="muted">Put a second design beside the open one: both are evaluated the same way (no optimisation step) and the second is drawn as a ghost in the 3D view.</p>
      <div className="beyond-controls">
        <button type="button" onClick={() => void pinBest()} disabled={busy}>Pin best design</button>
        <button type="button" onClick={() => input.current?.click()} disabled={busy}>Compare with file…</button>
        <input ref={input} type="file" accept=".json,application/json" hidden data-testid="compare-input"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void compareFile(f) }} />
        <button type="button" onClick={() => void evaluateBoth()} disabled={busy || !b} title="evaluate the open design again (after edits or steps)">Re-evaluate</button>
        <button type="button" onClick={clearCompare} disabled={!b}>Clear</button>
      </div>
      {notice && <p className="bad" role="status">{notice}</p>}
      {busy && <p className="muted">evaluating both designs…</p>}
      {(a?.error || b?.error) && <p className="bad">{a?.error ?? b?.error}</p>}
      {rows.length > 0 && (
        <table className="beyond-table compare" data-testid="compare-table" data-differs={rows.filter((r) => r.differs).length}>
          <thead><tr><th /><th>{a!.label}</th><th><i className="swatch" style={{ background: COMPARE_COLOUR }} />{b!.label}</th><th>B − A</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name} className={r.differs ? 'differs' : ''}>
                <th scope="row">{r.name}{r.unit ? <span className="muted"> ({r.unit})</span> : ''}</th>
                <td>{r.a == null ? '—' : fmt(r.a)}</td>
                <td>{r.b == null ? '—' : fmt(r.b)}</td>
                <td>{r.a != null && r.b != null && r.differs ? fmt(r.b - r.a) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {b && <button type="button" onClick={() => void applyDesign(b.design, `compare ${b.label}`)}>Open {b.label} in the studio</button>}
    </div>
  )
}
