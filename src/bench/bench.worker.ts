// The bench page's worker: for each backend asked for that starts, the `npm run bench` scenarios (the muography
// benchmark step at the given muon counts, with the x0 loss too when asked, the 30-layer calorimeter step), each the median of `repeats` timed steps
// after a warm-up, with the mean phase split; the kernel threads run as in the studio. On webgpu it first checks
// the GPU kernels against their CPU references.
import { runCaloBench } from '../engine/calorimeter/bench'
import { checkKernels } from '../engine/gpu/check'
import { takeDispatches } from '../engine/gpu/device'
import { runMuographyBench } from '../engine/muography/bench'
import { attempt } from '../workers/backend'
import { startKernelThreads } from '../workers/kernel-threads'
import type { BenchMessage, BenchRequest } from './protocol'

const post = (m: BenchMessage) => self.postMessage(m)

async function run(req: BenchRequest): Promise<void> {
  post({ type: 'start', threads: startKernelThreads(), userAgent: self.navigator.userAgent })
  for (const backend of req.backends) {
    const a = await attempt(backend, 30_000)
    post({ type: 'backend', backend, ok: a.ok, note: a.note })
    if (!a.ok) continue
    try {
      const checks = req.kernels ? await checkKernels() : null
      if (checks) post({ type: 'kernels', backend, checks })
      for (const muons of req.muons) {
        for (const loss of req.x0Loss ? ['fisher', 'x0'] as const : ['fisher'] as const) {
          takeDispatches()
          const r = await runMuographyBench({ muons, repeats: req.repeats, peakMemoryMb: () => NaN, loss })
          const gpu_kernels = takeDispatches()
          const kind = loss === 'x0' ? 'muography-x0' : 'muography'
          post({ type: 'row', row: { backend, kind, size: muons, step_ms: r.step_ms, per_s: r.muons_per_s, phases_ms: r.phases_ms, gpu_kernels, reads_per_step: r.reads_per_step, gpu_buffers_made: r.gpu_buffers_made } })
        }
      }
      if (req.showers > 0) {
        takeDispatches()
        const r = await runCaloBench({ showers: req.showers, layers: 30, repeats: req.repeats })
        const gpu_kernels = takeDispatches()
        post({ type: 'row', row: { backend, kind: 'calorimeter', size: req.showers, step_ms: r.step_ms, per_s: r.showers_per_s, phases_ms: r.phases_ms, gpu_kernels, reads_per_step: r.reads_per_step, gpu_buffers_made: r.gpu_buffers_made } })
      }
    } catch (e) {
      post({ type: 'error', backend, message: (e as Error).message ?? String(e) })
    }
  }
  post({ type: 'done' })
}

self.onmessage = (e: MessageEvent<BenchRequest>) => { void run(e.data) }
