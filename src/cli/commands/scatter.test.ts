// The scatter command as a user runs it: a child process, stdout exactly one JSON object, usage errors exit 2.
// (Run through `node --import tsx` rather than `npx tsx`: npx may add its own warnings to stderr.)
import { spawnSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'

const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'scatter', ...args], { encoding: 'utf8', cwd: process.cwd() })

describe('scatter command (child process)', () => {
  test('--json prints exactly one JSON object with θ0, displacement and correlation near the PDG values', () => {
    const r = cli(['--material', 'iron', '--thickness', '0.1', '--momentum', '3', '--muons', '30000', '--seed', '5', '--json'])
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
