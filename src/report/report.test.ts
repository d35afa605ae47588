import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { parseDesignText } from '../engine/design/parse'
import { calorimeterDesign, muographyDesign, type Design } from '../engine/design/schema'
import type { VolumeView } from '../engine/session-types'
import { cssColour, viridis } from '../ui/colours'
import { resolutionAt } from '../engine/calorimeter/fit'
import { metricRows, type ReportHistory } from './report-input'
import { reportHtml } from './report-html'
import { settingRows } from './settings-rows'
import { plotSvg } from './svg-plot'
import { shownLayers, x0MapsSvg } from './x0-maps'

const preset = (name: string): Design => {
  const r = parseDesignText(readFileSync(`public/presets/${name}.json`, 'utf8'))
  if (!r.ok) throw new Error(name)
  return r.design
}

const history: ReportHistory = {
  step: [1, 2, 3, 4],
  total: [3, 2, 1.5, 1.2],
  task: [2.5, 1.8, 1.4, 1.1],
  penalties: [0.5, 0.2, 0.1, 0.1],
  validation: [null, 0.8, null, 0.8],
  detectorCost: [10, 11, 12, 13],
}

describe('metrics at the first step, the best and the last step', () => {
  test('best is the lowest validation, the first of equals; steps without validation are skipped', () => {
    const rows = metricRows(history)
    expect(rows.map((r) => [r.label, r.step])).toEqual([['first step', 1], ['best', 2], ['last step', 4]])
    expect(rows[1]).toMatchObject({ total: 2, validation: 0.8, detectorCost: 11 })
  })

  test('no validation: no best row; no steps: no rows', () => {
    expect(metricRows({ ...history, validation: [null, null, null, null] }).map((r) => r.label)).toEqual(['first step', 'last step'])
    expect(metricRows({ step: [], total: [], task: [], penalties: [], validation: [], detectorCost: [] })).toEqual([])
  })
})

describe('SVG line chart from data', () => {
  test('a line from (0, 0) to (10, 10) spans the plot area from corner to corner', () => {
    const svg = plotSvg({ title: 't', xTitle: 'step', yTitle: 'loss', width: 400, height: 200, series: [{ name: 'a', colour: '#000', points: [[0, 0], [10, 10]] }] })
    // margins: left 64, right 12, top 28, bottom 44
    expect(svg).toContain('d="M64,156L388,28"')
    expect(svg).toContain('>step</text>')
  })

  test('a missing value breaks the line; all missing is "no data"', () => {
    const svg = plotSvg({ title: 't', xTitle: 'x', yTitle: 'y', series: [{ name: 'a', colour: '#000', points: [[0, 1], [1, null], [2, 3], [3, 2]] }] })
    expect(svg.match(/M/g)?.length).toBe(2)
    expect(plotSvg({ title: 't', xTitle: 'x', yTitle: 'y', series: [{ name: 'a', colour: '#000', points: [[0, null]] }] })).toContain('no data')
  })
})

describe('X0 maps', () => {
  const vol: VolumeView = {
    origin: [0, 0, 0], size: [0.2, 0.2, 0.1], voxel: 0.1, nx: 2, ny: 2, nz: 1,
    // one dense voxel (lead-like X0) among light ones
    x0: Float32Array.from([0.0056, 0.35, 0.35, 0.35]), palette: [], material: new Uint8Array(4),
  }

  test('true, predicted and error maps, one cell per voxel each; the densest voxel at the bright end of the scale', () => {
    const svg = x0MapsSvg(vol, Float32Array.from([0.0056, 0.35, 0.35, 0.7]))
    const bright = cssColour(viridis(1))
    // 3 maps × 4 cells + 2 scale bars of 24 stops
    expect(svg.match(/<rect /g)?.length).toBe(12 + 48)
    expect(svg).toContain(`fill="${bright}"`)
    expect(svg).toContain('error log₂(pred/true)')
  })

  test('many layers are sampled evenly, top first, both ends kept', () => {
    expect(shownLayers(3)).toEqual([2, 1, 0])
    const s = shownLayers(40)
    expect(s.length).toBe(12)
    expect(s[0]).toBe(39)
    expect(s.at(-1)).toBe(0)
  })
})

describe('settings with units from the schema', () => {
  test('muography technology and calorimeter beam', () => {
    const mu = preset('lead-in-beryllium')
    if (mu.kind !== 'muography') throw new Error('kind')
    const rows = settingRows(muographyDesign.shape.detector, mu.detector, 'detector')
    expect(rows.find((r) => r.name === 'detector.technology.resolution')).toMatchObject({ unit: 'm', value: String(mu.detector.technology.resolution) })
    expect(rows.some((r) => r.name.startsWith('detector.panels'))).toBe(false)
    const calo = preset('atlas-like-lar')
    if (calo.kind !== 'calorimeter') throw new Error('kind')
    expect(settingRows(calorimeterDesign.shape.beam, calo.beam, 'beam').find((r) => r.name === 'beam.energies')?.unit).toBe('GeV')
  })
})

describe('the report document', () => {
  test('σ/E of the fit is a/√E ⊕ b/E ⊕ c', () => {
    expect(resolutionAt({ stochastic: 0.1, noise: 0.3, constant: 0.01 }, 4)).toBeCloseTo(Math.hypot(0.05, 0.075, 0.01), 12)
  })

  test('self-contained: name escaped, metrics, inline charts, parameters, no script and no request anywhere', () => {
    const design = { ...preset('lead-in-beryllium'), name: 'Block <B> & "co"' }
    if (design.kind !== 'muography') throw new Error('kind')
    const best = structuredClone(design)
    best.detector.panels[0].x += 0.1
    const html = reportHtml({ design: best, start: design, history, startValidation: 1.7, costUnit: 'cost', version: '9.9.9', generatedAt: 'now', madeWith: 'test' })
    expect(html).toContain('Block &lt;B&gt; &amp; &quot;co&quot;')
    expect(html).toContain('<td>0.8</td>')
    expect(html).toContain('Validation of the start design: 1.7')
    expect(html.match(/<svg /g)?.length).toBe(3)
    // the moved panel's x is highlighted as changed
    expect(html).toMatch(/<td class="changed">[\d.]+ → [\d.]+<\/td>/)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|url\(/i)
    expect(html).not.toMatch(/(src|href)\s*=/i)
  })
})
