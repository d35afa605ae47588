// The inspector: the selected panel (x, y, z, spans), the technology and the optimiser settings. Every range,
// step and unit is read from the design schema; the panel's live bounds (stack, margin, span_min) narrow them.
import { useId } from 'react'
import type { MuographyDesign } from '../../engine/design/schema'
import { select, setOptimizer } from '../../state/actions'
import { setPanel, setTechnology } from './store'
import { panelBounds } from './bounds'
import { fieldLabel, lossKinds, optimizerFieldInfo as O, PANEL_FIELDS, panelFieldInfo, technologyFieldInfo as T } from '../../state/schema-meta'
import { useStudio } from '../../state/store'
import { NumberField } from '../../ui/NumberField'

function PanelSection({ design }: { design: MuographyDesign }) {
  const panels = useStudio((s) => s.panels)
  const selection = useStudio((s) => s.selection)
  const id = useId()
  const p = panels.find((q) => q.id === selection) ?? null
  const b = p ? panelBounds(design, p.stack) : null
  return (
    <fieldset>
      <legend>Panel</legend>
      <div className="field">
        <label htmlFor={id}>selected</label>
        <select id={id} value={selection ?? ''} onChange={(e) => select(e.target.value || null)} aria-label="Selected panel">
          <option value="">(none — click a panel)</option>
          {panels.map((q) => <option key={q.id} value={q.id}>{q.id} ({q.stack})</option>)}
        </select>
      </div>
      {p && b ? (
        PANEL_FIELDS.map((k) => (
          <NumberField
            key={`${p.id}-${k}`}
            label={fieldLabel(k, panelFieldInfo[k].unit)}
            value={p[k]}
            info={panelFieldInfo[k]}
            bounds={b[k]}
            testId={`panel-${k}`}
            onCommit={(v) => setPanel(p.id, { [k]: v })}
          />
        ))
      ) : (
        <p className="muted hint">Select a panel in the view or above. Drag it in its plane, use the gizmo for z; arrow keys nudge it (Shift: fine), PageUp/PageDown move it in z.</p>
      )}
    </fieldset>
  )
}

function TechnologySection({ design }: { design: MuographyDesign }) {
  const t = design.detector.technology
  return (
    <fieldset>
      <legend>Technology{t.name ? `: ${t.name}` : ''}</legend>
      <NumberField label={fieldLabel('resolution', T.resolution.unit)} value={t.resolution} info={T.resolution} onCommit={(v) => void setTechnology({ resolution: v })} />
      <NumberField label="efficiency" value={t.efficiency} info={T.efficiency} onCommit={(v) => void setTechnology({ efficiency: v })} />
      <NumberField label={`cost per m² (${T.cost_per_m2.unit.replace('/m²', '')})`} value={t.cost_per_m2} info={T.cost_per_m2} onCommit={(v) => void setTechnology({ cost_per_m2: v })} />
      <p className="muted hint">Changing the technology restarts the run from the current panels.</p>
    </fieldset>
  )
}

function OptimizerSection({ design }: { design: MuographyDesign }) {
  const o = design.optimizer
  const smoothness = useStudio((s) => s.smoothness)
  const lossId = useId()
  return (
    <fieldset>
      <legend>Optimiser</legend>
      <NumberField label={`learning rate xy (${O.lr_xy.unit})`} value={o.learning_rates.xy} info={O.lr_xy} onCommit={(v) => void setOptimizer({ learning_rates: { xy: v } })} />
      <NumberField label={`learning rate z (${O.lr_z.unit})`} value={o.learning_rates.z} info={O.lr_z} onCommit={(v) => void setOptimizer({ learning_rates: { z: v } })} />
      <NumberField label={`learning rate span (${O.lr_span.unit})`} value={o.learning_rates.span} info={O.lr_span} onCommit={(v) => void setOptimizer({ learning_rates: { span: v } })} />
      <NumberField label="muons per step" value={o.muons_per_step} info={O.muons_per_step} onCommit={(v) => void setOptimizer({ muons_per_step: v })} />
      <div className="field-row">
        <NumberField label="cost weight" value={o.cost_weight === 'auto' ? NaN : o.cost_weight} info={O.cost_weight} disabled={o.cost_weight === 'auto'} onCommit={(v) => void setOptimizer({ cost_weight: v })} />
        <label className="inline"><input type="checkbox" checked={o.cost_weight === 'auto'} onChange={(e) => void setOptimizer({ cost_weight: e.target.checked ? 'auto' : 1 })} /> auto</label>
      </div>
      <div className="field-row">
        <NumberField label={`budget (${O.budget.unit})`} value={o.budget ?? NaN} info={O.budget} disabled={o.budget == null} onCommit={(v) => void setOptimizer({ budget: v })} />
        <label className="inline"><input type="checkbox" checked={o.budget == null} onChange={(e) => void setOptimizer({ budget: e.target.checked ? null : 20 })} /> none</label>
      </div>
      <div className="field">
        <label htmlFor={lossId}>loss</label>
        <select id={lossId} value={o.loss} onChange={(e) => void setOptimizer({ loss: e.target.value })}>
          {lossKinds.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </div>
      <NumberField
        label="smoothness"
        value={smoothness ?? NaN}
        info={O.smoothness_end}
        placeholder={`annealed ${o.smoothness.start}→${o.smoothness.end}`}
        onCommit={(v) => void setOptimizer({ smoothness: v })}
      />
      <NumberField label="seed" value={design.seed} info={O.seed} onCommit={(v) => void setOptimizer({ seed: v })} />
      <p className="muted hint">Settings apply from the next step and survive Reset; a new seed gives a new start on Reset. Smoothness: blank = annealed, a value fixes it.</p>
    </fieldset>
  )
}

export function Inspector() {
  const design = useStudio((s) => s.design)
  if (!design || design.kind !== 'muography') return null
  return (
    <aside className="inspector" aria-label="Inspector">
      <PanelSection design={design} />
      <TechnologySection design={design} />
      <OptimizerSection design={design} />
    </aside>
  )
}
