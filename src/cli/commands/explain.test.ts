import { describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from '../args'
import { explain } from './explain'

const run = (argv: string[]) => explain.run({ flags: new Flags(parseArgs(argv)), json: true, log: () => {} })
// the JSON shape the command prints
type Out = {
  loss: number
  parts: Record<string, number>
  gradient: Record<string, Record<string, number>>
  voxels?: Record<string, number>[]
}

describe('explain command', () => {
  test('muography: loss, parts, a gradient per panel and one entry per voxel', async () => {
    const o = (await run(['--preset', 'lead-in-beryllium', '--muons', '2000', '--seed', '5', '--json'])).output as Out
    expect(o.loss).toBeCloseTo(o.parts.task + (o.parts.budget ?? 0), 5)
    expect(Object.keys(o.gradient)).toHaveLength(8)
    expect(Object.keys(o.gradient['above-0']).sort()).toEqual(['span_x', 'span_y', 'x', 'y', 'z'])
    // 1 × 1 × 0.6 m in 10 cm voxels
    expect(o.voxels).toHaveLength(10 * 10 * 6)
    expect(Object.keys(o.voxels![0]).sort()).toEqual(['ix', 'iy', 'iz', 'muons', 'x0_rel_error', 'x0_true'])
    // lead (X0 5.6 mm) and beryllium (35 cm) both present
    expect(new Set(o.voxels!.map((v) => v.x0_true)).size).toBe(2)
    expect(JSON.parse(JSON.stringify(o))).toEqual(o)
    // the same seed gives the same loss
    expect(((await run(['--preset', 'lead-in-beryllium', '--muons', '2000', '--seed', '5'])).output as Out).loss).toBe(o.loss)
  })

  test('calorimeter: a thickness gradient per layer group', async () => {
    const o = (await run(['--preset', 'atlas-like-lar', '--showers', '300', '--json'])).output as Out
    expect(Object.keys(o.gradient)[0]).toBe('layers[0]')
    expect(Object.keys(o.gradient['layers[0]']).sort()).toEqual(['absorber_thickness', 'active_thickness'])
    expect(o.voxels).toBeUndefined()
  })

  test('bad input is a usage error', async () => {
    await expect(run(['--preset', 'lead-in-beryllium', '--showers', '100'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--preset', 'lead-in-beryllium', '--muons', 'x'])).rejects.toBeInstanceOf(UsageError)
  })
})
