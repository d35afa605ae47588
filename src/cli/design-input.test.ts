// --preset NAME | --design FILE, shared by infer, optimize, calo, ...: every problem is a one-line UsageError.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Flags, parseArgs, UsageError } from './args'
import { loadDesignInput, readDesignInput } from './design-input'
import { availablePresets, loadPresetFile, PRESET_DIR } from './presets'
import { presetNames } from '../engine/design/presets'

const dir = mkdtempSync(join(tmpdir(), 'dds-input-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const flags = (...argv: string[]) => new Flags(parseArgs(argv))

function usageError(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError)
    return (e as Error).message
  }
  throw new Error('expected a UsageError')
}

describe('readDesignInput', () => {
  test('--preset NAME loads a shipped preset', () => {
    const d = readDesignInput(flags('--preset', 'lead-in-beryllium'))
    expect(d.kind).toBe('muography')
    expect(d.name).toBe('Lead block in beryllium')
    const c = loadDesignInput(flags('--preset=atlas-like-lar'))
    expect(c).toMatchObject({ preset: 'atlas-like-lar', file: null, design: { kind: 'calorimeter' } })
  })

  test('--design FILE loads a file; defaults are filled in', () => {
    const text = readFileSync(join(PRESET_DIR, 'ladle-furnace.json'), 'utf8')
    const path = join(dir, 'ladle.json')
    writeFileSync(path, text)
    const r = loadDesignInput(flags('--design', path))
    expect(r.file).toBe(path)
    expect(r.design.kind === 'muography' && r.design.simulation.flux).toBe('guan')
  })

  test('an unknown preset lists the known ones', () => {
    const msg = usageError(() => readDesignInput(flags('--preset', 'lead-in-copper')))
    expect(msg).toMatch(/^unknown preset "lead-in-copper" \(known: lead-in-beryllium, ladle-furnace, /)
    expect(msg).not.toContain('\n')
    expect(usageError(() => readDesignInput(flags('--preset', '../package')))).toContain('unknown preset')
  })

  test('neither or both flags', () => {
    expect(usageError(() => readDesignInput(flags()))).toBe('give --preset NAME or --design FILE')
    expect(usageError(() => readDesignInput(flags('--preset', 'u-lorry', '--design', 'x.json')))).toContain('not both')
    expect(readDesignInput(flags(), { defaultPreset: 'u-lorry' }).name).toBe('Uranium in a lorry')
  })

  test('an unreadable file, invalid JSON, an invalid design: one line with the first error path', () => {
    expect(usageError(() => readDesignInput(flags('--design', join(dir, 'missing.json')))))
      .toMatch(/^cannot read design file .*missing\.json: no such file$/)
    const junk = join(dir, 'junk.json')
    writeFileSync(junk, '{ nope')
    expect(usageError(() => readDesignInput(flags('--design', junk)))).toMatch(/^invalid design file .*junk\.json: not valid JSON/)
    const d = JSON.parse(readFileSync(join(PRESET_DIR, 'lead-in-beryllium.json'), 'utf8'))
    d.detector.panels[2].span_x = -1
    d.volume.background = 'cheese'
    const bad = join(dir, 'x.json')
    writeFileSync(bad, JSON.stringify(d))
    const msg = usageError(() => readDesignInput(flags('--design', bad)))
    expect(msg).toMatch(/^invalid design file .*x\.json: (volume\.background|detector\.panels\[2\]\.span_x): .* \(and 1 more error\)$/)
    expect(msg).not.toContain('\n')
  })
})

describe('presets on disk', () => {
  test('every name from presetNames() is available and loads', () => {
    const available = availablePresets()
    for (const n of presetNames()) {
      expect(available).toContain(n)
      expect(() => JSON.parse(loadPresetFile(n))).not.toThrow()
    }
    expect(available).not.toContain('index')
  })
})
