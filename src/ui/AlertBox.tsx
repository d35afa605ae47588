// Errors from a design import (every one, with its JSON path) or from the engine. role="alert" so assistive
// technology announces it; the current design stays as it was.
import { dismissAlert } from '../state/actions'
import { useStudio } from '../state/store'

export function AlertBox() {
  const alert = useStudio((s) => s.alert)
  if (!alert) return null
  return (
    <div className="alert" role="alert">
      <div className="alert-head">
        <strong>{alert.title}</strong>
        <button type="button" onClick={dismissAlert} aria-label="Dismiss">×</button>
      </div>
      <ul>
        {alert.errors.map((e, i) => (
          <li key={i}><code>{e.path || '(root)'}</code>: {e.message}</li>
        ))}
      </ul>
      <p className="muted">The current design is unchanged.</p>
    </div>
  )
}
