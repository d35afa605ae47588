// The installable CLI as a user runs it: the esbuild bundle (no TypeScript loader), started from another
// folder with relative paths, and `npm --prefix STUDIO run cli` from another folder.
import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// @ts-expect-error: a plain ESM script without types
import { buildCli } from '../../scripts/build-cli.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLE = join(ROOT, 'build', `test-${process.pid}`, 'dds.mjs')
const cwd = mkdtempSync(join(tmpdir(), 'dds-bin-'))

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 60_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }))
  })
}
const dds = (...args: string[]) => run(process.execPath, [BUNDLE, ...args])

beforeAll(async () => {
  await buildCli(BUNDLE)
  mkdirSync(join(cwd, 'designs'))
  copyFileSync(join(ROOT, 'public', 'presets', 'u-lorry.json'), join(cwd, 'designs', 'lorry.json'))
}, 60_000)
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true })
  rmSync(join(ROOT, 'build', `test-${process.pid}`), { recursive: true, force: true })
})

describe('the built dds command', () => {
  test('--version and a relative path from another folder', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(pkg.bin.dds).toBe('build/cli/dds.mjs')
    expect((await dds('--version')).stdout).toBe(`dds ${pkg.version}\n`)
    const r = await dds('validate', '--json', 'designs/lorry.json')
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, name: 'Uranium in a lorry', provenance: { version: pkg.version, input: { file: join(cwd, 'designs', 'lorry.json') } } })
  })

  test('--help and -h on stdout, exit 0; help itself too', async () => {
    const [opt, sweep] = await Promise.all([dds('optimize', '--help'), dds('sweep', '-h')])
    expect(opt.code).toBe(0)
    expect(opt.stdout).toMatch(/^usage: dds optimize /)
    expect(sweep.code).toBe(0)
    expect(sweep.stdout).toMatch(/^usage: dds sweep /)
    expect(sweep.stdout).toContain('SLURM_ARRAY_TASK_ID')
    const h = await dds('help')
    expect(h.code).toBe(0)
    expect(h.stdout).toContain('sweep plan|run|collect')
  })

  test('--out is checked before the run; with --json every failure is {"ok": false, "error"} on stdout', async () => {
    const t0 = Date.now()
    const r = await dds('optimize', '--preset', 'u-lorry', '--out', '/no/such/dir/best.json', '--json')
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { type: 'usage', exit_code: 2, message: expect.stringContaining('/no/such/dir does not exist') } })
    expect(r.stderr).not.toContain('optimize:') // no run started
    expect(Date.now() - t0).toBeLessThan(20_000)
    const unknown = await dds('frobnicate', '--json')
    expect(unknown.code).toBe(2)
    expect(JSON.parse(unknown.stdout).error.message).toContain('unknown command')
  })

  test('npm --prefix STUDIO run cli resolves paths from the caller\'s folder', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
    const r = await run(npm, ['--prefix', ROOT, 'run', 'cli', '--', 'validate', '--json', 'designs/lorry.json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, kind: 'muography' })
    expect(existsSync(join(cwd, 'designs', 'lorry.json'))).toBe(true)
  }, 60_000)
})
