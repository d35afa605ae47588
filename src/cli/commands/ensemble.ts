import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../args'
import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { checkOutFile } from '../files'
import { createProgress } from '../progress'
import { bestRunIndex, writeManyRunReport } from '../report-file'
import { applyRunFlags, RUN_FLAGS_USAGE } from '../run-flags'
import { defaultThreads, runJobs } from '../worker-pool'
import { clusterDesigns, DEFAULT_CLUSTER_DISTANCE } from '../../engine/ensemble/clusters'
import { canonicalDesign, designCost, paramSpace, paramVector, perturbedStart } from '../../engine/ensemble/param-space'

export const ensemble: Command = {
  name: 'ensemble',
  usage: `ensemble (--preset NAME | --design FILE) --starts N [--steps S] ${RUN_FLAGS_USAGE} [--spread F] [--threads T] [--cluster-distance D] [--out DIR] [--report FILE.html] --json`,
  summary: 'optimise from N seeded starts in parallel worker threads; report each run\'s best design and the clusters of close optima',
  async run({ flags, log }) {
    const design = canonicalDesign(readDesignInput(flags))
    const starts = flags.number('starts', undefined, { min: 1, max: 1000, integer: true })
    if (starts === undefined) throw new UsageError('--starts N is required')
    const steps = flags.number('steps', design.optimizer.steps, { min: 1, max: 100_000, integer: true })
    const spread = flags.number('spread', 0.1, { min: 0, max: 1 })
    const threads = flags.number('threads', defaultThreads(), { min: 1, max: 256, integer: true })
    const distance = flags.number('cluster-distance', DEFAULT_CLUSTER_DISTANCE, { min: 0, max: 1 })
    const out = flags.string('out')
    const reportFile = flags.string('report')
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    applyRunFlags(flags, design)
    flags.assertAllUsed()
    if (out === '') throw new UsageError('--out needs a directory name')
    if (reportFile !== undefined) checkOutFile(reportFile, '--report')
    design.optimizer.steps = steps
    // every run trains on the same batches and validates on the same set, so validations compare; the starts differ
    const seeds = Array.from({ length: starts }, (_, i) => design.seed + i)
    const startDesigns = seeds.map((s, i) => (i === 0 ? design : perturbedStart(design, spread, s)))
    log(`ensemble: ${design.name} (${design.kind}), ${starts} starts × ${steps} steps on ${Math.min(threads, starts)} threads`)
    const t0 = performance.now()
    const done = new Array<number>(starts).fill(0)
    const progress = createProgress('ensemble', starts * steps)
    const reports = await runJobs(startDesigns.map((d) => ({ design: d, steps })), {
      threads, backend,
      onProgress: (job, step) => {
        done[job] = step
        progress.update(done.reduce((a, b) => a + b, 0), 'steps')
      },
    })
    progress.end()
    const wall = (performance.now() - t0) / 1000
    const space = paramSpace(design)
    const finals = reports.map((r) => paramVector(r.design))
    const runs = reports.map((r, i) => {
      let file: string | null = null
      if (out) {
        mkdirSync(out, { recursive: true })
        file = join(out, `run-${i}.json`)
        writeFileSync(file, JSON.stringify(r.design, null, 2) + '\n')
      }
      return {
        seed: seeds[i],
        start: paramVector(startDesigns[i]),
        best: { validation: r.best.validation, step: r.best.step, cost: designCost(r.design) },
        final: finals[i],
        design: file,
      }
    })
    const clusters = clusterDesigns(space, finals, reports.map((r) => r.best.validation), distance)
    if (out) log(`ensemble: ${starts} best designs written to ${out}/run-*.json`)
    if (reportFile) {
      const best = bestRunIndex(reports)
      await writeManyRunReport(reportFile, design, reports[best].design, { ensemble: { runs, clusters, distance } }, backend)
      log(`ensemble: design report (run ${best}, the best) written to ${reportFile}`)
    }
    const text = [
      `ensemble: ${starts} runs in ${wall.toFixed(1)} s; ${clusters.length} cluster(s) at distance ${distance}`,
      ...runs.map((r, i) => `  run ${i}: best validation ${r.best.validation.toPrecision(4)} at step ${r.best.step}, cost ${r.best.cost.toPrecision(4)}`),
      ...clusters.map((c) => `  cluster of runs ${c.members.join(', ')}: median validation ${c.validation_median.toPrecision(4)}`),
    ].join('\n')
    return { output: { runs, clusters, parameters: space.names, wall_s: wall, threads: Math.min(threads, starts) }, text }
  },
}
