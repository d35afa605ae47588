// The engine worker's kernel threads: Web Workers that run the step's per-muon and per-shower blocks beside it on
// shared memory (engine/parallel/blocks.ts), one per core but one: that core is left to the page. Its main thread
// and the GPU process (which draws the 3D view, in software on a machine without a GPU) then never wait behind the
// engine; on 2 cores with every core computing, a 5 ms frame took 26–65 ms of wall time. SharedArrayBuffer needs a cross-origin isolated page
// (the COOP/COEP headers of vite.config.ts; README, "Hosting"); without it every block runs on the engine worker,
// with the same numbers.
import { setKernelHost } from '../engine/parallel/blocks'

/** the threads the kernels run on for a wish (0: every core but the page's) and what the page allows */
export function kernelThreadCount(wanted: number, cores: number, isolated: boolean): number {
  if (!isolated) return 1
  const n = wanted > 0 ? wanted : cores - 1
  return Math.max(1, Math.min(n, cores, 64))
}

/** the threads the kernels will run on in this worker for a wish (0: every core but one), the worker's own included */
export function kernelThreadsFor(wanted = 0): number {
  return kernelThreadCount(wanted, self.navigator.hardwareConcurrency || 1, self.crossOriginIsolated === true)
}

let started = false

/** Start the kernel threads (once) so that the kernels run on `threads` threads in all; 1 starts none. */
export function spawnKernelThreads(threads: number): void {
  if (started || threads <= 1) return
  started = true
  const workers = Array.from({ length: threads - 1 }, (_, k) =>
    new Worker(new URL('./kernel.worker.ts', import.meta.url), { type: 'module', name: `dds-kernels-${k + 1}` }))
  setKernelHost({ threads, post: (m) => { for (const w of workers) w.postMessage(m) } })
}

/** Start the kernel threads now (a wish as kernelThreadCount's); returns how many threads run the kernels, the worker's own included. */
export function startKernelThreads(wanted = 0): number {
  const threads = kernelThreadsFor(wanted)
  spawnKernelThreads(threads)
  return threads
}
