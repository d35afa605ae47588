// Dispatch sizes: every invocation index below `threads` is covered once, also past WebGPU's 65 535 workgroups per
// dimension; and without webgpu the engine gets no device (the CPU paths run).
import { expect, test } from 'vitest'
import { useNodeBackend } from '../core/tensor'
import { groups, webgpuDevice, WORKGROUP } from './device'

test('workgroup counts cover the invocations, in rows of at most 65 535', () => {
  expect(groups(1)).toEqual([1, 1])
  expect(groups(2000)).toEqual([Math.ceil(2000 / WORKGROUP), 1])
  const n = WORKGROUP * 65535 + 1
  const [x, y] = groups(n)
  expect([x, y]).toEqual([65535, 2])
  // WGSL_INDEX (gid.x + gid.y·x·64) of the last invocation is x·y·64 − 1: at least n − 1
  expect(x * y * WORKGROUP - 1).toBeGreaterThanOrEqual(n - 1)
})

test('no device on a CPU backend', async () => {
  await useNodeBackend('cpu')
  expect(webgpuDevice()).toBeNull()
})
