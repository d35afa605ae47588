// @vitest-environment jsdom
// The plot as rendered: series, marks, ticks and the hover read-out at a fixed 300 × 200 size, against the
// hand-worked geometry of geometry.test.ts (plot area x 44–288, y 6–182).
import { cleanup, fireEvent, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Plot, type PlotSeries } from './Plot'

afterEach(cleanup)

const size = { width: 300, height: 200 }
const x = { domain: [0, 10] as [number, number], ticks: [0, 5, 10], title: 'step' }
const left = { domain: [0, 1] as [number, number], ticks: [0, 0.5, 1], width: 44, title: 'loss' }
const rows = [{ step: 2, total: 0.5, val: null }, { step: 5, total: 0.25, val: 0.8 }]
const series: PlotSeries[] = [{ key: 'total', colour: 'red' }, { key: 'val', name: 'validation', colour: 'green', dot: 2 }]

describe('Plot', () => {
  it('draws each series through the axes, the marks at their values, and the ticks as text', () => {
    const { container } = render(<Plot label="loss" size={size} rows={rows} xKey="step" x={x} left={left} series={series} marks={[{ x: 5, colour: 'blue', label: 'best 5' }, { y: 0.5, colour: 'grey' }]} />)
    const svg = container.querySelector('svg.chart-surface')!
    expect(svg.getAttribute('width')).toBe('300')
    expect(container.querySelector('[data-key="total"] path')!.getAttribute('d')).toBe('M92.8,94L166,138')
    const dots = container.querySelectorAll('[data-key="val"] circle')
    expect(dots).toHaveLength(1) // the row without a value draws none
    expect([dots[0].getAttribute('cx'), dots[0].getAttribute('cy')]).toEqual(['166', '41.2']) // 182 − 0.8 × 176, to 0.01 px
    const [vertical, horizontal] = Array.from(container.querySelectorAll('.chart-mark line'))
    expect(vertical.getAttribute('x1')).toBe('166')
    expect(horizontal.getAttribute('y1')).toBe('94')
    expect(container.querySelector('.chart-mark text')!.textContent).toBe('best 5')
    expect(Array.from(container.querySelectorAll('.chart-axis-bottom text')).map((t) => t.textContent)).toEqual(['0', '5', '10'])
    expect(Array.from(container.querySelectorAll('.chart-axis-left text')).map((t) => t.textContent)).toEqual(['0', '0.5', '1'])
    expect(Array.from(container.querySelectorAll('.axis-title')).map((t) => t.textContent)).toEqual(['step', 'loss'])
    expect(container.querySelectorAll('.chart-grid line')).toHaveLength(6)
    expect(container.querySelector('.chart-hover')).toBeNull() // no read-out asked for
  })

  it('puts a log axis point by decades and leaves out what a log axis cannot show', () => {
    const { container } = render(<Plot label="r" size={size} rows={[{ e: 10, s: 0.1 }, { e: 0, s: 0.2 }]} xKey="e" x={{ domain: [1, 100], ticks: [1, 10, 100], log: true }} left={left}
      series={[{ key: 's', colour: 'red', line: false, dot: 3 }]} />)
    const dots = container.querySelectorAll('.chart-point')
    expect(dots).toHaveLength(1)
    expect(dots[0].getAttribute('cx')).toBe('166')
  })

  it('reads out the values at the x nearest the pointer, and a click picks the nearest clickable point', () => {
    const pick = vi.fn()
    const tip = { label: (s: number) => `step ${s}` }
    const clickable: PlotSeries[] = [...series, { key: 'total', name: 'pick', colour: 'blue', line: false, dot: 3, onPoint: pick }]
    const { container } = render(<Plot label="loss" size={size} rows={rows} xKey="step" x={x} left={left} series={clickable} tooltip={tip} />)
    const rect = container.querySelector('.chart-hover > rect')!
    // jsdom lays nothing out: the rect's box is at 0, so clientX is the offset from the plot area's left edge (44)
    fireEvent.pointerMove(rect, { clientX: 160 - 44, clientY: 50 })
    const lines = Array.from(container.querySelectorAll('.chart-read-out text')).map((t) => t.textContent)
    expect(lines).toEqual(['step 5', 'total: 0.25', 'validation: 0.8', 'pick: 0.25'])
    fireEvent.pointerLeave(rect)
    expect(container.querySelector('.chart-read-out')).toBeNull()
    fireEvent.click(rect, { clientX: 92.8 - 44 + 3, clientY: 94 - 6 - 4 })
    expect(pick).toHaveBeenCalledWith(rows[0])
    fireEvent.click(rect, { clientX: 250 - 44, clientY: 20 })
    expect(pick).toHaveBeenCalledTimes(1) // nothing within reach
  })
})
