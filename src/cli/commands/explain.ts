import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { applyRunFlags, RUN_FLAGS_USAGE } from '../run-flags'
import { useNodeBackend } from '../../engine/core/tensor'
import { explainReport } from '../../engine/explain'
import { createSession } from '../../engine/session'
import { threadsFlag, THREADS_USAGE } from '../threads-flag'
import { useKernelThreads } from '../kernel-host'

export const explain: Command = {
  name: 'explain',
  usage: `explain (--preset NAME | --design FILE) ${RUN_FLAGS_USAGE} ${THREADS_USAGE} --json`,
  summary: 'the loss of the design on one seeded batch, its gradient per panel or layer group, and how well each voxel is measured',
  async run({ flags, log }) {
    const design = readDesignInput(flags)
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    applyRunFlags(flags, design)
    const threads = threadsFlag(flags)
    flags.assertAllUsed()
    await useNodeBackend(backend)
    await useKernelThreads(threads)
    const session = await createSession(design)
    log(`explain: ${design.name} (${design.kind}), seed ${design.seed}`)
    const report = await explainReport(session)
    session.dispose()
    const steepest = Object.entries(report.gradient)
      .map(([k, g]) => [k, Math.hypot(...Object.values(g))] as const).sort((a, b) => b[1] - a[1])[0]
    const text = `loss ${report.loss.toPrecision(5)} (${Object.entries(report.parts).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')})` +
      (steepest ? `; steepest: ${steepest[0]} |∇| ${steepest[1].toPrecision(3)} per m` : '')
    return { output: report as unknown as Record<string, unknown>, text }
  },
}
