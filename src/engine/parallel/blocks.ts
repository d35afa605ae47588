// Fork–join over fixed blocks of an index range (muons, showers) on a pool of threads sharing memory. The blocks
// are fixed by the problem size, never by the thread count, and every random draw is taken at the item's index
// (core/philox.ts, core/item-stream.ts), so a seed gives the same numbers on 1 or 16 threads. The calling thread claims blocks too,
// from one atomic counter, and then waits (Atomics.wait) for the blocks that other threads claimed: the call stays
// synchronous, and it finishes even when no pool thread has started yet (the caller then runs every block).
// Atomics.wait is allowed in Node's main thread and in a Web Worker (where the browser engine runs).
// A pool thread that dies inside a block (out of memory, killed) would leave the caller waiting forever, and the
// caller cannot hear of the death: its event loop is blocked in the wait. So each block has a state word; when no
// block finishes for STALL_MS, the caller runs every block that was claimed and not finished itself. Blocks write
// only their own part of the outputs from their items' streams, so a block run twice (by a thread that was only slow)
// writes the same numbers, and it is counted once.

/** a kernel: run block b of a job; it writes only that block's part of the job's shared output arrays */
export type BlockKernel<J> = (job: J, block: number) => void

/** what the host sends to each pool thread for one fork–join */
export interface KernelMessage {
  kernel: string
  job: unknown
  /** [next block to claim, blocks done, failures, then per block: 0 free, 1 claimed, 2 done], on a SharedArrayBuffer */
  ctl: Int32Array
  blocks: number
}

/** a pool of threads (Node worker_threads or Web Workers) that runs registered kernels (kernels.ts) */
export interface KernelHost {
  /** threads in all, the caller's included */
  readonly threads: number
  post(message: KernelMessage): void
}

let host: KernelHost | null = null

export function setKernelHost(h: KernelHost | null): void {
  host = h
}

/** threads the kernels run on (1 without a pool) */
export function kernelThreads(): number {
  return host?.threads ?? 1
}

/** whether a pool is running: outputs must then live on SharedArrayBuffers */
export function parallel(): boolean {
  return host !== null && host.threads > 1
}

function buffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return parallel() ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)
}

/** output arrays the pool threads can write: shared when a pool runs, plain otherwise */
export function outFloat32(n: number): Float32Array {
  return new Float32Array(buffer(4 * n))
}
export function outFloat64(n: number): Float64Array {
  return new Float64Array(buffer(8 * n))
}
export function outInt32(n: number): Int32Array {
  return new Int32Array(buffer(4 * n))
}
export function outUint8(n: number): Uint8Array {
  return new Uint8Array(buffer(n))
}

/** whether the pool threads can read `a` where it is: no pool runs, or it is on shared memory */
export function readable(a: ArrayBufferView): boolean {
  return !parallel() || a.buffer instanceof SharedArrayBuffer
}

const HEAD = 3
const CLAIMED = 1, DONE = 2

/** how long the caller waits without any block finishing before it runs the unfinished claimed blocks itself */
let stallMs = 5000

/** for tests: a shorter stall */
export function setStallMs(ms: number): void {
  stallMs = ms
}

/** run block b and mark it done (once, whoever finishes first); a failure is counted in ctl[2] */
function runBlock<J>(kernel: BlockKernel<J>, job: J, ctl: Int32Array, b: number): string | null {
  let error: string | null = null
  try {
    kernel(job, b)
  } catch (e) {
    Atomics.add(ctl, 2, 1)
    error = (e as Error).message ?? String(e)
  }
  if (Atomics.exchange(ctl, HEAD + b, DONE) !== DONE) {
    Atomics.add(ctl, 1, 1)
    Atomics.notify(ctl, 1)
  }
  return error
}

/** Claim blocks from ctl until none is left, running each; failures are counted in ctl[2]. */
export function claimBlocks<J>(kernel: BlockKernel<J>, job: J, ctl: Int32Array, blocks: number): { ran: number; error: string | null } {
  let error: string | null = null
  let ran = 0
  for (let b = Atomics.add(ctl, 0, 1); b < blocks; b = Atomics.add(ctl, 0, 1), ran++) {
    Atomics.store(ctl, HEAD + b, CLAIMED)
    error = runBlock(kernel, job, ctl, b) ?? error
  }
  return { ran, error }
}

/** a fork whose pool threads are at work: join() claims what is left, waits for the rest and returns how many
 *  blocks the calling thread ran (the first call does this; later calls return the same) */
export interface BlockRun {
  join(): number
}

/**
 * Start kernel (registered under `name` in kernels.ts, for the pool threads) on every block of the job and return
 * at once: the pool threads claim blocks while the caller goes on with other work (tfjs on the tape, say), and the
 * caller's share waits for join(). Without a pool, join() runs every block. Arrays in the job that the kernel
 * writes must come from the out* allocators above.
 */
export function startBlocks<J>(name: string, kernel: BlockKernel<J>, job: J, blocks: number): BlockRun {
  if (blocks <= 0) return { join: () => 0 }
  const bytes = 4 * (HEAD + blocks)
  const ctl = new Int32Array(parallel() && blocks > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes))
  if (host && parallel() && blocks > 1) host.post({ kernel: name, job, ctl, blocks })
  let ran: number | null = null
  return { join: () => (ran ??= finish(name, kernel, job, ctl, blocks)) }
}

/** the caller's part of a fork: claim blocks until none is left, then wait for the pool threads' */
function finish<J>(name: string, kernel: BlockKernel<J>, job: J, ctl: Int32Array, blocks: number): number {
  let { ran, error } = claimBlocks(kernel, job, ctl, blocks)
  for (let done = Atomics.load(ctl, 1); done < blocks; done = Atomics.load(ctl, 1)) {
    if (Atomics.wait(ctl, 1, done, stallMs) !== 'timed-out' || Atomics.load(ctl, 1) !== done) continue
    // nothing finished for stallMs: a thread holding a block has probably died; run its blocks here (every block
    // is claimed by now, though a thread may die between claiming one and marking it)
    for (let b = 0; b < blocks; b++) {
      if (Atomics.load(ctl, HEAD + b) === DONE) continue
      error = runBlock(kernel, job, ctl, b) ?? error
      ran++
    }
  }
  if (error) throw new Error(error)
  if (Atomics.load(ctl, 2) > 0) throw new Error(`a ${name} block failed on a pool thread`)
  return ran
}

/** startBlocks and join: run the kernel on every block and return when all are done, with how many blocks the
 *  calling thread ran itself */
export function runBlocks<J>(name: string, kernel: BlockKernel<J>, job: J, blocks: number): number {
  return startBlocks(name, kernel, job, blocks).join()
}

/** number of blocks of `size` in n */
export function blockCount(n: number, size: number): number {
  return Math.ceil(n / size)
}
