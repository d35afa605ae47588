// The reconstruction of a batch whose hit noise and kicks stayed on the GPU (a webgpu training batch: pipeline.ts
// simulateOnGpu): from its arrays, once its buffers are gone, it says so instead of fitting lines to no noise.
import { beforeAll, expect, test } from 'vitest'
import { tf, useNodeBackend } from '../core/tensor'
import { benchDesign } from './bench-scenario'
import { createPanelParams } from './panels'
import { reconstructBatch, simulate } from './pipeline'
import { buildVolume } from './volume'

beforeAll(async () => { await useNodeBackend('wasm') })

test('a batch whose hit noise stayed on the GPU is not reconstructed from its arrays', () => {
  const design = benchDesign(200)
  const vol = buildVolume(design.volume), panels = createPanelParams(design.detector)
  const batch = simulate(design, vol, panels, 200, 1, 'train')
  const reconstruct = (b: typeof batch) => () => tf.tidy(() => { reconstructBatch(b, vol, panels, 'smooth', 1) })
  expect(reconstruct(batch)).not.toThrow()
  expect(reconstruct({ ...batch, noise: new Float32Array(0), noiseOnGpu: true })).toThrow(/hit noise stayed on the GPU/)
  panels.dispose()
})
