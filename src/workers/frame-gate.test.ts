// The frame gate between two threads of this process (Node worker_threads, as the page and a worker): the page
// learns when the worker holds, the worker goes on when the page releases the gate, and after the time-out when
// nobody does.
import { Worker } from 'node:worker_threads'
import { expect, test, vi } from 'vitest'
import { acquireHold, frameDone, GATE_FREE, GATE_HELD, GATE_WANTED, holdForFrame, releaseHold, wantFrame, whileHeld } from './frame-gate'

test('an open gate does not wait', () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  expect(holdForFrame(gate, 1000)).toBeLessThan(50)
  expect(holdForFrame(null, 1000)).toBe(0)
})

test('the page hears when a worker holds; a held worker waits until the page releases it, or until the time-out', async () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  // the page wants a frame; a worker thread reaches its step boundary 50 ms later and holds there
  const t0 = performance.now()
  const held = wantFrame(gate, 2000)
  const worker = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads')
    const g = new Int32Array(workerData)
    setTimeout(() => {
      Atomics.compareExchange(g, 0, ${GATE_WANTED}, ${GATE_HELD}); Atomics.notify(g, 0)
      const t = performance.now(); Atomics.wait(g, 0, ${GATE_HELD}, 2000); parentPort.postMessage(performance.now() - t)
    }, 50)
  `, { eval: true, workerData: gate.buffer })
  const heldFor = new Promise<number>((r) => worker.on('message', r))
  await held
  expect(performance.now() - t0).toBeGreaterThanOrEqual(40)
  expect(Atomics.load(gate, 0)).toBe(GATE_HELD)
  await new Promise((r) => setTimeout(r, 100)) // the page draws
  frameDone(gate)
  const ms = await heldFor
  await worker.terminate()
  expect(ms).toBeGreaterThanOrEqual(80)
  expect(ms).toBeLessThan(1500)
  // this thread as the worker: it holds until the page (another thread) releases it 120 ms later
  Atomics.store(gate, 0, GATE_WANTED)
  const w = new Worker(`
    const { workerData } = require('node:worker_threads')
    const g = new Int32Array(workerData)
    setTimeout(() => { Atomics.store(g, 0, 0); Atomics.notify(g, 0) }, 120)
  `, { eval: true, workerData: gate.buffer })
  const waited = holdForFrame(gate, 2000)
  await w.terminate()
  expect(waited).toBeGreaterThanOrEqual(100)
  expect(waited).toBeLessThan(1500)
  // nobody releases: the time-out ends the wait
  Atomics.store(gate, 0, GATE_WANTED)
  const capped = holdForFrame(gate, 80)
  expect(capped).toBeGreaterThanOrEqual(70)
  expect(capped).toBeLessThan(1000)
  frameDone(gate)
  expect(Atomics.load(gate, 0)).toBe(0)
})

/** what a worker does at a step boundary when the page wants the CPU (holdForFrame without its blocking wait) */
const workerHolds = (gate: Int32Array) => { expect(Atomics.compareExchange(gate, 0, GATE_WANTED, GATE_HELD)).toBe(GATE_WANTED); Atomics.notify(gate, 0) }

test('two users of the page share one hold: the gate is freed when the last releases it', async () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  const order: string[] = []
  const a = acquireHold(gate, 5000).then(() => order.push('a'))
  const b = acquireHold(gate, 5000).then(() => order.push('b'))
  expect(Atomics.load(gate, 0)).toBe(GATE_WANTED)
  await new Promise((r) => setTimeout(r, 50))
  expect(order).toEqual([]) // nobody holds yet
  workerHolds(gate)
  await Promise.all([a, b])
  expect(order).toEqual(['a', 'b'])
  releaseHold(gate)
  expect(Atomics.load(gate, 0)).toBe(GATE_HELD) // b still draws
  releaseHold(gate)
  expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
  releaseHold(gate) // an extra release changes nothing
  expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
})

test('page work waits for a hold and frees the gate after the next frame, or runs after the wait when no worker holds', async () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  const frames: (() => void)[] = []
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => frames.push(f))
  let ran = 0
  whileHeld(gate, () => { ran++ }, 5000)
  await new Promise((r) => setTimeout(r, 50))
  expect(ran).toBe(0)
  workerHolds(gate)
  await new Promise((r) => setTimeout(r, 20))
  expect(ran).toBe(1)
  expect(Atomics.load(gate, 0)).toBe(GATE_HELD) // until the page has rendered the work
  frames.shift()!()
  await new Promise((r) => setTimeout(r, 20))
  expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
  // a hidden page draws no frame: the hold is freed by the time limit after the work
  whileHeld(gate, () => { ran++ }, 5000)
  workerHolds(gate)
  await new Promise((r) => setTimeout(r, 900))
  expect(ran).toBe(2)
  expect(Atomics.load(gate, 0)).toBe(GATE_HELD)
  await new Promise((r) => setTimeout(r, 200))
  expect(Atomics.load(gate, 0)).toBe(GATE_FREE)
  // no worker holds: the work runs after the wait
  const t = performance.now()
  await new Promise<void>((r) => whileHeld(gate, r, 200))
  expect(performance.now() - t).toBeGreaterThanOrEqual(190)
  let direct = 0
  whileHeld(null, () => { direct++ })
  expect(direct).toBe(1)
  vi.unstubAllGlobals()
})
