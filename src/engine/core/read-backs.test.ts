// The count of a step's waits for its device: reads started together make one wait, reads one after the other one
// each, and nothing is counted outside a collection.
import { beforeAll, expect, test } from 'vitest'
import { collectReads, readsPerStep, takeReads } from './read-backs'
import { readBack, tf, useNodeBackend } from './tensor'

beforeAll(async () => { await useNodeBackend('wasm') })

test('reads started together wait together; reads in sequence wait once each', async () => {
  const [a, b] = [tf.tensor1d([1, 2]), tf.tensor1d([3])]
  await readBack([a])
  collectReads()
  await Promise.all([readBack([a]), readBack([a, b])])
  await readBack([b])
  const c = takeReads()
  expect(c).toEqual({ tensor: 3, kernel: 0, waits: 2 })
  await readBack([a])
  expect(takeReads()).toEqual({ tensor: 0, kernel: 0, waits: 0 })
  expect(readsPerStep(c, 2)).toEqual({ tensor: 1.5, kernel: 0, waits: 1 })
  tf.dispose([a, b])
})
