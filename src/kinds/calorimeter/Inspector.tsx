// The calorimeter inspector: a summary of the evaluated stack (mean σ/E, the fit, depth in metres and X0 against
// the limit, sampling fraction, containment, cost) and the selected layer's thicknesses. Ranges, steps and units
// come from the design schema (./store.ts → layerFieldInfo).
import { useId } from 'react'
import type { CalorimeterDesign } from '../../engine/design/calorimeter'
import { isHomogeneousStack, layerFieldInfo, LAYER_FIELDS, meanResolution, selectLayer, setLayer, sharedLayers, useCaloUi, useMuonBeam } from './store'
import { fieldLabel } from '../../state/schema-meta'
import { useStudio } from '../../state/store'
import { formatLength, materialColour } from '../../ui/colours'
import { NumberField } from '../../ui/NumberField'

const pct = (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '—' : `${+(v * 100).toPrecision(3)}%`)
const num = (v: number | null | undefined, p = 4) => (v == null || !Number.isFinite(v) ? '—' : String(+v.toPrecision(p)))
/** the drag floor of the optimiser: thinner layers are not physical in the model */
const FLOOR = 1e-4

function Summary() {
  const calo = useStudio((s) => s.calo)
  const cost = useStudio((s) => s.cost)
  const best = useStudio((s) => s.best)
  const mean = meanResolution(calo)
  const over = calo?.max_depth != null && calo.depth_m > calo.max_depth
  const contained = calo?.containment?.length ? Math.min(...calo.containment) : null
  const muon = useMuonBeam()
  return (
    <fieldset>
      <legend>Stack</legend>
      <dl className="calo-summary">
        {muon
          ? <dt title="mean relative width σ/⟨Ê⟩ of the muon's signal over the beam energies, on the validation set">signal width (mean σ/⟨Ê⟩)</dt>
          : <dt title="mean σ/E over the beam energies, on the validation showers">resolution (mean σ/E)</dt>}
        <dd data-testid="resolution-value">{mean == null ? '—' : num(mean, 4)}</dd>
        <dt title="σ/E = a/√E ⊕ b/E ⊕ c">fit a, b, c</dt>
        <dd data-testid="fit-value">{calo?.fit ? `${pct(calo.fit.stochastic)}, ${num(calo.fit.noise, 3)}, ${pct(calo.fit.constant)}` : '—'}</dd>
        <dt>depth</dt>
        <dd data-testid="depth-value" className={over ? 'bad' : undefined}>
          {calo ? `${formatLength(calo.depth_m)} · ${num(calo.depth_x0, 3)} X0` : '—'}
          {calo?.max_depth != null ? ` (max ${formatLength(calo.max_depth)})` : ''}
        </dd>
        <dt>sampling fraction</dt>
        <dd>{num(calo?.sampling_fraction, 3)}</dd>
        <dt title="smallest mean contained fraction over the beam energies">containment (min)</dt>
        <dd>{pct(contained)}</dd>
        <dt>cost</dt>
        <dd>{num(cost, 4)}</dd>
        <dt>best validation</dt>
        <dd data-testid="best-validation">{best ? `${num(best.validation, 4)} @ ${best.step}` : '—'}</dd>
      </dl>
    </fieldset>
  )
}

function LayerSection({ design }: { design: CalorimeterDesign }) {
  const layers = useStudio((s) => s.layers)
  const selected = useCaloUi((s) => s.selected)
  const id = useId()
  const n = layers.length
  const i = Math.min(Math.max(0, n - 1), selected)
  const l = layers[i]
  if (!l) return null
  const shared = sharedLayers(design, i, n)
  const homogeneous = isHomogeneousStack(layers)
  return (
    <fieldset>
      <legend>Layer</legend>
      <div className="field">
        <label htmlFor={id}>selected</label>
        <select id={id} value={i} onChange={(e) => selectLayer(Number(e.target.value))} aria-label="Selected layer">
          {layers.map((q) => <option key={q.index} value={q.index}>{q.index + 1} / {n}</option>)}
        </select>
      </div>
      <p className="calo-materials">
        <span><i style={{ background: materialColour(l.absorber) }} />{l.absorber}</span>
        <span><i style={{ background: materialColour(l.active) }} />{l.active}</span>
      </p>
      {LAYER_FIELDS.map((k) => (
        <NumberField
          key={`${i}-${k}`}
          label={fieldLabel(k, layerFieldInfo[k].unit)}
          value={l[k]}
          info={layerFieldInfo[k]}
          bounds={[FLOOR, layerFieldInfo[k].max]}
          disabled={k === 'absorber_thickness' && homogeneous}
          testId={`layer-${k}`}
          onCommit={(v) => setLayer(i, { [k]: v })}
        />
      ))}
      <p className="muted hint">
        {shared.length > 1
          ? `Edits apply to the ${shared.length} layers of this group (layers ${shared[0] + 1}–${shared[shared.length - 1] + 1}); granularity "${design.optimizer.granularity}".`
          : 'Edits apply to this layer only.'}
        {' '}Click a slab to select it; drag the pink (absorber | active) or cyan (back of the cell) handle below the stack to change a thickness. The optimiser continues from the edit.
      </p>
    </fieldset>
  )
}

export function CaloInspector() {
  const design = useStudio((s) => s.design)
  if (!design || design.kind !== 'calorimeter') return null
  return (
    <aside className="inspector" aria-label="Inspector">
      <Summary />
      <LayerSection design={design} />
    </aside>
  )
}
