// The CLI's worker threads (ensemble, front): each initialises the tensor backend once, then runs optimisation
// jobs posted by worker-pool.ts one at a time and posts progress and the report back. Under tsx the pool loads
// this file through tsx's loader; in a bundled CLI the bundle's entry (main.ts) calls startWorker() itself.
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { useNodeBackend } from '../engine/core/tensor'
import type { Design } from '../engine/design/schema'
import { runOptimize, type OptimizeReport } from '../engine/run-optimize'
import { createSession } from '../engine/session'

export interface WorkerOptions { dds: true; backend: 'wasm' | 'cpu' }

export interface OptimizeJob { id: number; design: Design; steps: number }

export type WorkerReply =
  | { type: 'progress'; id: number; step: number; loss: number | null; validation: number | null }
  | { type: 'done'; id: number; report: OptimizeReport }
  | { type: 'error'; id: number; message: string }

/** true inside a worker thread started by worker-pool.ts */
export function isCliWorker(): boolean {
  return !isMainThread && (workerData as Partial<WorkerOptions> | null)?.dds === true
}

export async function startWorker(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('startWorker() outside a worker thread')
  await useNodeBackend((workerData as WorkerOptions).backend)
  port.on('message', async (job: OptimizeJob) => {
    const post = (m: WorkerReply) => port.postMessage(m)
    try {
      const session = await createSession(job.design)
      const report = await runOptimize(session, job.steps, (step, loss, validation) => post({ type: 'progress', id: job.id, step, loss, validation }))
      session.dispose()
      post({ type: 'done', id: job.id, report })
    } catch (e) {
      post({ type: 'error', id: job.id, message: (e as Error).message ?? String(e) })
    }
  })
  port.postMessage({ type: 'ready' })
}
