// The infer command's report of the muons that stop (docs/physics-inference.md, stopped muons) and of Highland's
// range, on uniform blocks where the answer is known: 0.6 m of lead stops part of the flux and is 107 X0 thick;
// beryllium stops none.
import { describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from '../args'
import { infer } from './infer'

const run = (argv: string[]) => infer.run({ flags: new Flags(parseArgs(argv)), json: true, log: () => {} })
type Out = {
  muons: number
  muons_used: number
  muons_stopped: number
  warnings: string[]
  by_material: Record<string, { stopped_path_fraction: number; n_voxels: number }>
}

describe('infer command', () => {
  test('lead stops muons and is reported beyond Highland\'s range; beryllium stops none', async () => {
    const lead = (await run(['--preset', 'uniform-lead', '--muons', '2000', '--detector', 'ideal', '--threads', '1'])).output as Out
    expect(lead.muons).toBe(2000)
    // 0.6 m of lead takes 0.93 GeV/c to cross vertically (CSDA); 13 % of the flux from 0.5 GeV (Guan) has less
    expect(lead.muons_stopped / lead.muons).toBeGreaterThan(0.1)
    expect(lead.muons_stopped / lead.muons).toBeLessThan(0.2)
    expect(lead.muons_used + lead.muons_stopped).toBeLessThanOrEqual(lead.muons)
    expect(lead.by_material.lead.stopped_path_fraction).toBeGreaterThan(0.05)
    expect(lead.warnings.join(' ')).toMatch(/107 radiation lengths/)
    const be = (await run(['--preset', 'uniform-beryllium', '--muons', '2000', '--detector', 'ideal', '--threads', '1'])).output as Out
    expect(be.muons_stopped).toBe(0)
    expect(be.by_material.beryllium.stopped_path_fraction).toBe(0)
    expect(be.warnings).toEqual([])
  })

  test('a calorimeter design is refused', async () => {
    await expect(run(['--preset', 'atlas-like-lar', '--muons', '2000'])).rejects.toBeInstanceOf(UsageError)
  })
})
