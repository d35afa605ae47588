// The CLI's kernel threads (parallel/blocks.ts): threads − 1 worker threads that run the step's per-muon and
// per-shower blocks beside the main thread. Started under tsx like worker-pool.ts (Node does not pass tsx's loader
// on to worker threads), or from the bundled CLI, whose entry (main.ts) starts the kernel side itself. The threads
// are unref'd: they never keep the process alive.
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { setKernelHost, type KernelMessage } from '../engine/parallel/blocks'
import { serveKernel } from '../engine/parallel/serve'

interface KernelThreadData { ddsKernels: true }

/** true inside a kernel thread started here */
export function isKernelThread(): boolean {
  return !isMainThread && (workerData as Partial<KernelThreadData> | null)?.ddsKernels === true
}

export function startKernelThread(): void {
  parentPort?.on('message', (m: KernelMessage) => serveKernel(m))
  parentPort?.postMessage('ready')
}

function spawn(): Worker {
  const data: KernelThreadData = { ddsKernels: true }
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return new Worker(here, { workerData: data })
  const tsx = import.meta.resolve('tsx/esm/api')
  const entry = pathToFileURL(join(dirname(here), 'kernel-host.ts')).href
  const code = `import(${JSON.stringify(tsx)}).then((m) => m.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)})).then((k) => k.startKernelThread())`
  return new Worker(code, { eval: true, workerData: data })
}

let workers: Worker[] = []

/**
 * Run the kernels on `threads` threads in all (the main thread included); 1 stops the pool. Resolves when every
 * thread has loaded the kernels (blocks posted before that are run by the threads that are ready).
 */
export async function useKernelThreads(threads: number): Promise<void> {
  for (const w of workers) void w.terminate()
  workers = []
  if (threads <= 1) { setKernelHost(null); return }
  const ready: Promise<void>[] = []
  workers = Array.from({ length: threads - 1 }, () => {
    const w = spawn()
    w.unref()
    ready.push(new Promise((resolve, reject) => {
      w.once('message', () => resolve())
      w.once('error', reject)
    }))
    w.on('error', (e) => process.stderr.write(`kernel thread: ${e.message}\n`))
    return w
  })
  const pool = workers
  setKernelHost({ threads, post: (m) => { for (const w of pool) w.postMessage(m) } })
  await Promise.all(ready)
}

export const defaultKernelThreads = (): number => availableParallelism()
