// `sweep collect`: one row per job (the swept values, status, best validation, cost, steps), the missing and
// failed jobs listed, optionally as CSV.
import type { JobStatus, Manifest, SweepValue } from './manifest'
import { readResult } from './manifest'

export interface SweepRow {
  index: number
  values: Record<string, SweepValue>
  status: JobStatus | 'missing'
  best_validation: number | null
  cost: number | null
  steps: number | null
  elapsed_s: number | null
  error?: string
}

export interface Collected {
  jobs: number
  done: number
  interrupted: number[]
  failed: number[]
  missing: number[]
  /** the done job with the lowest best validation */
  best: number | null
  rows: SweepRow[]
}

export function collectSweep(dir: string, manifest: Manifest): Collected {
  const rows: SweepRow[] = manifest.jobs.map((job) => {
    const r = readResult(dir, job.index)
    if (!r) return { index: job.index, values: job.values, status: 'missing', best_validation: null, cost: null, steps: null, elapsed_s: null }
    return {
      index: job.index, values: job.values, status: r.status, best_validation: r.best_validation, cost: r.cost,
      steps: r.steps_done, elapsed_s: r.provenance?.elapsed_s ?? null, ...(r.error ? { error: r.error } : {}),
    }
  })
  const having = (s: SweepRow['status']) => rows.filter((r) => r.status === s).map((r) => r.index)
  let best: SweepRow | null = null
  for (const r of rows) {
    if (r.status === 'done' && r.best_validation !== null && (best === null || r.best_validation < best.best_validation!)) best = r
  }
  return {
    jobs: rows.length, done: having('done').length, interrupted: having('interrupted'), failed: having('failed'),
    missing: having('missing'), best: best?.index ?? null, rows,
  }
}

export function sweepColumns(manifest: Manifest): string[] {
  return ['index', ...manifest.parameters.map((p) => p.path), 'status', 'best_validation', 'cost', 'steps', 'elapsed_s']
}

function cells(row: SweepRow, manifest: Manifest): (SweepValue | undefined)[] {
  return [row.index, ...manifest.parameters.map((p) => row.values[p.path]), row.status, row.best_validation, row.cost, row.steps, row.elapsed_s]
}

/** CSV as RFC 4180 quotes it (lines end in LF): a field with a comma, quote or line break is quoted, its quotes doubled; null is empty */
const csvField = (v: SweepValue | undefined) => {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function sweepCsv(c: Collected, manifest: Manifest): string {
  return [sweepColumns(manifest), ...c.rows.map((r) => cells(r, manifest))].map((row) => row.map(csvField).join(',')).join('\n') + '\n'
}

export function sweepTable(c: Collected, manifest: Manifest): string {
  const show = (v: SweepValue | undefined) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(5) : v === null || v === undefined ? '—' : String(v))
  const table = [sweepColumns(manifest), ...c.rows.map((r) => cells(r, manifest).map(show))]
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)))
  const lines = table.map((row) => row.map((v, i) => String(v).padEnd(widths[i])).join('  ').trimEnd())
  const notes = [
    `${c.done} of ${c.jobs} jobs done${c.best !== null ? `; best validation: job ${c.best}` : ''}`,
    ...(c.missing.length ? [`missing: ${c.missing.join(' ')}`] : []),
    ...(c.failed.length ? [`failed: ${c.failed.join(' ')}`] : []),
    ...(c.interrupted.length ? [`interrupted: ${c.interrupted.join(' ')}`] : []),
  ]
  return [...lines, '', ...notes].join('\n')
}
