import { UsageError } from '../args'
import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { applyRunFlags, RUN_FLAGS_USAGE } from '../run-flags'
import { checkOutFile } from '../files'
import { bestRunIndex, writeManyRunReport } from '../report-file'
import { defaultThreads, runJobs } from '../worker-pool'
import { designCost } from '../../engine/ensemble/param-space'
import { paretoFront } from '../../engine/ensemble/front'

export const front: Command = {
  name: 'front',
  usage: `front (--preset NAME | --design FILE) --budgets B1,B2,... [--steps S] ${RUN_FLAGS_USAGE} [--threads T] [--report FILE.html] --json`,
  summary: 'optimise once per budget (in parallel) and report the best validation against the detector cost: the cost–performance front',
  async run({ flags, log }) {
    const design = readDesignInput(flags)
    if (!flags.has('budgets')) throw new UsageError('--budgets B1,B2,... is required')
    const budgets = flags.numberList('budgets', [])
    if (budgets.length === 0 || budgets.some((b) => !(b > 0))) throw new UsageError('--budgets: every budget must be a positive number')
    const steps = flags.number('steps', design.optimizer.steps, { min: 1, max: 100_000, integer: true })
    const threads = flags.number('threads', defaultThreads(), { min: 1, max: 256, integer: true })
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    const reportFile = flags.string('report')
    applyRunFlags(flags, design)
    flags.assertAllUsed()
    if (reportFile !== undefined) checkOutFile(reportFile, '--report')
    design.optimizer.steps = steps
    // the budget alone limits the cost: a calorimeter's cost weight would otherwise enter its validation metric
    // relative to the budget, and the metrics of different budgets would not compare
    if (design.kind === 'calorimeter') design.optimizer.cost_weight = 0
    const jobs = budgets.map((b) => {
      const d = structuredClone(design)
      d.optimizer.budget = b
      return { design: d, steps }
    })
    log(`front: ${design.name} (${design.kind}), budgets ${budgets.join(', ')}, ${steps} steps each on ${Math.min(threads, budgets.length)} threads`)
    const t0 = performance.now()
    const reports = await runJobs(jobs, { threads, backend })
    const wall = (performance.now() - t0) / 1000
    const points = reports.map((r, i) => ({ budget: budgets[i], cost: designCost(r.design), validation: r.best.validation, step: r.best.step }))
    const onFront = paretoFront(points.map((p) => [p.cost, p.validation]))
    const out = points.map((p, i) => ({ ...p, on_front: onFront[i] }))
    if (reportFile) {
      const best = bestRunIndex(reports)
      await writeManyRunReport(reportFile, design, reports[best].design, { front: { points: out } }, backend)
      log(`front: design report (budget ${budgets[best]}, the best validation) written to ${reportFile}`)
    }
    const text = [`front: ${budgets.length} budgets in ${wall.toFixed(1)} s`,
      ...out.map((p) => `  budget ${p.budget}: cost ${p.cost.toPrecision(4)}, best validation ${p.validation.toPrecision(4)}${p.on_front ? '' : ' (dominated)'}`)].join('\n')
    return { output: { points: out, wall_s: wall }, text }
  },
}
