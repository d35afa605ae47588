// The standalone chart SVG against hand-made inputs: the document's size is the chart's plus the heading and
// legend rows, text is escaped, a long legend wraps, the chart's own SVG is embedded unchanged below the heading.
import { describe, expect, it } from 'vitest'
import { resolveCssVars, standaloneSvg } from './chart-export'

const chart = '<svg xmlns="http://www.w3.org/2000/svg" class="chart-surface" width="300" height="200"><path d="M0,0L10,10"/></svg>'

describe('standaloneSvg', () => {
  it('puts the title and a one-row legend above the chart', () => {
    const out = standaloneSvg({ svg: chart, width: 300, height: 200, title: 'Loss & validation <1>', legend: [{ label: 'total', colour: '#fff' }, { label: 'best', colour: '#4ade80', dashed: true }] })
    // heading 22 + one legend row 16 + 4 = 42 above the chart's 200
    expect(out).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="242" viewBox="0 0 300 242"/)
    expect(out).toContain('>Loss &amp; validation &lt;1&gt;</text>')
    expect(out).toContain(`<g transform="translate(0 42)">${chart}</g>`)
    expect(out.match(/<line /g)).toHaveLength(2)
    expect(out).toContain('stroke="#4ade80" stroke-width="2" stroke-dasharray="4 3"')
  })

  it('wraps a legend wider than the chart onto more rows', () => {
    const legend = Array.from({ length: 6 }, (_, i) => ({ label: `a long series name ${i}`, colour: '#60a5fa' }))
    const out = standaloneSvg({ svg: chart, width: 300, height: 200, title: 't', legend })
    // each entry is about 22 + 20 × 6.5 + 12 = 164 px: one per row in 300 px, six rows
    expect(out).toContain('height="322"') // 22 + 6 × 16 + 4 + 200
    const ys = [...out.matchAll(/<line x1="[\d.]+" y1="([\d.]+)"/g)].map((m) => Number(m[1]))
    expect(ys).toEqual([30, 46, 62, 78, 94, 110])
  })

  it('without a legend, the chart sits right under the title', () => {
    const out = standaloneSvg({ svg: chart, width: 300, height: 200, title: 't', legend: [] })
    expect(out).toContain('height="226"')
    expect(out).toContain('translate(0 26)')
  })
})

describe('resolveCssVars', () => {
  it('replaces each var(--name) with its value and leaves unknown names alone', () => {
    const vals: Record<string, string> = { '--chart-grid': '#e2e8f0', '--series-fg': '#1e293b' }
    const out = resolveCssVars('<line stroke="var(--chart-grid)"/><path stroke="var(--series-fg)" fill="var(--nope)"/>', (n) => vals[n] ?? '')
    expect(out).toBe('<line stroke="#e2e8f0"/><path stroke="#1e293b" fill="var(--nope)"/>')
  })

  it('the standalone file takes the colours it is given', () => {
    const out = standaloneSvg({ svg: chart, width: 300, height: 200, title: 't', legend: [] }, { background: '#ffffff', text: '#0f172a', muted: '#475569' })
    expect(out).toContain('<rect width="300" height="226" fill="#ffffff"/>')
    expect(out).toContain('fill="#0f172a" font-size="13"')
  })
})
