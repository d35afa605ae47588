import { describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from '../args'
import { calo } from './calo'

const run = (argv: string[]) => calo.run({ flags: new Flags(parseArgs(argv)), json: true, log: () => {} })

describe('calo command', () => {
  test('prints points, fit, depth and sampling fraction for a preset', async () => {
    const r = await run(['--preset', 'atlas-like-lar', '--energies', '2,10,50', '--showers', '1500', '--seed', '3', '--json'])
    const o = r.output as {
      points: { energy_gev: number; mean_response: number; sigma_over_e: number; rms_over_e: number; sigma_over_e_leakage_corrected: number }[]
      fit: { stochastic: number }; fit_leakage_corrected: { stochastic: number; constant: number }; depth_x0: number; sampling_fraction: number
    }
    expect(o.points.map((p) => p.energy_gev)).toEqual([2, 10, 50])
    for (const p of o.points) {
      expect(Object.keys(p).sort()).toEqual(['energy_gev', 'mean_response', 'rms_over_e', 'sigma_over_e', 'sigma_over_e_leakage_corrected'])
      expect(p.sigma_over_e_leakage_corrected).toBeGreaterThan(0)
      expect(p.rms_over_e).toBeGreaterThanOrEqual(p.sigma_over_e * 0.97)
      expect(p.mean_response).toBeGreaterThan(0.95)
      expect(p.sigma_over_e).toBeGreaterThan(0)
    }
    expect(o.points[0].sigma_over_e).toBeGreaterThan(o.points[2].sigma_over_e)
    expect(o.fit.stochastic).toBeGreaterThan(0.07)
    expect(o.fit.stochastic).toBeLessThan(0.13)
    expect(o.fit_leakage_corrected.stochastic).toBeGreaterThan(0.07)
    expect(o.depth_x0).toBeCloseTo(23.9, 1)
    expect(o.sampling_fraction).toBeCloseTo(0.314, 3)
    expect(JSON.parse(JSON.stringify(o))).toEqual(o)
  })

  test('--particle: pions at the EM scale respond below electrons in iron/scintillator (e/h > 1); warnings out of range', async () => {
    const base = ['--preset', 'iron-scintillator', '--energies', '3,20', '--showers', '800', '--seed', '2', '--json']
    type Out = { particle: string; e_over_h: number; depth_lambda: number; warnings: string[]; points: { mean_response: number }[] }
    const e = (await run(base)).output as Out
    const pi = (await run([...base, '--particle', 'pi-'])).output as Out
    expect(e.particle).toBe('e-')
    expect(pi.particle).toBe('pi-')
    expect(pi.e_over_h).toBeGreaterThan(1.2)
    // 40 × (10 mm Fe + 5 mm scintillator): 40 × (1/16.78 + 0.5/75.1) = 2.65 λ_I
    expect(pi.depth_lambda).toBeCloseTo(2.65, 2)
    expect(pi.points[1].mean_response).toBeLessThan(e.points[1].mean_response - 0.1)
    expect(e.warnings).toEqual([])
    expect(pi.warnings).toHaveLength(1)
    expect(pi.warnings[0]).toMatch(/^3 GeV is outside 5–500 GeV/)
  })

  test('a 1 GeV photon leaks out of the ATLAS-like 23.9 X0 about as an electron does (delayed, not stretched)', async () => {
    const leak = async (particle: string) =>
      ((await run(['--preset', 'atlas-like-lar', '--particle', particle, '--energies', '1', '--showers', '5000', '--json'])).output as { leakage: number[] }).leakage[0]
    const e = await leak('e-'), g = await leak('gamma')
    // the stretched profile gave 1.3 % for the photon
    console.log(`1 GeV out of the ATLAS-like 23.9 X0: the photon leaks ${(100 * g).toFixed(2)} %, the electron ${(100 * e).toFixed(2)} %`)
    expect(g).toBeGreaterThan(e)
    expect(g).toBeLessThan(1.3 * e)
  })

  test('bad input is a usage error', async () => {
    await expect(run(['--preset', 'no-such-preset'])).rejects.toBeInstanceOf(UsageError)
    await expect(run([])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--preset', 'atlas-like-lar', '--energies', '0,5'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--preset', 'atlas-like-lar', '--showers', 'x'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--preset', 'atlas-like-lar', '--frobnicate', '1'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(['--preset', 'atlas-like-lar', '--particle', 'proton'])).rejects.toBeInstanceOf(UsageError)
  })
})
