// The report's sections for more than one run: an ensemble's runs and clusters, and the cost–performance front.
import { esc, sig } from './html-text'
import type { EnsembleSummary, FrontSummary } from './report-input'
import { plotSvg } from './svg-plot'

const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`

export function ensembleSection(e: EnsembleSummary, costUnit: string): string {
  const chart = plotSvg({
    title: 'Best validation per run', xTitle: 'run', yTitle: 'validation (dimensionless)',
    series: [{ name: 'best validation', colour: '#2563eb', markers: true, points: e.runs.map((r, i) => [i, r.best.validation]) }],
  })
  const runs = e.runs.map((r, i) => row([String(i), String(r.seed), sig(r.best.validation), String(r.best.step), sig(r.best.cost)])).join('')
  const clusters = e.clusters.map((c) => row([c.members.join(', '), String(c.members.length), sig(c.validation_median)])).join('')
  return `<h2>Ensemble: ${e.runs.length} starts</h2>
<p>Runs linked by a chain of optimised designs each within an RMS distance of ${sig(e.distance, 3)} of the next (every parameter as a fraction of its allowed range; single linkage) form a cluster: one optimum, or one valley of nearly equal optima, reached from different starts. Run 0 starts from the design itself.</p>
<div class="figs"><figure>${chart}</figure></div>
<table><thead><tr><th>run</th><th>seed</th><th>best validation</th><th>at step</th><th>detector cost (${esc(costUnit)})</th></tr></thead><tbody>${runs}</tbody></table>
<table><thead><tr><th>cluster of runs</th><th>runs</th><th>median validation</th></tr></thead><tbody>${clusters}</tbody></table>`
}

export function frontSection(f: FrontSummary, costUnit: string): string {
  const sorted = [...f.points].sort((a, b) => a.cost - b.cost)
  const chart = plotSvg({
    title: 'Cost–performance front', xTitle: `detector cost (${costUnit})`, yTitle: 'best validation (dimensionless)',
    series: [
      { name: 'front', colour: '#16a34a', points: sorted.filter((p) => p.on_front).map((p) => [p.cost, p.validation]), markers: true, line: true },
      { name: 'dominated', colour: '#9ca3af', markers: true, points: sorted.filter((p) => !p.on_front).map((p) => [p.cost, p.validation]) },
    ],
  })
  const rows = f.points.map((p) => row([sig(p.budget), sig(p.cost), sig(p.validation), p.on_front ? 'yes' : 'dominated'])).join('')
  return `<h2>Cost–performance front: ${f.points.length} budgets</h2>
<p>One optimisation per budget; a design is on the front when no other is both cheaper and better.</p>
<div class="figs"><figure>${chart}</figure></div>
<table><thead><tr><th>budget (${esc(costUnit)})</th><th>detector cost (${esc(costUnit)})</th><th>best validation</th><th>on the front</th></tr></thead><tbody>${rows}</tbody></table>`
}
