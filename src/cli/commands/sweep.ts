// `sweep plan|run|collect`: a parameter sweep as independent jobs that a batch scheduler runs as an array.
import { resolve } from 'node:path'
import { UsageError, type Flags } from '../args'
import type { Command, CommandContext, CommandResult } from '../command'
import { loadDesignInput } from '../design-input'
import { checkOutFile, writeFileAtomic } from '../files'
import { collectSweep, sweepColumns, sweepCsv, sweepTable } from '../sweep/collect'
import { readManifest } from '../sweep/manifest'
import { parseSet, planSweep } from '../sweep/plan'
import { jobIndex, runJob } from '../sweep/run'
import { SCHEDULERS } from '../sweep/schedulers'
import { threadsFlag } from '../threads-flag'
import { useKernelThreads } from '../kernel-host'

function plan(flags: Flags): CommandResult {
  const input = loadDesignInput(flags)
  const params = flags.strings('set').map(parseSet)
  const dir = flags.string('out')
  const scheduler = flags.has('scheduler') ? flags.choice('scheduler', SCHEDULERS, 'slurm') : undefined
  flags.assertAllUsed()
  if (dir === undefined || dir === '') throw new UsageError('sweep plan needs --out DIR (the sweep folder)')
  if (flags.positionals.length > 1) throw new UsageError(`sweep plan takes no file argument (got ${flags.positionals.slice(1).join(' ')}); use --design FILE`)
  const out = planSweep({ base: input.design, input: input.input, params, dir, scheduler })
  return {
    output: { ...out },
    text: [`planned ${out.jobs} jobs in ${out.dir}`, ...out.parameters.map((p) => `  ${p.path}: ${p.values.map((v) => JSON.stringify(v)).join(', ')}`),
      out.script ? `submit: ${out.script}` : `run each with: dds sweep run ${out.dir} --index I`].join('\n'),
  }
}

function sweepDir(flags: Flags, what: string): string {
  const dir = flags.positionals[1]
  if (dir === undefined) throw new UsageError(`sweep ${what} needs the sweep folder: sweep ${what} DIR`)
  if (flags.positionals.length > 2) throw new UsageError(`sweep ${what} takes one folder, got ${flags.positionals.slice(1).join(' ')}`)
  return dir
}

async function run({ flags, log, signal }: CommandContext): Promise<CommandResult> {
  const index = flags.number('index', undefined, { min: 0, integer: true })
  const force = flags.has('force')
  const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
  const threads = threadsFlag(flags)
  flags.assertAllUsed()
  await useKernelThreads(threads)
  const dir = sweepDir(flags, 'run')
  const manifest = readManifest(dir)
  const i = jobIndex(index, process.env, manifest.jobs.length)
  const { skipped, result } = await runJob({ dir, manifest, index: i, force, backend, signal, log })
  const { report: _report, ...summary } = result
  return {
    output: { ok: true, skipped, ...summary },
    text: `job ${i}: ${result.status}${skipped ? ' (already)' : ''}, best validation ${result.best_validation?.toPrecision(4) ?? '—'}, cost ${result.cost?.toPrecision(4) ?? '—'}`,
  }
}

function collect(flags: Flags): CommandResult {
  const csv = flags.string('csv')
  flags.assertAllUsed()
  const dir = sweepDir(flags, 'collect')
  if (csv !== undefined) checkOutFile(csv, '--csv')
  const manifest = readManifest(dir)
  const c = collectSweep(dir, manifest)
  if (csv !== undefined) writeFileAtomic(csv, sweepCsv(c, manifest))
  return { output: { ...c, columns: sweepColumns(manifest), csv: csv === undefined ? null : resolve(csv) }, text: sweepTable(c, manifest) }
}

export const sweep: Command = {
  name: 'sweep',
  usage: 'sweep plan|run|collect ... --json',
  summary: 'a parameter sweep as an array job: plan the designs, run one job by index, collect the results',
  help: [
    'sweep plan (--preset NAME | --design FILE) --set PATH=V1,V2,... [--set ...] --out DIR [--scheduler slurm|k8s|pbs]',
    '    one design per combination of the values (cartesian product) in DIR/jobs/, DIR/manifest.json, and with',
    '    --scheduler a ready-to-submit script (sweep.sbatch, sweep-job.yaml, sweep.pbs). PATH is a design-file path:',
    '    seed, optimizer.budget, optimizer.steps, detector.panels[0].z, ...; values are JSON (numbers, true, "text") or words.',
    'sweep run DIR [--index I] [--force] [--backend wasm|cpu] [--threads N]',
    '    run job I (else the index from SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX, PBS_ARRAY_INDEX, or LSB_JOBINDEX,',
    '    which counts from 1); the result goes to DIR/results/NNNN.json. A done job is skipped unless --force.',
    '    SIGTERM/SIGINT stop it after the current step with a result marked "interrupted" (exit 143/130).',
    'sweep collect DIR [--csv FILE]',
    '    a table of every job: the swept values, status, best validation, cost, steps; missing and failed jobs listed.',
  ].join('\n'),
  switches: ['force'],
  stoppable: true,
  async run(ctx) {
    const what = ctx.flags.positionals[0]
    if (what === 'plan') return plan(ctx.flags)
    if (what === 'run') return run(ctx)
    if (what === 'collect') return collect(ctx.flags)
    throw new UsageError(what === undefined ? 'sweep needs plan, run or collect (dds sweep --help)' : `sweep: unknown step "${what}" (plan, run or collect)`)
  },
}
