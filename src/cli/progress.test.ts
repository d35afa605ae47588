import { describe, expect, test } from 'vitest'
import { createProgress } from './progress'

const sink = (isTTY: boolean) => {
  const out: string[] = []
  return { stream: { isTTY, write: (s: string) => out.push(s) }, out }
}

describe('progress', () => {
  test('in a log file: timestamped lines, one per tenth of the work, no carriage return', () => {
    const { stream, out } = sink(false)
    const p = createProgress('job 3', 100, stream, () => 0)
    for (let k = 1; k <= 100; k++) p.update(k, `loss ${k}`)
    p.end()
    expect(out.length).toBe(11) // 1 (0 %), 10, 20, ..., 100
    for (const line of out) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ job 3 \d+\/100 loss \d+\n$/)
    expect(out.join('')).not.toContain('\r')
  })

  test('in a log file: a line at least every 30 s even when a tenth takes longer', () => {
    const { stream, out } = sink(false)
    let t = 0
    const p = createProgress('x', 1000, stream, () => t)
    for (let k = 1; k <= 50; k++) { t += 1000; p.update(k) }
    expect(out.length).toBe(2) // step 1, then step 31 at t = 31 s
    expect(out[1]).toContain(' 31/1000')
  })

  test('on a terminal: one bar redrawn in place, ended by a newline', () => {
    const { stream, out } = sink(true)
    const p = createProgress('optimize', 4, stream)
    for (let k = 1; k <= 4; k++) p.update(k)
    p.end()
    expect(out.slice(0, 4).every((s) => s.startsWith('\roptimize ['))).toBe(true)
    expect(out[3]).toContain('[' + '#'.repeat(30) + '] 4/4')
    expect(out[4]).toBe('\n')
  })
})
