// `validate FILE --json` as a user runs it: a child process (node --import tsx src/cli/main.ts, which is what
// `npx tsx src/cli/main.ts` runs, without npx's own start-up and warnings on stderr).
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'dds-validate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Run { code: number; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const preset = (name: string) => readFileSync(join(ROOT, 'public', 'presets', `${name}.json`), 'utf8')

describe('cli validate', () => {
  test('a valid design: exit 0, {"ok": true} with kind and name', async () => {
    const r = await cli('validate', 'public/presets/lead-in-beryllium.json', '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({ ok: true, kind: 'muography', name: 'Lead block in beryllium' })
    // provenance: the file and its SHA-256 (computed here independently), the design's seed
    const path = join(ROOT, 'public/presets/lead-in-beryllium.json')
    expect(out.provenance).toMatchObject({ tool: 'dds', command: 'validate', seed: 42,
      input: { file: path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') } })
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
  })

  test('an invalid design: exit 1, every error with its JSON path', async () => {
    const d = JSON.parse(preset('lead-in-beryllium'))
    d.detector.panels[2].span_x = -1
    d.detector.panels[3].colour = 'red'
    d.volume.background = 'cheese'
    const r = await cli('validate', file('broken.json', JSON.stringify(d)), '--json')
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { ok: boolean; errors: { path: string; message: string }[] }
    expect(out.ok).toBe(false)
    expect(out.errors.map((e) => e.path).sort()).toEqual(['detector.panels[2].span_x', 'detector.panels[3].colour', 'volume.background'])
    for (const e of out.errors) expect(Object.keys(e).sort()).toEqual(['message', 'path'])
  })

  test('a cross-field problem and a too-new version are reported the same way', async () => {
    const d = JSON.parse(preset('ladle-furnace'))
    d.detector.panels[0].z = 3
    const r = await cli('validate', file('outside.json', JSON.stringify(d)), '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout).errors).toEqual([{ path: 'detector.panels[0].z', message: expect.stringContaining('outside the above stack') }])
    d.version = 3
    const v = await cli('validate', file('v3.json', JSON.stringify(d)), '--json')
    expect(v.code).toBe(1)
    expect(JSON.parse(v.stdout).errors).toEqual([{ path: 'version', message: expect.stringContaining('newer') }])
  })

  test('text that is not JSON: exit 1, an error at the root', async () => {
    const r = await cli('validate', file('junk.json', '{"format": "detector-design-studio",'), '--json')
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringContaining('not valid JSON') }] })
  })

  test('an unreadable file: exit 2, one line on stderr, the error as JSON on stdout', async () => {
    const r = await cli('validate', join(dir, 'no-such-file.json'), '--json')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { type: 'usage', exit_code: 2, message: expect.stringContaining('no such file') } })
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^error: cannot read .*no-such-file\.json: no such file/)
    const d = await cli('validate', dir, '--json')
    expect(d.code).toBe(2)
    expect(d.stderr).toContain('is a directory')
  })

  test('no file, or an unknown flag: exit 2', async () => {
    const none = await cli('validate', '--json')
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('validate needs a design file')
    const flag = await cli('validate', 'public/presets/u-lorry.json', '--strict', '--json')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('unknown flag --strict')
  })

  test('without --json: a readable summary', async () => {
    const r = await cli('validate', 'public/presets/atlas-like-lar.json')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ok \(calorimeter,/)
  })
})
