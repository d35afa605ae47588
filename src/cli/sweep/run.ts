// `sweep run`: one job of a planned sweep, its index from --index or the scheduler's variable. The result is
// written atomically into the folder; a job with a finished result is skipped unless forced. A stop signal ends
// the optimisation after the current step and the result, marked interrupted, holds the best design so far.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../args'
import { firstErrorLine } from '../design-input'
import { writeFileAtomic } from '../files'
import { optimizeDesign } from '../optimize-run'
import { noteInput, startRun } from '../provenance'
import { parseDesignText } from '../../engine/design/parse'
import { jobResultPath, readResult, RESULT_FORMAT, type JobResult, type Manifest } from './manifest'

/** array-index variables: Slurm, Kubernetes Indexed Jobs and PBS Pro count from 0, LSF from 1 */
export const INDEX_VARIABLES: readonly { name: string; base: number }[] = [
  { name: 'SLURM_ARRAY_TASK_ID', base: 0 },
  { name: 'JOB_COMPLETION_INDEX', base: 0 },
  { name: 'PBS_ARRAY_INDEX', base: 0 },
  { name: 'LSB_JOBINDEX', base: 1 },
]

/** the job index: --index, else the first scheduler variable that is set */
export function jobIndex(flagIndex: number | undefined, env: NodeJS.ProcessEnv, jobs: number): number {
  let index = flagIndex
  let from = '--index'
  if (index === undefined) {
    const v = INDEX_VARIABLES.find((x) => env[x.name] !== undefined && env[x.name] !== '')
    if (!v) throw new UsageError(`no job index: give --index I or run under a scheduler that sets one of ${INDEX_VARIABLES.map((x) => x.name).join(', ')}`)
    const raw = env[v.name]!
    if (!/^\d+$/.test(raw)) throw new UsageError(`${v.name}="${raw}" is not a job index`)
    index = Number(raw) - v.base
    from = `${v.name}=${raw}`
  }
  if (!(index >= 0 && index < jobs)) throw new UsageError(`${from}: job ${index} is not in this sweep (jobs 0 to ${jobs - 1})`)
  return index
}

export interface RunJobOptions {
  dir: string
  manifest: Manifest
  index: number
  force: boolean
  backend: 'wasm' | 'cpu'
  signal?: AbortSignal
  log: (msg: string) => void
}

export type RunJobOutcome = { skipped: true; result: JobResult } | { skipped: false; result: JobResult }

export async function runJob({ dir, manifest, index, force, backend, signal, log }: RunJobOptions): Promise<RunJobOutcome> {
  const job = manifest.jobs[index]
  const previous = readResult(dir, index)
  if (previous?.status === 'done' && !force) {
    log(`sweep: job ${index} is done already (${jobResultPath(index)}); --force runs it again`)
    return { skipped: true, result: previous }
  }
  const record = startRun('sweep run')
  const designFile = join(dir, job.design)
  if (!existsSync(designFile)) throw new UsageError(`job ${index}: its design ${designFile} is missing`)
  const text = readFileSync(designFile, 'utf8')
  const parsed = parseDesignText(text)
  if (!parsed.ok) throw new UsageError(`job ${index}: invalid design ${designFile}: ${firstErrorLine(parsed.errors)}`)
  const design = parsed.design
  noteInput({ file: designFile }, text, () => design.seed)
  const base = {
    format: RESULT_FORMAT, index, values: job.values, steps: design.optimizer.steps,
  } as const
  const write = (r: JobResult) => { writeFileAtomic(join(dir, jobResultPath(index)), JSON.stringify(r, null, 2) + '\n'); return r }
  try {
    const report = await optimizeDesign(design, { backend, label: `job ${index}`, signal, log })
    const result = write({
      ...base,
      status: report.interrupted ? 'interrupted' : 'done',
      best_validation: report.best.validation,
      best_step: report.best.step,
      final_validation: report.final.validation,
      cost: report.design.results?.metrics?.cost ?? null,
      steps_done: report.steps_done,
      report: { ...report },
      provenance: record.finish({ seed: design.seed }),
    })
    log(`sweep: job ${index} ${result.status}, result in ${jobResultPath(index)}`)
    return { skipped: false, result }
  } catch (e) {
    write({
      ...base, status: 'failed', best_validation: null, best_step: null, final_validation: null, cost: null, steps_done: 0,
      error: (e as Error).message ?? String(e), provenance: record.finish({ seed: design.seed }),
    })
    throw e
  }
}
