// `sweep plan`: the cartesian product of --set PATH=V1,V2,... on a base design, one validated design file per
// combination, a manifest, and with --scheduler a ready-to-submit array-job script.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { UsageError } from '../args'
import { firstErrorLine } from '../design-input'
import { writeFileAtomic } from '../files'
import { VERSION } from '../package-info'
import type { InputRecord } from '../provenance'
import { parseDesignText } from '../../engine/design/parse'
import type { Design } from '../../engine/design/schema'
import { jobDesignPath, MANIFEST_FORMAT, type Manifest, type SweepJob, type SweepValue } from './manifest'
import { parsePath, setAtPath } from './design-path'
import { SCRIPT_FILE, schedulerScript, type Scheduler } from './schedulers'

/** more jobs than this is surely a mistake in a --set list */
export const MAX_JOBS = 100_000

export interface Parameter { path: string; values: SweepValue[] }

/** a value as JSON when it reads as JSON (numbers, true, false, null, "quoted"), else the plain string */
function parseValue(text: string): SweepValue {
  try {
    const v = JSON.parse(text) as unknown
    if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) return v as SweepValue
  } catch { /* a bare word */ }
  return text
}

export function parseSet(spec: string): Parameter {
  const eq = spec.indexOf('=')
  if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--set "${spec}": write PATH=V1,V2,... (e.g. optimizer.budget=1000,2000)`)
  const path = spec.slice(0, eq)
  parsePath(path)
  const values = spec.slice(eq + 1).split(',').map((t) => t.trim())
  if (values.some((t) => t === '')) throw new UsageError(`--set ${path}: an empty value in "${spec.slice(eq + 1)}"`)
  return { path, values: values.map(parseValue) }
}

/** every combination, the first parameter varying slowest */
export function cartesian(params: readonly Parameter[]): Record<string, SweepValue>[] {
  let combos: Record<string, SweepValue>[] = [{}]
  for (const p of params) combos = combos.flatMap((c) => p.values.map((v) => ({ ...c, [p.path]: v })))
  return combos
}

export interface PlanInput {
  base: Design
  input: InputRecord
  params: Parameter[]
  dir: string
  scheduler?: Scheduler
}

export interface PlanOutput {
  jobs: number
  dir: string
  manifest: string
  script: string | null
  parameters: Parameter[]
}

export function planSweep({ base, input, params, dir, scheduler }: PlanInput): PlanOutput {
  if (params.length === 0) throw new UsageError('give at least one --set PATH=V1,V2,...')
  const dup = params.find((p, i) => params.findIndex((q) => q.path === p.path) !== i)
  if (dup) throw new UsageError(`--set ${dup.path} is given twice; list all its values in one --set`)
  const count = params.reduce((n, p) => n * p.values.length, 1)
  if (count > MAX_JOBS) throw new UsageError(`${count} combinations is more than ${MAX_JOBS}: shorten the --set lists`)
  // every design is built and validated before anything is written
  const designs = cartesian(params).map((values) => {
    // a base exported after a run carries that run's results: they are not the job's
    const d = structuredClone({ ...base, results: undefined }) as unknown
    for (const [path, v] of Object.entries(values)) setAtPath(d, path, v)
    const r = parseDesignText(JSON.stringify(d))
    if (!r.ok) {
      const combo = Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')
      throw new UsageError(`${combo} makes an invalid design: ${firstErrorLine(r.errors)}`)
    }
    return { values, design: r.design }
  })
  const abs = resolve(dir)
  mkdirSync(abs, { recursive: true })
  let existing: string[] = []
  try { existing = readdirSync(join(abs, 'jobs')) } catch { /* a new folder */ }
  if (existing.length > 0) throw new UsageError(`--out ${dir} already holds a sweep (jobs/): choose a new folder`)
  for (const sub of ['jobs', 'results', 'logs']) mkdirSync(join(abs, sub), { recursive: true })
  const jobs: SweepJob[] = designs.map(({ values, design }, index) => {
    const file = jobDesignPath(index)
    writeFileSync(join(abs, file), JSON.stringify(design, null, 2) + '\n')
    return { index, values, design: file }
  })
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, version: 1, created_at: new Date().toISOString(), tool: { name: 'dds', version: VERSION },
    base: { ...input, name: base.name, kind: base.kind }, parameters: params, jobs,
  }
  const manifestFile = join(abs, 'manifest.json')
  writeFileAtomic(manifestFile, JSON.stringify(manifest, null, 2) + '\n')
  let script: string | null = null
  if (scheduler) {
    script = join(abs, SCRIPT_FILE[scheduler])
    const name = `dds-${basename(abs).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'sweep'}`.slice(0, 52)
    writeFileSync(script, schedulerScript(scheduler, { dir: abs, jobs: jobs.length, name }))
  }
  return { jobs: jobs.length, dir: abs, manifest: manifestFile, script, parameters: params }
}
