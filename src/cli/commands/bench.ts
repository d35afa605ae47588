import type { Command } from '../command'
import { useNodeBackend } from '../../engine/core/tensor'
import { runMuographyBench } from '../../engine/muography/bench'
import { useKernelThreads } from '../kernel-host'
import { installNodeWebGpu } from '../node-webgpu'
import { threadsFlag, THREADS_USAGE } from '../threads-flag'

export const bench: Command = {
  name: 'bench',
  usage: `bench [--muons N] [--physics full|ideal] [--momentum known|measured|unknown] [--x0-map on|off] [--showers N] [--backend wasm|cpu|webgpu] [--kind muography|calorimeter] [--repeats R] ${THREADS_USAGE} --json`,
  summary: 'time one full optimisation step (median over repeats) and report throughput, peak memory and the threads used',
  async run({ flags, log }) {
    const kind = flags.choice('kind', ['muography', 'calorimeter'] as const, 'muography')
    const backend = flags.choice('backend', ['wasm', 'cpu', 'webgpu'] as const, 'wasm')
    const repeats = flags.number('repeats', 5, { min: 1, max: 100, integer: true })
    const threads = threadsFlag(flags)
    if (kind === 'calorimeter') {
      const showers = flags.number('showers', 20_000, { min: 10, max: 1_000_000, integer: true })
      flags.assertAllUsed()
      const adapter = await setUp(backend, threads)
      const { runCaloBench } = await import('../../engine/calorimeter/bench')
      const r = await runCaloBench({ showers, layers: 30, repeats })
      return { output: { kind, ...r, backend, ...adapter, threads } }
    }
    const muons = flags.number('muons', 100_000, { min: 100, max: 2_000_000, integer: true })
    // ideal: without the energy loss, the scattering tail and the panels' material, to see what they cost
    const physics = flags.choice('physics', ['full', 'ideal'] as const, 'full')
    // what the inference knows of each muon's momentum (the benchmark design's default: known)
    const momentum = flags.choice('momentum', ['known', 'measured', 'unknown'] as const, 'known')
    // off: the step of a run that shows no predicted X0 map (optimize, ensembles), which skips the map's EM solve
    const x0Map = flags.choice('x0-map', ['on', 'off'] as const, 'on')
    flags.assertAllUsed()
    const adapter = await setUp(backend, threads)
    log(`bench: ${muons} muons per step on ${backend}, ${physics} physics, momentum ${momentum}, X0 map ${x0Map}, ${threads} thread${threads > 1 ? 's' : ''}, ${repeats} timed steps after 1 warm-up`)
    const r = await runMuographyBench({ muons, repeats, physics, momentum, x0Map: x0Map === 'on', peakMemoryMb: () => process.resourceUsage().maxRSS / 1024 })
    return { output: { kind, backend, ...adapter, physics, momentum, x0_map: x0Map, threads, ...r } }
  },
}

/** the backend and the kernel threads; on webgpu, the adapter it runs on */
async function setUp(backend: 'wasm' | 'cpu' | 'webgpu', threads: number): Promise<{ adapter?: string }> {
  const adapter = backend === 'webgpu' ? await installNodeWebGpu() : undefined
  await useNodeBackend(backend)
  await useKernelThreads(threads)
  return adapter ? { adapter } : {}
}
