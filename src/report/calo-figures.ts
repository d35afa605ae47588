// The report's calorimeter figures: the stack drawn to scale along the depth, the mean longitudinal shower profile,
// and σ/E against the beam energy with the fitted a/√E ⊕ b/E ⊕ c.
import { resolutionAt } from '../engine/calorimeter/fit'
import type { LayerState, Snapshot } from '../engine/session-types'
import { materialColour } from '../ui/colours'
import { esc, num, sig } from './html-text'
import { plotSvg } from './svg-plot'

type Calo = NonNullable<Snapshot['calo']>

/** the stack along its depth: one bar per slab, coloured by material, with a legend of the materials */
export function stackSvg(layers: LayerState[]): string {
  const width = 520, barY = 24, barH = 36
  const depth = layers.reduce((s, l) => s + l.absorber_thickness + l.active_thickness, 0)
  if (!(depth > 0)) return ''
  const scale = (width - 20) / depth
  let x = 10, bars = ''
  for (const l of layers) {
    for (const [m, t] of [[l.absorber, l.absorber_thickness], [l.active, l.active_thickness]] as const) {
      if (t > 0) bars += `<rect x="${num(x)}" y="${barY}" width="${num(Math.max(0.3, t * scale))}" height="${barH}" fill="${materialColour(m)}"/>`
      x += t * scale
    }
  }
  const materials = [...new Set(layers.flatMap((l) => [l.absorber, l.active]))]
  const legend = materials.map((m, i) => `<rect x="${10 + i * 110}" y="${barY + barH + 10}" width="10" height="10" fill="${materialColour(m)}"/><text x="${24 + i * 110}" y="${barY + barH + 19}">${esc(m)}</text>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${barY + barH + 30}" viewBox="0 0 ${width} ${barY + barH + 30}" role="img" aria-label="stack" font-family="Helvetica, Arial, sans-serif" font-size="11" fill="#1f2937">` +
    `<text x="10" y="14" font-weight="bold">Stack: ${layers.length} layers, ${sig(depth * 100, 3)} cm deep (beam from the left)</text>${bars}${legend}</svg>`
}

export function profileSvg(calo: Calo): string {
  return plotSvg({
    title: 'Mean longitudinal shower profile',
    xTitle: 'layer',
    yTitle: 'deposited fraction per layer',
    series: [{ name: 'mean shower', colour: '#ea580c', points: Array.from(calo.profile, (v, i) => [i, v]) }],
  })
}

export function resolutionSvg(calo: Calo): string {
  const es = calo.points.map((p) => p.energy_gev)
  const fit = calo.fit
  const lo = Math.min(...es), hi = Math.max(...es)
  const curve: [number, number][] = fit && hi > lo
    ? Array.from({ length: 40 }, (_, k) => { const e = lo * (hi / lo) ** (k / 39); return [e, 100 * resolutionAt(fit, e)] })
    : []
  return plotSvg({
    title: 'Energy resolution',
    xTitle: 'beam energy (GeV)',
    yTitle: 'σ/E (%)',
    series: [
      { name: 'simulated', colour: '#2563eb', markers: true, points: calo.points.map((p) => [p.energy_gev, 100 * p.sigma_over_e]) },
      ...(curve.length ? [{ name: `fit ${fitLabel(fit)}`, colour: '#374151', points: curve }] : []),
    ],
  })
}

export function fitLabel(fit: Calo['fit']): string {
  if (!fit) return 'not fitted'
  return `${sig(100 * fit.stochastic, 3)}%/√E ⊕ ${sig(100 * fit.noise, 3)}%/E ⊕ ${sig(100 * fit.constant, 3)}%`
}
