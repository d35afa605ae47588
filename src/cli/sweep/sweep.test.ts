// A sweep as a batch farm runs it: planned, its jobs run as separate processes by the schedulers' index
// variables (two at a time), collected into a CSV; and a job stopped by SIGTERM part-way.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'dds-sweep-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

interface Run { code: number; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }))
  })
}

// small jobs: a second or two of optimisation each
const SMALL = ['--set', 'optimizer.steps=4', '--set', 'optimizer.muons_per_step=1000', '--set', 'optimizer.validation_muons=1000']

describe('sweep plan, run, collect', () => {
  const dir = join(tmp, 'budgets')

  test('2 budgets × 3 seeds: 6 jobs run by scheduler index two at a time, collected into a 6-row CSV', async () => {
    const plan = await cli(['sweep', 'plan', '--preset', 'lead-in-beryllium', '--set', 'optimizer.budget=10,20', '--set', 'seed=1,2,3',
      ...SMALL, '--out', dir, '--scheduler', 'slurm', '--json'])
    expect(plan.code, plan.stderr).toBe(0)
    const p = JSON.parse(plan.stdout)
    expect(p).toMatchObject({ jobs: 6, dir, script: join(dir, 'sweep.sbatch') })
    expect(readFileSync(p.script, 'utf8')).toContain('#SBATCH --array=0-5')
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))
    expect(manifest.jobs.map((j: { values: Record<string, number> }) => [j.values['optimizer.budget'], j.values.seed]))
      .toEqual([[10, 1], [10, 2], [10, 3], [20, 1], [20, 2], [20, 3]])
    const job3 = JSON.parse(readFileSync(join(dir, 'jobs', '0003.json'), 'utf8'))
    expect([job3.optimizer.budget, job3.seed, job3.optimizer.steps]).toEqual([20, 1, 4])

    // each scheduler's variable; LSF counts from 1
    const envs: Record<string, string>[] = [{ SLURM_ARRAY_TASK_ID: '0' }, { SLURM_ARRAY_TASK_ID: '1' }, { JOB_COMPLETION_INDEX: '2' }, { JOB_COMPLETION_INDEX: '3' },
      { PBS_ARRAY_INDEX: '4' }, { LSB_JOBINDEX: '6' }]
    for (let k = 0; k < envs.length; k += 2) {
      const runs = await Promise.all(envs.slice(k, k + 2).map((env) => cli(['sweep', 'run', dir, '--backend', 'cpu', '--json'], env)))
      runs.forEach((r, i) => {
        expect(r.code, r.stderr).toBe(0)
        expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, skipped: false, index: k + i, status: 'done', steps_done: 4 })
        expect(r.stderr).not.toContain('\r')
      })
    }
    const result = JSON.parse(readFileSync(join(dir, 'results', '0004.json'), 'utf8'))
    expect(result.provenance).toMatchObject({ tool: 'dds', seed: 2, input: { file: join(dir, 'jobs', '0004.json') } })
    expect(result.provenance.input.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(result.report.design.optimizer.budget).toBe(20)

    const again = await cli(['sweep', 'run', dir, '--index', '0', '--json'])
    expect(JSON.parse(again.stdout)).toMatchObject({ skipped: true, status: 'done' })

    const csvFile = join(tmp, 'budgets.csv')
    const col = await cli(['sweep', 'collect', dir, '--csv', csvFile, '--json'])
    expect(col.code, col.stderr).toBe(0)
    const c = JSON.parse(col.stdout)
    expect(c).toMatchObject({ jobs: 6, done: 6, missing: [], failed: [], interrupted: [] })
    const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('index,optimizer.budget,seed,optimizer.steps,optimizer.muons_per_step,optimizer.validation_muons,status,best_validation,cost,steps,elapsed_s')
    expect(lines.length).toBe(7)
    for (const [i, line] of lines.slice(1).entries()) {
      const f = line.split(',')
      expect(f.slice(0, 3).map(Number)).toEqual([i, i < 3 ? 10 : 20, (i % 3) + 1])
      expect(f[6]).toBe('done')
      expect(Number(f[7])).toBeGreaterThan(0)
      expect(Number(f[8])).toBeGreaterThan(0)
      expect(Number(f[9])).toBe(4)
    }

    unlinkSync(join(dir, 'results', '0005.json'))
    const partial = JSON.parse((await cli(['sweep', 'collect', dir, '--json'])).stdout)
    expect(partial).toMatchObject({ done: 5, missing: [5] })
  }, 180_000)

  test('a job sent SIGTERM mid-run stops within seconds and leaves an interrupted result with the best design so far', async () => {
    const d = join(tmp, 'long')
    const plan = await cli(['sweep', 'plan', '--preset', 'lead-in-beryllium', '--set', 'optimizer.steps=100000', '--set', 'optimizer.muons_per_step=1000',
      '--set', 'optimizer.validation_muons=1000', '--set', 'seed=7', '--out', d, '--json'])
    expect(plan.code, plan.stderr).toBe(0)
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sweep', 'run', d, '--index', '0', '--backend', 'cpu', '--json'], { cwd: ROOT })
    let stdout = '', stderr = ''
    child.stdout.on('data', (b) => { stdout += b })
    const started = new Promise<void>((resolve) => child.stderr.on('data', (b) => { stderr += b; if (/ 1\/100000/.test(stderr)) resolve() }))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await started
    const t0 = Date.now()
    child.kill('SIGTERM')
    const code = await exited
    const stopS = (Date.now() - t0) / 1000
    expect(stopS).toBeLessThan(5)
    expect(code).toBe(143)
    const out = JSON.parse(stdout)
    expect(out).toMatchObject({ ok: true, status: 'interrupted' })
    const r = JSON.parse(readFileSync(join(d, 'results', '0000.json'), 'utf8'))
    expect(r.status).toBe('interrupted')
    expect(r.steps_done).toBeGreaterThan(0)
    expect(r.steps_done).toBeLessThan(100000)
    expect(r.report.interrupted).toBe(true)
    expect(r.report.design.format).toBe('detector-design-studio')
    expect(r.best_validation).toBeGreaterThan(0)
    // written through a temporary file and a rename: none is left behind
    expect(existsSync(join(d, 'results', '.0000.json.tmp'))).toBe(false)
  }, 120_000)
})
