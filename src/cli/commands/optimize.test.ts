import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from '../args'
import { parseDesignText } from '../../engine/design/parse'
import { optimize } from './optimize'
import { sig } from '../../report/html-text'

const dir = mkdtempSync(join(tmpdir(), 'dds-optimize-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (argv: string[], signal?: AbortSignal) =>
  optimize.run({ flags: new Flags(parseArgs(argv)), json: true, log: () => {}, signal })
const SMALL = ['--preset', 'lead-in-beryllium', '--muons', '500', '--backend', 'cpu']

describe('optimize command', () => {
  test('runs the steps asked for and writes the best design to --out', async () => {
    const out = join(dir, 'best.json')
    const r = await run([...SMALL, '--steps', '2', '--seed', '5', '--out', out])
    expect(r.output).toMatchObject({ steps: 2, steps_done: 2, interrupted: false, seed: 5 })
    const saved = parseDesignText(readFileSync(out, 'utf8'))
    expect(saved.ok && saved.design.seed).toBe(5)
  }, 60_000)

  test('a stop signal ends the run early: interrupted, no final validation, --out still gets the best design', async () => {
    const out = join(dir, 'stopped.json')
    const ctl = new AbortController()
    ctl.abort('SIGTERM')
    const r = await run([...SMALL, '--steps', '50', '--out', out], ctl.signal)
    expect(r.output).toMatchObject({ steps: 50, steps_done: 0, interrupted: true, final: { validation: null } })
    expect(parseDesignText(readFileSync(out, 'utf8')).ok).toBe(true)
  }, 60_000)

  test('--report writes a self-contained HTML design report, for both kinds', async () => {
    const mu = join(dir, 'mu.html')
    const r = await run([...SMALL, '--steps', '5', '--report', mu])
    const best = (r.output as { best: { validation: number } }).best.validation
    const html = readFileSync(mu, 'utf8')
    expect(html).toContain('<h1>Lead block in beryllium</h1>')
    expect(html).toContain(`<td>${sig(best)}</td>`)
    expect(html).toContain('aria-label="X0 maps"')
    // the run's steps leave the predicted map unsolved (nothing shows it); the report solves it on the last batch
    expect(html).toContain('predicted X0')
    expect(html).not.toMatch(/<script|(src|href)\s*=/i)
    const calo = join(dir, 'calo.html')
    await run(['--preset', 'atlas-like-lar', '--showers', '100', '--backend', 'cpu', '--steps', '2', '--report', calo])
    const caloHtml = readFileSync(calo, 'utf8')
    expect(caloHtml).toContain('aria-label="Energy resolution"')
    expect(caloHtml).toMatch(/absorber \(mm\)/)
  }, 120_000)

  test('an unwritable --out or --report is refused before the run', async () => {
    await expect(run([...SMALL, '--out', join(dir, 'no', 'such', 'x.json')])).rejects.toThrow(/does not exist/)
    await expect(run([...SMALL, '--report', join(dir, 'no', 'r.html')])).rejects.toThrow(/--report .*does not exist/)
    await expect(run([...SMALL, '--out', dir])).rejects.toBeInstanceOf(UsageError)
  })
})
