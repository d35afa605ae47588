// A sweep folder: manifest.json (what was swept, one design per job), jobs/NNNN.json (the designs),
// results/NNNN.json (one per finished, interrupted or failed job), logs/ (for the scheduler's output).
// Paths inside are relative to the folder, so it can be copied to a cluster or mounted in a container.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../args'
import type { InputRecord, RunRecord } from '../provenance'

export const MANIFEST_FORMAT = 'dds-sweep'
export const RESULT_FORMAT = 'dds-sweep-result'

export type SweepValue = number | string | boolean | null

export interface SweepJob {
  index: number
  values: Record<string, SweepValue>
  /** the job's design file, relative to the sweep folder */
  design: string
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT
  version: 1
  created_at: string
  tool: { name: 'dds'; version: string }
  base: InputRecord & { name: string; kind: string }
  parameters: { path: string; values: SweepValue[] }[]
  jobs: SweepJob[]
}

export type JobStatus = 'done' | 'interrupted' | 'failed'

export interface JobResult {
  format: typeof RESULT_FORMAT
  index: number
  status: JobStatus
  values: Record<string, SweepValue>
  best_validation: number | null
  best_step: number | null
  final_validation: number | null
  cost: number | null
  steps: number
  steps_done: number
  error?: string
  /** the optimisation report with the best design (absent when the job failed before it had one) */
  report?: Record<string, unknown>
  provenance: RunRecord | null
}

const pad = (i: number) => String(i).padStart(4, '0')
export const jobDesignPath = (index: number) => `jobs/${pad(index)}.json`
export const jobResultPath = (index: number) => `results/${pad(index)}.json`

export function readManifest(dir: string): Manifest {
  const file = join(dir, 'manifest.json')
  let m: Manifest
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    throw new UsageError(`${dir} is not a sweep folder: cannot read ${file} (${err.code === 'ENOENT' ? 'no such file' : err.message})`)
  }
  if (m?.format !== MANIFEST_FORMAT || !Array.isArray(m.jobs) || !Array.isArray(m.parameters)) {
    throw new UsageError(`${file} is not a sweep manifest (format "${MANIFEST_FORMAT}")`)
  }
  return m
}

/** the result of job `index`, null when it has none; a file that is no result is reported as failed */
export function readResult(dir: string, index: number): JobResult | null {
  let text: string
  try { text = readFileSync(join(dir, jobResultPath(index)), 'utf8') } catch { return null }
  try {
    const r = JSON.parse(text) as JobResult
    if (r?.format === RESULT_FORMAT && r.index === index) return r
  } catch { /* reported below */ }
  return { format: RESULT_FORMAT, index, status: 'failed', values: {}, best_validation: null, best_step: null, final_validation: null,
    cost: null, steps: 0, steps_done: 0, error: `${jobResultPath(index)} is not a sweep result`, provenance: null }
}
