// Runs background jobs (ensemble starts, budgets, evaluations) on background workers (workers/background.worker.ts),
// each worker taking the next job when it finishes one. The engine worker is not one of them: the main run, its
// session and its backend are untouched.
import * as Comlink from 'comlink'
import type { BackgroundApi, BackgroundJob, BackgroundResult, BackgroundStep } from '../../workers/background-protocol'

export interface PoolTask {
  job: BackgroundJob
  onStart?: () => void
  onSteps?: (steps: BackgroundStep[]) => void
  /** the job's outcome, as soon as it has one */
  onDone?: (r: PromiseSettledResult<BackgroundResult>) => void
}

export interface PoolRun {
  /** one settled result per task, in task order */
  done: Promise<PromiseSettledResult<BackgroundResult>[]>
  /** stop every job in flight (they return what they have) and start no more */
  stop(): void
}

/** workers for `tasks` jobs: one core is left to the page and one to the engine worker (on two cores one
 *  background worker: more starved the engine worker of its heartbeat on a loaded machine) */
export function poolSize(tasks: number, cores = navigator.hardwareConcurrency || 2): number {
  return Math.max(1, Math.min(tasks, cores - 2))
}

export function runPool(tasks: PoolTask[], threads = poolSize(tasks.length)): PoolRun {
  const results: PromiseSettledResult<BackgroundResult>[] = new Array(tasks.length)
  const live: { worker: Worker; api: Comlink.Remote<BackgroundApi> }[] = []
  let next = 0
  let stopped = false
  const one = async () => {
    const worker = new Worker(new URL('../../workers/background.worker.ts', import.meta.url), { type: 'module', name: 'background' })
    const api = Comlink.wrap<BackgroundApi>(worker)
    const me = { worker, api }
    live.push(me)
    try {
      while (!stopped && next < tasks.length) {
        const i = next++
        const t = tasks[i]
        t.onStart?.()
        try {
          results[i] = { status: 'fulfilled', value: await api.run(t.job, Comlink.proxy((s: BackgroundStep[]) => t.onSteps?.(s))) }
        } catch (e) {
          results[i] = { status: 'rejected', reason: e }
        }
        t.onDone?.(results[i])
      }
    } finally {
      api[Comlink.releaseProxy]()
      worker.terminate()
      live.splice(live.indexOf(me), 1)
    }
  }
  const done = Promise.all(Array.from({ length: threads }, one)).then(() =>
    tasks.map((_, i) => results[i] ?? { status: 'rejected', reason: new Error('stopped before it started') }))
  return {
    done,
    stop() {
      stopped = true
      for (const w of live) void w.api.stop()
    },
  }
}
