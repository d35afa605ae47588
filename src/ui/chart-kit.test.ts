// The chart helpers: axis scales against hand-worked ranges, the label formatter, the step axis and the widening
// y axis of a running chart.
import { describe, expect, it } from 'vitest'
import { fmt, formatter, logScale, niceScale, stepAxis, widened } from './chart-kit'

describe('niceScale', () => {
  it('covers the range with 1-2-5 steps', () => {
    expect(niceScale(0, 3.4)).toEqual({ domain: [0, 4], ticks: [0, 1, 2, 3, 4] })
    expect(niceScale(0.12, 0.87)).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] })
    expect(niceScale(-13, 41, 5)).toEqual({ domain: [-20, 50], ticks: [-20, -10, 0, 10, 20, 30, 40, 50] })
  })
  it('widens an empty range and survives non-finite input', () => {
    const s = niceScale(2, 2)
    expect(s.domain[0]).toBeLessThan(2)
    expect(s.domain[1]).toBeGreaterThan(2)
    expect(niceScale(Number.NaN, 1)).toEqual({ domain: [0, 1], ticks: [0, 0.5, 1] })
  })
})

describe('logScale', () => {
  it('uses decades over a wide range and 1-2-5 within two decades', () => {
    expect(logScale(0.02, 3)).toEqual({ domain: [0.01, 10], ticks: [0.01, 0.1, 1, 10] })
    expect(logScale(0.2, 3)).toEqual({ domain: [0.1, 10], ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10] })
  })
  it('falls back when a bound is not positive', () => {
    expect(logScale(0, 5).domain).toEqual([1e-3, 1])
  })
})

describe('formatter', () => {
  it('keeps the significant digits asked for and switches to exponents far from 1', () => {
    expect(fmt(3.14159265)).toBe('3.142')
    expect(formatter(3)(3.14159265)).toBe('3.14')
    expect(fmt(123456)).toBe('1.23e+5')
    expect(fmt(0.0001234)).toBe('1.23e-4')
    expect(fmt(0)).toBe('0')
    expect(fmt('x')).toBe('x')
  })
  it('takes one argument, so Array.map can use it directly (a second, the index, is ignored)', () => {
    expect([1.23456, 2.5].map(fmt)).toEqual(['1.235', '2.5'])
  })
})

describe('stepAxis', () => {
  const rows = (last: number) => [{ step: 1 }, { step: last }]
  it('spans the planned run while the run is within it', () => {
    expect(stepAxis(rows(7), 60)).toEqual({ domain: [0, 60], ticks: [0, 10, 20, 30, 40, 50, 60] })
    expect(stepAxis(rows(60), 60).domain).toEqual([0, 60])
  })
  it('grows in 1-2-5 steps past the plan or without one', () => {
    expect(stepAxis(rows(61), 60).domain).toEqual([0, 100])
    expect(stepAxis(rows(7)).domain).toEqual([0, 10])
    expect(stepAxis(rows(11)).domain).toEqual([0, 20])
    expect(stepAxis(rows(180)).domain).toEqual([0, 200])
    expect(stepAxis([]).domain).toEqual([0, 10])
  })
  it('uses a long plan only once the growing axis reaches a tenth of it', () => {
    expect(stepAxis(rows(30), 100_000).domain).toEqual([0, 50])
    expect(stepAxis(rows(4_000), 100_000).domain).toEqual([0, 5_000])
    expect(stepAxis(rows(5_001), 100_000).domain).toEqual([0, 100_000])
    expect(stepAxis(rows(1), 100).domain).toEqual([0, 100])
  })
})

describe('widened (the y axes while a run goes on)', () => {
  it('keeps the same scale object while new data stay inside it: the axis does not move', () => {
    const kept = niceScale(0, 0.5)
    // a loss falling from 0.43 to 0.31: its own nice domain would shrink to [0, 0.4]
    expect(niceScale(0, 0.31).domain).toEqual([0, 0.4])
    expect(widened(kept, niceScale(0, 0.31), niceScale)).toBe(kept)
  })
  it('grows to the nice scale of the union when data leave it, on either side', () => {
    expect(widened(niceScale(0.2, 0.5), niceScale(0.55, 0.7), niceScale)).toEqual(niceScale(0.2, 0.7))
    expect(widened(niceScale(0.2, 0.5), niceScale(-0.1, 0.3), niceScale)).toEqual(niceScale(-0.1, 0.5))
    expect(widened(logScale(0.1, 1), logScale(0.01, 0.5), logScale)).toEqual({ domain: [0.01, 1], ticks: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1] })
  })
})
