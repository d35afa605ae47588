// The engine worker's kernel threads: Web Workers that run the step's per-muon and per-shower blocks beside it on
// shared memory (engine/parallel/blocks.ts), one per core. SharedArrayBuffer needs a cross-origin isolated page
// (the COOP/COEP headers of vite.config.ts; README, "Hosting"); without it every block runs on the engine worker,
// with the same numbers.
import { setKernelHost } from '../engine/parallel/blocks'

/** the threads the kernels run on for a wish (0: every core) and what the page allows */
export function kernelThreadCount(wanted: number, cores: number, isolated: boolean): number {
  if (!isolated) return 1
  const n = wanted > 0 ? wanted : cores
  return Math.max(1, Math.min(n, cores, 64))
}

/** Start the kernel threads (once); returns how many threads run the kernels, the engine worker's included. */
export function startKernelThreads(wanted = 0): number {
  const threads = kernelThreadCount(wanted, self.navigator.hardwareConcurrency || 1, self.crossOriginIsolated === true)
  if (threads <= 1) return 1
  const workers = Array.from({ length: threads - 1 }, (_, k) =>
    new Worker(new URL('./kernel.worker.ts', import.meta.url), { type: 'module', name: `dds-kernels-${k + 1}` }))
  setKernelHost({ threads, post: (m) => { for (const w of workers) w.postMessage(m) } })
  return threads
}
