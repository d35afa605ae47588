// A labelled number input whose range, step and unit come from the design schema. It shows the live value
// until the user edits it; Enter or leaving the field commits; ArrowUp/ArrowDown step (Shift: ×10) and commit.
import { useId, useState, type KeyboardEvent } from 'react'
import { roundTo } from '../kinds/muography/bounds'
import type { FieldInfo } from '../engine/design/field-info'

export interface NumberFieldProps {
  label: string
  value: number
  info: FieldInfo
  /** tighter live bounds than the schema's (e.g. the panel's stack) */
  bounds?: [number, number]
  onCommit(v: number): void
  disabled?: boolean
  testId?: string
  placeholder?: string
}

export function display(v: number, step: number): string {
  if (!Number.isFinite(v)) return ''
  if (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0)) return String(+v.toPrecision(4))
  return String(roundTo(v, step / 10))
}

export function NumberField({ label, value, info, bounds, onCommit, disabled, testId, placeholder }: NumberFieldProps) {
  const id = useId()
  const [draft, setDraft] = useState<string | null>(null)
  const lo = Math.max(info.min, bounds?.[0] ?? -Infinity)
  const hi = Math.min(info.max, bounds?.[1] ?? Infinity)
  const parsed = draft == null ? value : Number(draft)
  const invalid = draft != null && (draft.trim() === '' || !Number.isFinite(parsed) || parsed < lo || parsed > hi)
  // a value sitting on a bound is marked (the optimiser or a clamp put it there)
  const eps = info.step / 1000
  const atBound = draft == null && Number.isFinite(value) ? (value <= lo + eps ? 'min' : value >= hi - eps ? 'max' : null) : null

  const commit = (v: number) => {
    setDraft(null)
    if (!Number.isFinite(v)) return
    const c = Math.min(hi, Math.max(lo, info.int ? Math.round(v) : v))
    if (c !== value || !Number.isFinite(value)) onCommit(c)
  }
  const commitText = (t: string) => (t.trim() === '' ? setDraft(null) : commit(Number(t)))
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') { e.preventDefault(); if (draft != null) commitText(draft) }
    else if (e.key === 'Escape') { setDraft(null) }
    else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault()
      const base = draft != null && Number.isFinite(Number(draft)) ? Number(draft) : value
      const d = (e.key === 'ArrowUp' ? 1 : -1) * info.step * (e.shiftKey ? 10 : 1)
      commit(roundTo(base + d, info.step / 10))
    }
  }
  const range = `${Number.isFinite(lo) ? display(lo, info.step) : '−∞'} … ${Number.isFinite(hi) ? display(hi, info.step) : '∞'}${info.unit ? ` ${info.unit}` : ''}`
  return (
    <div className={`field${invalid ? ' invalid' : ''}${atBound ? ' at-bound' : ''}`} data-at-bound={atBound ?? undefined}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={draft ?? display(value, info.step)}
        min={Number.isFinite(lo) ? lo : undefined}
        max={Number.isFinite(hi) ? hi : undefined}
        step={info.step}
        disabled={disabled}
        placeholder={placeholder}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-range`}
        title={info.description ? `${info.description}; range ${range}` : `range ${range}`}
        data-testid={testId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => { if (draft != null) commitText(draft) }}
        onKeyDown={onKeyDown}
      />
      <span id={`${id}-range`} className="range">{range}{atBound && <strong className="bound-mark"> · at {atBound}</strong>}</span>
    </div>
  )
}
