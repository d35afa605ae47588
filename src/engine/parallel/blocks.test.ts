// The fork–join survives a pool thread that dies inside a block: the caller, hearing nothing for the stall time,
// runs the unfinished blocks itself, and the outputs are those of a run on one thread. A fork started early
// (startBlocks) leaves the caller free until it joins.
import { afterEach, expect, test } from 'vitest'
import { outFloat64, runBlocks, setKernelHost, setStallMs, startBlocks, type KernelMessage } from './blocks'

const BLOCK = 10
const kernel = (job: { out: Float64Array }, b: number) => {
  for (let i = b * BLOCK; i < (b + 1) * BLOCK; i++) job.out[i] = Math.sqrt(i) + b
}

afterEach(() => {
  setKernelHost(null)
  setStallMs(5000)
})

/** what one thread computes */
function reference(blocks: number): Float64Array {
  const job = { out: new Float64Array(blocks * BLOCK) }
  runBlocks('test', kernel, job, blocks)
  return job.out
}

test('a thread that claims a block and dies: the caller runs that block after the stall and the outputs are complete', () => {
  const blocks = 8
  const claimedByDead: number[] = []
  // a "thread" that takes two blocks as the message arrives (before the caller starts) and never finishes them;
  // one it marks as claimed, the other it dies before marking
  setKernelHost({
    threads: 2,
    post: (m: KernelMessage) => {
      const b1 = Atomics.add(m.ctl, 0, 1)
      Atomics.store(m.ctl, 3 + b1, 1)
      const b2 = Atomics.add(m.ctl, 0, 1)
      claimedByDead.push(b1, b2)
    },
  })
  setStallMs(50)
  const job = { out: outFloat64(blocks * BLOCK) }
  expect(job.out.buffer).toBeInstanceOf(SharedArrayBuffer)
  const t0 = performance.now()
  const ran = runBlocks('test', kernel, job, blocks)
  expect(claimedByDead).toEqual([0, 1])
  expect(ran).toBe(blocks) // six claimed normally, two taken over
  expect(performance.now() - t0).toBeGreaterThanOrEqual(45) // it did wait for the stall first
  setKernelHost(null)
  expect(Array.from(job.out)).toEqual(Array.from(reference(blocks)))
})

test('a slow thread that finishes a block after the caller ran it: the caller returns, and the late block writes the same numbers', () => {
  const blocks = 4
  let late: (() => void) | null = null
  setKernelHost({
    threads: 2,
    post: (m: KernelMessage) => {
      const b = Atomics.add(m.ctl, 0, 1)
      Atomics.store(m.ctl, 3 + b, 1)
      // finishes only after the caller has given up on it
      late = () => {
        kernel(m.job as { out: Float64Array }, b)
        if (Atomics.exchange(m.ctl, 3 + b, 2) !== 2) Atomics.add(m.ctl, 1, 1)
      }
    },
  })
  setStallMs(20)
  const job = { out: outFloat64(blocks * BLOCK) }
  expect(runBlocks('test', kernel, job, blocks)).toBe(blocks)
  late!()
  setKernelHost(null)
  expect(Array.from(job.out)).toEqual(Array.from(reference(blocks)))
})

test('a fork started early: the pool thread works while the caller does not; join runs what is left, once', () => {
  const blocks = 8
  let posted: KernelMessage | null = null
  setKernelHost({ threads: 2, post: (m: KernelMessage) => { posted = m } })
  const job = { out: outFloat64(blocks * BLOCK) }
  const run = startBlocks('test', kernel, job, blocks)
  // nothing has run on the calling thread yet
  expect(posted).not.toBeNull()
  expect(job.out.every((v) => v === 0)).toBe(true)
  // the pool thread takes three blocks meanwhile, as kernels.ts's loop would
  const m = posted! as KernelMessage
  for (let k = 0; k < 3; k++) {
    const b = Atomics.add(m.ctl, 0, 1)
    Atomics.store(m.ctl, 3 + b, 1)
    kernel(job, b)
    Atomics.store(m.ctl, 3 + b, 2)
    Atomics.add(m.ctl, 1, 1)
  }
  expect(run.join()).toBe(blocks - 3)
  expect(run.join()).toBe(blocks - 3)
  setKernelHost(null)
  expect(Array.from(job.out)).toEqual(Array.from(reference(blocks)))
})

test('a fork started early without a pool: join runs every block', () => {
  const blocks = 5
  const job = { out: new Float64Array(blocks * BLOCK) }
  const run = startBlocks('test', kernel, job, blocks)
  expect(job.out.every((v) => v === 0)).toBe(true)
  expect(run.join()).toBe(blocks)
  expect(Array.from(job.out)).toEqual(Array.from(reference(blocks)))
})
