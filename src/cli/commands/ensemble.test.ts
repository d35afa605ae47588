// ensemble and front through the worker pool (real worker threads), on tiny runs of both kinds.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from '../args'
import { parseDesignText } from '../../engine/design/parse'
import { ensemble } from './ensemble'
import { front } from './front'
import { sig } from '../../report/html-text'

const run = (cmd: typeof ensemble, argv: string[]) => cmd.run({ flags: new Flags(parseArgs(argv)), json: true, log: () => {} })
// the JSON shapes the commands print
type EnsembleOut = {
  runs: { start: number[]; final: number[]; best: { validation: number; cost: number }; design: string }[]
  parameters: string[]
  clusters: { members: number[] }[]
  threads: number
}
type FrontOut = { points: { budget: number; cost: number; on_front: boolean }[] }

describe('ensemble command', () => {
  test('muography: 3 starts on 2 threads, start 0 is the design, the others within the spread; best designs written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dds-ensemble-'))
    const report = join(dir, 'report.html')
    const r = await run(ensemble, ['--preset', 'lead-in-beryllium', '--starts', '3', '--steps', '2', '--muons', '1000', '--spread', '0.1', '--threads', '2', '--out', dir, '--report', report, '--json'])
    const o = r.output as EnsembleOut
    expect(o.runs).toHaveLength(3)
    const n = o.parameters.length
    expect(n).toBe(8 * 5)
    expect(o.runs[0].start.slice(0, 5)).toEqual([0.25, 0.25, 1, 1, 1])
    // lead-in-beryllium: 1 m volume, default margin 0.5 m: x ranges over 2 m, so a 10 % spread moves it at most 0.2 m
    for (const run of o.runs.slice(1)) {
      const dx = Math.abs(run.start[0] - 0.25)
      expect(dx).toBeGreaterThan(0)
      expect(dx).toBeLessThanOrEqual(0.2 + 1e-12)
    }
    for (const [i, run] of o.runs.entries()) {
      expect(run.final).toHaveLength(n)
      expect(Number.isFinite(run.best.validation)).toBe(true)
      const parsed = parseDesignText(readFileSync(run.design, 'utf8'))
      expect(parsed.ok).toBe(true)
      expect(run.design).toBe(join(dir, `run-${i}.json`))
    }
    // every run is in exactly one cluster
    expect(o.clusters.flatMap((c) => c.members).sort()).toEqual([0, 1, 2])
    expect(o.threads).toBe(2)
    expect(JSON.parse(JSON.stringify(o))).toEqual(o)
    // the report: the ensemble's section with a row per run (seed 42 + i, its best validation) and the clusters
    const html = readFileSync(report, 'utf8')
    expect(html).toContain('<h2>Ensemble: 3 starts</h2>')
    for (const [i, run] of o.runs.entries()) expect(html).toContain(`<tr><td>${i}</td><td>${42 + i}</td><td>${sig(run.best.validation)}</td>`)
    expect(html).toContain('aria-label="Best validation per run"')
  })

  test('calorimeter: 2 starts over layer thicknesses', async () => {
    const o = (await run(ensemble, ['--preset', 'atlas-like-lar', '--starts', '2', '--steps', '2', '--showers', '200', '--json'])).output as EnsembleOut
    expect(o.parameters[0]).toBe('layers[0].absorber_thickness')
    expect(o.runs[1].start).not.toEqual(o.runs[0].start)
    expect(o.runs[1].best.cost).toBeGreaterThan(0)
  })

  test('bad input is a usage error', async () => {
    await expect(run(ensemble, ['--preset', 'lead-in-beryllium'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(ensemble, ['--preset', 'lead-in-beryllium', '--starts', '0'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(ensemble, ['--preset', 'lead-in-beryllium', '--starts', '2', '--spread', '2'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(front, ['--preset', 'lead-in-beryllium', '--budgets', '4,-1'])).rejects.toBeInstanceOf(UsageError)
    await expect(run(front, ['--preset', 'lead-in-beryllium'])).rejects.toBeInstanceOf(UsageError)
  })
})

describe('front command', () => {
  test('muography: a tighter budget gives a cheaper design', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'dds-front-')), 'front.html')
    const o = (await run(front, ['--preset', 'lead-in-beryllium', '--budgets', '2,16', '--steps', '6', '--muons', '1000', '--report', report, '--json'])).output as FrontOut
    expect(o.points.map((p) => p.budget)).toEqual([2, 16])
    const html = readFileSync(report, 'utf8')
    expect(html).toContain('aria-label="Cost–performance front"')
    for (const p of o.points) expect(html).toContain(`<td>${sig(p.budget)}</td><td>${sig(p.cost)}</td>`)
    expect(o.points[0].cost).toBeLessThan(o.points[1].cost)
    expect(o.points.some((p) => p.on_front)).toBe(true)
  })
})
