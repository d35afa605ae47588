// The design report: one self-contained HTML file (inline SVG, inline CSS, no request to anything) that reads on
// screen and prints to PDF. The same function serves the studio's "Design report" and `optimize --report`.
import { calorimeterDesign, muographyDesign, type CalorimeterDesign, type Design, type MuographyDesign } from '../engine/design/schema'
import { fitLabel, profileSvg, resolutionSvg, stackSvg } from './calo-figures'
import { esc, sig } from './html-text'
import { ensembleSection, frontSection } from './many-runs'
import { metricRows, type ReportInput } from './report-input'
import { settingRows, type SettingRow } from './settings-rows'
import { plotSvg } from './svg-plot'
import { x0MapsSvg } from './x0-maps'

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; color: #111827; background: #fff; max-width: 1040px; margin: 24px auto; padding: 0 16px; font-size: 13px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid #d1d5db; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #d1d5db; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; } th { background: #f3f4f6; }
.meta { color: #4b5563; } .figs { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; break-inside: avoid; }
pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 8px; overflow: auto; font-size: 11px; }
.changed { background: #fef3c7; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } details { display: none; } }
`

const table = (head: string[], rows: string[][]): string =>
  `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`
const td = (s: string, cls = ''): string => `<td${cls ? ` class="${cls}"` : ''}>${s}</td>`

function metricsTable(input: ReportInput): string {
  const rows = metricRows(input.history)
  const start = input.startValidation != null ? `<p>Validation of the start design: ${sig(input.startValidation)}.</p>` : ''
  if (rows.length === 0) return `${start}<p>No optimisation step was run.</p>`
  return start + table(
    ['', 'step', 'loss', 'task', 'penalties', 'validation', `detector cost (${esc(input.costUnit)})`],
    rows.map((r) => [td(r.label), td(String(r.step)), td(sig(r.total)), td(sig(r.task)), td(sig(r.penalties)), td(sig(r.validation)), td(sig(r.detectorCost))]),
  )
}

function curves(input: ReportInput): string {
  const h = input.history
  if (h.step.length === 0) return ''
  const at = (ys: (number | null)[]): [number, number | null][] => h.step.map((s, i) => [s, ys[i]])
  const loss = plotSvg({
    title: 'Loss', xTitle: 'step', yTitle: 'loss (dimensionless)', logY: h.total.every((v) => v == null || v > 0),
    series: [
      { name: 'total', colour: '#111827', points: at(h.total) },
      { name: 'task', colour: '#2563eb', points: at(h.task) },
    ],
  })
  const validated = h.step.flatMap((s, i): [number, number | null][] => (h.validation[i] != null ? [[s, h.validation[i]]] : []))
  const validation = plotSvg({
    title: 'Validation (lower is better)', xTitle: 'step', yTitle: 'validation (dimensionless)',
    series: [{ name: 'validation', colour: '#16a34a', points: validated, markers: true, line: true }],
  })
  const cost = plotSvg({
    title: 'Detector cost', xTitle: 'step', yTitle: `cost (${input.costUnit})`,
    series: [{ name: 'detector cost', colour: '#d97706', points: at(h.detectorCost) }],
  })
  return `<div class="figs"><figure>${loss}</figure><figure>${validation}</figure><figure>${cost}</figure></div>`
}

const cm = (m: number) => sig(m * 100, 4)

function panelTable(start: MuographyDesign, best: MuographyDesign): string {
  const before = new Map(start.detector.panels.map((p) => [p.id, p]))
  const fields = ['x', 'y', 'z', 'span_x', 'span_y'] as const
  return table(
    ['panel', 'stack', ...fields.map((f) => `${f.replace('_', ' ')} (cm)<br>start → best`), 'area (m²)'],
    best.detector.panels.map((p) => {
      const s = before.get(p.id)
      return [td(esc(p.id)), td(p.stack), ...fields.map((f) => {
        const changed = s != null && Math.abs(s[f] - p[f]) > 1e-6
        return td(`${s ? cm(s[f]) : '—'} → ${cm(p[f])}`, changed ? 'changed' : '')
      }), td(sig(p.span_x * p.span_y, 3))]
    }),
  )
}

function layerTable(start: CalorimeterDesign, best: CalorimeterDesign): string {
  const s = start.calorimeter.layers.length === best.calorimeter.layers.length ? start.calorimeter.layers : null
  const mm = (m: number) => sig(m * 1000, 4)
  const pair = (a: number | undefined, b: number) => td(`${a != null ? mm(a) : '—'} → ${mm(b)}`, a != null && Math.abs(a - b) > 1e-9 ? 'changed' : '')
  return table(
    ['layer entry', 'repeat', 'absorber', 'absorber (mm)<br>start → best', 'active', 'active (mm)<br>start → best'],
    best.calorimeter.layers.map((l, i) => [td(String(i)), td(String(l.repeat)), td(l.absorber), pair(s?.[i].absorber_thickness, l.absorber_thickness), td(l.active), pair(s?.[i].active_thickness, l.active_thickness)]),
  )
}

const settingsTable = (rows: SettingRow[]): string =>
  table(['setting', 'value', 'unit'], rows.map((r) => [td(esc(r.name)), td(esc(r.value)), td(esc(r.unit))]))

function settings(d: Design): string {
  if (d.kind === 'muography') {
    const shape = muographyDesign.shape
    return settingsTable([
      ...settingRows(shape.detector, d.detector, 'detector'),
      ...settingRows(shape.simulation, d.simulation, 'simulation'),
      ...settingRows(shape.optimizer, d.optimizer, 'optimizer'),
    ])
  }
  const shape = calorimeterDesign.shape
  return settingsTable([
    ...settingRows(shape.beam, d.beam, 'beam'),
    ...settingRows(shape.calorimeter, d.calorimeter, 'calorimeter'),
    ...settingRows(shape.prices, d.prices, 'prices'),
    ...settingRows(shape.constraints, d.constraints, 'constraints'),
    ...settingRows(shape.optimizer, d.optimizer, 'optimizer'),
  ])
}

function parameters(input: ReportInput): string {
  const { start, design } = input
  if (design.kind === 'muography' && start.kind === 'muography') return panelTable(start, design)
  if (design.kind === 'calorimeter' && start.kind === 'calorimeter') return layerTable(start, design)
  return ''
}

function figures(input: ReportInput): string {
  if (input.muography) {
    const { volume, x0Pred } = input.muography
    return `<h2>X0 maps</h2><p class="meta">Voxel edge ${sig(volume.voxel * 100, 3)} cm, ${volume.nx}×${volume.ny}×${volume.nz} voxels; prediction from the current design's last inference.</p><figure>${x0MapsSvg(volume, x0Pred)}</figure>`
  }
  if (input.calorimeter) {
    const { calo, layers } = input.calorimeter
    const corrected = (p: (typeof calo.points)[number]) => (p.sigma_over_e_leakage_corrected == null ? '—' : sig(100 * p.sigma_over_e_leakage_corrected, 3))
    const rows = calo.points.map((p, i) => [td(sig(p.energy_gev)), td(sig(p.mean_response)), td(sig(100 * p.sigma_over_e, 3)), td(corrected(p)), td(sig(100 * p.rms_over_e, 3)), td(calo.leakage ? sig(100 * calo.leakage[i], 3) : '—')])
    const afterCorrection = calo.fit_leakage_corrected ? `, ${esc(fitLabel(calo.fit_leakage_corrected))} after the rear-leakage correction` : ''
    const beam = input.design.kind === 'calorimeter' ? `${input.design.beam.particle} beam; ` : ''
    return `<h2>Stack and showers</h2><p class="meta">${beam}the current design: ${sig(calo.depth_x0, 3)} X0, ${sig(calo.depth_m * 100, 3)} cm deep; resolution ${esc(fitLabel(calo.fit))}${afterCorrection}.</p>` +
      `<figure>${stackSvg(layers)}</figure><div class="figs"><figure>${profileSvg(calo)}</figure><figure>${resolutionSvg(calo)}</figure></div>` +
      table(['beam energy (GeV)', 'mean response', 'σ/E, Gaussian core (%)', 'σ/E, leakage-corrected (%)', 'RMS/E (%)', 'leakage (%)'], rows)
  }
  return ''
}

/** the report as one HTML document */
export function reportHtml(input: ReportInput): string {
  const d = input.design
  const kind = d.kind === 'muography' ? 'muon-scattering tomography' : 'sampling calorimeter'
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(d.name)}: design report</title><style>${STYLE}</style></head><body>
<h1>${esc(d.name)}</h1>
<p class="meta">${kind} · design report from Detector Design Studio ${esc(input.version)} · ${esc(input.madeWith)} · ${esc(input.generatedAt)}</p>
${d.description ? `<p>${esc(d.description)}</p>` : ''}
${input.history.step.length > 0 || !(input.ensemble || input.front) ? `<h2>Metrics</h2>${metricsTable(input)}\n${curves(input)}` : ''}
${input.ensemble ? ensembleSection(input.ensemble, input.costUnit) : ''}
${input.front ? frontSection(input.front, input.costUnit) : ''}
<h2>Parameters (best design)</h2>${parameters(input)}
${figures(input)}
<h2>Technology, budget and settings</h2>${settings(d)}
<h2>Reproduce</h2><p>Seed ${d.seed}, Detector Design Studio ${esc(input.version)}, ${input.history.step.length} steps. Save the start design below as a file and run <code>npm run cli -- optimize --design FILE --steps ${input.history.step.length} --json</code>.</p>
<details><summary>Start design (JSON)</summary><pre>${esc(JSON.stringify(input.start, null, 2))}</pre></details>
<details><summary>Best design (JSON)</summary><pre>${esc(JSON.stringify(d, null, 2))}</pre></details>
</body></html>
`
}
