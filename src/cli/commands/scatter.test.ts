// The scatter command as a user runs it: a child process, stdout exactly one JSON object, usage errors exit 2.
// (Run through `node --import tsx` rather than `npx tsx`: npx may add its own warnings to stderr.)
import { spawnSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'scatter', ...args], { encoding: 'utf8', cwd: process.cwd() })

describe('scatter command (child process)', () => {
  test('--json prints exactly one JSON object with θ0, displacement and correlation near the PDG values (Gaussian, no loss)', () => {
    const r = cli(['--material', 'iron', '--thickness', '0.1', '--momentum', '3', '--muons', '30000', '--seed', '5', '--energy-loss', 'off', '--tail', 'off', '--json'])
    expect(r.status).toBe(0)
    const lines = r.stdout.split('\n').filter((l) => l.length > 0)
    expect(lines.length).toBe(1)
    expect(r.stdout.trim().startsWith('{')).toBe(true)
    const o = JSON.parse(lines[0])
    expect(o).toMatchObject({ material: 'iron', thickness_m: 0.1, momentum_gev: 3, muons: 30000, step_m: 0.01, seed: 5 })
    for (const k of ['theta0_x_mrad', 'theta0_y_mrad', 'displacement_rms_mm', 'correlation', 'correlation_x', 'correlation_y', 'highland_mrad']) {
      expect(typeof o[k]).toBe('number')
    }
    expect(o.highland_mrad).toBeCloseTo(11.54, 1)
    expect(Math.abs(o.theta0_x_mrad / o.highland_mrad - 1)).toBeLessThan(0.03)
    expect(Math.abs(o.theta0_y_mrad / o.highland_mrad - 1)).toBeLessThan(0.03)
    expect(Math.abs(o.correlation - 0.866)).toBeLessThan(0.03)
    // x·θ0/√3 = 0.666 mm for the hand θ0; the cumulative form sits ≈ 3 % below
    expect(o.displacement_rms_mm).toBeGreaterThan(0.62)
    expect(o.displacement_rms_mm).toBeLessThan(0.69)
  })

  test('defaults (energy loss, tail): exit momentum, stopped fraction, the 4θ0 tail where the form factor allows it, and a warning beyond 100 X0', () => {
    const iron = JSON.parse(cli(['--material', 'iron', '--thickness', '1', '--momentum', '10', '--muons', '4000', '--step', '0.05', '--json']).stdout)
    expect(iron).toMatchObject({ energy_loss: true, tail: true, stopped_fraction: 0, warnings: [] })
    // 10 GeV/c loses 1.53 GeV on average in 1 m of iron (PDG muon tables: ≈ 1.50 ionisation + 0.03 radiative)
    expect(Math.abs(iron.momentum_out_mean_gev - 8.47)).toBeLessThan(0.08)
    // here θ0 (12.8 mrad) exceeds the reach of single scatterings, 4 θ_N = 4·ħc/(1.2 fm·A^⅓·p) = 17 mrad: the nuclear
    // form factor leaves no Rutherford tail, as Molière's theory has it. Beyond 4 θ0 of Highland at the entry
    // momentum (47 mrad) a Gaussian of the 12.8 mrad the slowing muons reach puts 1.7 of the 8000 angles, and the
    // spread of exit momenta (straggling) about as many again (docs: 4.8 on average over 12 seeds); 1.5e-3 (12) is
    // far below what single scatterings leave where the form factor allows them (3.3e-3 in 1 cm at 1 GeV/c, below)
    expect(iron.theta0_x_mrad).toBeCloseTo(12.8, 0)
    expect(iron.tail_fraction_4sigma).toBeLessThan(1.5e-3)
    // 1 cm of iron at 1 GeV/c: θ0 = 10 mrad, θ_N = 43 mrad, so Rutherford scatterings beyond 4 θ0 survive the form
    // factor; χ_c²/θ² ≈ 1e-2 of the muons scatter once beyond 4 θ0 in space, about half of that in one projection
    const thin = JSON.parse(cli(['--material', 'iron', '--thickness', '0.01', '--momentum', '1', '--muons', '20000', '--step', '0.002', '--json']).stdout)
    expect(thin.highland_mrad).toBeCloseTo(10.1, 1)
    // docs: 3.3e-3 (131 of 40 000 angles, ±9 % statistical) against 2.5e-5 (1 of them) without the tail
    expect(thin.tail_fraction_4sigma).toBeGreaterThan(2.5e-3)
    expect(thin.tail_fraction_4sigma).toBeLessThan(4.2e-3)
    expect(thin.theta_rms_x_mrad).toBeGreaterThan(1.03 * thin.theta0_x_mrad)
    const gauss = JSON.parse(cli(['--material', 'iron', '--thickness', '0.01', '--momentum', '1', '--muons', '20000', '--step', '0.002', '--tail', 'off', '--json']).stdout)
    console.log(`1 m of iron at 10 GeV/c: θ0 ${iron.theta0_x_mrad.toFixed(1)}/${iron.theta0_y_mrad.toFixed(1)} mrad, tail ${iron.tail_fraction_4sigma.toExponential(1)}; 1 cm of iron at 1 GeV/c: θ0 ${thin.highland_mrad.toFixed(1)} mrad, tail ${thin.tail_fraction_4sigma.toExponential(1)} against ${gauss.tail_fraction_4sigma.toExponential(1)} without`)
    expect(gauss.tail_fraction_4sigma).toBeLessThan(2.5e-4)
    const lead = JSON.parse(cli(['--material', 'lead', '--thickness', '1', '--momentum', '1.3', '--muons', '500', '--step', '0.05', '--json']).stdout)
    // crossing 1 m of lead takes ≈ 1.51 GeV/c
    expect(lead.stopped_fraction).toBeGreaterThan(0.97)
    expect(lead.warnings.join(' ')).toMatch(/178 radiation lengths/)
  })

  test('an unknown material exits 2 with one line on stderr and the error as JSON on stdout', () => {
    const r = cli(['--material', 'unobtainium', '--thickness', '0.1', '--momentum', '3', '--json'])
    expect(r.status).toBe(2)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { type: 'usage', exit_code: 2 } })
    expect(r.stderr.trimEnd().split('\n').length).toBe(1)
    expect(r.stderr).toMatch(/unknown material/)
  })

  test('a negative thickness or a malformed number is a usage error (exit 2)', () => {
    for (const args of [['--thickness', '-0.1', '--momentum', '3'], ['--thickness', '0.1', '--momentum', '3GeV']]) {
      const r = cli(['--material', 'lead', ...args, '--json'])
      expect(r.status).toBe(2)
      expect(r.stderr.trimEnd().split('\n').length).toBe(1)
    }
  })
})
