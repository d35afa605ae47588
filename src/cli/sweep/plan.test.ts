import { describe, expect, test } from 'vitest'
import { UsageError } from '../args'
import { setAtPath } from './design-path'
import { cartesian, parseSet } from './plan'
import { jobIndex } from './run'

describe('sweep planning', () => {
  test('--set values: JSON where they are JSON, words otherwise', () => {
    expect(parseSet('optimizer.budget=1000,2e3')).toEqual({ path: 'optimizer.budget', values: [1000, 2000] })
    expect(parseSet('optimizer.loss=x0,fisher')).toEqual({ path: 'optimizer.loss', values: ['x0', 'fisher'] })
    expect(parseSet('optimizer.budget=null,true,"7"')).toEqual({ path: 'optimizer.budget', values: [null, true, '7'] })
    for (const bad of ['budget', '=1,2', 'a.b=', 'a.b=1,,2', 'a..b=1', 'a[x]=1']) expect(() => parseSet(bad), bad).toThrow(UsageError)
  })

  test('the cartesian product, the first parameter varying slowest', () => {
    const c = cartesian([{ path: 'a', values: [1, 2] }, { path: 'b', values: ['x', 'y', 'z'] }])
    expect(c).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'z' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }, { a: 2, b: 'z' }])
  })

  test('a path must exist in the design: a typo is an error, not a new field', () => {
    const d = { optimizer: { budget: 1 }, detector: { panels: [{ z: 0 }, { z: 1 }] } }
    setAtPath(d, 'detector.panels[1].z', 5)
    setAtPath(d, 'optimizer.budget', null)
    expect(d).toEqual({ optimizer: { budget: null }, detector: { panels: [{ z: 0 }, { z: 5 }] } })
    expect(() => setAtPath(d, 'optimizer.budgte', 1)).toThrow(/no field "budgte"/)
    expect(() => setAtPath(d, 'detector.panels[2].z', 1)).toThrow(/no element \[2\]/)
    expect(() => setAtPath(d, 'detector.panels.z', 1)).toThrow(UsageError)
  })

  test('the job index: --index first, then the schedulers\' variables (LSF counts from 1), always in range', () => {
    expect(jobIndex(3, { SLURM_ARRAY_TASK_ID: '1' }, 6)).toBe(3)
    expect(jobIndex(undefined, { SLURM_ARRAY_TASK_ID: '1' }, 6)).toBe(1)
    expect(jobIndex(undefined, { JOB_COMPLETION_INDEX: '2' }, 6)).toBe(2)
    expect(jobIndex(undefined, { PBS_ARRAY_INDEX: '4' }, 6)).toBe(4)
    expect(jobIndex(undefined, { LSB_JOBINDEX: '6' }, 6)).toBe(5)
    expect(() => jobIndex(undefined, {}, 6)).toThrow(/SLURM_ARRAY_TASK_ID/)
    expect(() => jobIndex(undefined, { SLURM_ARRAY_TASK_ID: '6' }, 6)).toThrow(/jobs 0 to 5/)
    expect(() => jobIndex(undefined, { LSB_JOBINDEX: '0' }, 6)).toThrow(UsageError)
    expect(() => jobIndex(undefined, { PBS_ARRAY_INDEX: 'x' }, 6)).toThrow(/not a job index/)
  })
})
