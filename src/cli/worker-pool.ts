// Runs optimisation jobs on worker threads, as many at once as asked (default: the machine's cores), each worker
// taking the next job when it finishes one. Works from the TypeScript sources under tsx (the worker loads
// worker-entry.ts through tsx's loader, which Node does not pass on to worker threads) and from a bundled CLI
// (the worker runs the bundle itself, whose entry starts the worker side).
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { OptimizeReport } from '../engine/run-optimize'
import type { OptimizeJob, WorkerOptions, WorkerReply } from './worker-entry'

export const defaultThreads = (): number => availableParallelism()

function spawn(options: WorkerOptions): Worker {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return new Worker(here, { workerData: options })
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = pathToFileURL(join(dirname(here), 'worker-entry.ts')).href
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)})).then((w) => w.startWorker())`
  return new Worker(code, { eval: true, workerData: options })
}

export interface PoolOptions {
  threads: number
  backend: 'wasm' | 'cpu'
  onProgress?: (job: number, step: number, loss: number | null, validation: number | null) => void
}

/** Run every job; reports in job order. A job that fails rejects the whole run (after the workers stop). */
export async function runJobs(jobs: Omit<OptimizeJob, 'id'>[], opts: PoolOptions): Promise<OptimizeReport[]> {
  const reports: OptimizeReport[] = new Array(jobs.length)
  let next = 0
  const workers: Worker[] = []
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const w = spawn({ dds: true, backend: opts.backend })
    workers.push(w)
    const give = () => {
      if (next >= jobs.length) { resolve(); return }
      const id = next++
      w.postMessage({ ...jobs[id], id } satisfies OptimizeJob)
    }
    w.on('message', (m: WorkerReply | { type: 'ready' }) => {
      if (m.type === 'ready') give()
      else if (m.type === 'progress') opts.onProgress?.(m.id, m.step, m.loss, m.validation)
      else if (m.type === 'done') { reports[m.id] = m.report; give() }
      else reject(new Error(`run ${m.id}: ${m.message}`))
    })
    w.on('error', reject)
    // after the pool's own terminate() the promise has settled and this does nothing
    w.on('exit', (code) => reject(new Error(`a worker stopped early (exit code ${code})`)))
  })
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.threads, jobs.length)) }, one))
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return reports
}
