// The frame gate between two threads of this process (Node worker_threads, as the page and the engine worker):
// the waiting side goes on when the other releases the gate, and after the time-out when nobody does.
import { Worker } from 'node:worker_threads'
import { expect, test } from 'vitest'
import { frameDone, holdForFrame, wantFrame } from './frame-gate'

test('an open gate does not wait', () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  expect(holdForFrame(gate, 1000)).toBeLessThan(50)
  expect(holdForFrame(null, 1000)).toBe(0)
})

test('a wanted frame holds the waiter until the page releases it, or until the time-out', async () => {
  const gate = new Int32Array(new SharedArrayBuffer(4))
  wantFrame(gate)
  // the releasing side on another thread, 120 ms later
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
  wantFrame(gate)
  const capped = holdForFrame(gate, 80)
  expect(capped).toBeGreaterThanOrEqual(70)
  expect(capped).toBeLessThan(1000)
  frameDone(gate)
  expect(Atomics.load(gate, 0)).toBe(0)
})
