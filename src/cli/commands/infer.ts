import { UsageError } from '../args'
import type { Command } from '../command'
import { readDesignInput } from '../design-input'
import { runInference } from '../../engine/muography/infer'
import { useNodeBackend } from '../../engine/core/tensor'
import { threadsFlag, THREADS_USAGE } from '../threads-flag'
import { useKernelThreads } from '../kernel-host'

export const infer: Command = {
  name: 'infer',
  usage: `infer (--preset NAME | --design FILE) [--muons N] [--detector ideal|design] [--momentum known|measured|unknown] [--absorption on|off] [--seed K] ${THREADS_USAGE} --json`,
  summary: 'simulate muons through the volume, reconstruct, and compare the per-voxel X0 with the truth',
  async run({ flags, log }) {
    const design = readDesignInput(flags)
    if (design.kind !== 'muography') throw new UsageError(`infer needs a muography design, got kind "${design.kind}"`)
    const muons = flags.number('muons', 100_000, { min: 100, max: 5_000_000, integer: true })
    const detector = flags.choice('detector', ['ideal', 'design'] as const, 'design')
    const momentum = flags.choice('momentum', ['known', 'measured', 'unknown'] as const, 'known')
    const absorption = flags.choice('absorption', ['on', 'off'] as const, design.simulation.absorption ? 'on' : 'off') === 'on'
    const seed = flags.number('seed', design.seed, { min: 0, max: 2 ** 31 - 1, integer: true })
    const backend = flags.choice('backend', ['wasm', 'cpu'] as const, 'wasm')
    const threads = threadsFlag(flags)
    flags.assertAllUsed()
    await useNodeBackend(backend)
    await useKernelThreads(threads)
    log(`infer: ${design.name}: ${muons} muons, ${detector} detector, momentum ${momentum}, absorption ${absorption ? 'on' : 'off'}, seed ${seed}`)
    const t0 = performance.now()
    const res = await runInference(design, { muons, detector, momentum, seed, absorption })
    log(`infer: done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${res.muons_stopped} muons stopped in the volume`)
    for (const w of res.warnings) log(`infer: warning: ${w}`)
    const text = Object.entries(res.by_material).map(([m, s]) =>
      `${m.padEnd(14)} X0 true ${s.x0_true_m.toPrecision(4)} m  predicted (median) ${s.x0_pred_median_m?.toPrecision(4) ?? '—'} m  ratio ${s.ratio_median?.toFixed(3) ?? '—'}  PoCA baseline ${s.x0_poca_median_m?.toPrecision(4) ?? '—'} m  (${s.n_voxels} voxels)`).join('\n')
    return { output: { preset: flags.string('preset') ?? null, detector, momentum, absorption, seed, ...res }, text }
  },
}
