import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { applyRunFlags, RUN_FLAGS_USAGE } from '../run-flags'
import { checkOutFile, writeFileAtomic } from '../files'
import { optimizeDesign } from '../optimize-run'
import { reportHtml } from '../../report/report-html'
import { threadsFlag, THREADS_USAGE } from '../threads-flag'
import { useKernelThreads } from '../kernel-host'

export const optimize: Command = {
  name: 'optimize',
  usage: `optimize (--preset NAME | --design FILE) [--steps N] ${RUN_FLAGS_USAGE} [--backend wasm|cpu] ${THREADS_USAGE} [--out FILE] [--report FILE.html] --json`,
  summary: 'optimise the design by gradient descent; report the loss and the hard-panel validation, and the best design',
  help: [
    '--out FILE      write the best design there (checked before the run starts)',
    '--report FILE   write the design report there: one self-contained HTML file (metrics, curves, parameters,',
    '                X0 maps or the stack and its showers, settings, seed and version) that prints to PDF',
    'SIGTERM or SIGINT (Ctrl-C) stops after the current step: the report is marked "interrupted": true and',
    '--out and --report still get the best design so far; a second signal quits at once.',
  ].join('\n'),
  stoppable: true,
  async run({ flags, log, signal }) {
    const design = readDesignInput(flags)
    const steps = flags.number('steps', design.optimizer.steps, { min: 1, max: 100_000, integer: true })
    const out = flags.string('out')
    const reportFile = flags.string('report')
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    const threads = threadsFlag(flags)
    applyRunFlags(flags, design)
    design.optimizer.steps = steps
    flags.assertAllUsed()
    if (out !== undefined) checkOutFile(out)
    if (reportFile !== undefined) checkOutFile(reportFile, '--report')
    await useKernelThreads(threads)
    const { reportInput, ...report } = await optimizeDesign(design, { backend, label: 'optimize', signal, log, report: reportFile !== undefined })
    if (out) {
      writeFileAtomic(out, JSON.stringify(report.design, null, 2) + '\n')
      log(`optimize: best design written to ${out}`)
    }
    if (reportFile && reportInput) {
      writeFileAtomic(reportFile, reportHtml(reportInput))
      log(`optimize: design report written to ${reportFile}`)
    }
    return { output: { ...report, seed: design.seed, threads } }
  },
}
