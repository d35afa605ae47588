// The plot's geometry against hand-worked numbers: a 300 × 200 box with the default margins and a 44 px y axis
// has its plot area at x 44–288 and y 6–182.
import { describe, expect, it } from 'vitest'
import { axisMap, linePath, nearest, pixelPoints, plotArea, stepAreaPath, X_LABEL_BAND } from './geometry'

const margin = { top: 6, right: 12, bottom: 0, left: 0 }

describe('plotArea', () => {
  it('takes the margins, the y axes and the x label band off the box', () => {
    expect(plotArea(300, 200, margin, { domain: [0, 1], ticks: [], width: 44 })).toEqual({ x0: 44, x1: 288, y0: 6, y1: 200 - X_LABEL_BAND })
    expect(plotArea(300, 200, margin, { domain: [0, 1], ticks: [], width: 50 }, { domain: [0, 1], ticks: [], width: 40 }).x1).toBe(248)
  })
})

describe('axisMap', () => {
  it('maps a linear domain onto pixels, the low end first (y runs upwards, so p0 > p1 there)', () => {
    const sx = axisMap({ domain: [0, 10] }, 44, 288), sy = axisMap({ domain: [0, 1] }, 182, 6)
    expect(sx(2)).toBeCloseTo(92.8, 10)
    expect(sx(5)).toBeCloseTo(166, 10)
    expect(sy(0.5)).toBeCloseTo(94, 10)
    expect(sy(0.25)).toBeCloseTo(138, 10)
    expect(sx(Number.NaN)).toBeUndefined()
  })
  it('maps a log domain by decades and refuses values it cannot show', () => {
    const s = axisMap({ domain: [1, 100], log: true }, 44, 288)
    expect(s(10)).toBeCloseTo(166, 10)
    expect(s(1)).toBeCloseTo(44, 10)
    expect(s(0)).toBeUndefined()
    expect(s(-3)).toBeUndefined()
  })
})

describe('paths', () => {
  const sx = axisMap({ domain: [0, 10] }, 44, 288), sy = axisMap({ domain: [0, 1] }, 182, 6)
  it('joins the points a row has, skipping missing values', () => {
    const rows = [{ step: 2, v: 0.5 }, { step: 3, v: null }, { step: 5, v: 0.25 }]
    const pts = pixelPoints(rows, 'step', 'v', sx, sy)
    expect(pts.map((p) => p.i)).toEqual([0, 2])
    expect(linePath(pts)).toBe('M92.8,94L166,138')
  })
  it('draws a step held to the next x, closed down to the baseline', () => {
    expect(stepAreaPath([{ X: 10, Y: 50 }, { X: 20, Y: 30 }, { X: 30, Y: 30 }], 100))
      .toBe('M10,100L10,50L20,50L20,30L30,30L30,30L30,100Z')
    expect(stepAreaPath([], 100)).toBe('')
  })
  it('finds the nearest x', () => {
    expect(nearest([0, 10, 20], 14)).toBe(1)
    expect(nearest([20, 0, 10], 16)).toBe(0)
    expect(nearest([], 3)).toBe(-1)
  })
})
