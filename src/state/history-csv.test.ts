// The history table against hand-made histories of both kinds: columns named after the design, a row per step,
// nulls as empty cells, a mismatch between the history and the design refused.
import { describe, expect, it } from 'vitest'
import type { Design } from '../engine/design/schema'
import { historyCsv, parameterColumns } from './history-csv'
import { emptyHistory } from './store'

const muography = { kind: 'muography', detector: { panels: [{ id: 'above-0' }, { id: 'below-0' }] } } as unknown as Design
const calorimeter = { kind: 'calorimeter' } as unknown as Design

describe('history CSV', () => {
  it('names the parameters per panel and per layer', () => {
    expect(parameterColumns(muography, 10)).toEqual([
      'above-0.x_m', 'above-0.y_m', 'above-0.z_m', 'above-0.span_x_m', 'above-0.span_y_m',
      'below-0.x_m', 'below-0.y_m', 'below-0.z_m', 'below-0.span_x_m', 'below-0.span_y_m',
    ])
    expect(parameterColumns(calorimeter, 4)).toEqual(['layer0.absorber_thickness_m', 'layer0.active_thickness_m', 'layer1.absorber_thickness_m', 'layer1.active_thickness_m'])
  })

  it('writes a row per step, nulls as empty cells', () => {
    const h = emptyHistory()
    h.step.push(1, 2)
    h.total.push(0.5, 0.25)
    h.task.push(0.4, null)
    h.cost.push(0.1, 0.05)
    h.validation.push(null, 0.125)
    h.detectorCost.push(12, 11.5)
    h.panels.push([0.001, 0.002, 0.003, 0.004], [0.0015, 0.002, 0.003, 0.004])
    const lines = historyCsv(h, calorimeter, 'EUR (k)').trimEnd().split('\n')
    expect(lines[0]).toBe('step,loss_total,loss_task,loss_penalties,validation,detector_cost_EUR_k_,layer0.absorber_thickness_m,layer0.active_thickness_m,layer1.absorber_thickness_m,layer1.active_thickness_m')
    expect(lines.slice(1)).toEqual(['1,0.5,0.4,0.1,,12,0.001,0.002,0.003,0.004', '2,0.25,,0.05,0.125,11.5,0.0015,0.002,0.003,0.004'])
  })

  it('refuses a history whose parameters do not fit the design', () => {
    const h = emptyHistory()
    h.step.push(1); h.total.push(1); h.task.push(1); h.cost.push(0); h.validation.push(null); h.detectorCost.push(1)
    h.panels.push([1, 2, 3])
    expect(() => historyCsv(h, muography, 'cost')).toThrow('3 parameters per step, the design 10')
  })
})
