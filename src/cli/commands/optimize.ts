import { writeFileSync } from 'node:fs'
import { UsageError } from '../args'
import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { applyRunFlags, RUN_FLAGS_USAGE } from '../run-flags'
import { useNodeBackend } from '../../engine/core/tensor'
import { runOptimize } from '../../engine/run-optimize'
import { createSession } from '../../engine/session'

function bar(done: number, total: number): string {
  const w = 30
  const k = Math.round((done / total) * w)
  return `[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${done}/${total}`
}

export const optimize: Command = {
  name: 'optimize',
  usage: `optimize (--preset NAME | --design FILE) [--steps N] ${RUN_FLAGS_USAGE} [--out FILE] --json`,
  summary: 'optimise the design by gradient descent; report the loss and the hard-panel validation, and the best design',
  async run({ flags, log }) {
    const design = readDesignInput(flags)
    const steps = flags.number('steps', design.optimizer.steps, { min: 1, max: 100_000, integer: true })
    const out = flags.string('out')
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    applyRunFlags(flags, design)
    design.optimizer.steps = steps
    flags.assertAllUsed()
    if (out === '') throw new UsageError('--out needs a file name')
    await useNodeBackend(backend)
    const session = await createSession(design)
    log(`optimize: ${design.name} (${design.kind}), ${steps} steps, seed ${design.seed}`)
    const t0 = performance.now()
    const report = await runOptimize(session, steps, (step, loss, validation) => {
      process.stderr.write(`\r${bar(step, steps)} loss ${loss?.toPrecision(4) ?? 'NaN'}${validation !== null ? ` validation ${validation.toPrecision(4)}` : ''}   `)
    })
    process.stderr.write('\n')
    log(`optimize: ${((performance.now() - t0) / 1000).toFixed(1)} s; validation ${report.initial.validation.toPrecision(4)} → ${report.final.validation.toPrecision(4)} (best ${report.best.validation.toPrecision(4)} at step ${report.best.step})`)
    session.dispose()
    if (out) {
      writeFileSync(out, JSON.stringify(report.design, null, 2) + '\n')
      log(`optimize: best design written to ${out}`)
    }
    return { output: report as unknown as Record<string, unknown> }
  },
}
