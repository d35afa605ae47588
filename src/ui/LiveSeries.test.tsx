// @vitest-environment jsdom
// LiveSeries against recharts itself: the paths it draws through recharts' scales are the ones recharts' own
// <Line> draws for the same rows (linear, nulls connected), on a linear and on a log axis.
import { render } from '@testing-library/react'
import { LineChart, XAxis, YAxis } from 'recharts'
import { describe, expect, it } from 'vitest'
import { axisRows, LiveSeries, seriesLines, seriesPath, type SeriesRow, type SeriesSpec } from './LiveSeries'

const ROWS: SeriesRow[] = [
  { step: 1, a: 0.9, b: 2 },
  { step: 2, a: 0.5, b: null },
  { step: 4, a: null, b: 1.2 },
  { step: 7, a: 0.2, b: 0.4 },
  { step: 9, a: 0.15, b: 0.3 },
]
const SERIES: SeriesSpec[] = [{ key: 'a', colour: '#fff' }, { key: 'b', colour: '#f00', yAxisId: 'right' }]
const X = { domain: [0, 10] as [number, number] }

/** the numbers of an SVG path, for a comparison that does not depend on how each side rounds */
const numbers = (d: string | null) => (d ?? '').match(/-?\d+(\.\d+)?(e-?\d+)?/g)!.map(Number)

function chart(live: boolean, scale: 'linear' | 'log') {
  const domain: [number, number] = scale === 'log' ? [0.1, 10] : [0, 2]
  const right: [number, number] = scale === 'log' ? [0.01, 100] : [0, 5]
  return render(
    <LineChart width={400} height={200} data={live ? axisRows(X) : ROWS} margin={{ top: 5, right: 5, bottom: 5, left: 5 }}>
      <XAxis dataKey="step" type="number" domain={X.domain} />
      <YAxis domain={domain} scale={scale} allowDataOverflow />
      <YAxis yAxisId="right" orientation="right" domain={right} scale={scale} allowDataOverflow />
      {live ? <LiveSeries rows={ROWS} series={SERIES} /> : seriesLines(SERIES)}
    </LineChart>,
  )
}

describe('LiveSeries', () => {
  for (const scale of ['linear', 'log'] as const) {
    it(`draws what recharts' <Line> draws (${scale} axis)`, () => {
      const ours = chart(true, scale).container
      const theirs = chart(false, scale).container
      const mine = Array.from(ours.querySelectorAll('.live-series path')).map((p) => p.getAttribute('d'))
      const ref = Array.from(theirs.querySelectorAll('path.recharts-line-curve')).map((p) => p.getAttribute('d'))
      expect(mine).toHaveLength(2)
      expect(ref).toHaveLength(2)
      for (let i = 0; i < 2; i++) {
        const m = numbers(mine[i]), r = numbers(ref[i])
        expect(m).toHaveLength(r.length)
        m.forEach((v, j) => expect(v).toBeCloseTo(r[j], 1))
      }
    })
  }

  it('skips nulls and points a scale cannot place', () => {
    const sx = (v: number) => 10 * v
    const sy = (v: number) => (v > 0 ? 100 - 50 * v : Number.NaN)
    const { d, points } = seriesPath([{ step: 0, v: 1 }, { step: 1, v: null }, { step: 2, v: -1 }, { step: 3, v: 2 }], 'step', 'v', sx, sy)
    expect(points).toEqual([[0, 50], [30, 0]])
    expect(d).toBe('M0,50L30,0')
  })
})
