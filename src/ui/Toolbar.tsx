// The top bar: preset picker, run controls, step counter and rate, current loss and validation, the tfjs
// backend badge, export and import.
import { useEffect, useId, useRef } from 'react'
import { groupPresets } from '../engine/design/presets'
import { exportDesign, exportHistoryCsv, importFile, loadPreset, pause, reset, stepOnce, togglePlay } from '../state/actions'
import { useStudio } from '../state/store'
import { calibrationSummary } from '../workers/backend-choice'
import { BeyondButton } from './beyond/BeyondButton'

const num = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '—' : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(+v.toPrecision(4)))

function PresetPicker() {
  const presets = useStudio((s) => s.presets)
  const presetName = useStudio((s) => s.presetName)
  const fileName = useStudio((s) => s.fileName)
  const id = useId()
  return (
    <div className="preset">
      <label htmlFor={id}>Preset</label>
      <select
        id={id}
        value={presetName ?? ''}
        onChange={async (e) => { const name = e.target.value; if (name) { await pause(); await loadPreset(name) } }} // read before the await: React resets a controlled select
        title={presets.find((p) => p.name === presetName)?.description}
      >
        {!presetName && <option value="">{fileName ? `imported: ${fileName}` : '—'}</option>}
        {groupPresets(presets).map((g) => (
          <optgroup key={g.id} label={g.label}>
            {g.entries.map((p) => <option key={p.name} value={p.name}>{p.title}</option>)}
          </optgroup>
        ))}
      </select>
    </div>
  )
}

function RunControls() {
  const status = useStudio((s) => s.status)
  const hasDesign = useStudio((s) => !!s.design)
  const running = status === 'running'
  return (
    <div className="run" role="group" aria-label="Run controls">
      <button type="button" className="primary" onClick={() => void togglePlay()} disabled={!hasDesign} title={running ? 'Pause (Space)' : 'Play (Space)'} aria-keyshortcuts="Space">
        {running ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => void stepOnce()} disabled={!hasDesign || running} title="One optimisation step (S)" aria-keyshortcuts="S">Step</button>
      <button type="button" onClick={() => void reset()} disabled={!hasDesign} title="Back to the start; same seed, same start (R)" aria-keyshortcuts="R">Reset</button>
    </div>
  )
}

function Stats() {
  const step = useStudio((s) => s.step)
  const sps = useStudio((s) => s.stepsPerSecond)
  const loss = useStudio((s) => s.loss)
  const validation = useStudio((s) => s.validation)
  const best = useStudio((s) => s.best)
  const cost = useStudio((s) => s.cost)
  const budget = useStudio((s) => s.budget)
  const costUnit = useStudio((s) => s.costUnit)
  const nanSteps = useStudio((s) => s.nanSteps)
  const clamped = useStudio((s) => s.clamped)
  return (
    <dl className="stats">
      <div><dt>step</dt><dd data-testid="step-count">{step}</dd></div>
      <div><dt>steps/s</dt><dd data-testid="steps-per-second">{sps ? sps.toFixed(1) : '—'}</dd></div>
      <div><dt>loss</dt><dd data-testid="loss-value">{num(loss?.total)}</dd></div>
      <div title={best ? `best validation ${num(best.validation)} at step ${best.step}` : 'validation runs every few steps on hard-edged panels'}>
        <dt>validation</dt><dd data-testid="validation-value">{num(validation)}</dd>
      </div>
      <div title={`detector cost in ${costUnit} (the design's price unit)${budget != null ? ' / budget' : ''}`}><dt>cost</dt><dd data-testid="cost-value">{num(cost)}{budget != null ? ` / ${num(budget)}` : ''}</dd></div>
      {(nanSteps > 0 || clamped) && (
        <div className="warn" title="steps skipped because the loss or a gradient was not finite; the last update was clamped by the per-step limit">
          <dt>rails</dt><dd>{nanSteps > 0 ? `${nanSteps} NaN skipped` : ''}{clamped ? ' clamped' : ''}</dd>
        </div>
      )}
    </dl>
  )
}

function BackendBadge() {
  const backend = useStudio((s) => s.backend)
  const error = useStudio((s) => s.engineError)
  const figures = backend && !backend.forced ? calibrationSummary(backend.attempts) : ''
  const title = backend
    ? `${backend.forced ? 'forced by ?backend=' : 'picked automatically: the fastest calibration step of webgpu, webgl, wasm'}\n` +
      backend.attempts.map((a) => `${a.name}: ${a.ok ? `ok in ${a.ms} ms${a.stepMs !== undefined ? `, ${Math.round(a.stepMs)} ms/step` : ''}` : a.note ?? 'failed'}`).join('\n') +
      `\n${backend.threads} CPU thread${backend.threads > 1 ? 's' : ''} for the per-muon and per-shower loops${backend.threads > 1 ? '' : ' (the page is not cross-origin isolated, or the machine has at most two cores: one is left to the page)'}`
    : error ?? 'starting the engine…'
  return (
    <div className={`badge${error ? ' bad' : ''}`} title={title}>
      <span className="muted">backend</span> <strong data-testid="backend">{backend?.name ?? (error ? 'none' : '…')}</strong>
      {figures && <span className="muted" data-testid="backend-figures"> {figures}</span>}
      {backend && backend.threads > 1 && <span className="muted" data-testid="backend-threads"> · {backend.threads} threads</span>}
    </div>
  )
}

function ImportExport() {
  const input = useRef<HTMLInputElement>(null)
  const hasDesign = useStudio((s) => !!s.design)
  const steps = useStudio((s) => s.history.step.length)
  const best = useStudio((s) => s.best != null)
  const more = useRef<HTMLDetailsElement>(null)
  const close = () => { if (more.current) more.current.open = false }
  // a menu closes when the pointer goes down anywhere else
  useEffect(() => {
    const away = (e: PointerEvent) => { if (more.current?.open && !more.current.contains(e.target as Node)) close() }
    document.addEventListener('pointerdown', away)
    return () => document.removeEventListener('pointerdown', away)
  }, [])
  return (
    <div className="io">
      <button type="button" onClick={() => void exportDesign()} disabled={!hasDesign} title="the current design, with the run's results">Export design</button>
      <details className="menu" ref={more}>
        <summary aria-label="More exports">▾</summary>
        <div className="menu-items" role="group" aria-label="More exports">
          <button type="button" onClick={() => { close(); void exportDesign('best') }} disabled={!hasDesign || !best}>Best design (JSON)</button>
          <button type="button" onClick={() => { close(); exportHistoryCsv() }} disabled={steps === 0}>Run history (CSV)</button>
          <button type="button" onClick={() => { close(); void import('../state/report-export').then((m) => m.exportReport()) }} disabled={!hasDesign} title="one HTML file: metrics, curves, parameters, figures, settings; prints to PDF">Design report (HTML)</button>
        </div>
      </details>
      <button type="button" onClick={() => input.current?.click()}>Import design</button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-input"
        onChange={async (e) => {
          const f = e.target.files?.[0]
          e.target.value = ''
          if (f) { await pause(); await importFile(f) }
        }}
      />
    </div>
  )
}

export function Toolbar() {
  return (
    <header className="toolbar">
      <h1 title="Detector Design Studio">DDS</h1>
      <PresetPicker />
      <RunControls />
      <Stats />
      <span className="spacer" />
      <BeyondButton />
      <BackendBadge />
      <ImportExport />
    </header>
  )
}
